"""Every booking write with rules: request one booking or a series, approve,
decline, cancel. Each runs in one transaction, records its audit entry and
raises ValidationError with a message a person can act on.

The house's rules (opening hours, closed days, booking window, weekly quota,
capacity, who may book the room) are checked here; the no-overlap rule is
checked here too and, on PostgreSQL, guaranteed by the database."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from actors.models import Actor
from actors.selectors import acts_for
from centre.models import Centre, ClosedDay, OpeningHours
from centre.outbox import enqueue_on_commit
from centre.roles import is_coordinator
from centre.selectors import aware, house_rules

from .models import AuditEntry, Booking, BookingSeries, Occupancy, Room, Status, Visibility
from .permissions import BOOKING_ROLES
from .tasks import notify_booker, notify_request

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


# --- helpers ---------------------------------------------------------------------


def _when(slot_start: datetime.datetime) -> str:
    local = timezone.localtime(slot_start)
    return f"{formats.date_format(local, 'SHORT_DATE_FORMAT')} {local:%H:%M}"


def describe_for(booking: Booking, user) -> str:
    """A clashing booking, named as far as this user may see it: another actor's
    internal booking is never named."""
    if not booking.is_visible_to(user):
        return _("an internal booking (%(when)s)") % {"when": _when(booking.start)}
    return _("“%(title)s” by %(actor)s (%(when)s)") % {
        "title": booking.title,
        "actor": booking.actor.name,
        "when": _when(booking.start),
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


def _can_book_for(user, actor: Actor) -> bool:
    return acts_for(user, actor, BOOKING_ROLES)


def _closed_days(slots: list[Slot]) -> dict[datetime.date, ClosedDay]:
    if not slots:
        return {}
    first, last = timezone.localdate(slots[0].start), timezone.localdate(slots[-1].start)
    return {day.date: day for day in ClosedDay.objects.observed().between(first, last)}


def _house_rule_errors(
    slots: list[Slot], *, centre: Centre, hours: list[OpeningHours], closed: dict
) -> dict[int, list[str]]:
    """Errors per slot index for the rules a coordinator may override."""
    errors: dict[int, list[str]] = defaultdict(list)
    horizon = timezone.localdate() + datetime.timedelta(days=centre.booking_window_days)
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
                _("%(when)s is outside the house's opening hours.") % {"when": _when(slot.start)}
            )
        if start.date() > horizon:
            errors[index].append(
                _("Rooms can be booked at most %(days)s days ahead.")
                % {"days": centre.booking_window_days}
            )
    return errors


def _quota_errors(
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


def _clashes(room: Room, slots: list[Slot], *, units=None, exclude_ids=()) -> dict[int, Booking]:
    """For each slot that clashes with a confirmed booking in any of the room's
    units (buffer included), the booking it clashes with: one query."""
    if not slots:
        return {}
    units = units or room.units()
    buffer = datetime.timedelta(minutes=room.buffer_minutes)
    overlap = Q()
    for slot in slots:
        overlap |= Q(start__lt=slot.end + buffer, end__gt=slot.start)
    found = {}
    occupied = list(
        Occupancy.objects.filter(overlap, room_id__in=units)
        .exclude(booking_id__in=exclude_ids)
        .select_related("booking__actor")
    )
    for index, slot in enumerate(slots):
        for occupancy in occupied:
            if occupancy.start < slot.end + buffer and occupancy.end > slot.start:
                found[index] = occupancy.booking
                break
    return found


def _occupy(bookings: list[Booking], room: Room, units) -> None:
    buffer = datetime.timedelta(minutes=room.buffer_minutes)
    Occupancy.objects.bulk_create(
        Occupancy(booking=booking, room_id=unit, start=booking.start, end=booking.end + buffer)
        for booking in bookings
        for unit in units
    )


def _confirm_guarded(bookings: list[Booking], room: Room, user, units=None) -> None:
    """Write the occupancies; on PostgreSQL a concurrent clash surfaces here as
    the exclusion constraint's IntegrityError, turned into the same message.
    (SQLite has no such constraint: its writers are serialised, and the check
    before this write saw every committed booking.)"""
    units = units or room.units()
    if connection.vendor != "postgresql":
        _occupy(bookings, room, units)
        return
    try:
        with transaction.atomic():
            _occupy(bookings, room, units)
    except IntegrityError as error:
        clash = _clashes(
            room,
            [Slot(b.start, b.end) for b in bookings],
            units=units,
            exclude_ids=[b.pk for b in bookings],
        )
        other = next(iter(clash.values()), None)
        raise ValidationError(
            _("The room was booked by someone else a moment ago: %(other)s. Choose another time.")
            % {"other": describe_for(other, user) if other else _("another booking")}
        ) from error


def _audit(bookings, *, by, action, note="", changes=None) -> None:
    AuditEntry.objects.bulk_create(
        AuditEntry(booking=booking, by=by, action=action, note=note, changes=changes or {})
        for booking in bookings
    )


def _notify_request(bookings) -> None:
    enqueue_on_commit(notify_request, [b.pk for b in bookings])


def _notify_booker(bookings, action, by, note="") -> None:
    enqueue_on_commit(notify_booker, [b.pk for b in bookings], str(action), by.pk, note)


def _set_relations(bookings: list[Booking], *, target_groups=(), languages=(), themes=()) -> None:
    through_groups = Booking.target_groups.through
    through_languages = Booking.languages.through
    through_themes = Booking.themes.through
    if themes:
        through_themes.objects.bulk_create(
            through_themes(booking_id=b.pk, theme_id=t.pk) for b in bookings for t in themes
        )
    if target_groups:
        through_groups.objects.bulk_create(
            through_groups(booking_id=b.pk, targetgroup_id=g.pk)
            for b in bookings
            for g in target_groups
        )
    if languages:
        through_languages.objects.bulk_create(
            through_languages(booking_id=b.pk, language_id=lang.pk)
            for b in bookings
            for lang in languages
        )


def _check_request(
    *, by, room: Room, actor: Actor, slots: list[Slot], participants, override: bool
):
    """Errors that refuse the whole request, before per-date rules."""
    if not _can_book_for(by, actor):
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
                {"start": _("%(when)s has already passed.") % {"when": _when(slot.start)}}
            )


# --- requests --------------------------------------------------------------------------


@transaction.atomic
def booking_request(
    *,
    by,
    room: Room,
    actor: Actor,
    title: str,
    start,
    end,
    description="",
    visibility=Visibility.PUBLIC,
    target_groups=(),
    languages=(),
    themes=(),
    open_to_whole_city=False,
    expected_participants=None,
    override=False,
) -> Booking:
    """Request one booking. Confirmed at once unless the room needs approval
    (a coordinator's own booking is confirmed at once)."""
    slot = Slot(start, end)
    _check_request(
        by=by,
        room=room,
        actor=actor,
        slots=[slot],
        participants=expected_participants,
        override=override,
    )
    centre, hours = house_rules()
    problems = _house_rule_errors([slot], centre=centre, hours=hours, closed=_closed_days([slot]))
    problems_list = problems.get(0, []) + _quota_errors([slot], centre=centre, actor=actor).get(
        0, []
    )
    if problems_list and not override:
        raise ValidationError(problems_list)
    confirm = not room.needs_approval or is_coordinator(by)
    units = room.units()
    if confirm:
        clash = _clashes(room, [slot], units=units)
        if clash:
            raise ValidationError(
                _("The room is already booked then: %(other)s.")
                % {"other": describe_for(clash[0], by)}
            )
    booking = Booking(
        room=room,
        actor=actor,
        booked_by=by,
        title=title,
        description=description,
        start=start,
        end=end,
        visibility=visibility,
        open_to_whole_city=open_to_whole_city,
        expected_participants=expected_participants,
        status=Status.CONFIRMED if confirm else Status.REQUESTED,
        rules_overridden=bool(problems_list and override),
    )
    booking.full_clean()
    booking.save()
    _set_relations([booking], target_groups=target_groups, languages=languages, themes=themes)
    if confirm:
        _confirm_guarded([booking], room, by, units)
    _audit([booking], by=by, action=AuditEntry.Action.CREATED, changes={"status": booking.status})
    if booking.rules_overridden:
        _audit([booking], by=by, action=AuditEntry.Action.OVERRIDDEN, note=" ".join(problems_list))
    if not confirm:
        _notify_request([booking])
    return booking


@transaction.atomic
def series_request(
    *,
    by,
    room: Room,
    actor: Actor,
    title: str,
    rule: str,
    first_day: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    until: datetime.date | None = None,
    skip_closed_days=True,
    book_rest=False,
    description="",
    visibility=Visibility.PUBLIC,
    target_groups=(),
    languages=(),
    themes=(),
    open_to_whole_city=False,
    expected_participants=None,
    override=False,
) -> BookingSeries:
    """Request a recurring booking, materialised up to the horizon.

    Every clashing date is reported at once (SeriesClash); with book_rest the
    free dates are booked and the clashing ones left out. Closed days are
    skipped when skip_closed_days, otherwise they refuse the request."""
    centre, hours = house_rules()
    horizon = timezone.localdate() + datetime.timedelta(
        days=min(HORIZON_DAYS, centre.booking_window_days)
    )
    last_day = min(until or horizon, horizon)
    if end_time <= start_time:
        raise ValidationError({"end_time": _("The end must be after the start.")})
    slots = expand(rule, first_day, start_time, end_time, last_day)
    if not slots:
        raise ValidationError(
            _("The series has no dates between %(first)s and %(last)s.")
            % {"first": first_day, "last": last_day}
        )
    _check_request(
        by=by,
        room=room,
        actor=actor,
        slots=slots,
        participants=expected_participants,
        override=override,
    )
    closed = _closed_days(slots)
    problems = _house_rule_errors(slots, centre=centre, hours=hours, closed=closed)
    if skip_closed_days:
        keep = [i for i, s in enumerate(slots) if timezone.localdate(s.start) not in closed]
        slots = [slots[i] for i in keep]
        problems = {new: problems[old] for new, old in enumerate(keep) if old in problems}
    for index, messages in _quota_errors(slots, centre=centre, actor=actor).items():
        problems.setdefault(index, []).extend(messages)
    if problems and not override:
        raise ValidationError(sorted({m for messages in problems.values() for m in messages}))
    confirm = not room.needs_approval or is_coordinator(by)
    units = room.units()
    clashes = _clashes(room, slots, units=units) if confirm else {}
    if clashes and not book_rest:
        raise SeriesClash(
            _(
                "%(count)s of %(total)s dates clash with other bookings. Book the free dates only, or none."
            )
            % {"count": len(clashes), "total": len(slots)},
            clashes=[(slots[i], other) for i, other in sorted(clashes.items())],
        )
    series = BookingSeries(
        room=room,
        actor=actor,
        booked_by=by,
        title=title,
        rrule=rule,
        first_day=first_day,
        start_time=start_time,
        end_time=end_time,
        skip_closed_days=skip_closed_days,
        materialised_until=last_day,
    )
    # The objects are given, the times checked above: validate fields without queries.
    series.full_clean(exclude=["room", "actor", "booked_by"], validate_constraints=False)
    series.save()
    free = [slot for i, slot in enumerate(slots) if i not in clashes]
    bookings = Booking.objects.bulk_create(
        Booking(
            room=room,
            actor=actor,
            booked_by=by,
            series=series,
            title=title,
            description=description,
            start=slot.start,
            end=slot.end,
            visibility=visibility,
            open_to_whole_city=open_to_whole_city,
            expected_participants=expected_participants,
            status=Status.CONFIRMED if confirm else Status.REQUESTED,
            rules_overridden=bool(problems and override),
        )
        for slot in free
    )
    _set_relations(bookings, target_groups=target_groups, languages=languages, themes=themes)
    if confirm:
        _confirm_guarded(bookings, room, by, units)
    if bookings and not confirm:
        _notify_request(bookings)
    _audit(
        bookings,
        by=by,
        action=AuditEntry.Action.CREATED,
        changes={"status": bookings[0].status if bookings else ""},
    )
    return series


# --- decisions ----------------------------------------------------------------------------------


def _scope(booking: Booking, scope: str):
    """One occurrence, this and following, or the whole series."""
    if scope == "one" or booking.series_id is None:
        return Booking.objects.filter(pk=booking.pk)
    occurrences = Booking.objects.filter(series_id=booking.series_id)
    if scope == "following":
        return occurrences.filter(start__gte=booking.start)
    if scope == "series":
        return occurrences
    raise ValidationError(_("Choose one occurrence, this and following, or the whole series."))


@transaction.atomic
def booking_approve(*, booking: Booking, by, scope="one") -> list[Booking]:
    if not is_coordinator(by):
        raise ValidationError(_("Only coordinators approve bookings."))
    bookings = list(
        _scope(booking, scope)
        .filter(status=Status.REQUESTED)
        .select_for_update()
        .select_related("room")
    )
    if not bookings:
        raise ValidationError(_("There is nothing waiting for approval here."))
    room = bookings[0].room
    clash = _clashes(room, [Slot(b.start, b.end) for b in bookings])
    if clash:
        raise ValidationError(
            _(
                "Approving would double-book the room: %(dates)s. Decline those dates or move them first."
            )
            % {"dates": ", ".join(describe_for(other, by) for other in clash.values())}
        )
    Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(status=Status.CONFIRMED)
    for b in bookings:
        b.status = Status.CONFIRMED
    _confirm_guarded(bookings, room, by)
    _audit(bookings, by=by, action=AuditEntry.Action.APPROVED)
    _notify_booker(bookings, AuditEntry.Action.APPROVED, by)
    return bookings


@transaction.atomic
def booking_decline(*, booking: Booking, by, reason: str, scope="one") -> list[Booking]:
    if not is_coordinator(by):
        raise ValidationError(_("Only coordinators decline bookings."))
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Give a reason, so the booker knows what to do instead.")}
        )
    bookings = list(_scope(booking, scope).filter(status=Status.REQUESTED).select_for_update())
    if not bookings:
        raise ValidationError(_("There is nothing waiting for approval here."))
    Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(status=Status.DECLINED)
    _audit(bookings, by=by, action=AuditEntry.Action.DECLINED, note=reason.strip())
    _notify_booker(bookings, AuditEntry.Action.DECLINED, by, reason.strip())
    return bookings


