"""Room use: how much of the house's opening hours each room is booked, hours
per actor, and the busiest hours of the week. For coordinators.

What counts:

- Confirmed bookings only (requested, declined and cancelled ones do not),
  cut to the period: a booking that starts before the period or ends after
  it counts with its part inside the period.
- Hours open are the centre's weekly OpeningHours summed over the period's
  days, minus the days the house is closed (observed ClosedDay rows). Every
  room shares the house's opening hours, so hours open are the same for
  every room.
- A room counts its own bookings only. A hall made of parts does not add the
  bookings of its parts, and a part does not add the bookings of the whole
  hall (keep it simple: the figure answers "how often is this room booked as
  such").
- The share can pass 100 % when rooms are booked outside the opening hours
  (a coordinator may allow that); bookings are not cut to the opening hours.
- The occupancy table lists the active rooms. Hours per actor and the busiest
  hours count every confirmed booking, also in rooms since taken out of use.

Two queries: the rooms with their confirmed bookings in the period (one LEFT
JOIN over a filtered relation), and the opening hours, each with the number
of closed days on its weekday in the period (a subquery).
"""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, FilteredRelation, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, ExtractIsoWeekDay
from django.utils import timezone

from centre.models import ClosedDay, OpeningHours, Weekday
from centre.selectors import aware

from .models import Room, Status

WEEK = "week"
MONTH = "month"
PERIODS = (WEEK, MONTH)
HOUR = datetime.timedelta(hours=1)


