"""Reads about rooms and bookings that are more than a queryset: a room's week
of free and busy time, the fair-use figures per actor, a series in words and
the dates it could book again."""

import datetime

from django.utils import formats, timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from centre.models import ClosedDay, OpeningHours
from centre.selectors import aware

from .calendar.views import describe_rule
from .models import TEXT_FIELDS, Booking, BookingSeries, Occupancy, Room, Status
from .services.rules import expand

# A free stretch shorter than this is not worth offering.
SHORTEST_FREE = datetime.timedelta(minutes=30)


def free_stretches(
    day: datetime.date,
    hours: list[OpeningHours],
    taken: list[tuple[datetime.datetime, datetime.datetime]],
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The free stretches of a day inside its opening hours, 30 minutes or
    longer and not yet past; `taken` are the busy (start, end) pairs, sorted."""
    gaps = []
    for interval in (h for h in hours if h.weekday == day.weekday()):
        cursor = aware(day, interval.opens)
        closes = aware(day, interval.closes)
        cursor = max(cursor, timezone.localtime())
        for busy_start, busy_end in taken:
            if busy_start > cursor and busy_start - cursor >= SHORTEST_FREE:
                gaps.append((cursor, min(busy_start, closes)))
            cursor = max(cursor, busy_end)
        if closes - cursor >= SHORTEST_FREE:
            gaps.append((cursor, closes))
    return [(start, end) for start, end in gaps if end > start]


def room_week(
    room: Room, monday: datetime.date, user, length: int = 7, pending: bool = False
) -> list[dict]:
    """The seven days from monday as the room's page shows them: the opening
    hours, the closed day if any, the free stretches and the busy bookings,
    each with whether this user may see whose it is. Busy is what holds the
    room's units: its own bookings and those of linked rooms (buffer included
    in the free time); with ``pending`` also the requests waiting for approval
    in the room or its units (a request does not hold a room, but a booker
    is not offered a time someone is already waiting for)."""
    days = [monday + datetime.timedelta(days=n) for n in range(length)]
    start = aware(monday)
    end = aware(days[-1] + datetime.timedelta(days=1))
    units = room.units()
    held = (
        Occupancy.objects.filter(room_id__in=units, start__lt=end, end__gt=start)
        .select_related("booking__actor", "booking__room")
        .defer(*(f"booking__{name}" for name in TEXT_FIELDS))
        .order_by("start")
    )
    bookings = list({occupancy.booking_id: occupancy.booking for occupancy in held}.values())
    if pending:
        bookings += (
            Booking.objects.filter(
                room_id__in={room.pk, *units},
                status=Status.REQUESTED,
                start__lt=end,
                end__gt=start,
            )
            .select_related("actor", "room")
            .defer(*TEXT_FIELDS)
        )
    hours = list(OpeningHours.objects.all())
    closed = {c.date: c for c in ClosedDay.objects.observed().between(days[0], days[-1])}
    buffer = datetime.timedelta(minutes=room.buffer_minutes)
    week = []
    for day in days:
        on_day = [b for b in bookings if timezone.localdate(b.start) == day]
        taken = sorted(
            (timezone.localtime(b.start), timezone.localtime(b.end) + buffer) for b in on_day
        )
        week.append(
            {
                "day": day,
                "hours": [h for h in hours if h.weekday == day.weekday()],
                "closed": closed.get(day),
                "free": [] if day in closed else free_stretches(day, hours, taken),
                "busy": [{"booking": b, "named": b.is_visible_to(user)} for b in on_day],
            }
        )
    return week


def free_on(
    room: Room, day: datetime.date, user
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The free stretches of a room on a day, as its week on the room's page
    shows them, less the requests waiting for approval (the booking form
    offers them as buttons)."""
    return room_week(room, day, user, length=1, pending=True)[0]["free"]


def fair_use(first: datetime.date, last: datetime.date) -> list[dict]:
    """Per actor over a period: hours booked (confirmed), hours used (confirmed and
    past), hours cancelled late, and the number of bookings - the figures that
    show whether access to the rooms is fair. One query."""
    start = aware(first)
    end = aware(last + datetime.timedelta(days=1))
    now = timezone.now()
    figures: dict[int, dict] = {}
    for actor_id, name, status, late, b_start, b_end in Booking.objects.filter(
        start__gte=start, start__lt=end
    ).values_list("actor_id", "actor__name", "status", "cancelled_late", "start", "end"):
        row = figures.setdefault(
            actor_id,
            {"actor": name, "bookings": 0, "booked": 0.0, "used": 0.0, "cancelled_late": 0.0},
        )
        hours = (b_end - b_start).total_seconds() / 3600
        row["bookings"] += 1
        if status == Status.CONFIRMED:
            row["booked"] += hours
            if b_end <= now:
                row["used"] += hours
        if status == Status.CANCELLED and late:
            row["cancelled_late"] += hours
    return sorted(figures.values(), key=lambda row: (-row["booked"], row["actor"]))


def series_in_words(series: BookingSeries) -> str:
    """E.g. "Every Wednesday 19:00-20:00 in Multisalen, from 6 January 2027"
    (and "until 30 June 2027" when the booker gave a last day), as HTML: the
    times kept left to right in ``<bdi dir="ltr">``, as on every page."""
    words = {
        "rule": escape(describe_rule(series.rrule, series.first_day)),
        "times": format_html(
            '<bdi dir="ltr">{}–{}</bdi>', f"{series.start_time:%H:%M}", f"{series.end_time:%H:%M}"
        ),
        "room": escape(series.room.name),
        "day": escape(formats.date_format(series.first_day, "DATE_FORMAT")),
    }
    if series.ends_on:
        words["last"] = escape(formats.date_format(series.ends_on, "DATE_FORMAT"))
        text = _("%(rule)s %(times)s in %(room)s, from %(day)s until %(last)s") % words
    else:
        text = _("%(rule)s %(times)s in %(room)s, from %(day)s") % words
    return mark_safe(text)  # every value in it is escaped above


def series_gaps(series: BookingSeries) -> list[tuple[datetime.date, ClosedDay | None]]:
    """The coming dates of the series' rule, up to where it is booked, that
    hold no booking (cancelled, or skipped as a closed day or a clash): what
    `services.series_readd` can book again. Each with its closed day, if any.
    Two queries."""
    now = timezone.now()
    slots = [
        slot
        for slot in expand(
            series.rrule,
            series.first_day,
            series.start_time,
            series.end_time,
            series.materialised_until,
        )
        if slot.start > now
    ]
    if not slots:
        return []
    taken = {
        timezone.localdate(start)
        for start in series.occurrences.active().filter(end__gt=now).values_list("start", flat=True)
    }
    days = [timezone.localdate(slot.start) for slot in slots]
    free = [day for day in days if day not in taken]
    if not free:
        return []
    closed = {c.date: c for c in ClosedDay.objects.observed().between(free[0], free[-1])}
    return [(day, closed.get(day)) for day in free]