def can_change(user, booking: Booking) -> bool:
    return is_coordinator(user) or _can_book_for(user, booking.actor)


@transaction.atomic
def booking_cancel(*, booking: Booking, by, scope="one", reason="") -> list[Booking]:
    """Cancel; after the centre's deadline it is allowed but counted as late."""
    if not can_change(by, booking):
        raise ValidationError(_("You can only cancel your own actor's bookings."))
    bookings = list(
        _scope(booking, scope)
        .filter(status__in=[Status.REQUESTED, Status.CONFIRMED], end__gt=timezone.now())
        .select_for_update()
    )
    if not bookings:
        raise ValidationError(_("There is nothing left to cancel here."))
    deadline = timezone.now() + datetime.timedelta(
        hours=house_rules()[0].cancellation_deadline_hours
    )
    late = [b.pk for b in bookings if b.status == Status.CONFIRMED and b.start < deadline]
    ids = [b.pk for b in bookings]
    Occupancy.objects.filter(booking_id__in=ids).delete()
    now = timezone.now()
    # A cancelled date stays in the feeds for a while (STATUS:CANCELLED, SEQUENCE
    # bumped), so calendars that subscribed to it hear of the cancellation.
    Booking.objects.filter(pk__in=ids).update(
        status=Status.CANCELLED, sequence=F("sequence") + 1, updated=now
    )
    confirmed = [b.pk for b in bookings if b.status == Status.CONFIRMED]
    Booking.objects.filter(pk__in=confirmed).update(cancelled_at=now)
    Booking.objects.filter(pk__in=late).update(cancelled_late=True)
    _audit(bookings, by=by, action=AuditEntry.Action.CANCELLED, note=reason)
    _notify_booker(bookings, AuditEntry.Action.CANCELLED, by, reason)
    return bookings


