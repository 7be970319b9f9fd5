"""Move dates to another day, time and/or room: one date, this and the
following dates, or the whole series. Each booking stays the same row, so its
calendar UID stays; its SEQUENCE goes up, so subscribed calendars move it.

A move is checked like a new request for the new dates (who may book the
room, capacity, the past, opening hours, closed days, the booking window, the
weekly quota, clashes), with the moved dates left out of the clash and quota
counts. Nothing is written unless every moved date passes; it is one
transaction. What it decides where a new request has no answer:

- Status. In a room without approval the moved dates are confirmed (a request
  moved there is confirmed, as a new request there would be). In a room that
  needs approval a coordinator's move keeps each date's status (moving neither
  approves nor withdraws an approval); anyone else's move turns the dates into
  requests: they let go of the room and the coordinators are told.
- Clashes are checked for every moved date, requests included: a request moved
  onto a taken time would only be declined later.
- Closed days. When the following dates or the whole series move, a date that
  lands on a closed day is left out (cancelled, at its old time) if the series
  skips closed days, as the series would have skipped it; one date moved onto a
  closed day is refused. Every other broken house rule refuses the move unless
  a coordinator overrides it (recorded in the history).
- The series' rule. Moving the following dates or the whole series moves the
  rule with them, so dates booked later follow: its room and times, and for a
  new weekday its first day (the rule's weekday and phase come from it). For
  "this and the following", the rule then starts at the first moved date:
  earlier dates keep their old weekday but are no longer dates of the rule, so
  they cannot be booked again once cancelled. A rule on a weekday of the month
  (e.g. the 2nd Tuesday) cannot move to another day as a whole."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from centre.roles import is_coordinator
from centre.selectors import aware, house_rules

from ..models import AuditEntry, Booking, BookingSeries, Occupancy, Room, Status
from .decisions import can_change, scoped
from .occupancy import clashes_with, confirm_guarded, hold
from .rules import (
    Slot,
    check_request,
    closed_days,
    describe_for,
    expand,
    house_rule_errors,
    quota_errors,
)
from .trail import audit, notify_booker, notify_request

ACTIVE = [Status.REQUESTED, Status.CONFIRMED]


def _where(booking: Booking) -> str:
    """A date as the history keeps it: local day, times and room."""
    start, end = timezone.localtime(booking.start), timezone.localtime(booking.end)
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M} {booking.room.name}"


def _target(booking: Booking, delta, start_time, end_time) -> Slot:
    start, end = timezone.localtime(booking.start), timezone.localtime(booking.end)
    day = start.date() + delta
    return Slot(aware(day, start_time or start.time()), aware(day, end_time or end.time()))


def _by_position(rule: str) -> bool:
    """Does the rule pick its days by position (BYDAY=2TU, BYMONTHDAY, ...)?"""
    return any(part.split("=", 1)[0].upper().startswith("BY") for part in rule.split(";"))


def _rule_start(series: BookingSeries, delta, scope: str, anchor: datetime.date):
    """The series' first day after its dates moved ``delta`` days: the same
    rule's phase, starting at the first moved date for "following"."""
    shifted = series.first_day + delta
    if scope == "series":
        return shifted
    for slot in expand(
        series.rrule,
        shifted,
        series.start_time,
        series.end_time,
        anchor + datetime.timedelta(days=400),
    ):
        if timezone.localdate(slot.start) >= anchor:
            return timezone.localdate(slot.start)
    return anchor


def _status_after(booking: Booking, room: Room, coordinator: bool) -> str:
    if not room.needs_approval:
        return Status.CONFIRMED
    return booking.status if coordinator else Status.REQUESTED


