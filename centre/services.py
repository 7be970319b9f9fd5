"""Writes about the house. Each validates, runs in one transaction and raises
ValidationError with a message a coordinator can act on."""

import datetime
import itertools

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .integrity import explain_refusal
from .models import Centre, ClosedDay, OpeningHours, public_holidays


@transaction.atomic
def centre_update(*, centre: Centre, **fields) -> Centre:
    for name, value in fields.items():
        setattr(centre, name, value)
    centre.full_clean()
    centre.save()
    return centre


def check_hours(rows: list[tuple[int, datetime.time, datetime.time]]) -> None:
    """Refuse a week whose intervals end before they start or overlap."""
    by_day: dict[int, list[tuple[datetime.time, datetime.time]]] = {}
    for weekday, opens, closes in rows:
        if closes <= opens:
            raise ValidationError(_("Closing time must be after opening time."))
        by_day.setdefault(weekday, []).append((opens, closes))
    for weekday, intervals in by_day.items():
        intervals.sort()
        for (_o1, c1), (o2, _c2) in itertools.pairwise(intervals):
            if o2 < c1:
                day = capfirst(OpeningHours(weekday=weekday).get_weekday_display())
                raise ValidationError(
                    _("%(day)s: the opening hours overlap. Merge them or move one.") % {"day": day}
                )


@transaction.atomic
def opening_hours_replace(*, rows: list[tuple[int, datetime.time, datetime.time]]) -> None:
    """Replace the whole week's hours at once, so the week is never half-edited."""
    check_hours(rows)
    # Two coordinators saving the week at the same moment: the second week
    # replaces the first whole, never mixed with it.
    Centre.lock()
    OpeningHours.objects.all().delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(weekday=weekday, opens=opens, closes=closes)
        for weekday, opens, closes in sorted(rows)
    )


@transaction.atomic
def closed_day_save(*, closed_day: ClosedDay) -> ClosedDay:
    closed_day.full_clean()
    # Two coordinators closing the same date at the same moment: the second
    # is told the date is taken, as after full_clean.
    with explain_refusal(closed_day):
        closed_day.save()
    return closed_day


@transaction.atomic
def closed_day_delete(*, closed_day: ClosedDay) -> None:
    if closed_day.source == ClosedDay.Source.PUBLIC_HOLIDAY:
        raise ValidationError(
            _("A public holiday cannot be deleted; untick “closed this day” to stay open.")
        )
    closed_day.delete()


@transaction.atomic
def public_holidays_fill(*, years: list[int]) -> int:
    """Add the Danish public holidays of these years; returns how many were new.

    Existing rows are left alone, so a coordinator's choice to stay open on a
    holiday, or a house closing on the same date, is never overwritten."""
    created = 0
    for year in years:
        for day, name in sorted(public_holidays(year, "da").items()):
            _obj, was_created = ClosedDay.objects.get_or_create(
                date=day, defaults={"name": name, "source": ClosedDay.Source.PUBLIC_HOLIDAY}
            )
            created += was_created
    return created