def _series_slots(series: BookingSeries, first: datetime.date, last: datetime.date) -> list[Slot]:
    slots = [
        slot
        for slot in expand(series.rrule, series.first_day, series.start_time, series.end_time, last)
        if timezone.localdate(slot.start) >= first
    ]
    if series.skip_closed_days:
        closed = _closed_days(slots)
        slots = [slot for slot in slots if timezone.localdate(slot.start) not in closed]
    return slots


def _add_occurrences(
    series: BookingSeries, slots: list[Slot], *, by, template: Booking | None
) -> list[Booking]:
    """Book these dates of the series like its existing dates (status, visibility,
    groups); dates that clash are left out. Returns the new bookings."""
    room = series.room
    confirm = not room.needs_approval or (
        template is not None and template.status == Status.CONFIRMED
    )
    units = room.units()
    clashes = _clashes(room, slots, units=units) if confirm else {}
    free = [slot for i, slot in enumerate(slots) if i not in clashes]
    bookings = Booking.objects.bulk_create(
        Booking(
            room=room,
            actor=series.actor,
            booked_by=series.booked_by,
            series=series,
            title=template.title if template else series.title,
            description=template.description if template else "",
            visibility=template.visibility if template else Visibility.PUBLIC,
            open_to_whole_city=template.open_to_whole_city if template else False,
            expected_participants=template.expected_participants if template else None,
            start=slot.start,
            end=slot.end,
            status=Status.CONFIRMED if confirm else Status.REQUESTED,
        )
        for slot in free
    )
    if template is not None:
        _set_relations(
            bookings,
            target_groups=list(template.target_groups.all()),
            languages=list(template.languages.all()),
            themes=list(template.themes.all()),
        )
    if confirm and bookings:
        _confirm_guarded(bookings, room, by, units)
    _audit(bookings, by=by, action=AuditEntry.Action.CREATED)
    return bookings


