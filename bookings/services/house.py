"""A change to the house and what it does to the bookings it touches.

Closing a day, filling in public holidays, shortening the opening hours or
taking a room out of use can leave bookings outside the house. Before
anything is saved the coordinator sees them (``affected``) with what can be
done with each: cancel (with a reason), move to a free room or time the same
day (``free_moves``), or keep (an audited override). ``apply`` then saves the
change and every decision in one transaction, and tells each affected
actor's bookers and administrators once, in their own language. Nothing is
cancelled or kept silently: a change that touches bookings without a
decision for each of them is refused.

Reopening a closed day offers its cancelled dates back (``restorable``,
``restore``)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from centre import services as house
from centre.models import Centre, ClosedDay, OpeningHours
from centre.selectors import aware

from ..models import AuditEntry, Booking, Occupancy, Room, Status
from .moves import booking_move
from .occupancy import clashes_with, confirm_guarded
from .rules import Slot, house_rule_errors
from .trail import audit, notify_house_change

CANCEL, KEEP, MOVE, RESTORED = "cancel", "keep", "move", "restored"
# How many free rooms or times are offered for one booking.
MOVES_OFFERED = 6


@dataclass
class Change:
    """What a coordinator is about to change. One of: days that close (a
    closed day, or public holidays filled in), the week's new opening hours,
    or a room taken out of use."""

    closed_days: list[ClosedDay] = field(default_factory=list)
    hours: list[tuple[int, datetime.time, datetime.time]] | None = None
    room: Room | None = None

    def closed(self) -> dict[datetime.date, ClosedDay]:
        return {day.date: day for day in self.closed_days if day.observed}

    def week(self) -> list[OpeningHours]:
        rows = self.hours if self.hours is not None else None
        if rows is None:
            return list(OpeningHours.objects.all())
        return [OpeningHours(weekday=w, opens=o, closes=c) for w, o, c in rows]

    def units(self) -> set[int]:
        """The units of the room out of use, and the rooms made of them."""
        if self.room is None:
            return set()
        return {self.room.pk, *self.room.units(), *self.room.wholes.values_list("pk", flat=True)}


@dataclass
class Decision:
    action: str
    reason: str = ""
    room: Room | None = None
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None


def _coming():
    return (
        Booking.objects.filter(
            status__in=[Status.REQUESTED, Status.CONFIRMED], end__gt=timezone.now()
        )
        .select_related("room", "actor", "series")
        .order_by("start", "pk")
    )


def affected(change: Change) -> list[Booking]:
    """The coming bookings the change would leave outside the house, each with
    ``problem`` (why, in words)."""
    found: list[Booking] = []
    closed = change.closed()
    if closed:
        days = sorted(closed)
        candidates = _coming().filter(
            start__gte=aware(days[0], datetime.time.min),
            start__lt=aware(days[-1] + datetime.timedelta(days=1), datetime.time.min),
        )
        found = [b for b in candidates if timezone.localdate(b.start) in closed]
    elif change.hours is not None:
        found = list(_coming())
    elif change.room is not None:
        found = list(_coming().filter(room_id__in=change.units()))
    if not found:
        return []
    if change.room is not None:
        problem = _("%(room)s is taken out of use.") % {"room": change.room}
        for booking in found:
            booking.problem = problem
        return found
    slots = [Slot(b.start, b.end) for b in found]
    centre = Centre.load()
    new = house_rule_errors(slots, centre=centre, hours=change.week(), closed=closed, horizon=False)
    # New hours: only what the new week leaves out that the current one kept.
    old = (
        house_rule_errors(
            slots, centre=centre, hours=list(OpeningHours.objects.all()), closed={}, horizon=False
        )
        if change.hours is not None
        else {}
    )
    result = []
    for index, booking in enumerate(found):
        if index in new and index not in old:
            booking.problem = " ".join(new[index])
            result.append(booking)
    return result


def free_moves(change: Change, bookings: list[Booking]) -> dict[int, list[Decision]]:
    """For each booking, up to MOVES_OFFERED free places the same day that the
    change leaves open: another room at the same time, or the same room at
    another time within the day's (new) hours. A closed day offers none."""
    if change.closed():
        return {b.pk: [] for b in bookings}
    week = change.week()
    centre = Centre.load()
    out_of_use = change.units()
    rooms = [r for r in Room.objects.active() if r.pk not in out_of_use]
    taken = _Taken(bookings)
    offers: dict[int, list[Decision]] = {}
    for booking in bookings:
        day = timezone.localdate(booking.start)
        length = booking.end - booking.start
        rooms_then: list[Decision] = [
            Decision(MOVE, room=room, start=booking.start, end=booking.end)
            for room in rooms
            if room.pk != booking.room_id
            and (
                booking.expected_participants is None
                or booking.expected_participants <= room.capacity
            )
        ]
        # Other times the same day within the (new) hours: in its own room
        # first, then in the other rooms, the nearest to its own time first.
        places = [r for r in rooms if r.pk == booking.room_id] + [
            r
            for r in rooms
            if r.pk != booking.room_id and (booking.expected_participants or 0) <= r.capacity
        ]
        ranked: list[tuple] = []
        for rank, place in enumerate(places):
            for hours in (h for h in week if h.weekday == day.weekday()):
                start = aware(day, hours.opens)
                while start + length <= aware(day, hours.closes):
                    if start > timezone.now() and start != booking.start:
                        ranked.append(
                            (
                                abs(start - booking.start),
                                rank,
                                Decision(MOVE, room=place, start=start, end=start + length),
                            )
                        )
                    start += datetime.timedelta(minutes=30)
        times = [option for *_rank, option in sorted(ranked, key=lambda row: row[:2])]
        free = []
        # Other rooms at the same time first, then the nearest free times.
        for options, share in ((rooms_then, MOVES_OFFERED // 2), (times, MOVES_OFFERED)):
            found = 0
            for option in options:
                if found >= share or len(free) >= MOVES_OFFERED:
                    break
                slot = Slot(option.start, option.end)
                if not house_rule_errors(
                    [slot], centre=centre, hours=week, closed={}, horizon=False
                ) and not taken.clashes(option.room, slot, besides=booking.pk):
                    free.append(option)
                    found += 1
        offers[booking.pk] = free
    return offers


class _Taken:
    """The occupied units on the days of ``bookings``, read once, so that
    offering free places costs the same few queries for one booking or a
    year of them. The same overlap rule as occupancy.clashes_with, which
    checks the chosen place again, with its lock, when it is saved."""

    def __init__(self, bookings: list[Booking]):
        first = min(b.start for b in bookings) - datetime.timedelta(days=1)
        last = max(b.end for b in bookings) + datetime.timedelta(days=1)
        self.rows = list(
            Occupancy.objects.filter(start__lt=last, end__gt=first).values_list(
                "room_id", "start", "end", "booking_id"
            )
        )
        self.parts: dict[int, list[int]] = defaultdict(list)
        for whole, part in Room.parts.through.objects.values_list("from_room_id", "to_room_id"):
            self.parts[whole].append(part)

    def units(self, room_id: int) -> set[int]:
        parts = self.parts.get(room_id)
        if not parts:
            return {room_id}
        return {unit for part in parts for unit in self.units(part)}

    def clashes(self, room: Room, slot: Slot, *, besides: int) -> bool:
        units = self.units(room.pk)
        end = slot.end + datetime.timedelta(minutes=room.buffer_minutes)
        return any(
            unit in units and start < end and stop > slot.start and booking_id != besides
            for unit, start, stop, booking_id in self.rows
        )


def _save_change(change: Change) -> None:
    if change.hours is not None:
        house.opening_hours_replace(rows=change.hours)
    for day in change.closed_days:
        house.closed_day_save(closed_day=day)
    if change.room is not None:
        Room.objects.filter(pk=change.room.pk).update(is_active=False)


@transaction.atomic
def apply(change: Change, decisions: dict[int, Decision], *, by, seen: list[int]) -> dict:
    """Save the change with a decision for every booking it touches, all or
    nothing. ``seen`` are the bookings the coordinator was shown: if others
    have come since, nothing is saved and they are shown again."""
    Centre.lock()
    touched = affected(change)
    if sorted(b.pk for b in touched) != sorted(seen):
        raise ValidationError(
            _("The bookings on those dates changed while you decided. Look at them again.")
        )
    missing = [b for b in touched if b.pk not in decisions]
    if missing:
        raise ValidationError(
            _("Choose what happens to every booking (%(count)s without a choice).")
            % {"count": len(missing)}
        )
    _save_change(change)
    outcomes: dict[int, list[list]] = defaultdict(list)
    cancelled, kept, moved = [], [], []
    for booking in touched:
        decision = decisions[booking.pk]
        if decision.action == CANCEL:
            cancelled.append((booking, decision.reason))
        elif decision.action == KEEP:
            kept.append(booking)
        elif decision.action == MOVE:
            moved.append((booking, decision))
        else:
            raise ValidationError(_("Choose cancel, move or keep."))
    closed_on = {str(day.date) for day in change.closed_days}
    for booking, reason in cancelled:
        _cancel(booking, by=by, reason=reason, closed_on=closed_on)
        outcomes[booking.actor_id].append([booking.pk, CANCEL, decisions[booking.pk].reason])
    for booking in kept:
        audit(
            [booking],
            by=by,
            action=AuditEntry.Action.OVERRIDDEN,
            note=_("Kept although: %(problem)s") % {"problem": booking.problem},
        )
        outcomes[booking.actor_id].append([booking.pk, KEEP, ""])
    for booking, decision in moved:
        before = f"{booking.room.name}, {timezone.localtime(booking.start):%H:%M}"
        _move(booking, decision, by=by)
        outcomes[booking.actor_id].append([booking.pk, MOVE, before])
    for actor_id, items in outcomes.items():
        notify_house_change(actor_id, items)
    return {"cancelled": len(cancelled), "kept": len(kept), "moved": len(moved)}


def _cancel(booking: Booking, *, by, reason: str, closed_on: set[str]) -> None:
    """Cancel one date for the house; an empty reason reads "the house is
    closed", in each reader's language."""
    Occupancy.objects.filter(booking=booking).delete()
    now = timezone.now()
    Booking.objects.filter(pk=booking.pk).update(
        status=Status.CANCELLED,
        sequence=F("sequence") + 1,
        updated=now,
        cancelled_at=now if booking.status == Status.CONFIRMED else None,
    )
    day = str(timezone.localdate(booking.start))
    audit(
        [booking],
        by=by,
        action=AuditEntry.Action.CANCELLED,
        note=reason,
        changes={
            "status": Status.CANCELLED,
            "house": True,
            **({"closed_day": day} if day in closed_on else {}),
        },
    )


def _move(booking: Booking, decision: Decision, *, by) -> None:
    """The same booking (the same UID) in a free room or at a free time the
    same day, through the one move there is (moves.booking_move)."""
    if timezone.localdate(decision.start) != timezone.localdate(booking.start):
        raise ValidationError(_("A booking is moved within its own day here."))
    try:
        booking_move(
            booking=booking,
            by=by,
            start_time=timezone.localtime(decision.start).time(),
            end_time=timezone.localtime(decision.end).time(),
            room=decision.room,
            tell=False,
        )
    except ValidationError as refusal:
        raise ValidationError(
            [
                _("%(room)s is no longer free then; choose again.") % {"room": decision.room},
                *refusal.messages,
            ]
        ) from refusal


def restorable(day: datetime.date) -> list[Booking]:
    """The dates the closing of ``day`` cancelled that are still to come."""
    return list(
        Booking.objects.filter(
            status=Status.CANCELLED,
            start__gt=timezone.now(),
            audit__action=AuditEntry.Action.CANCELLED,
            audit__changes__closed_day=str(day),
        )
        .select_related("room", "actor", "series")
        .distinct()
        .order_by("start")
    )


@transaction.atomic
def restore(bookings: list[Booking], *, by) -> tuple[list[Booking], list[Booking]]:
    """Book the dates a closed day cancelled again, where their room is still
    free; returns (restored, still taken)."""
    restored, taken = [], []
    for booking in bookings:
        if clashes_with(booking.room, [Slot(booking.start, booking.end)], exclude_ids=[booking.pk]):
            taken.append(booking)
            continue
        was_confirmed = booking.cancelled_at is not None
        booking.status = Status.CONFIRMED if was_confirmed else Status.REQUESTED
        booking.sequence += 1
        booking.cancelled_at = None
        booking.updated = timezone.now()
        booking.save(update_fields=["status", "sequence", "cancelled_at", "updated"])
        if was_confirmed:
            confirm_guarded([booking], booking.room, by)
        restored.append(booking)
    if restored:
        audit(
            restored,
            by=by,
            action=AuditEntry.Action.CHANGED,
            changes={"status": "restored"},
            note=_("The house is open again that day."),
        )
        by_actor: dict[int, list] = defaultdict(list)
        for booking in restored:
            by_actor[booking.actor_id].append([booking.pk, RESTORED, ""])
        for actor_id, items in by_actor.items():
            notify_house_change(actor_id, items)
    return restored, taken
