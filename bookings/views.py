import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_time
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actors.models import Actor
from actors.selectors import actor_ids_for
from centre.forms import add_service_error
from centre.models import ClosedDay, OpeningHours
from centre.roles import is_coordinator

from . import parallel, permissions, selectors, services
from .forms import BookingEditForm, BookingForm, DeclineForm, FacilityForm, RoomForm
from .models import Booking, Occupancy, Room, Status

SCOPES = {"one", "following", "series"}


def _week_start(request) -> datetime.date:
    day = parse_date(request.GET.get("date") or "") or timezone.localdate()
    return day - datetime.timedelta(days=day.weekday())


def _visible_rooms(user):
    # Coordinators also see rooms taken out of use, to bring them back.
    return Room.objects.all() if permissions.can_manage_rooms(user) else Room.objects.active()


def room_list(request):
    rooms = _visible_rooms(request.user).prefetch_related("facilities")
    return render(
        request,
        "bookings/room_list.html",
        {"rooms": rooms, "can_manage": permissions.can_manage_rooms(request.user)},
    )


def room_detail(request, slug):
    room = get_object_or_404(
        _visible_rooms(request.user).prefetch_related("facilities", "parts"), slug=slug
    )
    monday = _week_start(request)
    days = [monday + datetime.timedelta(days=n) for n in range(7)]
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))
    end = start + datetime.timedelta(days=7)
    # Busy is what holds the room's units: its own bookings and those of linked rooms.
    held = (
        Occupancy.objects.filter(room_id__in=room.units(), start__lt=end, end__gt=start)
        .select_related("booking__actor", "booking__room")
        .order_by("start")
    )
    bookings = list({occupancy.booking_id: occupancy.booking for occupancy in held}.values())
    hours = list(OpeningHours.objects.all())
    closed = {c.date: c for c in ClosedDay.objects.observed().between(days[0], days[-1])}
    buffer = datetime.timedelta(minutes=room.buffer_minutes)

    def free_gaps(day):
        """The free stretches of a day inside the opening hours, 30 minutes or longer."""
        gaps = []
        taken = sorted(
            (timezone.localtime(b.start), timezone.localtime(b.end) + buffer)
            for b in bookings
            if timezone.localdate(b.start) == day
        )
        for interval in (h for h in hours if h.weekday == day.weekday()):
            cursor = timezone.make_aware(datetime.datetime.combine(day, interval.opens))
            closes = timezone.make_aware(datetime.datetime.combine(day, interval.closes))
            cursor = max(cursor, timezone.localtime())
            for busy_start, busy_end in taken:
                if busy_start > cursor and busy_start - cursor >= datetime.timedelta(minutes=30):
                    gaps.append((cursor, min(busy_start, closes)))
                cursor = max(cursor, busy_end)
            if closes - cursor >= datetime.timedelta(minutes=30):
                gaps.append((cursor, closes))
        return [(s, e) for s, e in gaps if e > s]

    week = [
        {
            "day": day,
            "hours": [h for h in hours if h.weekday == day.weekday()],
            "closed": closed.get(day),
            "free": [] if day in closed else free_gaps(day),
            "busy": [
                {
                    "booking": b,
                    "named": b.is_visible_to(request.user),
                }
                for b in bookings
                if timezone.localdate(b.start) == day
            ],
        }
        for day in days
    ]
    return render(
        request,
        "bookings/room_detail.html",
        {
            "room": room,
            "week": week,
            "previous": monday - datetime.timedelta(days=7),
            "next": monday + datetime.timedelta(days=7),
            "can_book": permissions.bookable_actors(request.user).exists(),
            "can_manage": permissions.can_manage_rooms(request.user),
        },
    )


@login_required
def booking_create(request):
    actors = permissions.bookable_actors(request.user)
    if not actors.exists():
        raise PermissionDenied
    coordinator = is_coordinator(request.user)
    initial = {}
    if room_slug := request.GET.get("room"):
        initial["room"] = Room.objects.filter(slug=room_slug).first()
    if day := parse_date(request.GET.get("date") or ""):
        initial["date"] = day
    for name in ("start", "end"):
        if value := parse_time(request.GET.get(name) or ""):
            initial[f"{name}_time"] = value
    if actors.count() == 1:
        initial["actor"] = actors.first()
    form = BookingForm(
        request.POST or None, user=request.user, coordinator=coordinator, initial=initial
    )
    clashes = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {
            "by": request.user,
            "room": data["room"],
            "actor": data["actor"],
            "title": data["title"],
            "description": data["description"],
            "visibility": data["visibility"],
            "target_groups": list(data["target_groups"]),
            "languages": list(data["languages"]),
            "themes": list(data["themes"]),
            "open_to_whole_city": data["open_to_whole_city"],
            "expected_participants": data["expected_participants"],
            "override": data.get("override", False),
        }
        try:
            if rule := form.rule():
                series = services.series_request(
                    rule=rule, first_day=data["date"], start_time=data["start_time"], end_time=data["end_time"],
                    until=data["until"], skip_closed_days=data["skip_closed_days"], book_rest=data["book_rest"],
                    **common,
                )  # fmt: skip
                booking = series.occurrences.order_by("start").first()
            else:
                booking = services.booking_request(start=form.start(), end=form.end(), **common)
        except services.SeriesClash as clash:
            clashes = [
                (slot, services.describe_for(other, request.user)) for slot, other in clash.clashes
            ]
            form.add_error(None, clash)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if booking is None:
                messages.warning(request, _("No dates were left to book."))
                return redirect("bookings:my-bookings")
            if booking.status == Status.CONFIRMED:
                messages.success(request, _("Booked: %(booking)s.") % {"booking": booking})
            else:
                messages.success(
                    request,
                    _("Requested: %(booking)s. A coordinator will approve or decline it.")
                    % {"booking": booking},
                )
            if parallel.for_booking(booking):
                messages.info(
                    request,
                    _(
                        "Other actors hold public activities for the same target groups that day. "
                        "This does not affect your booking: see the list on this page and consider "
                        "coordinating with them."
                    ),
                )
            return redirect("bookings:booking-detail", pk=booking.pk)
    return render(request, "bookings/booking_form.html", {"form": form, "clashes": clashes})