@transaction.atomic
def series_extend(*, series: BookingSeries, by=None) -> int:
    """Materialise the series up to the horizon again (a periodic task calls this)."""
    centre = Centre.load()
    horizon = timezone.localdate() + datetime.timedelta(
        days=min(HORIZON_DAYS, centre.booking_window_days)
    )
    if series.materialised_until >= horizon:
        return 0
    template = series.occurrences.exclude(status=Status.CANCELLED).order_by("-start").first()
    if template is None:
        return 0  # a series cancelled as a whole stays ended
    slots = _series_slots(series, series.materialised_until + datetime.timedelta(days=1), horizon)
    added = _add_occurrences(series, slots, by=by or series.booked_by, template=template)
    series.materialised_until = horizon
    series.save(update_fields=["materialised_until"])
    return len(added)


@transaction.atomic
def series_readd(*, series: BookingSeries, day: datetime.date, by) -> Booking:
    """Book a date of the series again: one that was cancelled, or skipped as a closed day."""
    if not _can_book_for(by, series.actor):
        raise ValidationError(
            _("You can only book for actors where you are a booker or administrator.")
        )
    slot = next(
        (s for s in expand(series.rrule, series.first_day, series.start_time, series.end_time, day)
         if timezone.localdate(s.start) == day),
        None,
    )  # fmt: skip
    if slot is None:
        raise ValidationError(_("%(day)s is not a date of this series.") % {"day": day})
    if slot.start < timezone.now():
        raise ValidationError(_("%(when)s has already passed.") % {"when": _when(slot.start)})
    if series.occurrences.active().filter(start=slot.start).exists():
        raise ValidationError(_("That date is already booked in the series."))
    centre, hours = house_rules()
    problems = _house_rule_errors(
        [slot], centre=centre, hours=hours, closed=_closed_days([slot])
    ).get(0)
    if problems and not is_coordinator(by):
        # A closed day skipped by the series stays closed unless a coordinator books it.
        raise ValidationError(problems)
    clash = _clashes(series.room, [slot])
    if clash:
        raise ValidationError(
            _("The room is already booked then: %(other)s.") % {"other": describe_for(clash[0], by)}
        )
    template = series.occurrences.order_by("-start").first()
    added = _add_occurrences(series, [slot], by=by, template=template)
    if not added:
        raise ValidationError(
            _("The room is already booked then: %(other)s.") % {"other": _("another booking")}
        )
    return added[0]


