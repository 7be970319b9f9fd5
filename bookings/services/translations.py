"""An activity's title and description in other languages than Danish
(modeltranslation's ``title_en``, ``title_ar``, …): written on one date, or on
a series and every one of its dates, and then into the calendar's stored
texts (bookings.calendar.texts), with an audit entry. Nobody is mailed: the
activity itself has not changed."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..calendar import texts
from ..models import AuditEntry, Booking, BookingSeries
from .decisions import can_change


@transaction.atomic
def booking_translate(*, booking: Booking, by, values: dict, languages: list[str]) -> list[int]:
    """Write ``values`` (``{"title_en": …}``) on the booking; returns its id."""
    return _translate([booking.pk], booking, by=by, values=values, languages=languages)


@transaction.atomic
def series_translate(*, series: BookingSeries, by, values: dict, languages: list[str]) -> list[int]:
    """Write ``values`` on every date of the series, and its titles on the series."""
    BookingSeries.objects.filter(pk=series.pk).update(
        **{name: value for name, value in values.items() if name.startswith("title_")}
    )
    ids = list(series.occurrences.values_list("pk", flat=True))
    return _translate(ids, series, by=by, values=values, languages=languages)


def _translate(ids, owner, *, by, values: dict, languages: list[str]) -> list[int]:
    if not can_change(by, owner):
        raise ValidationError(_("You can only change your own actor's bookings."))
    Booking.objects.filter(pk__in=ids).update(**values, updated=timezone.now())
    AuditEntry.objects.bulk_create(
        AuditEntry(
            booking_id=pk,
            by=by,
            action=AuditEntry.Action.CHANGED,
            changes={"translations": languages},
        )
        for pk in ids
    )
    texts.refresh(ids)
    return ids
