"""What happens to a booking after it is asked for: a coordinator approves or
declines a request; its actor (or a coordinator) cancels it. Each acts on one
date, this and the following dates, or the whole series."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from centre.roles import is_coordinator
from centre.selectors import house_rules

from ..models import AuditEntry, Booking, Occupancy, Status
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


def can_change(user, booking: Booking) -> bool:
    return is_coordinator(user) or can_book_for(user, booking.actor)


@transaction.atomic
def booking_cancel(*, booking: Booking, by, scope="one", reason="") -> list[Booking]:
    """Cancel; after the centre's deadline it is allowed but counted as late."""
    if not can_change(by, booking):
        raise ValidationError(_("You can only cancel your own actor's bookings."))
    bookings = list(
        scoped(booking, scope)
        .filter(status__in=[Status.REQUESTED, Status.CONFIRMED], end__gt=timezone.now())
        .select_for_update()
    )
    if not bookings:
        raise ValidationError(_("There is nothing left to cancel here."))
    deadline = timezone.now() + datetime.timedelta(
        hours=house_rules()[0].cancellation_deadline_hours
    )
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
