"""The texts a booking shows in calendars, written with the booking.

Each booking carries its VEVENT (`Booking.feed_ics`), its JSON object
(`feed_json`) and the inside of its calendar item (`feed_html`), written by
`refresh` whenever the booking services write the booking. A feed or a
calendar page then reads the texts of its rows in one query instead of
writing thousands of them.

A text also shows things that are not the booking's own: the room's name, the
actor's name and address, and the site's address. `Booking.feed_stamp` names
what the texts were written from: the booking's SEQUENCE, bumped on every
change, and a short hash of the site's address. Readers check each row's stamp
and rewrite the rows whose stamp is out of date (a row written outside the
services, a new SITE_URL) before they answer. Renaming a room or an actor
clears the stamps of its bookings when it is saved (`clear_stamps`), so the
next reader rewrites them and nothing shows a stale name.

The texts are written in Danish, the house's language. A booking whose title
or description is also written in another language (modeltranslation's
``title_en``, ``title_ar``, …) keeps that language's texts too
(`Booking.feed_translated`), so a reader in that language gets them
(`in_language`) while the Danish texts cost nothing more."""

import functools
import hashlib
import json
import logging
from html import escape
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from modeltranslation.utils import get_language, resolution_order

from actors.models import Actor
from centre import links

from ..models import Booking, Room, Status
from . import ical
from .fetch import fetch, fetch_with

logger = logging.getLogger(__name__)

# Raise when what a text shows changes shape: every stored text is then rewritten.
TEXT_VERSION = 4
# The house's language, which the stored texts are written in; and the others.
DEFAULT_LANGUAGE = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
OTHER_LANGUAGES = tuple(
    code for code in settings.MODELTRANSLATION_LANGUAGES if code != DEFAULT_LANGUAGE
)
TRANSLATED = ("title", "description")
# What a booking's texts are written from.
SOURCE_FIELDS = (
    "pk",
    "title",
    "description",
    *(f"{name}_{code}" for name in TRANSLATED for code in settings.MODELTRANSLATION_LANGUAGES),
    "start",
    "end",
    "status",
    "sequence",
    "updated",
    "room_id",
    "actor_id",
)
NAME_FIELDS = ("room__name", "actor__name", "actor__slug")
# What the texts show of a room and of an actor.
SHOWN = {Room: ("name",), Actor: ("name", "slug")}
# Bookings written at a time: well inside every database's limit on parameters.
CHUNK = 500
# What a reader needs to check a row's stamp.
STAMP_FIELDS = ("feed_stamp", "sequence")


class Site:
    """The site's part of every text: its address and the activities' and
    actors' paths (SITE_URL, never a visitor's host: see centre.links), and
    their short hash, which every stamp carries."""

    def __init__(self):
        site = links.site_url()
        self.host = urlsplit(site).hostname or "samhus"
        self.activity_path = reverse("bookings:activity", args=[0]).removesuffix("0/")
        self.activity_prefix = site + self.activity_path
        self.actor_prefix = site + reverse("actors:actor-detail", args=["x"]).removesuffix("x/")
        self.key = _hash(
            (TEXT_VERSION, site, settings.TIME_ZONE, self.activity_path, self.actor_prefix)
        )

    def stamp(self, sequence: int) -> str:
        """What a booking's texts are written from: its SEQUENCE and the site."""
        return f"{sequence}:{self.key}"

    def stale(self, rows) -> list[int]:
        """The ids among ``rows`` of (id, *STAMP_FIELDS) whose texts are out of date."""
        key = self.key
        return [pk for pk, written, sequence in rows if written != f"{sequence}:{key}"]


class Names(Site):
    """The site, and the names of the rooms and actors the texts show: by
    id, a room's name and an actor's (name, slug)."""

    def __init__(self, rooms: dict, actors: dict):
        super().__init__()
        self.rooms, self.actors = rooms, actors

    @classmethod
    def of(cls, rows: list[dict]) -> "Names":
        """The names of these rows' rooms and actors (rows with NAME_FIELDS)."""
        return cls(
            rooms={row["room_id"]: row["room__name"] for row in rows},
            actors={row["actor_id"]: (row["actor__name"], row["actor__slug"]) for row in rows},
        )


