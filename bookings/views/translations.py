"""The translations pages of an activity: one date, or a series and all its
dates (centre.translations builds the form and the page)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from centre import translations

from .. import permissions, services
from ..models import Booking

TRANSLATED = ("title", "description")
BookingTranslationsForm = translations.translations_form(Booking, TRANSLATED)


@login_required
def booking_translations(request, pk):
    booking = permissions.get_booking_for(request.user, pk)
    if not services.can_change(request.user, booking):
        raise PermissionDenied

    def save(form):
        services.booking_translate(
            booking=booking, by=request.user, values=form.cleaned_data, languages=form.languages()
        )

    back = reverse("bookings:booking-detail", args=[booking.pk])
    return translations.edit(request, BookingTranslationsForm, booking, save=save, back=back)


@login_required
def series_translations(request, pk):
    """The series' title and its dates' description: written on every date."""
    series = permissions.get_series_for(request.user, pk)
    if not services.can_change(request.user, series):
        raise PermissionDenied
    # The texts as the coming date (else the last one) has them.
    dates = series.occurrences.order_by("start")
    sample = (
        dates.filter(end__gt=timezone.now()).first() or dates.last() or Booking(title=series.title)
    )

    def save(form):
        services.series_translate(
            series=series, by=request.user, values=form.cleaned_data, languages=form.languages()
        )

    back = reverse("bookings:series-detail", args=[series.pk])
    return translations.edit(
        request, BookingTranslationsForm, series, save=save, back=back, sample=sample
    )
