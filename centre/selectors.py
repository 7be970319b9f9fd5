"""Reads about the house: is it open, when, and which days is it closed."""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from .models import Centre, ClosedDay, OpeningHours


@dataclass(frozen=True)
class DayHours:
    day: datetime.date
    intervals: list[OpeningHours] = field(default_factory=list)
    closed_day: ClosedDay | None = None

    @property
    def is_closed(self) -> bool:
        return self.closed_day is not None or not self.intervals


@dataclass(frozen=True)
class HouseStatus:
    now: datetime.datetime
    today: DayHours
    open_now: bool
    current: OpeningHours | None
    next_opening: datetime.datetime | None
    week: list[DayHours]


def aware(day: datetime.date, time: datetime.time = datetime.time.min) -> datetime.datetime:
    """The moment ``time`` on ``day`` in the house's time zone (midnight by default)."""
    return timezone.make_aware(datetime.datetime.combine(day, time))


def house_status(now: datetime.datetime | None = None, days_ahead: int = 7) -> HouseStatus:
    """Open now or not, today's hours and the next days' hours: two queries."""
    now = timezone.localtime(now)
    today = now.date()
    days = [today + datetime.timedelta(days=i) for i in range(days_ahead)]
    hours = list(OpeningHours.objects.all())
    closed = {c.date: c for c in ClosedDay.objects.observed().between(days[0], days[-1])}
    week = [
        DayHours(
            day=day,
            intervals=[h for h in hours if h.weekday == day.weekday()],
            closed_day=closed.get(day),
        )
        for day in days
    ]
    current = None
    if not week[0].is_closed:
        current = next((h for h in week[0].intervals if h.opens <= now.time() < h.closes), None)
    next_opening = None
    for day_hours in week:
        if day_hours.is_closed:
            continue
        for interval in day_hours.intervals:
            start = aware(day_hours.day, interval.opens)
            if start > now:
                next_opening = start
                break
        if next_opening:
            break
    return HouseStatus(
        now=now,
        today=week[0],
        open_now=current is not None,
        current=current,
        next_opening=next_opening,
        week=week,
    )


def house_rules() -> tuple[Centre, list[OpeningHours]]:
    """The centre's booking settings and its weekly opening hours (two queries)."""
    return Centre.load(), list(OpeningHours.objects.all())