@dataclass(frozen=True)
class Period:
    kind: str  # WEEK or MONTH
    first: datetime.date
    last: datetime.date

    @property
    def start(self) -> datetime.datetime:
        return aware(self.first)

    @property
    def end(self) -> datetime.datetime:
        return aware(self.last + datetime.timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def week_number(self) -> int:
        return self.first.isocalendar().week

    @property
    def week_year(self) -> int:
        return self.first.isocalendar().year

    @property
    def previous(self) -> datetime.date:
        if self.kind == WEEK:
            return self.first - datetime.timedelta(days=7)
        return (self.first - datetime.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> datetime.date:
        if self.kind == WEEK:
            return self.first + datetime.timedelta(days=7)
        return self.last + datetime.timedelta(days=1)

    @property
    def slug(self) -> str:
        """For file names: week-2025-03-17 or month-2025-03-01 (the first day)."""
        return f"{self.kind}-{self.first.isoformat()}"


def period_for(kind: str, day: datetime.date) -> Period:
    if kind == WEEK:
        first = day - datetime.timedelta(days=day.weekday())
        return Period(WEEK, first, first + datetime.timedelta(days=6))
    first = day.replace(day=1)
    return Period(MONTH, first, first.replace(day=calendar.monthrange(day.year, day.month)[1]))


@dataclass
class RoomUse:
    pk: int
    name: str
    slug: str
    hours_booked: float
    hours_open: float

    @property
    def share(self) -> float | None:
        """Percent of the opening hours booked; None when the house is never open."""
        if not self.hours_open:
            return None
        return self.hours_booked / self.hours_open * 100


@dataclass
class ActorHours:
    pk: int
    name: str
    bookings: int
    hours: float


class _HourLabels:
    hour: int

    @property
    def label(self) -> str:
        return f"{self.hour:02d}:00"

    @property
    def end_label(self) -> str:
        return f"{(self.hour + 1) % 24:02d}:00"


@dataclass(frozen=True)
class HourRow(_HourLabels):
    hour: int
    cells: tuple[float, ...]  # Monday to Sunday


@dataclass(frozen=True)
class BusySlot(_HourLabels):
    weekday: int
    hour: int
    hours: float

    @property
    def weekday_label(self) -> str:
        return Weekday(self.weekday).label


@dataclass(frozen=True)
class RoomUseReport:
    period: Period
    hours_open: float
    rooms: list[RoomUse]
    actors: list[ActorHours]
    busiest: list[HourRow]

    @property
    def weekdays(self) -> list[str]:
        return [str(label) for label in Weekday.labels]

    @property
    def hours_booked(self) -> float:
        return sum(room.hours_booked for room in self.rooms)

    @property
    def busiest_max(self) -> float:
        return max((value for row in self.busiest for value in row.cells), default=0.0)

    @property
    def top_slots(self) -> list[BusySlot]:
        """The busiest weekday hours (up to three), busiest first."""
        slots = [
            BusySlot(weekday, row.hour, value)
            for row in self.busiest
            for weekday, value in enumerate(row.cells)
            if value > 0
        ]
        slots.sort(key=lambda slot: (-slot.hours, slot.weekday, slot.hour))
        return slots[:3]


def days_on_weekday(first: datetime.date, last: datetime.date, weekday: int) -> int:
    """How many days from first to last (both included) fall on the weekday (0 = Monday)."""
    day = first + datetime.timedelta(days=(weekday - first.weekday()) % 7)
    if day > last:
        return 0
    return (last - day).days // 7 + 1


def _hours(delta: datetime.timedelta) -> float:
    return delta.total_seconds() / 3600


def _interval_hours(opens: datetime.time, closes: datetime.time) -> float:
    """Wall-clock length of an opening interval."""
    return (
        (closes.hour - opens.hour)
        + (closes.minute - opens.minute) / 60
        + (closes.second - opens.second) / 3600
    )


def opening_hours(period: Period) -> tuple[float, range]:
    """Hours the house is open in the period, and the hours of the day it opens
    at all (for the busiest-hours table). One query."""
    closed_on_weekday = (
        ClosedDay.objects.observed()
        .between(period.first, period.last)
        .annotate(iso_weekday=ExtractIsoWeekDay("date"))
        .filter(iso_weekday=OuterRef("weekday") + 1)
        .order_by()
        .values("iso_weekday")
        .annotate(count=Count("pk"))
        .values("count")
    )
    intervals = OpeningHours.objects.annotate(
        closed_days=Coalesce(Subquery(closed_on_weekday, output_field=IntegerField()), 0)
    ).values_list("weekday", "opens", "closes", "closed_days")
    total = 0.0
    first_hour, last_hour = 24, 0
    for weekday, opens, closes, closed_days in intervals:
        days = max(0, days_on_weekday(period.first, period.last, weekday) - closed_days)
        total += days * _interval_hours(opens, closes)
        first_hour = min(first_hour, opens.hour)
        last_hour = max(last_hour, closes.hour + (1 if (closes.minute or closes.second) else 0))
    return total, range(first_hour, last_hour)


def _add_to_hours(grid: dict, start: datetime.datetime, end: datetime.datetime) -> None:
    """Spread a booking over the local weekday-hour cells it covers. The
    Copenhagen offset is whole hours, so UTC hour boundaries are local ones."""
    cursor = start
    while cursor < end:
        boundary = cursor.replace(minute=0, second=0, microsecond=0) + HOUR
        stop = min(boundary, end)
        local = timezone.localtime(cursor)
        grid[(local.weekday(), local.hour)] += _hours(stop - cursor)
        cursor = stop


def room_use(period: Period) -> RoomUseReport:
    """The room-use figures for a period: two queries, the rest in Python."""
    start, end = period.start, period.end
    hours_open, open_hours_of_day = opening_hours(period)
    rows = (
        Room.objects.annotate(
            booking=FilteredRelation(
                "bookings",
                condition=Q(
                    bookings__status=Status.CONFIRMED,
                    bookings__start__lt=end,
                    bookings__end__gt=start,
                ),
            )
        )
        .filter(Q(is_active=True) | Q(booking__isnull=False))
        .order_by("name", "pk", "booking__start")
        .values(
            "pk",
            "name",
            "slug",
            "is_active",
            "booking__start",
            "booking__end",
            "booking__actor_id",
            "booking__actor__name",
        )
    )
    rooms: dict[int, RoomUse] = {}
    actors: dict[int, ActorHours] = {}
    grid: dict[tuple[int, int], float] = defaultdict(float)
    for row in rows:
        if row["is_active"] and row["pk"] not in rooms:
            rooms[row["pk"]] = RoomUse(row["pk"], row["name"], row["slug"], 0.0, hours_open)
        if row["booking__start"] is None:
            continue
        b_start, b_end = max(row["booking__start"], start), min(row["booking__end"], end)
        hours = _hours(b_end - b_start)
        if row["is_active"]:
            rooms[row["pk"]].hours_booked += hours
        actor = actors.setdefault(
            row["booking__actor_id"],
            ActorHours(row["booking__actor_id"], row["booking__actor__name"], 0, 0.0),
        )
        actor.bookings += 1
        actor.hours += hours
        _add_to_hours(grid, b_start, b_end)
    hours_of_day = set(open_hours_of_day) | {hour for _weekday, hour in grid}
    busiest = [
        HourRow(hour, tuple(grid.get((weekday, hour), 0.0) for weekday in range(7)))
        for hour in sorted(hours_of_day)
    ]
    return RoomUseReport(
        period=period,
        hours_open=hours_open,
        rooms=list(rooms.values()),
        actors=sorted(actors.values(), key=lambda a: (-a.hours, a.name.casefold(), a.pk)),
        busiest=busiest,
    )
