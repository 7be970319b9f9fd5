"""Who is in the house: the actors, the people who act for them, the
invitations that bring people in, and the offers the actors run."""

from .actors import (
    LOGO_MAX_BYTES,
    LOGO_MAX_PIXELS,
    Actor,
    ActorQuerySet,
    Language,
    Sector,
    TargetGroup,
    Theme,
    validate_logo,
)
from .offers import Offer, OfferQuerySet
from .people import (
    INVITATION_DAYS,
    Invitation,
    InvitationQuerySet,
    Membership,
    MembershipQuerySet,
    _invitation_expiry,
    _invitation_token,
)

__all__ = [
    "INVITATION_DAYS",
    "LOGO_MAX_BYTES",
    "LOGO_MAX_PIXELS",
    "Actor",
    "ActorQuerySet",
    "Invitation",
    "InvitationQuerySet",
    "Language",
    "Membership",
    "MembershipQuerySet",
    "Offer",
    "OfferQuerySet",
    "Sector",
    "TargetGroup",
    "Theme",
    "_invitation_expiry",  # named by migration 0002
    "_invitation_token",  # named by migration 0002
    "validate_logo",
]
