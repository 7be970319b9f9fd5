"""The iCalendar and JSON feeds of the house's activities.

Each booking carries its own VEVENT and its JSON object (`Booking.feed_ics`,
`Booking.feed_json`), written by `refresh` whenever the booking services
write the booking. A feed is then one query for the texts of its rows (the
same rows as the HTML calendar, `query.visible`) joined in order: a year of a
busy house costs about what reading the rows costs.

A text also shows things that are not the booking's own: the room's name, the
actor's name and address, and the site's address. `Booking.feed_stamp` names
what a text was written from (the booking's SEQUENCE, bumped on every change,
and a short hash of those names); a feed checks each row's stamp and rewrites
the rows whose stamp is out of date (after a room or an actor is renamed, or
the site moves) before it answers, so no feed shows a stale name."""

import hashlib
import json
import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.urls import reverse
from django.utils import timezone

from actors.models import Actor
from centre.models import Centre

from ..models import Booking, Room, Status
from . import ical
from .query import fetch

logger = logging.getLogger(__name__)

# Raise when what a text shows changes shape: every stored text is then rewritten.
TEXT_VERSION = 1
# What a booking's texts are written from.
SOURCE_FIELDS = (
    "pk",
    "title",
    "description",
    "start",
    "end",
    "status",
    "sequence",
    "updated",
    "room_id",
    "actor_id",
)
NAME_FIELDS = ("room__name", "actor__name", "actor__slug")


class Names:
    """What the texts show besides the bookings' own fields: the site's
    address and the names of the rooms and actors (all of them in two small
    queries, unless given)."""

    def __init__(self, rooms: dict | None = None, actors: dict | None = None):
        self.host = urlsplit(settings.SITE_URL).hostname or "samhus"
        self.activity_prefix = settings.SITE_URL + reverse(
            "bookings:activity", args=[0]
        ).removesuffix("0/")
        self.actor_prefix = settings.SITE_URL + reverse(
            "actors:actor-detail", args=["x"]
        ).removesuffix("x/")
        if rooms is None:
            rooms = dict(Room.objects.values_list("pk", "name"))
        if actors is None:
            actors = {
                pk: (name, slug)
                for pk, name, slug in Actor.objects.values_list("pk", "name", "slug")
            }
        self.rooms, self.actors = rooms, actors
        self.keys = _Keys(self)

    def stamp(self, sequence: int, room_id: int, actor_id: int) -> str:
        return f"{sequence}:{self.keys[room_id, actor_id]}"


class _Keys(dict):
    """A short hash of the names a booking of (room, actor) shows, by pair."""

    def __init__(self, names: Names):
        super().__init__()
        self.names = names

    def __missing__(self, pair: tuple[int, int]) -> str:
        room_id, actor_id = pair
        content = repr(
            (
                TEXT_VERSION,
                settings.SITE_URL,
                self.names.rooms.get(room_id),
                self.names.actors.get(actor_id),
            )
        )
        self[pair] = key = hashlib.blake2b(content.encode(), digest_size=8).hexdigest()
        return key


def texts(row: dict, names: Names) -> tuple[str, str]:
    """A booking's VEVENT and JSON object, from its SOURCE_FIELDS (local times)."""
    pk = row["pk"]
    room = names.rooms.get(row["room_id"], "")
    actor, slug = names.actors.get(row["actor_id"], ("", ""))
    url = f"{names.activity_prefix}{pk}/"
    uid = f"booking-{pk}@{names.host}"
    cancelled = row["status"] == Status.CANCELLED
    event = ical.vevent(
        uid=uid,
        summary=row["title"],
        start=row["start"],
        end=row["end"],
        stamp=row["updated"],
        sequence=row["sequence"],
        description="\n\n".join(filter(None, [actor, row["description"]])),
        location=room,
        status="CANCELLED" if cancelled else "CONFIRMED",
        url=url,
    )
    item = json.dumps(
        {
            "uid": uid,
            "title": row["title"],
            "start": row["start"].isoformat(),
            "end": row["end"].isoformat(),
            "status": "cancelled" if cancelled else "confirmed",
            "room": room,
            "actor": actor,
            "actor_url": f"{names.actor_prefix}{slug}/",
            "url": url,
            "ics": f"{names.activity_prefix}{pk}.ics",
        },
        ensure_ascii=False,
    )
    return event, item


