"""The rooms and bookings pages (the calendar, feeds and screen have their own
modules); bookings/urls.py reaches every view through this package."""

from .booking_form import booking_create
from .bookings import booking_detail, booking_edit, my_bookings, series_readd
from .decisions import booking_approve, booking_cancel, booking_decline, fair_use, requests_queue
from .rooms import facilities, room_detail, room_edit, room_list
from .series import booking_move, date_release, say_released, series_detail, series_extend

__all__ = [
    "booking_approve",
    "booking_cancel",
    "booking_create",
    "booking_decline",
    "booking_detail",
    "booking_edit",
    "booking_move",
    "date_release",
    "facilities",
    "fair_use",
    "my_bookings",
    "requests_queue",
    "room_detail",
    "room_edit",
    "room_list",
    "say_released",
    "series_detail",
    "series_extend",
    "series_readd",
]
