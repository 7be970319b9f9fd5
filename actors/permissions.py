"""May this user do this to that actor, offer or invitation? Views, templates
and tests ask here; nothing else re-derives it.

Coordinators manage everything. An actor's admins manage its page, offers and
members. Everyone else may only read the public pages. Objects a user may not
manage answer 404, so their edit pages do not reveal what exists."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from centre.roles import is_coordinator

from .models import Actor, Invitation, Membership, Offer


def role_in(user, actor: Actor) -> str | None:
    if not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_samhus_actor_roles", {})
    if actor.pk not in cache:
        cache[actor.pk] = (
            Membership.objects.filter(user=user, actor=actor).values_list("role", flat=True).first()
        )
    return cache[actor.pk]


def can_create_actor(user) -> bool:
    return is_coordinator(user)


def can_archive_actor(user, actor: Actor) -> bool:
    return is_coordinator(user)


def can_manage_actor(user, actor: Actor) -> bool:
    """Edit the page and offers, manage members and invitations."""
    if is_coordinator(user):
        return True
    return not actor.is_archived and role_in(user, actor) == Membership.Role.ADMIN


def can_manage_vocabulary(user) -> bool:
    return is_coordinator(user)


def get_actor_to_manage(user, slug: str) -> Actor:
    actor = get_object_or_404(Actor, slug=slug)
    if not can_manage_actor(user, actor):
        raise Http404
    return actor


def get_offer_to_manage(user, pk: int) -> Offer:
    offer = get_object_or_404(Offer.objects.select_related("actor"), pk=pk)
    if not can_manage_actor(user, offer.actor):
        raise Http404
    return offer


def get_membership_to_manage(user, pk: int) -> Membership:
    membership = get_object_or_404(Membership.objects.select_related("actor", "user"), pk=pk)
    if not can_manage_actor(user, membership.actor):
        raise Http404
    return membership


def get_invitation_to_manage(user, pk: int) -> Invitation:
    invitation = get_object_or_404(Invitation.objects.select_related("actor"), pk=pk)
    if not can_manage_actor(user, invitation.actor):
        raise Http404
    return invitation