def refresh(ids, names: Names | None = None) -> dict[int, tuple[bytes, bytes]]:
    """Write the feed texts of the bookings ``ids`` from what they are now.
    The booking services call this after every write; returns the texts by id."""
    ids = list(ids)
    if not ids:
        return {}
    rows = fetch(Booking.objects.filter(pk__in=ids), SOURCE_FIELDS + NAME_FIELDS)
    if names is None:  # the names of these rows' rooms and actors, from the same query
        names = Names(
            rooms={row["room_id"]: row["room__name"] for row in rows},
            actors={row["actor_id"]: (row["actor__name"], row["actor__slug"]) for row in rows},
        )
    written = {}
    updates = []
    for row in rows:
        event, item = texts(row, names)
        written[row["pk"]] = (event.encode(), item.encode())
        stamp = names.stamp(row["sequence"], row["room_id"], row["actor_id"])
        updates.append((event.encode(), item.encode(), stamp, row["pk"]))
    # One statement run for every row: much cheaper than an UPDATE with a
    # CASE per row (bulk_update) when a rename rewrites thousands.
    table = connection.ops.quote_name(Booking._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET feed_ics = %s, feed_json = %s, feed_stamp = %s WHERE id = %s",
            updates,
        )
    return written


def _repair(stale: list[int], names: Names) -> dict[int, tuple[bytes, bytes]]:
    """Rewrite out-of-date texts for a reader. If the database will not take
    the write now (another writer holds SQLite), the texts are still given."""
    try:
        with transaction.atomic():
            return refresh(stale, names)
    except DatabaseError:
        logger.warning("Feed texts of %s bookings could not be rewritten now.", len(stale))
        rows = fetch(Booking.objects.filter(pk__in=stale), SOURCE_FIELDS)
        return {row["pk"]: tuple(text.encode() for text in texts(row, names)) for row in rows}


def feed_texts(queryset, kind: str) -> list[bytes]:
    """The stored VEVENTs (``kind`` "ics") or JSON objects ("json") of the
    queryset's bookings in calendar order: one query, plus a rewrite of any
    whose stamp is out of date."""
    column = "feed_ics" if kind == "ics" else "feed_json"
    # In the order of the (start, end) index, so the database need not sort.
    ordered = queryset.order_by("start", "end", "pk")
    sql, params = ordered.values_list(
        "pk", column, "feed_stamp", "sequence", "room_id", "actor_id"
    ).query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    names = Names()
    keys = names.keys
    stale = [row[0] for row in rows if row[2] != f"{row[3]}:{keys[row[4], row[5]]}"]
    if not stale:
        return [bytes(row[1]) for row in rows]
    fresh = _repair(stale, names)
    index = 0 if kind == "ics" else 1
    return [fresh[row[0]][index] if row[0] in fresh else bytes(row[1]) for row in rows]


def feed_name(filters_label: str = "") -> str:
    centre = Centre.load()
    return f"{centre.name} – {filters_label}" if filters_label else centre.name


def ics_document(events: list[bytes], *, name: str) -> bytes:
    return ical.document(events, name=name)


def json_document(items: list[bytes], *, name: str, start, end) -> bytes:
    head = json.dumps(
        {
            "calendar": name,
            "generated": timezone.now().isoformat(timespec="seconds"),
            "from": start.isoformat(),
            "until": end.isoformat(),
        },
        ensure_ascii=False,
    )
    return head.removesuffix("}").encode() + b', "activities": [' + b", ".join(items) + b"]}"


def etag_of(content: bytes) -> str:
    """A strong ETag: a hash of the body, so every change is seen."""
    return '"' + hashlib.sha1(content, usedforsecurity=False).hexdigest() + '"'


def activity_ics(booking: Booking) -> bytes:
    """One booking as an .ics file, written afresh from the booking."""
    row = {name: getattr(booking, "pk" if name == "pk" else name) for name in SOURCE_FIELDS}
    row["start"], row["end"] = timezone.localtime(booking.start), timezone.localtime(booking.end)
    names = Names(
        rooms={booking.room_id: booking.room.name},
        actors={booking.actor_id: (booking.actor.name, booking.actor.slug)},
    )
    event, _item = texts(row, names)
    return ics_document([event.encode()], name=booking.title)
