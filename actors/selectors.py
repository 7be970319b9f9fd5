"""The actors a person acts for, defined once: what they may book for, log
for, post for, and whose internal bookings they see all start here."""

from centre.roles import is_coordinator

from .models import Actor, Membership


def actor_ids_for(user, roles=None) -> frozenset[int]:
    """The current actors ``user`` holds a membership of (with one of ``roles``
    when given). One query per user object and set of roles."""
    if user is None or not user.is_authenticated:
        return frozenset()
    memo = user.__dict__.setdefault("_samhus_actor_ids", {})
    key = tuple(sorted(roles)) if roles else None
    if key not in memo:
        memberships = Membership.objects.current().filter(user=user)
        if roles:
            memberships = memberships.filter(role__in=roles)
        memo[key] = frozenset(memberships.values_list("actor_id", flat=True))
    return memo[key]


def actors_for(user, roles=None):
    """The current actors ``user`` may act for: a coordinator any of them,
    anyone else those of ``actor_ids_for``."""
    if is_coordinator(user):
        return Actor.objects.current()
    return Actor.objects.current().filter(pk__in=actor_ids_for(user, roles))


def acts_for(user, actor, roles=None) -> bool:
    """May ``user`` act for ``actor`` (with one of ``roles``)?"""
    return is_coordinator(user) or actor.pk in actor_ids_for(user, roles)
