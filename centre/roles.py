"""The roles in Samhus, defined once.

- resident: anyone, no login. Sees the public pages.
- actor member: a signed-in user with a current membership of an actor
  (actors.Membership, reverse name ``memberships``).
- council member: a signed-in user with a current seat on the house council
  (collaboration.CouncilMember, reverse name ``council_seats``).
- coordinator: ``User.is_coordinator``; runs the house and must use two-factor.
- the Django admin is for superusers only (centre/admin.py).

A person can hold several roles. Apps answer object-level questions ("may
this user edit that booking") in their own permissions module, on top of these.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    MEMBER = "member", _("Actor member")
    COUNCIL = "council", _("Council member")
    COORDINATOR = "coordinator", _("Coordinator")


def is_coordinator(user) -> bool:
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.is_coordinator
    )


def roles_of(user) -> frozenset[Role]:
    """Every role the user holds; computed once per user object."""
    if not user.is_authenticated or not user.is_active:
        return frozenset({Role.RESIDENT})
    cached = getattr(user, "_samhus_roles", None)
    if cached is not None:
        return cached
    roles = set()
    if user.is_coordinator:
        roles.add(Role.COORDINATOR)
    # Reverse accessors by name: centre imports none of the apps (DESIGN.md).
    if user.memberships.current().exists():
        roles.add(Role.MEMBER)
    if user.council_seats.current().exists():
        roles.add(Role.COUNCIL)
    user._samhus_roles = frozenset(roles)
    return user._samhus_roles
