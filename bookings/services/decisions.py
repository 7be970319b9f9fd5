"""What happens to a booking after it is asked for: a coordinator approves or
declines a request; its actor (or a coordinator) cancels it. Each acts on one
date, this and the following dates, or the whole series."""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from centre.roles import is_coordinator
from centre.selectors import house_rules

from ..models import AuditEntry, Booking, BookingSeries, Occupancy, Status
from ..notifications import booker_is_told
from .occupancy import clashes_with, confirm_guarded
from .rules import Slot, can_book_for, describe_for
from .trail import audit, notify_booker


def scoped(booking: Booking, scope: str):
    """One occurrence, this and following, or the whole series."""
    if scope == "one" or booking.series_id is None:
        return Booking.objects.filter(pk=booking.pk)
    occurrences = Booking.objects.filter(series_id=booking.series_id)
    if scope == "following":
        return occurrences.filter(start__gte=booking.start)
    if scope == "series":
        return occurrences
    raise ValidationError(_("Choose one occurrence, this and following, or the whole series."))


@transaction.atomic
def booking_approve(*, booking: Booking, by, scope="one") -> list[Booking]:
    if not is_coordinator(by):
        raise ValidationError(_("Only coordinators approve bookings."))
    bookings = list(
        scoped(booking, scope)
        .filter(status=Status.REQUESTED)
        .select_for_update(of=("self",))
        .select_related("room")
    )
    if not bookings:
        raise ValidationError(_("There is nothing waiting for approval here."))
    room = bookings[0].room
    clash = clashes_with(room, [Slot(b.start, b.end) for b in bookings])
    if clash:
        raise ValidationError(
            _(
                "Approving would double-book the room: %(dates)s. Decline those dates or move them first."
            )
            % {"dates": ", ".join(describe_for(other, by) for other in clash.values())}
        )
    Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(status=Status.CONFIRMED)
    for b in bookings:
        b.status = Status.CONFIRMED
    confirm_guarded(bookings, room, by)
    audit(bookings, by=by, action=AuditEntry.Action.APPROVED)
    notify_booker(bookings, AuditEntry.Action.APPROVED, by)
    return bookings


@transaction.atomic
def booking_decline(*, booking: Booking, by, reason: str, scope="one") -> list[Booking]:
    if not is_coordinator(by):
        raise ValidationError(_("Only coordinators decline bookings."))
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Give a reason, so the booker knows what to do instead.")}
        )
    bookings = list(scoped(booking, scope).filter(status=Status.REQUESTED).select_for_update())
    if not bookings:
        raise ValidationError(_("There is nothing waiting for approval here."))
    Booking.objects.filter(pk__in=[b.pk for b in bookings]).update(status=Status.DECLINED)
    audit(bookings, by=by, action=AuditEntry.Action.DECLINED, note=reason.strip())
    notify_booker(bookings, AuditEntry.Action.DECLINED, by, reason.strip())
    return bookings


def can_change(user, booking: Booking | BookingSeries) -> bool:
    """Change, move or cancel a booking, or act on a series: its actor's
    bookers and administrators, and coordinators."""
    return is_coordinator(user) or can_book_for(user, booking.actor)


def _cancellable(booking: Booking, by, scope: str):
    if not can_change(by, booking):
        raise ValidationError(_("You can only cancel your own actor's bookings."))
    return scoped(booking, scope).filter(
        status__in=[Status.REQUESTED, Status.CONFIRMED], end__gt=timezone.now()
    )


def _deadline() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=house_rules()[0].cancellation_deadline_hours)


@dataclass(frozen=True)
class CancelPreview:
    """What `booking_cancel` would do with the same arguments."""

    count: int
    first: datetime.datetime
    last: datetime.datetime
    late: int  # dates inside the cancellation deadline, counted as late
    told: list  # the people who will be e-mailed about it


def cancel_preview(*, booking: Booking, by, scope="one") -> CancelPreview:
    """Count what a cancellation would do, changing nothing: how many dates,
    how many of them late, and who will be told (as `booking_cancel` then tells them)."""
    rows = list(
        _cancellable(booking, by, scope)
        .order_by("start")
        .values_list("start", "status", "booked_by_id")
    )
    if not rows:
        raise ValidationError(_("There is nothing left to cancel here."))
    deadline = _deadline()
    booked_by = rows[0][2]
    told = (
        list(get_user_model().objects.filter(pk=booked_by))
        if booker_is_told(AuditEntry.Action.CANCELLED, booked_by, by.pk)
        else []
    )
    return CancelPreview(
        count=len(rows),
        first=rows[0][0],
        last=rows[-1][0],
        late=sum(
            1 for start, status, _b in rows if status == Status.CONFIRMED and start < deadline
        ),
        told=told,
    )


@transaction.atomic
def booking_cancel(*, booking: Booking, by, scope="one", reason="") -> list[Booking]:
    """Cancel; after the centre's deadline it is allowed but counted as late."""
    bookings = list(_cancellable(booking, by, scope).select_for_update())
    if not bookings:
        raise ValidationError(_("There is nothing left to cancel here."))
    deadline = _deadline()
    late = [b.pk for b in bookings if b.status == Status.CONFIRMED and b.start < deadline]
    ids = [b.pk for b in bookings]
    Occupancy.objects.filter(booking_id__in=ids).delete()
    now = timezone.now()
    # A cancelled date stays in the feeds for a while (STATUS:CANCELLED, SEQUENCE
    # bumped), so calendars that subscribed to it hear of the cancellation.
    Booking.objects.filter(pk__in=ids).update(
        status=Status.CANCELLED, sequence=F("sequence") + 1, updated=now
    )
    confirmed = [b.pk for b in bookings if b.status == Status.CONFIRMED]
    Booking.objects.filter(pk__in=confirmed).update(cancelled_at=now)
    Booking.objects.filter(pk__in=late).update(cancelled_late=True)
    audit(bookings, by=by, action=AuditEntry.Action.CANCELLED, note=reason)
    notify_booker(bookings, AuditEntry.Action.CANCELLED, by, reason)
    return bookings


@transaction.atomic
def date_release(*, booking: Booking, by) -> Booking:
    """Give back one date of a series (its page's "Release", the season's
    release page): the date is cancelled with the reason "Released" — late
    when inside the house's deadline — and the apps that listen to
    ``booking_written`` react (seasons offers it to its waiting list)."""
    if booking.series_id is None:
        raise ValidationError(_("Only a date of a weekly series is released here."))
    booking_cancel(booking=booking, by=by, scope="one", reason=_("Released"))
    booking.refresh_from_db()
    return booking