def fair_use(first: datetime.date, last: datetime.date) -> list[dict]:
    """Per actor over a period: hours booked (confirmed), hours used (confirmed and
    past), hours cancelled late, and the number of bookings - the figures that
    show whether access to the rooms is fair. One query."""
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min)
    )
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


@transaction.atomic
def booking_update(*, booking: Booking, by, scope="one", title=None, description=None, visibility=None,
                   start_time: datetime.time | None = None, end_time: datetime.time | None = None) -> list[Booking]:  # fmt: skip
    """Change one date, this and the following dates, or the whole series.

    New times keep each date and are checked like a new request: every date
    that would clash or break a house rule is reported at once, and nothing
    changes unless all of them are free."""
    if not can_change(by, booking):
        raise ValidationError(_("You can only change your own actor's bookings."))
    bookings = list(
        _scope(booking, scope).filter(status__in=[Status.REQUESTED, Status.CONFIRMED], end__gt=timezone.now())
        .select_for_update().select_related("room", "actor")
    )  # fmt: skip
    if not bookings:
        raise ValidationError(_("There is nothing left to change here."))
    room = bookings[0].room
    moving = start_time is not None or end_time is not None
    changes: dict[str, str] = {}
    if moving:
        if room.needs_approval and not is_coordinator(by):
            raise ValidationError(
                _("%(room)s needs approval: ask a coordinator to move the booking.")
                % {"room": room}
            )
        new_start = start_time or timezone.localtime(bookings[0].start).time()
        new_end = end_time or timezone.localtime(bookings[0].end).time()
        if new_end <= new_start:
            raise ValidationError({"end_time": _("The end must be after the start.")})
        slots = [
            Slot(
                aware(timezone.localdate(b.start), new_start),
                aware(timezone.localdate(b.start), new_end),
            )
            for b in bookings
        ]
        centre, hours = house_rules()
        problems = _house_rule_errors(slots, centre=centre, hours=hours, closed=_closed_days(slots))
        if problems and not is_coordinator(by):
            raise ValidationError(sorted({m for messages in problems.values() for m in messages}))
        ids = [b.pk for b in bookings]
        confirmed = [
            (b, s) for b, s in zip(bookings, slots, strict=True) if b.status == Status.CONFIRMED
        ]
        clashes = _clashes(room, [s for _b, s in confirmed], exclude_ids=ids)
        if clashes:
            raise ValidationError(
                _("The new time clashes on %(count)s date(s): %(dates)s.")
                % {
                    "count": len(clashes),
                    "dates": ", ".join(describe_for(o, by) for o in clashes.values()),
                }
            )
        changes["time"] = f"{new_start:%H:%M}–{new_end:%H:%M}"
        Occupancy.objects.filter(booking_id__in=ids).delete()
        for b, slot in zip(bookings, slots, strict=True):
            b.start, b.end = slot.start, slot.end
        Booking.objects.bulk_update(bookings, ["start", "end"])
        confirmed_bookings = [b for b, _s in confirmed]
        if confirmed_bookings:
            _confirm_guarded(confirmed_bookings, room, by)
        if booking.series_id and scope in ("following", "series"):
            BookingSeries.objects.filter(pk=booking.series_id).update(
                start_time=new_start, end_time=new_end
            )
    fields = {"title": title, "description": description, "visibility": visibility}
    for name, value in fields.items():
        if value is not None and value != getattr(booking, name):
            changes[name] = str(value)
            for b in bookings:
                setattr(b, name, value)
    if not changes:
        raise ValidationError(_("Nothing was changed."))
    now = timezone.now()
    for b in bookings:
        b.sequence += 1
        b.updated = now
    Booking.objects.bulk_update(
        bookings, ["title", "description", "visibility", "sequence", "updated"]
    )
    _audit(bookings, by=by, action=AuditEntry.Action.CHANGED, changes=changes)
    return bookings


@transaction.atomic
def room_save(*, form, by) -> Room:
    """A coordinator's room form, saved with its relations in one transaction.
    Changing parts or the buffer applies to bookings made from now on."""
    if not is_coordinator(by):
        raise ValidationError(_("Only coordinators manage rooms."))
    return form.save()
