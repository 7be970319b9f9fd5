"""How the actors work together: the collaboration log in the report's five
forms (log.py), the sharing board (sharing.py), the house council (council.py)
and its weekly digest (digest.py). Every model is importable from here."""

from .council import CouncilMember, Decision, HouseRule, Meeting
from .digest import DigestDelivery, DigestIssue, DigestSection, DigestSubscription
from .log import (
    FORM_EXPLANATIONS,
    Collaboration,
    Form,
    FormChange,
    Goal,
    OverallState,
    Participation,
    Phase,
    overall_state,
)
from .sharing import SharingAnswer, SharingPost

__all__ = [
    "FORM_EXPLANATIONS",
    "Collaboration",
    "CouncilMember",
    "Decision",
    "DigestDelivery",
    "DigestIssue",
    "DigestSection",
    "DigestSubscription",
    "Form",
    "FormChange",
    "Goal",
    "HouseRule",
    "Meeting",
    "OverallState",
    "Participation",
    "Phase",
    "SharingAnswer",
    "SharingPost",
    "overall_state",
]
