"""iCalendar and JSON feeds of the house's activities, built from the same
rows as the HTML calendar (bookings.calendar.occurrences).

The iCalendar text is written by the `icalendar` library: it escapes commas,
semicolons, backslashes and line breaks and folds long lines. Each event
has a stable UID, its booking's SEQUENCE (bumped on every change and on
cancellation) and times in Europe/Copenhagen with the VTIMEZONE included."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

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


def uid_for(pk: int) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "samhus"
    return f"booking-{pk}@{host}"


def _activity_url(pk: int) -> str:
    return settings.SITE_URL + reverse("bookings:activity", args=[pk])


def calendar_for(rows: list[dict], *, name: str, description: str = "") -> Calendar:
    calendar = Calendar.new(
        prodid="-//Samhus//Activities//DA",
        name=name,
        description=description or None,
        refresh_interval=datetime.timedelta(hours=1),
        method="PUBLISH",
    )
    host = urlsplit(settings.SITE_URL).hostname or "samhus"
    calendar.uid = f"activities@{host}"
    # Read by Apple and Google calendars, which do not know REFRESH-INTERVAL.
    calendar.add("x-published-ttl", "PT1H")
    prefix = settings.SITE_URL + reverse("bookings:activity", args=[0]).removesuffix("0/")
    for row in rows:
        event = Event.new(
            uid=f"booking-{row['pk']}@{host}",
            summary=row["title"],
            start=row["start"],
            end=row["end"],
            stamp=row["updated"],
            last_modified=row["updated"],
            sequence=row["sequence"],
            location=row["room__name"],
            status="CANCELLED" if row["status"] == Status.CANCELLED else "CONFIRMED",
            url=f"{prefix}{row['pk']}/",
            description="\n\n".join(filter(None, [row["actor__name"], row.get("description")])),
        )
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar


def ics_bytes(rows: list[dict], *, name: str) -> bytes:
    return calendar_for(rows, name=name).to_ical()


def json_data(rows: list[dict], *, name: str, start, end) -> dict:
    actor_prefix = settings.SITE_URL + reverse("actors:actor-detail", args=["x"]).removesuffix("x/")
    prefix = settings.SITE_URL + reverse("bookings:activity", args=[0]).removesuffix("0/")
    return {
        "calendar": name,
        "generated": timezone.now().isoformat(timespec="seconds"),
        "from": start.isoformat(),
        "until": end.isoformat(),
        "activities": [
            {
                "uid": uid_for(row["pk"]),
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


def feed_name(filters_label: str = "") -> str:
    centre = Centre.load()
    return f"{centre.name} – {filters_label}" if filters_label else centre.name
