"""The house's rules for a booking, checked before anything is written:
opening hours, closed days, the booking window, the weekly quota, capacity and
who may book the room; and the dates a repeat rule (RRULE) stands for."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from actors.models import Actor
from actors.selectors import acts_for
from centre.models import Centre, ClosedDay, OpeningHours
from centre.roles import is_coordinator
from centre.selectors import aware

from ..models import Booking, Room
from ..permissions import BOOKING_ROLES

HORIZON_DAYS = 365


@dataclass(frozen=True)
class Slot:
    start: datetime.datetime
    end: datetime.datetime


class SeriesClash(ValidationError):
    """Some dates of a series clash; `clashes` lists (slot, other booking) for every one."""

    def __init__(self, message, clashes):
        super().__init__(message)
        self.clashes = clashes


def local_when(slot_start: datetime.datetime) -> str:
    local = timezone.localtime(slot_start)
    return f"{formats.date_format(local, 'SHORT_DATE_FORMAT')} {local:%H:%M}"


def describe_for(booking: Booking, user) -> str:
    """A clashing booking, named as far as this user may see it: another actor's
    internal booking is never named."""
    if not booking.is_visible_to(user):
        return _("an internal booking (%(when)s)") % {"when": local_when(booking.start)}
    return _("“%(title)s” by %(actor)s (%(when)s)") % {
        "title": booking.title,
        "actor": booking.actor.name,
        "when": local_when(booking.start),
    }


def expand(
    rule: str,
    first_day: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    until: datetime.date,
) -> list[Slot]:
    """The occurrences of an RRULE on local wall-clock time: 17:00 stays 17:00
    across daylight-saving changes. Raises ValidationError for a rule that cannot be read."""
    try:
        rule_set = rrulestr(rule, dtstart=datetime.datetime.combine(first_day, start_time))
    except (ValueError, TypeError) as error:
        raise ValidationError(_("The repeat rule could not be read.")) from error
    last = datetime.datetime.combine(until, datetime.time.max)
    return [
        Slot(aware(moment.date(), start_time), aware(moment.date(), end_time))
        for moment in rule_set.between(
            datetime.datetime.combine(first_day, datetime.time.min), last, inc=True
        )
    ]


def can_book_for(user, actor: Actor) -> bool:
    return acts_for(user, actor, BOOKING_ROLES)


def closed_days(slots: list[Slot]) -> dict[datetime.date, ClosedDay]:
    if not slots:
        return {}
    first, last = timezone.localdate(slots[0].start), timezone.localdate(slots[-1].start)
    return {day.date: day for day in ClosedDay.objects.observed().between(first, last)}


def house_rule_errors(
    slots: list[Slot],
    *,
    centre: Centre,
    hours: list[OpeningHours],
    closed: dict,
    horizon: bool = True,
) -> dict[int, list[str]]:
    """Errors per slot index for the rules a coordinator may override (without
    the booking window when ``horizon`` is false: a date booked already)."""
    errors: dict[int, list[str]] = defaultdict(list)
    last_day = timezone.localdate() + datetime.timedelta(days=centre.booking_window_days)
    for index, slot in enumerate(slots):
        start, end = timezone.localtime(slot.start), timezone.localtime(slot.end)
        if start.date() in closed:
            errors[index].append(
                _("The house is closed on %(day)s (%(reason)s).")
                % {
                    "day": formats.date_format(start, "SHORT_DATE_FORMAT"),
                    "reason": closed[start.date()].display_name,
                }
            )
        elif not any(
            h.weekday == start.weekday()
            and h.opens <= start.time()
            and end.date() == start.date()
            and end.time() <= h.closes
            for h in hours
        ):
            errors[index].append(
                _("%(when)s is outside the house's opening hours.")
                % {"when": local_when(slot.start)}
            )
        if horizon and start.date() > last_day:
            errors[index].append(
                _("Rooms can be booked at most %(days)s days ahead.")
                % {"days": centre.booking_window_days}
            )
    return errors


def quota_errors(
    slots: list[Slot], *, centre: Centre, actor: Actor, exclude_ids=()
) -> dict[int, list[str]]:
    errors: dict[int, list[str]] = defaultdict(list)
    if not centre.weekly_quota_hours or not slots:
        return errors

    def week(moment):
        return timezone.localtime(moment).isocalendar()[:2]

    used: dict[tuple, float] = defaultdict(float)
    first_monday = timezone.localdate(slots[0].start) - datetime.timedelta(days=7)
    last_day = timezone.localdate(slots[-1].end) + datetime.timedelta(days=7)
    for start, end in (
        Booking.objects.active()
        .filter(actor=actor, start__date__gte=first_monday, start__date__lte=last_day)
        .exclude(pk__in=exclude_ids)
        .values_list("start", "end")
    ):
        used[week(start)] += (end - start).total_seconds() / 3600
    for index, slot in enumerate(slots):
        used[week(slot.start)] += (slot.end - slot.start).total_seconds() / 3600
        if used[week(slot.start)] > centre.weekly_quota_hours:
            errors[index].append(
                _("%(actor)s would pass its %(hours)s hours a week in week %(week)s.")
                % {
                    "actor": actor.name,
                    "hours": centre.weekly_quota_hours,
                    "week": week(slot.start)[1],
                }
            )
    return errors


def check_request(*, by, room: Room, actor: Actor, slots: list[Slot], participants, override: bool):
    """Errors that refuse the whole request, before per-date rules."""
    if not can_book_for(by, actor):
        raise ValidationError(
            _("You can only book for actors where you are a booker or administrator.")
        )
    if override and not is_coordinator(by):
        raise ValidationError(_("Only coordinators may override the house's rules."))
    if not room.is_active:
        raise ValidationError(_("%(room)s is not in use at the moment.") % {"room": room})
    if actor.is_archived:
        raise ValidationError(_("%(actor)s has left the house.") % {"actor": actor})
    if not room.admits(actor):
        raise ValidationError(
            _("%(room)s cannot be booked by %(actor)s.") % {"room": room, "actor": actor}
        )
    if participants is not None and participants > room.capacity:
        raise ValidationError(
            {
                "expected_participants": _("%(room)s holds at most %(capacity)s people.")
                % {"room": room, "capacity": room.capacity}
            }
        )
    now = timezone.now()
    for slot in slots:
        if slot.end <= slot.start:
            raise ValidationError({"end": _("The end must be after the start.")})
        # Not a house rule a coordinator may override: the calendar reads a
        # day's bookings from the day before at the earliest (bookings.calendar).
        if timezone.localdate(slot.end) != timezone.localdate(slot.start):
            raise ValidationError({"end": _("A booking starts and ends on the same day.")})
        if slot.start < now:
            raise ValidationError(
                {"start": _("%(when)s has already passed.") % {"when": local_when(slot.start)}}
            )
