"""A series over time: booked ahead as the horizon moves, a date booked again,
and its dates changed one at a time, from one date on, or all together."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from modeltranslation.utils import build_localized_fieldname

from centre.models import Centre
from centre.roles import is_coordinator
from centre.selectors import aware, house_rules
from centre.shown import shown_column, write_shown

from ..models import AuditEntry, Booking, BookingSeries, Occupancy, Status, Visibility
from .decisions import can_change, scoped
from .occupancy import clashes_with, confirm_guarded
from .requests import series_dates, set_relations
from .rules import (
    HORIZON_DAYS,
    Slot,
    can_book_for,
    closed_days,
    describe_for,
    expand,
    house_rule_errors,
    local_when,
)
from .trail import audit


def series_slots(series: BookingSeries, first: datetime.date, last: datetime.date) -> list[Slot]:
    slots = [
        slot
        for slot in expand(series.rrule, series.first_day, series.start_time, series.end_time, last)
        if timezone.localdate(slot.start) >= first
    ]
    if series.skip_closed_days:
        closed = closed_days(slots)
        slots = [slot for slot in slots if timezone.localdate(slot.start) not in closed]
    return slots


def translations_of(source, with_description: bool) -> dict[str, str | None]:
    """The title (and description) of a series' date or of the series itself
    in every language, for a new date of the series."""
    names = ("title", "description") if with_description else ("title",)
    found = {
        build_localized_fieldname(name, code): getattr(
            source, build_localized_fieldname(name, code)
        )
        for name in names
        for code in settings.MODELTRANSLATION_LANGUAGES
    }
    found["title"] = source.title
    found["description"] = source.description if with_description else ""
    return found


@dataclass(frozen=True)
class PreviewDate:
    """A date of a series not yet booked: ``kind`` is "book", "closed" (a
    closed day skipped), "clash" (taken: left out when booking the free dates
    only) or "refused" (a house rule the request would be refused for)."""

    start: datetime.datetime
    kind: str
    reason: str = ""

    @property
    def day(self) -> datetime.date:
        return timezone.localdate(self.start)


def series_preview(
    *,
    room,
    rule: str,
    first_day: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    until: datetime.date | None,
    skip_closed_days: bool,
    user,
) -> list[PreviewDate]:
    """What ``series_request`` would do with each date, from the same date
    logic (``series_dates``) and the same clash check, without writing or
    locking anything. The booked dates are those a request with ``book_rest``
    books."""
    dates = series_dates(rule, first_day, start_time, end_time, until, skip_closed_days)
    confirm = not room.needs_approval or is_coordinator(user)
    clashes = clashes_with(room, dates.slots, lock=False) if confirm else {}
    found = [
        PreviewDate(slot.start, "closed", dates.closed[timezone.localdate(slot.start)].display_name)
        for slot in dates.skipped
    ]
    for index, slot in enumerate(dates.slots):
        if index in dates.problems:
            found.append(PreviewDate(slot.start, "refused", " ".join(dates.problems[index])))
        elif index in clashes:
            found.append(PreviewDate(slot.start, "clash", describe_for(clashes[index], user)))
        else:
            found.append(PreviewDate(slot.start, "book"))
    return sorted(found, key=lambda date: date.start)


def add_occurrences(
    series: BookingSeries, slots: list[Slot], *, by, template: Booking | None
) -> list[Booking]:
    """Book these dates of the series like its existing dates (status, visibility,
    groups); dates that clash are left out. Returns the new bookings."""
    room = series.room
    confirm = not room.needs_approval or (
        template is not None and template.status == Status.CONFIRMED
    )
    units = room.units()
    clashes = clashes_with(room, slots, units=units) if confirm else {}
    free = [slot for i, slot in enumerate(slots) if i not in clashes]
    bookings = Booking.objects.bulk_create(
        Booking(
            room=room,
            actor=series.actor,
            booked_by=series.booked_by,
            series=series,
            **translations_of(template or series, template is not None),
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
        set_relations(
            bookings,
            target_groups=list(template.target_groups.all()),
            languages=list(template.languages.all()),
            themes=list(template.themes.all()),
        )
    if confirm and bookings:
        confirm_guarded(bookings, room, by, units)
    audit(bookings, by=by, action=AuditEntry.Action.CREATED)
    return bookings


@transaction.atomic
def series_extend(*, series: BookingSeries, by=None) -> int:
    """Materialise the series up to the horizon again (a periodic task calls this)."""
    centre = Centre.load()
    horizon = timezone.localdate() + datetime.timedelta(
        days=min(HORIZON_DAYS, centre.booking_window_days)
    )
    if series.ends_on:  # the booker's last day ends the series
        horizon = min(horizon, series.ends_on)
    if series.materialised_until >= horizon:
        return 0
    template = series.occurrences.exclude(status=Status.CANCELLED).order_by("-start").first()
    if template is None:
        return 0  # a series cancelled as a whole stays ended
    slots = series_slots(series, series.materialised_until + datetime.timedelta(days=1), horizon)
    added = add_occurrences(series, slots, by=by or series.booked_by, template=template)
    series.materialised_until = horizon
    series.save(update_fields=["materialised_until"])
    return len(added)


@transaction.atomic
def series_readd(*, series: BookingSeries, day: datetime.date, by) -> Booking:
    """Book a date of the series again: one that was cancelled, or skipped as a closed day."""
    if not can_book_for(by, series.actor):
        raise ValidationError(
            _("You can only book for actors where you are a booker or administrator.")
        )
    slot = next(
        (
            s
            for s in expand(series.rrule, series.first_day, series.start_time, series.end_time, day)
            if timezone.localdate(s.start) == day
        ),
        None,
    )
    if slot is None:
        raise ValidationError(_("%(day)s is not a date of this series.") % {"day": day})
    if slot.start < timezone.now():
        raise ValidationError(_("%(when)s has already passed.") % {"when": local_when(slot.start)})
    if series.occurrences.active().filter(start=slot.start).exists():
        raise ValidationError(_("That date is already booked in the series."))
    centre, hours = house_rules()
    problems = house_rule_errors(
        [slot], centre=centre, hours=hours, closed=closed_days([slot])
    ).get(0)
    if problems and not is_coordinator(by):
        # A closed day skipped by the series stays closed unless a coordinator books it.
        raise ValidationError(problems)
    clash = clashes_with(series.room, [slot])
    if clash:
        raise ValidationError(
            _("The room is already booked then: %(other)s.") % {"other": describe_for(clash[0], by)}
        )
    template = series.occurrences.order_by("-start").first()
    added = add_occurrences(series, [slot], by=by, template=template)
    if not added:
        raise ValidationError(
            _("The room is already booked then: %(other)s.") % {"other": _("another booking")}
        )
    return added[0]


@transaction.atomic
def booking_update(
    *,
    booking: Booking,
    by,
    scope="one",
    title=None,
    description=None,
    visibility=None,
    start_time: datetime.time | None = None,
    end_time: datetime.time | None = None,
) -> list[Booking]:
    """Change one date, this and the following dates, or the whole series.

    New times keep each date and are checked like a new request: every date
    that would clash or break a house rule is reported at once, and nothing
    changes unless all of them are free."""
    if not can_change(by, booking):
        raise ValidationError(_("You can only change your own actor's bookings."))
    bookings = list(
        scoped(booking, scope)
        .filter(status__in=[Status.REQUESTED, Status.CONFIRMED], end__gt=timezone.now())
        .select_for_update(of=("self",))
        .select_related("room", "actor")
    )
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
        problems = house_rule_errors(slots, centre=centre, hours=hours, closed=closed_days(slots))
        if problems and not is_coordinator(by):
            raise ValidationError(sorted({m for messages in problems.values() for m in messages}))
        ids = [b.pk for b in bookings]
        confirmed = [
            (b, s) for b, s in zip(bookings, slots, strict=True) if b.status == Status.CONFIRMED
        ]
        clashes = clashes_with(room, [s for _b, s in confirmed], exclude_ids=ids)
        if clashes:
            raise ValidationError(
                ngettext(
                    "The new time clashes on %(count)s date: %(dates)s.",
                    "The new time clashes on %(count)s dates: %(dates)s.",
                    len(clashes),
                )
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
            confirm_guarded(confirmed_bookings, room, by)
        if booking.series_id and scope in ("following", "series"):
            BookingSeries.objects.filter(pk=booking.series_id).update(
                start_time=new_start, end_time=new_end
            )
    written = []
    for name, value in (("title", title), ("description", description)):
        if value is not None and value != getattr(booking, name):
            changes[name] = str(value)
            # Where the person changing it saw it: the Danish text, unless
            # the date has one in their language (centre.shown).
            column = shown_column(booking, name)
            written.append(column)
            for b in bookings:
                write_shown(b, name, value, column)
            if name == "title" and booking.series_id and scope in ("following", "series"):
                # The series is named as its dates from now on (its page, my bookings).
                BookingSeries.objects.rewrite(False).filter(pk=booking.series_id).update(
                    **{column: value, "title": value}
                )
    if visibility is not None and visibility != booking.visibility:
        changes["visibility"] = str(visibility)
        for b in bookings:
            b.visibility = visibility
    if not changes:
        raise ValidationError(_("Nothing was changed."))
    now = timezone.now()
    for b in bookings:
        b.sequence += 1
        b.updated = now
    # Unrewritten: modeltranslation would write "title" to the page's language's column.
    Booking.objects.rewrite(False).bulk_update(
        bookings, ["title", "description", *written, "visibility", "sequence", "updated"]
    )
    audit(bookings, by=by, action=AuditEntry.Action.CHANGED, changes=changes)
    return bookings