@transaction.atomic
def booking_move(
    *,
    booking: Booking,
    by,
    scope="one",
    day: datetime.date | None = None,
    start_time: datetime.time | None = None,
    end_time: datetime.time | None = None,
    room: Room | None = None,
    override=False,
    tell=True,
) -> list[Booking]:
    """Move one date, this and the following dates, or the whole series: each
    date by the same number of days (``day`` is the new day of ``booking``),
    to the new times and room where given. Returns the dates in order, each as
    it now is; a date left out for a closed day comes back cancelled. With
    ``tell`` false the booker is not mailed (a change to the house mails each
    actor once about all its dates)."""
    if not can_change(by, booking):
        raise ValidationError(_("You can only move your own actor's bookings."))
    series = None
    if booking.series_id and scope in ("following", "series"):
        series = BookingSeries.objects.select_for_update().get(pk=booking.series_id)
    bookings = list(
        scoped(booking, scope)
        .filter(status__in=ACTIVE, end__gt=timezone.now())
        .select_for_update(of=("self",))
        .select_related("room", "actor")
        .order_by("start", "pk")
    )
    if not bookings:
        raise ValidationError(_("There is nothing left to move here."))
    anchor = timezone.localdate(booking.start)
    delta = (day - anchor) if day else datetime.timedelta(0)
    targets = [_target(b, delta, start_time, end_time) for b in bookings]
    rooms = [room or b.room for b in bookings]
    if all(
        t == Slot(b.start, b.end) and r.pk == b.room_id
        for b, t, r in zip(bookings, targets, rooms, strict=True)
    ):
        raise ValidationError(_("Nothing was changed."))
    if any(t.end <= t.start for t in targets):
        raise ValidationError({"end_time": _("The end must be after the start.")})
    if series and (end_time or series.end_time) <= (start_time or series.start_time):
        raise ValidationError({"end_time": _("The end must be after the start.")})
    if series and delta and _by_position(series.rrule):
        raise ValidationError(
            _(
                "This series repeats on a weekday of the month, so it cannot move to another "
                "day as a whole. Move its dates one at a time."
            )
        )
    actor = bookings[0].actor
    ids = [b.pk for b in bookings]
    by_room: dict[int, list[int]] = {}
    for index, target_room in enumerate(rooms):
        by_room.setdefault(target_room.pk, []).append(index)
    room_of = {r.pk: r for r in rooms}
    for pk, indexes in by_room.items():
        participants = [
            bookings[i].expected_participants
            for i in indexes
            if bookings[i].expected_participants is not None
        ]
        check_request(
            by=by,
            room=room_of[pk],
            actor=actor,
            slots=[targets[i] for i in indexes],
            participants=max(participants) if participants else None,
            override=override,
        )

    # House rules, over the new dates in time order.
    centre, hours = house_rules()
    order = sorted(range(len(bookings)), key=lambda i: targets[i].start)
    in_order = [targets[i] for i in order]
    closed = closed_days(in_order)
    problems = house_rule_errors(in_order, centre=centre, hours=hours, closed=closed)
    skipping = series is not None and series.skip_closed_days and not override
    left_out: set[int] = set()
    messages: list[str] = []
    for position, index in enumerate(order):
        if skipping and timezone.localdate(targets[index].start) in closed:
            left_out.add(index)
            continue
        messages.extend(problems.get(position, []))
    kept = [i for i in order if i not in left_out]
    if not kept:
        raise ValidationError(sorted({m for found in problems.values() for m in found}))
    for found in quota_errors(
        [targets[i] for i in kept], centre=centre, actor=actor, exclude_ids=ids
    ).values():
        messages.extend(found)
    if messages and not override:
        raise ValidationError(sorted(set(messages)))

    # Clashes: every unit of every target room held at once, in key order.
    units = {pk: room_of[pk].units() for pk in by_room}
    hold(sorted({unit for found in units.values() for unit in found}))
    clashes = []
    for pk, indexes in by_room.items():
        slots = [targets[i] for i in indexes if i not in left_out]
        clashes.extend(clashes_with(room_of[pk], slots, units=units[pk], exclude_ids=ids).values())
    if len(clashes) == 1:
        raise ValidationError(
            _("The room is already booked then: %(other)s.")
            % {"other": describe_for(clashes[0], by)}
        )
    if clashes:
        raise ValidationError(
            ngettext(
                "The new time clashes on %(count)s date: %(dates)s.",
                "The new time clashes on %(count)s dates: %(dates)s.",
                len(clashes),
            )
            % {
                "count": len(clashes),
                "dates": ", ".join(describe_for(other, by) for other in clashes),
            }
        )

    # Write: the occupancies go, the rows change, the confirmed ones hold their room again.
    coordinator = is_coordinator(by)
    now = timezone.now()
    Occupancy.objects.filter(booking_id__in=ids).delete()
    moved, skipped, each = [], [], {}
    for index, b in enumerate(bookings):
        b.sequence += 1
        b.updated = now
        if index in left_out:
            if b.status == Status.CONFIRMED:
                b.cancelled_at = now
            b.status = Status.CANCELLED
            skipped.append(b)
            continue
        before, status = _where(b), b.status
        b.status = _status_after(b, rooms[index], coordinator)
        b.start, b.end, b.room = targets[index].start, targets[index].end, rooms[index]
        b.rules_overridden = b.rules_overridden or bool(messages)
        each[b.pk] = {"from": before, "to": _where(b)}
        if b.status != status:
            each[b.pk]["status"] = b.status
        moved.append(b)
    Booking.objects.bulk_update(
        bookings,
        [
            "start",
            "end",
            "room",
            "status",
            "cancelled_at",
            "rules_overridden",
            "sequence",
            "updated",
        ],
    )
    for pk, indexes in by_room.items():
        confirmed = [
            bookings[i]
            for i in indexes
            if i not in left_out and bookings[i].status == Status.CONFIRMED
        ]
        if confirmed:
            confirm_guarded(confirmed, room_of[pk], by, units[pk])
    if series is not None:
        _move_rule(series, scope=scope, delta=delta, anchor=anchor, room=room)
        series.start_time = start_time or series.start_time
        series.end_time = end_time or series.end_time
        series.save(
            update_fields=["room", "first_day", "materialised_until", "start_time", "end_time"]
        )

    audit(moved, by=by, action=AuditEntry.Action.CHANGED, each=each)
    if messages:
        audit(moved, by=by, action=AuditEntry.Action.OVERRIDDEN, note=" ".join(messages))
    if skipped:
        audit(
            skipped,
            by=by,
            action=AuditEntry.Action.CANCELLED,
            note=_("Left out when the series moved: the house is closed on the new day."),
        )
    requested = [b for b in moved if b.status == Status.REQUESTED]
    if requested:
        notify_request(requested)
    if tell:
        notify_booker(moved, AuditEntry.Action.CHANGED, by)
    return bookings


def _move_rule(series: BookingSeries, *, scope, delta, anchor, room) -> None:
    """Make the series' rule give the moved dates from now on (see the module's note)."""
    if room is not None:
        series.room = room
    if delta:
        series.first_day = _rule_start(series, delta, scope, anchor + delta)
        # The dates booked so far moved with the rule: so did the day they reach.
        series.materialised_until += delta
