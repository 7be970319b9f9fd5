"""iCalendar and JSON feeds of the house's activities, built from the same
rows as the HTML calendar (bookings.calendar.occurrences).

The iCalendar text is written by the `icalendar` library: it escapes commas,
semicolons, backslashes and line breaks and folds long lines. Each event
has a stable UID, its booking's SEQUENCE (bumped on every change and on
cancellation) and times in Europe/Copenhagen with the VTIMEZONE included.

A year's feed holds thousands of events and `icalendar` needs a fraction of
a millisecond for each, so two caches keep subscriptions cheap:
- each event's text is cached under a key made of everything it shows, so a
  change to one booking rebuilds one event;
- a whole feed is cached under a fingerprint of its rows (count, last
  change, sum of ids and sequences, read by one aggregate query), so a feed
  is rebuilt only when something in it changed. Renaming a room or an actor
  reaches a cached feed within FEED_CACHE_SECONDS. Its ETag is a hash of
  the body, so a calendar app's conditional request sees every change.
  One process at a time rebuilds a feed; meanwhile the others answer with the
  version before it, at most STALE_SECONDS old (``cached``)."""

import datetime
import hashlib
import json
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Max, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.http import quote_etag
from icalendar import Calendar, Event, Timezone

from centre.models import Centre

from .models import Status

FEED_FIELDS = (
    "pk",
    "title",
    "description",
    "start",
    "end",
    "status",
    "visibility",
    "sequence",
    "updated",
    "room__name",
    "actor__name",
    "actor__slug",
)
FEED_CACHE_SECONDS = 15 * 60
# While one process rebuilds a feed, the others may answer with the version
# before it if that was built at most this long ago (``cached``).
STALE_SECONDS = 60
BUILD_LOCK_SECONDS = 120  # longer than any build; a crashed builder's lock expires
EVENT_CACHE_SECONDS = 7 * 24 * 3600
_END = b"END:VCALENDAR\r\n"


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "samhus"


def uid_for(pk: int) -> str:
    return f"booking-{pk}@{_host()}"


def _activity_prefix() -> str:
    return settings.SITE_URL + reverse("bookings:activity", args=[0]).removesuffix("0/")


def _event(row: dict, host: str, prefix: str) -> bytes:
    event = Event()
    event.add("uid", f"booking-{row['pk']}@{host}")
    event.add("summary", row["title"])
    event.add("dtstart", row["start"])
    event.add("dtend", row["end"])
    event.add("dtstamp", row["updated"].astimezone(datetime.UTC))
    event.add("last-modified", row["updated"].astimezone(datetime.UTC))
    event.add("sequence", row["sequence"])
    event.add("location", row["room__name"])
    event.add("status", "CANCELLED" if row["status"] == Status.CANCELLED else "CONFIRMED")
    event.add("url", f"{prefix}{row['pk']}/")
    description = "\n\n".join(filter(None, [row["actor__name"], row.get("description")]))
    if description:
        event.add("description", description)
    return event.to_ical()


def _event_key(row: dict, prefix: str) -> str:
    content = repr((prefix, *(row.get(name) for name in FEED_FIELDS)))
    return "ics-event:2:" + hashlib.blake2b(content.encode(), digest_size=16).hexdigest()


# Each process's own copy of the events it has written or fetched. An event's
# key is a hash of everything its text shows, so an entry is never stale and
# needs no invalidation; the copy spares a feed rebuilt after a change from
# fetching thousands of unchanged events from Redis. Emptied when full.
LOCAL_EVENTS_MAX = 50_000  # about 25 MB; a year of a 20-room house is 13,500
_local_events: dict[str, bytes] = {}


def forget_local_events() -> None:
    """Empty this process's copy of the events (for measuring a cold build)."""
    _local_events.clear()


def events(rows: list[dict]) -> list[bytes]:
    """Each row's VEVENT: from this process's copy, else from the cache, else
    written, wherever nothing it shows has changed."""
    host, prefix = _host(), _activity_prefix()
    keys = [_event_key(row, prefix) for row in rows]
    local = _local_events
    out = [local.get(key) for key in keys]
    missing = [key for key, text in zip(keys, out, strict=True) if text is None]
    if not missing:
        return out
    cached = cache.get_many(missing)
    built = {}
    for index, (key, row) in enumerate(zip(keys, rows, strict=True)):
        if out[index] is None:
            text = cached.get(key)
            if text is None:
                text = built[key] = _event(row, host, prefix)
            out[index] = text
    if built:
        cache.set_many(built, EVENT_CACHE_SECONDS)
    if len(local) + len(missing) > LOCAL_EVENTS_MAX:
        local.clear()
    local.update(zip(missing, (cached.get(key) or built[key] for key in missing), strict=True))
    return out


