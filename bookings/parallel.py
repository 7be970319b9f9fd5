"""Parallel activities (samvirke): public activities for the same target groups
on the same day, by different actors.

The report names parallel efforts as what coordination should avoid. Samhus
never refuses a booking for it: it tells the booker who else is there that day,
and shows coordinators the pairs and the weekdays no activity serves a target
group (the gaps). Every selector here runs a fixed number of queries, whatever
the number of bookings."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from actors.models import TargetGroup
from centre.models import OpeningHours, Weekday
from centre.selectors import aware

from .models import TEXT_FIELDS, Booking, Status, visible_to

SERIES_WEEKS = 12
"""For a series, the occurrences of the next 12 weeks from the one asked about are checked."""

DEFAULT_WEEKS = 4

TargetGroupLink = Booking.target_groups.through


@dataclass(frozen=True)
class ParallelActivity:
    """``other`` is a public confirmed activity the same day as ``booking``, by
    another actor, for at least one of the same target groups (``shared``)."""

    booking: Booking
    other: Booking
    shared: tuple[TargetGroup, ...]

    @property
    def day(self) -> datetime.date:
        return timezone.localdate(self.other.start)


@dataclass(frozen=True)
class Pair:
    first: Booking
    second: Booking
    shared: tuple[TargetGroup, ...]

    @property
    def activities(self) -> tuple[Booking, Booking]:
        return (self.first, self.second)


@dataclass
class Day:
    day: datetime.date
    pairs: list[Pair] = field(default_factory=list)


@dataclass(frozen=True)
class GapCell:
    weekday: int
    count: int

    @property
    def is_gap(self) -> bool:
        return self.count == 0


@dataclass(frozen=True)
class GapRow:
    target_group: TargetGroup
    cells: tuple[GapCell, ...]

    @property
    def gap_count(self) -> int:
        return sum(cell.is_gap for cell in self.cells)


@dataclass(frozen=True)
class Gaps:
    first_day: datetime.date
    last_day: datetime.date
    weekdays: tuple[tuple[int, str], ...]
    rows: tuple[GapRow, ...]

    @property
    def gap_count(self) -> int:
        return sum(row.gap_count for row in self.rows)


def _period(first_day: datetime.date, last_day: datetime.date, prefix: str = "") -> Q:
    """Public confirmed bookings that start on a local day of the period."""
    return visible_to(None, prefix) & Q(
        **{
            f"{prefix}status": Status.CONFIRMED,
            f"{prefix}start__gte": aware(first_day),
            f"{prefix}start__lt": aware(last_day + datetime.timedelta(days=1)),
        }
    )


def _with_groups(links) -> list[tuple[Booking, list[TargetGroup]]]:
    """Bookings with their target groups from one query over the link table:
    a row per booking and target group, the booking's actor and room joined."""
    found: dict[int, tuple[Booking, list[TargetGroup]]] = {}
    rows = (
        links.select_related("booking__actor", "booking__room", "targetgroup")
        .defer(*(f"booking__{name}" for name in TEXT_FIELDS))
        .order_by("booking__start", "booking_id", "targetgroup__position", "targetgroup__name")
    )
    for link in rows:
        found.setdefault(link.booking_id, (link.booking, []))[1].append(link.targetgroup)
    return list(found.values())


def parallel_to(bookings) -> list[ParallelActivity]:
    """The public confirmed activities on the same local day as any of ``bookings``,
    by a different actor, sharing at least one target group; in two queries
    (three when ``bookings`` is a queryset).

    Bookings that are not public, or neither requested nor confirmed, are ignored.
    Each other activity is listed once, ordered by its start."""
    own = [
        b
        for b in bookings
        if b.is_visible_to(None) and b.status in (Status.REQUESTED, Status.CONFIRMED)
    ]
    if not own:
        return []
    groups_of: dict[int, set[int]] = {b.pk: set() for b in own}
    for booking_id, group_id in TargetGroupLink.objects.filter(
        booking_id__in=groups_of
    ).values_list("booking_id", "targetgroup_id"):
        groups_of[booking_id].add(group_id)
    all_groups = set().union(*groups_of.values())
    if not all_groups:
        return []
    days = sorted({timezone.localdate(b.start) for b in own})
    # Only the links to the asked-about groups: they are the shared ones.
    candidates = _with_groups(
        TargetGroupLink.objects.filter(_period(days[0], days[-1], prefix="booking__"))
        .filter(booking__start__date__in=days, targetgroup_id__in=all_groups)
        .exclude(booking_id__in=groups_of)
    )
    own_by_day: dict[datetime.date, list[Booking]] = {}
    for booking in sorted(own, key=lambda b: (b.start, b.pk)):
        own_by_day.setdefault(timezone.localdate(booking.start), []).append(booking)
    found = []
    for other, theirs in candidates:
        for booking in own_by_day.get(timezone.localdate(other.start), []):
            if booking.actor_id == other.actor_id:
                continue
            shared = tuple(g for g in theirs if g.pk in groups_of[booking.pk])
            if shared:
                found.append(ParallelActivity(booking=booking, other=other, shared=shared))
                break
    return found


