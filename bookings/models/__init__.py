"""Rooms, bookings, weekly series and the record of what happened to them.

Two confirmed bookings never overlap in one room. Each confirmed booking
writes one Occupancy row per *unit* it uses: a room without parts is its own
unit, a divisible hall uses its parts. A hall and its half then collide on
the half, while the two halves do not collide with each other. On PostgreSQL
an exclusion constraint over Occupancy guarantees it (migration 0003); on
SQLite the service checks inside the write transaction, which SQLite
serialises."""

from .bookings import (
    CANCELLED_SHOWN_FOR,
    TEXT_FIELDS,
    Booking,
    BookingManager,
    BookingQuerySet,
    BookingSeries,
    Status,
    Visibility,
    visible_to,
)
from .records import AuditEntry, Occupancy
from .rooms import FACILITIES, Facility, Room, RoomQuerySet

__all__ = [
    "CANCELLED_SHOWN_FOR",
    "FACILITIES",
    "TEXT_FIELDS",
    "AuditEntry",
    "Booking",
    "BookingManager",
    "BookingQuerySet",
    "BookingSeries",
    "Facility",
    "Occupancy",
    "Room",
    "RoomQuerySet",
    "Status",
    "Visibility",
    "visible_to",
]
