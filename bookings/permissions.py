"""May this user book for that actor, see that booking, decide on requests?
Views, templates and tests ask here. A booking the user may not see answers 404."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from actors.models import Actor, Membership
from centre.roles import is_coordinator

from .models import Booking

BOOKING_ROLES = [Membership.Role.ADMIN, Membership.Role.BOOKER]


def bookable_actors(user):
    """The actors this user may book rooms for."""
    if not user.is_authenticated:
        return Actor.objects.none()
    if is_coordinator(user):
        return Actor.objects.current()
    return Actor.objects.current().filter(
        memberships__user=user, memberships__role__in=BOOKING_ROLES
    )


def can_decide(user) -> bool:
    """Approve and decline requests: the impartial actor, the coordinator."""
    return is_coordinator(user)


def can_manage_rooms(user) -> bool:
    return is_coordinator(user)


def can_see_booking(user, booking: Booking) -> bool:
    if is_coordinator(user):
        return True
    return (
        user.is_authenticated
        and Membership.objects.filter(user=user, actor_id=booking.actor_id).exists()
    )


def get_booking_for(user, pk: int) -> Booking:
    booking = get_object_or_404(
        Booking.objects.select_related("room", "actor", "booked_by", "series"), pk=pk
    )
    if not can_see_booking(user, booking):
        raise Http404
    return booking
