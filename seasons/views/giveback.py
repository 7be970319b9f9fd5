"""Giving back: release or confirm a date, join the waiting list, answer an
offer, record a no-show, and a room's confirm-or-release setting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bookings.models import Booking, Room, Status
from bookings.permissions import get_booking_for
from bookings.services import can_change
from bookings.services.rules import can_book_for
from bookings.views import say_released
from centre.forms import add_service_error
from centre.permissions import coordinator_required

from .. import services
from ..forms import AnswerForm, NoShowForm, OfferAnswerForm, RoomAskForm, WaitingForm
from ..models import Decision, Offer, RoomAsk


@login_required
def date_release(request, pk):
    """The page the ask's mail links to: the date and one button, "Release
    this date". Opening it changes nothing (mail scanners follow links); the
    one click on its button is a POST. Keeping the date is doing nothing (an
    "answer=keep" POST is still recorded as confirmed)."""
    booking = get_booking_for(request.user, pk)
    if booking.series_id is None or not can_change(request.user, booking):
        raise Http404
    form = AnswerForm(request.POST or None)
    released = booking.status == Status.CANCELLED
    if request.method == "POST" and form.is_valid() and not released:
        keep = form.cleaned_data["answer"] == "keep"
        try:
            services.confirm_answer(by=request.user, booking=booking, keep=keep)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if keep:
                messages.success(request, _("Thank you: the date is kept."))
            else:
                booking.refresh_from_db()
                say_released(request, booking)
            return redirect("bookings:series-detail", pk=booking.series_id)
    return render(
        request,
        "seasons/date_release.html",
        {"booking": booking, "form": form, "released": released},
        status=400 if form.errors else 200,
    )


@login_required
def waiting_create(request):
    form = WaitingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.waiting_join(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("You are on the waiting list; we mail you when it is free.")
            )
            return redirect("seasons:round-list")
    return render(request, "seasons/waiting_form.html", {"form": form})


@login_required
def offer(request, pk):
    offer = get_object_or_404(Offer.objects.select_related("released__room", "entry__actor"), pk=pk)
    if not can_book_for(request.user, offer.entry.actor):
        raise Http404
    form = OfferAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["answer"] == "accept":
                booking = services.offer_accept(by=request.user, offer=offer)
                messages.success(request, _("The date is booked for you."))
                return redirect("bookings:booking-detail", pk=booking.pk)
            services.offer_decline(by=request.user, offer=offer)
            messages.success(request, _("Declined: the next on the waiting list is asked."))
            return redirect("seasons:round-list")
        except ValidationError as error:
            add_service_error(form, error)
    return render(request, "seasons/offer.html", {"offer": offer, "form": form})


@coordinator_required
@require_POST
def no_show(request, pk):
    booking = get_object_or_404(Booking, pk=pk)
    form = NoShowForm(request.POST)
    if form.is_valid():
        try:
            services.no_show_record(by=request.user, booking=booking, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The no-show is recorded."))
    round_id = (
        Decision.objects.filter(series_id=booking.series_id)
        .values_list("wish__application__round", flat=True)
        .first()
    )
    if booking.series_id and round_id:
        return redirect("seasons:fair-use", pk=round_id)
    return redirect("bookings:booking-detail", pk=booking.pk)


@coordinator_required
def room_ask(request, slug):
    room = get_object_or_404(Room, slug=slug)
    setting = RoomAsk.objects.filter(room=room).first() or RoomAsk(room=room)
    form = RoomAskForm(request.POST or None, instance=setting)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect(room.get_absolute_url())
    return render(request, "seasons/room_ask.html", {"room": room, "form": form})
