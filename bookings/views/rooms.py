"""Rooms: the list, a room's week of free and busy time, and a coordinator's
room and facility forms."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from actors.services import vocabulary_add
from centre.forms import add_service_error, bad_query

from .. import permissions, selectors, services
from ..filters import RoomWeekForm
from ..forms import FacilityForm, RoomForm
from ..models import Facility, Room


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
    query = RoomWeekForm(request.GET)
    if not query.is_valid():
        return bad_query(request, query)
    monday = query.monday()
    return render(
        request,
        "bookings/room_detail.html",
        {
            "room": room,
            "week": selectors.room_week(room, monday, request.user),
            "previous": monday - datetime.timedelta(days=7),
            "next": monday + datetime.timedelta(days=7),
            "can_book": permissions.bookable_actors(request.user).exists(),
            "can_manage": permissions.can_manage_rooms(request.user),
        },
    )


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
    form = FacilityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = vocabulary_add(model=Facility, name=form.cleaned_data["name"], by=request.user)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("“%(name)s” is added.") % {"name": item.label})
            return redirect("bookings:facilities")
    return render(
        request, "bookings/facilities.html", {"form": form, "facilities": Facility.objects.all()}
    )
