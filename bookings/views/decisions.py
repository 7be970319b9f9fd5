"""Decisions on bookings: cancel, and a coordinator's approve, decline, the
queue of requests and the fair-use figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from actors.models import Actor
from centre.forms import bad_query

from .. import permissions, selectors, services
from ..filters import FairUseForm, RequestFilterForm
from ..forms import DeclineForm
from ..models import Booking, Room, Status
from .bookings import detail_page
from .series import back

SCOPES = {"one", "following", "series"}


def _scope(request) -> str:
    scope = request.POST.get("scope", "one")
    return scope if scope in SCOPES else "one"


@require_POST
@login_required
def booking_cancel(request, pk):
    """Cancel. Many dates at once (this and the following, the whole series)
    first get a page saying what will happen; only its POST, with ``confirm``,
    cancels them."""
    booking = permissions.get_booking_for(request.user, pk)
    scope = _scope(request)
    if scope != "one" and booking.series_id and request.POST.get("confirm") != "yes":
        try:
            preview = services.cancel_preview(booking=booking, by=request.user, scope=scope)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return back(request, booking)
        return render(
            request,
            "bookings/cancel_confirm.html",
            {
                "booking": booking,
                "scope": scope,
                "preview": preview,
                "told": ", ".join(person.get_full_name() for person in preview.told),
                "from": request.POST.get("from", ""),
            },
        )
    try:
        cancelled = services.booking_cancel(booking=booking, by=request.user, scope=scope)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s booking cancelled.", "%(count)s bookings cancelled.", len(cancelled)
            )
            % {"count": len(cancelled)},
        )
    return back(request, booking)


def _after_decision(request, booking):
    if request.POST.get("from") == "detail":
        return redirect("bookings:booking-detail", pk=booking.pk)
    return redirect("bookings:requests")


@require_POST
@login_required
def booking_approve(request, pk):
    if not permissions.can_decide(request.user):
        raise PermissionDenied
    booking = get_object_or_404(Booking, pk=pk)
    try:
        approved = services.booking_approve(booking=booking, by=request.user, scope=_scope(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext("%(count)s booking approved.", "%(count)s bookings approved.", len(approved))
            % {"count": len(approved)},
        )
    return _after_decision(request, booking)


@require_POST
@login_required
def booking_decline(request, pk):
    if not permissions.can_decide(request.user):
        raise PermissionDenied
    booking = get_object_or_404(Booking, pk=pk)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        # The reason as typed, with what is wrong with it, on the booking's page.
        return detail_page(request, booking, decline_form=form)
    try:
        declined = services.booking_decline(
            booking=booking,
            by=request.user,
            reason=form.cleaned_data["reason"],
            scope=_scope(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext("%(count)s booking declined.", "%(count)s bookings declined.", len(declined))
            % {"count": len(declined)},
        )
    return _after_decision(request, booking)


@login_required
def requests_queue(request):
    if not permissions.can_decide(request.user):
        raise PermissionDenied
    query = RequestFilterForm(request.GET)
    if not query.is_valid():
        return bad_query(request, query)
    waiting = Booking.objects.filter(
        status=Status.REQUESTED, end__gt=timezone.now()
    ).select_related("room", "actor", "booked_by", "series")
    room, actor, day = (query.cleaned_data[name] for name in ("room", "actor", "date"))
    if room:
        waiting = waiting.filter(room=room)
    if actor:
        waiting = waiting.filter(actor=actor)
    if day:
        waiting = waiting.filter(start__date=day)
    return render(
        request,
        "bookings/requests.html",
        {
            "waiting": waiting.order_by("start")[:200],
            "rooms": Room.objects.active(),
            "actors": Actor.objects.current(),
            "selected": {"room": room, "actor": actor, "date": day},
            "decline_form": DeclineForm(),
        },
    )


@login_required
def fair_use(request):
    if not permissions.can_decide(request.user):
        raise PermissionDenied
    query = FairUseForm(request.GET)
    if not query.is_valid():
        return bad_query(request, query)
    first, last = query.period()
    return render(
        request,
        "bookings/fair_use.html",
        {"rows": selectors.fair_use(first, last), "first": first, "last": last},
    )
