"""Moving a booking's dates, and a series' own page: all its dates, its rule
in words, and what can be done to it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from centre.forms import add_service_error
from centre.roles import is_coordinator

from .. import permissions, selectors, services
from ..forms import MoveForm
from ..models import Status

DATES_PER_PAGE = 25
GAPS_SHOWN = 10


def back(request, booking):
    """Back to the series' page when the person came from it, else to the booking's."""
    if request.POST.get("from", request.GET.get("from")) == "series" and booking.series_id:
        return redirect("bookings:series-detail", pk=booking.series_id)
    return redirect("bookings:booking-detail", pk=booking.pk)


@login_required
def booking_move(request, pk):
    booking = permissions.get_booking_for(request.user, pk)
    if not services.can_change(request.user, booking):
        raise PermissionDenied
    start, end = timezone.localtime(booking.start), timezone.localtime(booking.end)
    scope = request.GET.get("scope")
    initial = {
        "date": start.date(),
        "start_time": start.time(),
        "end_time": end.time(),
        "room": booking.room,
        "scope": scope if scope in ("one", "following", "series") else "one",
    }
    coordinator = is_coordinator(request.user)
    form = MoveForm(
        request.POST or None,
        initial=initial,
        in_series=booking.series_id is not None,
        coordinator=coordinator,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def changed(name):
            return data[name] if data[name] != initial[name] else None

        try:
            dates = services.booking_move(
                booking=booking,
                by=request.user,
                scope=data.get("scope", "one"),
                day=changed("date"),
                start_time=changed("start_time"),
                end_time=changed("end_time"),
                room=changed("room"),
                override=data.get("override", False),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            _say_moved(request, dates)
            return back(request, booking)
    return render(
        request,
        "bookings/booking_move.html",
        {
            "form": form,
            "booking": booking,
            "coordinator": coordinator,
            "from": request.POST.get("from", request.GET.get("from", "")),
        },
    )


def _say_moved(request, dates) -> None:
    moved = [b for b in dates if b.status != Status.CANCELLED]
    left_out = len(dates) - len(moved)
    waiting = sum(1 for b in moved if b.status == Status.REQUESTED)
    messages.success(
        request,
        ngettext("%(count)s date moved.", "%(count)s dates moved.", len(moved))
        % {"count": len(moved)},
    )
    if waiting:
        messages.info(
            request,
            ngettext(
                "%(count)s date now waits for a coordinator's approval.",
                "%(count)s dates now wait for a coordinator's approval.",
                waiting,
            )
            % {"count": waiting},
        )
    if left_out:
        messages.warning(
            request,
            ngettext(
                "%(count)s date was left out: the house is closed on its new day.",
                "%(count)s dates were left out: the house is closed on their new days.",
                left_out,
            )
            % {"count": left_out},
        )


@login_required
def series_detail(request, pk):
    """Every date of the series, past and coming, a page at a time: it opens
    on the page with the next coming date. A fixed number of queries."""
    series = permissions.get_series_for(request.user, pk)
    now = timezone.now()
    occurrences = series.occurrences.select_related("room").order_by("start", "pk")
    number = request.GET.get("page")
    if number is None:
        number = occurrences.filter(end__lte=now).count() // DATES_PER_PAGE + 1
    page = Paginator(occurrences, DATES_PER_PAGE).get_page(number)
    may_change = services.can_change(request.user, series)
    following = occurrences.active().filter(end__gt=now).first()
    gaps = selectors.series_gaps(series) if may_change else []
    return render(
        request,
        "bookings/series_detail.html",
        {
            "series": series,
            "rule": selectors.series_in_words(series),
            "page": page,
            "now": now,
            "next_date": following,
            "can_change": may_change,
            "coordinator": is_coordinator(request.user),
            # series_readd books a date through any booking of the series.
            "anchor": page[0] if page.object_list else None,
            "gaps": gaps[:GAPS_SHOWN],
            "more_gaps": max(0, len(gaps) - GAPS_SHOWN),
        },
    )


@require_POST
@login_required
def date_release(request, pk):
    """Give back one date of a series from its page: one click, a POST."""
    booking = permissions.get_booking_for(request.user, pk)
    if booking.series_id is None or not services.can_change(request.user, booking):
        raise PermissionDenied
    try:
        released = services.date_release(booking=booking, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        say_released(request, released)
    return back(request, booking)


def say_released(request, released) -> None:
    """What a person hears after releasing a date (here and on the season's page)."""
    messages.success(request, _("The date is released: others can book it now."))
    if released.cancelled_late:
        messages.warning(
            request,
            _("It was released after the house's deadline, so it counts as released late."),
        )


@require_POST
@login_required
def series_extend(request, pk):
    """Book the series as far ahead as the house allows (the periodic task's work, now)."""
    series = permissions.get_series_for(request.user, pk)
    if not services.can_change(request.user, series):
        raise PermissionDenied
    added = services.series_extend(series=series, by=request.user)
    if added:
        messages.success(
            request,
            ngettext("%(count)s more date booked.", "%(count)s more dates booked.", added)
            % {"count": added},
        )
    else:
        messages.info(
            request,
            _("The series is booked to its last day.")
            if series.ends_on and series.materialised_until >= series.ends_on
            else _("The series is already booked as far ahead as it can be."),
        )
    return redirect("bookings:series-detail", pk=series.pk)
