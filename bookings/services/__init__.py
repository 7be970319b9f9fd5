"""Every booking write with rules: request one booking or a series, approve,
decline, cancel, change, move, keep a series booked ahead, save a room. Each runs in
one transaction, records its audit entry and raises ValidationError with a
message a person can act on.

The house's rules (opening hours, closed days, booking window, weekly quota,
capacity, who may book the room) are checked in `rules`; the no-overlap rule
in `occupancy`, and on PostgreSQL it is guaranteed by the database.
Callers use the names below: `from bookings import services`."""

from . import house
from .decisions import (
    CancelPreview,
    booking_approve,
    booking_cancel,
    booking_decline,
    can_change,
    cancel_preview,
    date_release,
)
from .moves import booking_move
from .requests import booking_request, series_request
from .rooms import room_save
from .rules import SeriesClash, describe_for, expand
from .series import booking_update, series_extend, series_readd

__all__ = [
    "CancelPreview",
    "SeriesClash",
    "booking_approve",
    "booking_cancel",
    "booking_decline",
    "booking_move",
    "booking_request",
    "booking_update",
    "can_change",
    "cancel_preview",
    "date_release",
    "describe_for",
    "expand",
    "house",
    "room_save",
    "series_extend",
    "series_readd",
    "series_request",
]
