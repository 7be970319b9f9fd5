"""Ask for a room: one booking, or a recurring series materialised up to the
horizon. Both are checked against the house's rules and the room's other
bookings before anything is written."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actors.models import Actor
from centre.models import Centre
from centre.roles import is_coordinator
from centre.selectors import house_rules

from ..models import AuditEntry, Booking, BookingSeries, Room, Status, Visibility
from .occupancy import clashes_with, confirm_guarded
from .rules import (
    HORIZON_DAYS,
    SeriesClash,
    Slot,
    check_request,
    closed_days,
    describe_for,
    expand,
    house_rule_errors,
    quota_errors,
)
from .trail import audit, notify_request


def set_relations(bookings: list[Booking], *, target_groups=(), languages=(), themes=()) -> None:
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
    check_request(
        by=by,
        room=room,
        actor=actor,
        slots=[slot],
        participants=expected_participants,
        override=override,
    )
    centre, hours = house_rules()
    problems = house_rule_errors([slot], centre=centre, hours=hours, closed=closed_days([slot]))
    problems_list = problems.get(0, []) + quota_errors([slot], centre=centre, actor=actor).get(
        0, []
    )
    if problems_list and not override:
        raise ValidationError(problems_list)
    confirm = not room.needs_approval or is_coordinator(by)
    units = room.units()
    if confirm:
        clash = clashes_with(room, [slot], units=units)
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
    set_relations([booking], target_groups=target_groups, languages=languages, themes=themes)
    if confirm:
        confirm_guarded([booking], room, by, units)
    audit([booking], by=by, action=AuditEntry.Action.CREATED, changes={"status": booking.status})
    if booking.rules_overridden:
        audit([booking], by=by, action=AuditEntry.Action.OVERRIDDEN, note=" ".join(problems_list))
    if not confirm:
        notify_request([booking])
    return booking


@dataclass
class SeriesDates:
    """The dates a series request stands for, decided in one place for the
    request and its preview: ``all_slots`` up to ``last_day`` (the booker's
    last day or the horizon), ``slots`` without the closed days skipped,
    ``skipped`` (those closed days), ``problems`` per index of ``slots`` (the
    house's rules a coordinator may override) and ``closed``."""

    centre: Centre
    last_day: datetime.date
    all_slots: list[Slot]
    slots: list[Slot]
    skipped: list[Slot]
    closed: dict
    problems: dict[int, list[str]]


def series_dates(
    rule: str,
    first_day: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    until: datetime.date | None,
    skip_closed_days: bool,
) -> SeriesDates:
    centre, hours = house_rules()
    horizon = timezone.localdate() + datetime.timedelta(
        days=min(HORIZON_DAYS, centre.booking_window_days)
    )
    last_day = min(until or horizon, horizon)
    all_slots = expand(rule, first_day, start_time, end_time, last_day)
    closed = closed_days(all_slots)
    problems = house_rule_errors(all_slots, centre=centre, hours=hours, closed=closed)
    slots, skipped = all_slots, []
    if skip_closed_days:
        keep = [i for i, s in enumerate(all_slots) if timezone.localdate(s.start) not in closed]
        slots = [all_slots[i] for i in keep]
        skipped = [s for s in all_slots if timezone.localdate(s.start) in closed]
        problems = {new: problems[old] for new, old in enumerate(keep) if old in problems}
    return SeriesDates(centre, last_day, all_slots, slots, skipped, closed, dict(problems))


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
    if end_time <= start_time:
        raise ValidationError({"end_time": _("The end must be after the start.")})
    dates = series_dates(rule, first_day, start_time, end_time, until, skip_closed_days)
    centre, last_day, slots = dates.centre, dates.last_day, dates.slots
    if not dates.all_slots:
        raise ValidationError(
            _("The series has no dates between %(first)s and %(last)s.")
            % {"first": first_day, "last": last_day}
        )
    check_request(
        by=by,
        room=room,
        actor=actor,
        slots=dates.all_slots,
        participants=expected_participants,
        override=override,
    )
    problems = dates.problems
    for index, messages in quota_errors(slots, centre=centre, actor=actor).items():
        problems.setdefault(index, []).extend(messages)
    if problems and not override:
        raise ValidationError(sorted({m for messages in problems.values() for m in messages}))
    confirm = not room.needs_approval or is_coordinator(by)
    units = room.units()
    clashes = clashes_with(room, slots, units=units) if confirm else {}
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
        ends_on=until,
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
    set_relations(bookings, target_groups=target_groups, languages=languages, themes=themes)
    if confirm:
        confirm_guarded(bookings, room, by, units)
    if bookings and not confirm:
        notify_request(bookings)
    audit(
        bookings,
        by=by,
        action=AuditEntry.Action.CREATED,
        changes={"status": bookings[0].status if bookings else ""},
    )
    return series
