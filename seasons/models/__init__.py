"""The season: a round of applications for weekly slots (sæsonansøgning),
its allocation (timefordeling) and decisions, and giving back what is not
used: the waiting list, its offers, confirm-or-release asks and no-shows."""

from .giveback import ConfirmAsk, NoShow, Offer, RoomAsk, WaitingEntry
from .rounds import WEEKDAYS, Application, Decision, Priority, Round, Wish

__all__ = [
    "WEEKDAYS",
    "Application",
    "ConfirmAsk",
    "Decision",
    "NoShow",
    "Offer",
    "Priority",
    "RoomAsk",
    "Round",
    "WaitingEntry",
    "Wish",
]