@functools.lru_cache(maxsize=16)
def _hash(value) -> str:
    """A short hash of the site's part of the texts."""
    return hashlib.blake2b(repr(value).encode(), digest_size=4).hexdigest()


def note_rename(sender, instance, raw=False, **kwargs) -> None:
    """Before a room or an actor is saved: whether the save changes what its
    bookings' texts show of it (SHOWN)."""
    shown = SHOWN[sender]
    before = None
    if instance.pk is not None and not raw:
        before = sender._base_manager.filter(pk=instance.pk).values_list(*shown).first()
    instance._texts_renamed = before is not None and before != tuple(
        getattr(instance, name) for name in shown
    )


def clear_stamps(sender, instance, **kwargs) -> None:
    """After a room or an actor is renamed, the texts of its bookings are out
    of date: their stamps are cleared, and the next reader rewrites them (a
    busy room's thousands of bookings are not written while the coordinator
    waits). Cleared after the save, so a reader in between cannot stamp a
    text with the old name as current."""
    if instance.__dict__.pop("_texts_renamed", False):
        owner = "room" if sender is Room else "actor"
        Booking._base_manager.filter(**{owner: instance}).update(feed_stamp="")


def written_in(row: dict, name: str, language: str) -> str:
    """The row's translated field ``name`` in ``language``, else in the first
    of its fallbacks it is written in (the plain column last)."""
    for code in resolution_order(language):
        if value := row.get(f"{name}_{code}"):
            return value
    return row.get(name) or ""


def translated_into(row: dict) -> list[str]:
    """The languages besides Danish the row's title or description is written in."""
    return [
        code for code in OTHER_LANGUAGES if any(row.get(f"{name}_{code}") for name in TRANSLATED)
    ]


def texts(row: dict, names: Names, language: str = DEFAULT_LANGUAGE) -> dict[str, bytes | str]:
    """A booking's VEVENT, JSON object and calendar item, from its
    SOURCE_FIELDS (local times), by the column each is kept in, with its
    title and description in ``language`` (or their fallbacks)."""
    row = {
        **row,
        "title": written_in(row, "title", language),
        "description": written_in(row, "description", language),
    }
    pk = row["pk"]
    room = names.rooms.get(row["room_id"], "")
    actor, slug = names.actors.get(row["actor_id"], ("", ""))
    url = f"{names.activity_prefix}{pk}/"
    uid = f"booking-{pk}@{names.host}"
    cancelled = row["status"] == Status.CANCELLED
    start, end = row["start"], row["end"]
    event = ical.vevent(
        uid=uid,
        summary=row["title"],
        start=start,
        end=end,
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
            "start": start.isoformat(),
            "end": end.isoformat(),
            "status": "cancelled" if cancelled else "confirmed",
            "room": room,
            "actor": actor,
            "actor_url": f"{names.actor_prefix}{slug}/",
            "url": url,
            "ics": f"{names.activity_prefix}{pk}.ics",
        },
        ensure_ascii=False,
    )
    # The inside of the calendar's list item; the page adds the badges for
    # cancelled and internal, in the reader's language (render.items).
    html = (
        f'<a href="{names.activity_path}{pk}/"><span class="cal-time" dir="ltr">'
        f"{start.hour:02}:{start.minute:02}–{end.hour:02}:{end.minute:02}</span> "
        f'<span class="cal-title" dir="auto">{escape(row["title"])}</span></a> '
        f'<span class="cal-meta">{escape(room)} · {escape(actor)}</span>'
    )
    return {"feed_ics": event.encode(), "feed_json": item.encode(), "feed_html": html}


