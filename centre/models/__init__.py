"""The house itself (one Centre, its opening hours and closed days), the
people who sign in to it, and the records the house keeps of its doings."""

from .house import (
    Centre,
    ClosedDay,
    ClosedDayQuerySet,
    OpeningHours,
    Weekday,
    public_holiday_name,
    public_holidays,
)
from .people import User, UserManager
from .records import OutboxTask, PrivacyLog, SentMail

__all__ = [
    "Centre",
    "ClosedDay",
    "ClosedDayQuerySet",
    "OpeningHours",
    "OutboxTask",
    "PrivacyLog",
    "SentMail",
    "User",
    "UserManager",
    "Weekday",
    "public_holiday_name",
    "public_holidays",
]
