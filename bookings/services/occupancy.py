"""The no-overlap rule: which confirmed bookings a slot clashes with, and the
occupancy rows that hold a room's units.

Concurrency: every path that confirms a booking asks ``clashes_with`` first,
inside its transaction, and ``clashes_with`` first locks the rows of the
room's units, always in the order of their keys. Two requests for the same
unit therefore queue at that lock: the second one's check runs after the
first has committed, sees its booking and answers with the clash message.
Nothing waits in a circle, so nothing deadlocks; the exclusion constraint on
PostgreSQL stays as the last guard (``confirm_guarded``)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ..models import TEXT_FIELDS, Booking, Occupancy, Room
from .rules import Slot, describe_for


def hold(units: list[int]) -> None:
    """Lock the rows of these units until the transaction ends, in the order
    of their keys (nothing on SQLite, whose writers are serialised anyway)."""
    if not connection.features.has_select_for_update:
        return
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("Hold rooms inside a transaction.")
    list(
        Room.objects.filter(pk__in=units)
        .order_by("pk")
        .select_for_update(of=("self",))
        .values_list("pk", flat=True)
    )


def clashes_with(
    room: Room, slots: list[Slot], *, units=None, exclude_ids=(), lock=True
) -> dict[int, Booking]:
    """For each slot that clashes with a confirmed booking in any of the room's
    units (buffer included), the booking it clashes with. Holds the units
    first (see the module's note), so what it finds stays true until commit;
    ``lock=False`` only looks (a page offering free rooms, outside a write)."""
    if not slots:
        return {}
    units = units or room.units()
    if lock:
        hold(units)
    buffer = datetime.timedelta(minutes=room.buffer_minutes)
    overlap = Q()
    for slot in slots:
        overlap |= Q(start__lt=slot.end + buffer, end__gt=slot.start)
    found = {}
    occupied = list(
        Occupancy.objects.filter(overlap, room_id__in=units)
        .exclude(booking_id__in=exclude_ids)
        .select_related("booking__actor")
        .defer(*(f"booking__{name}" for name in TEXT_FIELDS))
    )
    for index, slot in enumerate(slots):
        for occupancy in occupied:
            if occupancy.start < slot.end + buffer and occupancy.end > slot.start:
                found[index] = occupancy.booking
                break
    return found


def _occupy(bookings: list[Booking], room: Room, units) -> None:
    buffer = datetime.timedelta(minutes=room.buffer_minutes)
    Occupancy.objects.bulk_create(
        Occupancy(booking=booking, room_id=unit, start=booking.start, end=booking.end + buffer)
        for booking in bookings
        for unit in units
    )


def confirm_guarded(bookings: list[Booking], room: Room, user, units=None) -> None:
    """Write the occupancies; on PostgreSQL a concurrent clash surfaces here as
    the exclusion constraint's IntegrityError, turned into the same message.
    (SQLite has no such constraint: its writers are serialised, and the check
    before this write saw every committed booking.)"""
    units = units or room.units()
    if connection.vendor != "postgresql":
        _occupy(bookings, room, units)
        return
    try:
        with transaction.atomic():
            _occupy(bookings, room, units)
    except IntegrityError as error:
        clash = clashes_with(
            room,
            [Slot(b.start, b.end) for b in bookings],
            units=units,
            exclude_ids=[b.pk for b in bookings],
        )
        other = next(iter(clash.values()), None)
        raise ValidationError(
            _("The room was booked by someone else a moment ago: %(other)s. Choose another time.")
            % {"other": describe_for(other, user) if other else _("another booking")}
        ) from error
