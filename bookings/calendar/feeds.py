"""The iCalendar and JSON feeds of the house's activities: the stored texts
(bookings.calendar.texts) of the same rows as the HTML calendar
(`query.visible`), joined in order in one query, and the places of the dates
that take sign-ups in one more (`with_places`). A year of a busy house costs
about what reading its rows costs."""

import hashlib
import json

from django.db import connections
from django.utils import timezone

from centre.models import Centre

from .. import extensions
from ..models import Booking
from . import ical, texts
from .fetch import plain


def feed_texts(queryset, kind: str) -> list[bytes]:
    """The stored VEVENTs (``kind`` "ics") or JSON objects ("json") of the
    queryset's bookings in calendar order, in the reader's language where a
    booking is written in it: one query, plus a rewrite of any whose stamp is
    out of date (texts.repair)."""
    column = "feed_ics" if kind == "ics" else "feed_json"
    language = texts.reader_language()
    other = language != texts.DEFAULT_LANGUAGE
    # In the order of the (start, end) index, so the database need not sort.
    ordered = plain(queryset).order_by("start", "end", "pk")
    extra = ("feed_translated",) if other else ()
    sql, params = ordered.values_list(
        "pk", column, *texts.STAMP_FIELDS, *extra
    ).query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # Tuples, not dicts: a year's feed has tens of thousands of rows.
    stale = texts.Site().stale((row[0], row[2], row[3]) for row in rows)
    if not stale and not other:
        found = [bytes(row[1]) for row in rows]
    else:
        fresh = texts.repair(stale) if stale else {}
        found = []
        for row in rows:
            if row[0] in fresh:
                written = fresh[row[0]]
                item = {column: written[column]}
                translated = written["feed_translated"]
            else:
                item = {column: bytes(row[1])}
                translated = row[4] if other else None
            if other:
                texts.in_language(item, translated, language)
            found.append(item[column])
    return with_places(found, [row[0] for row in rows], queryset, kind)


def with_places(found: list[bytes], pks: list[int], queryset, kind: str) -> list[bytes]:
    """The feed's texts with the places of the dates that take sign-ups
    (bookings.extensions.feed_places: one query) added as the feed answers:
    the JSON object gets a "places" object, the VEVENT the text ("12 of 20
    places left") as the last paragraph of its DESCRIPTION. Places change
    with every sign-up, so they are never part of the stored texts."""
    places = extensions.places_for(queryset) if found else {}
    if not places:
        return found
    for index, pk in enumerate(pks):
        shown = places.get(pk)
        if shown is None:
            continue
        if kind == "ics":
            found[index] = ical.with_description(found[index], shown["text"])
        else:
            extra = json.dumps(shown, ensure_ascii=False).encode()
            found[index] = found[index].removesuffix(b"}") + b', "places": ' + extra + b"}"
    return found


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


def etag_of(*parts: bytes) -> str:
    """A strong ETag: a hash of what the feed lists, so every change is seen."""
    digest = hashlib.sha1(usedforsecurity=False)
    for part in parts:
        digest.update(part)
        digest.update(b"\0")
    return '"' + digest.hexdigest() + '"'


def activity_ics(booking: Booking) -> bytes:
    """One booking as an .ics file, written afresh from the booking."""
    row = {name: getattr(booking, name) for name in texts.SOURCE_FIELDS}
    row["start"], row["end"] = timezone.localtime(booking.start), timezone.localtime(booking.end)
    names = texts.Names(
        rooms={booking.room_id: booking.room.name},
        actors={booking.actor_id: (booking.actor.name, booking.actor.slug)},
    )
    language = texts.reader_language()
    written = texts.texts(row, names, language)["feed_ics"]
    return ics_document([written], name=texts.written_in(row, "title", language))