def refresh(ids) -> dict[int, dict]:
    """Write the texts of the bookings ``ids`` from what they are now. The
    booking services call this after every write; returns the texts by id."""
    ids = list(ids)
    written = {}
    for start in range(0, len(ids), CHUNK):
        written.update(_refresh(ids[start : start + CHUNK]))
    return written


def _refresh(ids: list[int]) -> dict[int, dict]:
    rows = fetch(Booking.objects.filter(pk__in=ids), SOURCE_FIELDS + NAME_FIELDS)
    names = Names.of(rows)  # the names of these rows' rooms and actors, from the same query
    written = {}
    updates = []
    for row in rows:
        written[row["pk"]] = found = texts(row, names)
        found["feed_translated"] = translated = {
            code: _as_text(texts(row, names, code)) for code in translated_into(row)
        }
        stamp = names.stamp(row["sequence"])
        updates.append(
            (
                found["feed_ics"],
                found["feed_json"],
                found["feed_html"],
                json.dumps(translated, ensure_ascii=False) if translated else "",
                stamp,
                row["pk"],
            )
        )
    # One statement run for every row: much cheaper than an UPDATE with a
    # CASE per row (bulk_update) when a rename rewrites thousands.
    table = connection.ops.quote_name(Booking._meta.db_table)
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET feed_ics = %s, feed_json = %s, feed_html = %s,"
            " feed_translated = %s, feed_stamp = %s WHERE id = %s",
            updates,
        )
    return written


def repair(stale: list[int]) -> dict[int, dict]:
    """Rewrite out-of-date texts for a reader. If the database will not take
    the write now (another writer holds SQLite), the texts are still given."""
    try:
        with transaction.atomic():
            return refresh(stale)
    except DatabaseError:
        logger.warning("Feed texts of %s bookings could not be rewritten now.", len(stale))
        found = {}
        for start in range(0, len(stale), CHUNK):
            chunk = Booking.objects.filter(pk__in=stale[start : start + CHUNK])
            rows = fetch(chunk, SOURCE_FIELDS + NAME_FIELDS)
            names = Names.of(rows)
            for row in rows:
                found[row["pk"]] = written = texts(row, names)
                written["feed_translated"] = {
                    code: _as_text(texts(row, names, code)) for code in translated_into(row)
                }
        return found


def _as_text(written: dict) -> dict[str, str]:
    return {
        name: value.decode() if isinstance(value, bytes) else value
        for name, value in written.items()
    }


def reader_language() -> str:
    """The language the texts are read in: the active one, if Samhus writes texts in it."""
    return get_language()


def in_language(row: dict, translated, language: str) -> None:
    """Put the row's texts in ``language`` where the booking has them:
    ``translated`` is its `feed_translated` (JSON text, or the dict `refresh`
    returns)."""
    if not translated or language == DEFAULT_LANGUAGE:
        return
    if isinstance(translated, str):
        translated = json.loads(translated)
    texts = translated.get(language)
    if texts:
        for name in ("feed_html", "feed_json", "feed_ics"):
            if name in row:
                row[name] = texts[name] if name == "feed_html" else texts[name].encode()


def current(queryset, fields: tuple[str, ...]) -> list[dict]:
    """The queryset's ``fields`` as dicts (fetch), where any stored text among
    them is up to date: one query (each row's stamp comes with it), plus a
    rewrite of the rows whose stamp is out of date."""
    language = reader_language()
    # A reader in another language reads each row's translated texts too.
    also = ("pk", *STAMP_FIELDS)
    if language != DEFAULT_LANGUAGE and any(name in fields for name in ("feed_html", "feed_json")):
        also = (*also, "feed_translated")
    rows, checks = fetch_with(queryset, fields, also)
    stale = Site().stale(check[:3] for check in checks)
    fresh = repair(stale) if stale else {}
    for row, check in zip(rows, checks, strict=True):
        if check[0] in fresh:
            written = fresh[check[0]]
            row.update((name, text) for name, text in written.items() if name in fields)
            in_language(row, written["feed_translated"], language)
        elif len(check) > 3:
            in_language(row, check[3], language)
    return rows