def for_booking(booking: Booking) -> list[ParallelActivity]:
    """Parallel activities for one booking; for a series occurrence, for it and
    the series' later occurrences of the next SERIES_WEEKS weeks."""
    if not booking.is_visible_to(None) or booking.status not in (
        Status.REQUESTED,
        Status.CONFIRMED,
    ):
        return []
    if booking.series_id is None:
        return parallel_to([booking])
    occurrences = (
        Booking.objects.visible_to(None)
        .filter(
            series_id=booking.series_id,
            start__gte=booking.start,
            start__lt=booking.start + datetime.timedelta(weeks=SERIES_WEEKS),
            status__in=[Status.REQUESTED, Status.CONFIRMED],
        )
        .order_by("start")
    )
    return parallel_to(occurrences)


def default_period(weeks: int = DEFAULT_WEEKS) -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate()
    return today, today + datetime.timedelta(days=7 * weeks - 1)


def parallel_pairs(
    first_day: datetime.date | None = None, last_day: datetime.date | None = None
) -> list[Day]:
    """Every pair of public confirmed activities on the same local day, by two
    different actors, sharing a target group; each pair once, grouped by day.
    One query: the bookings' target-group links with the booking, actor and room."""
    if first_day is None or last_day is None:
        first_day, last_day = default_period()
    by_day: dict[datetime.date, list[tuple[Booking, list[TargetGroup]]]] = {}
    for booking, found in _with_groups(
        TargetGroupLink.objects.filter(_period(first_day, last_day, prefix="booking__"))
    ):
        by_day.setdefault(timezone.localdate(booking.start), []).append((booking, found))
    days = []
    for day, todays in sorted(by_day.items()):
        entry = Day(day=day)
        for index, (first, first_groups) in enumerate(todays):
            for second, second_groups in todays[index + 1 :]:
                if first.actor_id == second.actor_id:
                    continue
                theirs = {g.pk for g in second_groups}
                shared = tuple(g for g in first_groups if g.pk in theirs)
                if shared:
                    entry.pairs.append(Pair(first=first, second=second, shared=shared))
        if entry.pairs:
            days.append(entry)
    return days


def open_weekdays() -> list[int]:
    """The weekdays the house has opening hours (all seven when none are set)."""
    weekdays = sorted(set(OpeningHours.objects.values_list("weekday", flat=True)))
    return weekdays or list(range(7))


def gaps(first_day: datetime.date | None = None, last_day: datetime.date | None = None) -> Gaps:
    """For each target group and each weekday the house is open, how many public
    confirmed activities in the period serve that group; a zero is a gap.
    Two queries: the opening hours, and the target groups with a count per weekday."""
    if first_day is None or last_day is None:
        first_day, last_day = default_period()
    weekdays = open_weekdays()
    in_period = _period(first_day, last_day, prefix="bookings__")
    target_groups = TargetGroup.objects.annotate(
        **{
            f"on_{weekday}": Count(
                "bookings", filter=in_period & Q(bookings__start__iso_week_day=weekday + 1)
            )
            for weekday in weekdays
        }
    )
    return Gaps(
        first_day=first_day,
        last_day=last_day,
        weekdays=tuple((weekday, Weekday(weekday).label) for weekday in weekdays),
        rows=tuple(
            GapRow(
                target_group=group,
                cells=tuple(
                    GapCell(weekday=weekday, count=getattr(group, f"on_{weekday}"))
                    for weekday in weekdays
                ),
            )
            for group in target_groups
        ),
    )
