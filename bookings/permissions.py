"""May this user book for that actor, see that booking, decide on requests?
Views, templates and tests ask here. A booking the user may not see answers 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from actors.models import Membership
from actors.selectors import actor_ids_for, actors_for
from centre.roles import is_coordinator

from .models import Booking, BookingSeries

BOOKING_ROLES = [Membership.Role.ADMIN, Membership.Role.BOOKER]


def bookable_actors(user):
    """The actors this user may book rooms for."""
    return actors_for(user, BOOKING_ROLES)


def can_decide(user) -> bool:
    """Approve and decline requests: the impartial actor, the coordinator."""
    return is_coordinator(user)


def can_see_parallel(user) -> bool:
    """The overview of parallel activities and target-group gaps
    (bookings:parallel). A booker sees a booking's own parallels on its page."""
    return is_coordinator(user)


def can_manage_rooms(user) -> bool:
    return is_coordinator(user)


def can_see_booking(user, booking: Booking) -> bool:
    """The booking's own page (its history, who booked it, its actions): the
    people of its actor and coordinators. What anyone may see of it on the
    calendar is `Booking.objects.visible_to`."""
    return is_coordinator(user) or booking.actor_id in actor_ids_for(user)


def get_booking_for(user, pk: int) -> Booking:
    booking = get_object_or_404(
        Booking.objects.select_related("room", "actor", "booked_by", "series"), pk=pk
    )
    if not can_see_booking(user, booking):
        raise Http404
    return booking


def can_see_series(user, series: BookingSeries) -> bool:
    """A series' page (every date, who booked it, its actions): as a
    booking's page, the people of its actor and coordinators."""
    return is_coordinator(user) or series.actor_id in actor_ids_for(user)


def get_series_for(user, pk: int) -> BookingSeries:
    series = get_object_or_404(
        BookingSeries.objects.select_related("room", "actor", "booked_by"), pk=pk
    )
    if not can_see_series(user, series):
        raise Http404
    return series