@login_required
def my_bookings(request):
    bookings = (
        Booking.objects.filter(actor_id__in=actor_ids_for(request.user), end__gt=timezone.now())
        .exclude(status__in=[Status.CANCELLED, Status.DECLINED])
        .select_related("room", "actor", "series")
        .order_by("start")[:200]
    )
    return render(request, "bookings/my_bookings.html", {"bookings": bookings})


@login_required
def booking_detail(request, pk):
    booking = permissions.get_booking_for(request.user, pk)
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
            "decline_form": DeclineForm(),
            "parallel_activities": parallel.for_booking(booking),
        },
    )


def _scope(request) -> str:
    scope = request.POST.get("scope", "one")
    return scope if scope in SCOPES else "one"


@require_POST
@login_required
def booking_cancel(request, pk):
    booking = permissions.get_booking_for(request.user, pk)
    try:
        cancelled = services.booking_cancel(booking=booking, by=request.user, scope=_scope(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)s booking(s) cancelled.") % {"count": len(cancelled)})
    return redirect("bookings:booking-detail", pk=booking.pk)


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
        messages.success(request, _("%(count)s booking(s) approved.") % {"count": len(approved)})
    return _after_decision(request, booking)


@require_POST
@login_required
def booking_decline(request, pk):
    if not permissions.can_decide(request.user):
        raise PermissionDenied
    booking = get_object_or_404(Booking, pk=pk)
    form = DeclineForm(request.POST)
    try:
        reason = form.data.get("reason", "")
        declined = services.booking_decline(
            booking=booking, by=request.user, reason=reason, scope=_scope(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(count)s booking(s) declined.") % {"count": len(declined)})
    return _after_decision(request, booking)


@login_required
def requests_queue(request):
    if not permissions.can_decide(request.user):
        raise PermissionDenied
    waiting = Booking.objects.filter(
        status=Status.REQUESTED, end__gt=timezone.now()
    ).select_related("room", "actor", "booked_by", "series")
    room = Room.objects.filter(slug=request.GET.get("room") or "").first()
    actor = Actor.objects.filter(slug=request.GET.get("actor") or "").first()
    day = parse_date(request.GET.get("date") or "")
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


@require_POST
@login_required
def series_readd(request, pk):
    booking = permissions.get_booking_for(request.user, pk)
    day = parse_date(request.POST.get("day") or "")
    if booking.series is None or day is None:
        messages.error(request, _("Choose a date of the series."))
        return redirect("bookings:booking-detail", pk=booking.pk)
    try:
        added = services.series_readd(series=booking.series, day=day, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("bookings:booking-detail", pk=booking.pk)
    messages.success(request, _("Booked again: %(booking)s.") % {"booking": added})
    return redirect("bookings:booking-detail", pk=added.pk)


@login_required
def fair_use(request):
    if not permissions.can_decide(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    first = parse_date(request.GET.get("from") or "") or today.replace(day=1)
    last = parse_date(request.GET.get("to") or "") or today
    if last < first:
        first, last = last, first
    return render(
        request,
        "bookings/fair_use.html",
        {"rows": selectors.fair_use(first, last), "first": first, "last": last},
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
                booking=booking, by=request.user, scope=data.get("scope", "one"),
                title=data["title"], description=data["description"], visibility=data["visibility"],
                start_time=data["start_time"] if moved else None, end_time=data["end_time"] if moved else None,
            )  # fmt: skip
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(count)s booking(s) changed.") % {"count": len(changed)})
            return redirect("bookings:booking-detail", pk=booking.pk)
    return render(request, "bookings/booking_edit.html", {"form": form, "booking": booking})


@login_required
def room_edit(request, slug=None):
    if not permissions.can_manage_rooms(request.user):
        raise PermissionDenied
    room = get_object_or_404(Room, slug=slug) if slug else Room()
    form = RoomForm(request.POST or None, request.FILES or None, instance=room)
    if request.method == "POST" and form.is_valid():
        try:
            room = services.room_save(room=room, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(room)s is saved.") % {"room": room})
            return redirect(room)
    return render(request, "bookings/room_form.html", {"form": form, "room": room})


@login_required
def facilities(request):
    if not permissions.can_manage_rooms(request.user):
        raise PermissionDenied
    from actors.services import vocabulary_add

    from .models import Facility

    form = FacilityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = vocabulary_add(model=Facility, name=form.cleaned_data["name"], by=request.user)
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, _("“%(name)s” is added.") % {"name": item.label})
            return redirect("bookings:facilities")
    return render(
        request, "bookings/facilities.html", {"form": form, "facilities": Facility.objects.all()}
    )