def ics_document(rows: list[dict], *, name: str) -> bytes:
    """A VCALENDAR with the Copenhagen VTIMEZONE and one VEVENT per row."""
    name = " ".join(name.split())  # a calendar's name is one line, whatever its title holds
    calendar = Calendar.new(
        prodid="-//Samhus//Activities//DA",
        name=name,
        refresh_interval=datetime.timedelta(hours=1),
        method="PUBLISH",
    )
    del calendar["UID"]  # optional, and one feed's filters make it a different calendar
    # Read by Apple and Google calendars, which do not know REFRESH-INTERVAL.
    calendar.add("x-published-ttl", "PT1H")
    calendar.add_component(Timezone.from_tzid(settings.TIME_ZONE))
    head = calendar.to_ical()
    # The events are whole components written by icalendar; they go in before the end line.
    return head.removesuffix(_END) + b"".join(events(rows)) + _END


def json_document(rows: list[dict], *, name: str, start, end) -> bytes:
    prefix = _activity_prefix()
    actor_prefix = settings.SITE_URL + reverse("actors:actor-detail", args=["x"]).removesuffix("x/")
    host = _host()
    data = {
        "calendar": name,
        "generated": timezone.now().isoformat(timespec="seconds"),
        "from": start.isoformat(),
        "until": end.isoformat(),
        "activities": [
            {
                "uid": f"booking-{row['pk']}@{host}",
                "title": row["title"],
                "start": row["start"].isoformat(),
                "end": row["end"].isoformat(),
                "status": "cancelled" if row["status"] == Status.CANCELLED else "confirmed",
                "room": row["room__name"],
                "actor": row["actor__name"],
                "actor_url": f"{actor_prefix}{row['actor__slug']}/",
                "url": f"{prefix}{row['pk']}/",
                "ics": f"{prefix}{row['pk']}.ics",
            }
            for row in rows
        ],
    }
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).encode()


def fingerprint(queryset) -> str:
    """What changes whenever a row of the feed is added, changed, cancelled or removed."""
    figures = queryset.aggregate(
        count=Count("pk"), last=Max("updated"), ids=Sum("pk"), sequences=Sum("sequence")
    )
    last = figures["last"].timestamp() if figures["last"] else 0
    return f"{figures['count']}:{last}:{figures['ids']}:{figures['sequences']}"


def feed_key(kind: str, *parts) -> str:
    content = repr((kind, settings.SITE_URL, *parts))
    return f"feed:1:{kind}:" + hashlib.blake2b(content.encode(), digest_size=16).hexdigest()


def cached(key: str, build, *, latest_key: str | None = None):
    """The value under ``key``, built and cached when missing.

    With ``latest_key`` (a key without the fingerprint) the build is done once
    at a time: while one process builds, the others answer with the version
    built before it, if that is at most STALE_SECONDS old, instead of building
    the same thing again. A house where members keep booking changes its
    whole-house feed every few seconds; without this, every poll rebuilt it.
    With no recent version to give, a request builds for itself, as before:
    nobody waits for another process."""
    value = cache.get(key)
    if value is not None or latest_key is None:
        if value is None:
            value = build()
            cache.set(key, value, FEED_CACHE_SECONDS)
        return value
    lock = build_lock(key)
    holding = cache.add(lock, True, BUILD_LOCK_SECONDS)
    if not holding:
        latest = cache.get(latest_key)
        if latest is not None and time.time() - latest[0] <= STALE_SECONDS:
            previous = cache.get(latest[1])
            if previous is not None:
                return previous
    started = time.time()  # the version is as old as the rows it read
    try:
        value = build()
        cache.set(key, value, FEED_CACHE_SECONDS)
        latest = cache.get(latest_key)
        if latest is None or latest[0] <= started:  # a slower, older build does not win
            cache.set(latest_key, (started, key), FEED_CACHE_SECONDS)
    finally:
        if holding:
            cache.delete(lock)
    return value


def build_lock(key: str) -> str:
    return key + ":building"


def feed_name(filters_label: str = "") -> str:
    centre = Centre.load()
    return f"{centre.name} – {filters_label}" if filters_label else centre.name


def feed_body(kind: str, filters: dict, start, end, name: str) -> tuple[str, bytes]:
    """A feed's ETag and body for the public rows in [start, end) with
    ``filters``: from the cache while none of its rows has changed."""
    from .calendar import fetch, visible

    rows = visible(None, start, end, filters)
    key, latest_key = feed_keys(kind, filters, start, end, name, rows)

    def build():
        found = fetch(rows.order_by("start", "room__name", "pk"), FEED_FIELDS)
        if kind == "ics":
            content = ics_document(found, name=name)
        else:
            content = json_document(found, name=name, start=start, end=end)
        return quote_etag(hashlib.blake2b(content, digest_size=16).hexdigest()), content

    return cached(key, build, latest_key=latest_key)


def feed_keys(kind: str, filters: dict, start, end, name: str, rows) -> tuple[str, str]:
    """The cache key of this version of a feed, and the key that points to its
    latest version whatever its rows."""
    parts = (kind, name, sorted(filters.items()), start, end)
    return feed_key(*parts, fingerprint(rows)), feed_key(*parts, "latest")


def warm_default_feeds() -> None:
    """Build the whole house's feeds, so that no subscriber waits for them."""
    from .calendar import default_feed_window

    start, end = default_feed_window()
    name = feed_name()
    for kind in ("ics", "json"):
        feed_body(kind, {}, start, end, name)
