"""A booker's pages (booking a room is in booking_form.py): my bookings, a
booking's page, change it, and book a date of a series again."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Min, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from actors.selectors import actor_ids_for
from centre.forms import add_service_error

from .. import parallel, permissions, selectors, services
from ..forms import BookingEditForm, DeclineForm, SeriesDayForm
from ..models import Booking, BookingSeries, Status
from .series import back


@login_required
def my_bookings(request):
    """The coming bookings of my actors: one row per series (its next date and
    how many are to come, linking to the series' page), then the one-off
    bookings. Two queries, however many dates the series hold."""
    mine = actor_ids_for(request.user)
    now = timezone.now()
    coming = Q(
        occurrences__end__gt=now, occurrences__status__in=[Status.REQUESTED, Status.CONFIRMED]
    )
    series = (
        BookingSeries.objects.filter(actor_id__in=mine)
        .annotate(
            next_start=Min("occurrences__start", filter=coming),
            coming=Count("occurrences", filter=coming),
            waiting=Count("occurrences", filter=coming & Q(occurrences__status=Status.REQUESTED)),
        )
        .filter(coming__gt=0)
        .select_related("room", "actor")
        .order_by("next_start", "pk")
    )
    bookings = (
        Booking.objects.filter(actor_id__in=mine, end__gt=now, series__isnull=True)
        .exclude(status__in=[Status.CANCELLED, Status.DECLINED])
        .select_related("room", "actor")
        .order_by("start")[:200]
    )
    rows = [(one, selectors.series_in_words(one)) for one in series]
    return render(request, "bookings/my_bookings.html", {"series_rows": rows, "bookings": bookings})


@login_required
def booking_detail(request, pk):
    return detail_page(request, permissions.get_booking_for(request.user, pk))


def detail_page(request, booking, decline_form=None):
    """A booking's page; with the decline form as it was sent when it needs correcting."""
    cancelled_dates = []
    if booking.series_id:
        cancelled_dates = list(
            booking.series.occurrences.filter(status=Status.CANCELLED, start__gt=timezone.now())
            .order_by("start")
            .values_list("start", flat=True)[:20]
        )
    return render(
        request,
        "bookings/booking_detail.html",
        {
            "booking": booking,
            "cancelled_dates": cancelled_dates
            if services.can_change(request.user, booking)
            else [],
            "history": booking.audit.select_related("by"),
            "can_cancel": services.can_change(request.user, booking)
            and booking.status in (Status.REQUESTED, Status.CONFIRMED),
            "can_decide": permissions.can_decide(request.user)
            and booking.status == Status.REQUESTED,
            "decline_form": decline_form or DeclineForm(),
            "parallel_activities": parallel.for_booking(booking),
        },
    )


@login_required
def booking_edit(request, pk):
    booking = permissions.get_booking_for(request.user, pk)
    if not services.can_change(request.user, booking):
        raise PermissionDenied
    start, end = timezone.localtime(booking.start), timezone.localtime(booking.end)
    initial = {
        "title": booking.title,
        "description": booking.description,
        "visibility": booking.visibility,
        "start_time": start.time(),
        "end_time": end.time(),
    }
    form = BookingEditForm(
        request.POST or None, initial=initial, in_series=booking.series_id is not None
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        moved = (
            data["start_time"] != initial["start_time"] or data["end_time"] != initial["end_time"]
        )
        try:
            changed = services.booking_update(
                booking=booking,
                by=request.user,
                scope=data.get("scope", "one"),
                title=data["title"],
                description=data["description"],
                visibility=data["visibility"],
                start_time=data["start_time"] if moved else None,
                end_time=data["end_time"] if moved else None,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                ngettext("%(count)s booking changed.", "%(count)s bookings changed.", len(changed))
                % {"count": len(changed)},
            )
            return redirect("bookings:booking-detail", pk=booking.pk)
    return render(request, "bookings/booking_edit.html", {"form": form, "booking": booking})


@require_POST
@login_required
def series_readd(request, pk):
    booking = permissions.get_booking_for(request.user, pk)
    form = SeriesDayForm(request.POST)
    if booking.series is None or not form.is_valid():
        messages.error(request, _("Choose a date of the series."))
        return back(request, booking)
    try:
        added = services.series_readd(
            series=booking.series, day=form.cleaned_data["day"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back(request, booking)
    messages.success(request, _("Booked again: %(booking)s.") % {"booking": added})
    return back(request, added)
