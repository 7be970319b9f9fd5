"""What seasons adds to bookings' writes (bookings.extensions): a date
cancelled or released anywhere — its series' "Release", a cancellation, the
release page from the ask's mail — answers the ask to confirm it (released),
and is offered to the waiting list for its room and time at once, unless the
house is closed that day. The beat task (``offers_expire``) stays
as the net for a write that did not reach here."""

from django.utils import timezone

from bookings.models import AuditEntry, Booking, Status


def dates_cancelled(sender, bookings, action, **kwargs) -> None:
    if action != AuditEntry.Action.CANCELLED:
        return
    from .models import ConfirmAsk, WaitingEntry
    from .services.giveback import offer_next

    ConfirmAsk.objects.filter(
        booking__in=[booking.pk for booking in bookings if booking.series_id]
    ).update(answer=ConfirmAsk.Answer.RELEASED)
    rooms = {booking.room_id for booking in bookings}
    if not WaitingEntry.objects.filter(is_active=True, room_id__in=rooms).exists():
        return
    for released in Booking.objects.filter(
        pk__in=[booking.pk for booking in bookings],
        status=Status.CANCELLED,
        start__gt=timezone.now(),
    ).order_by("start", "pk"):
        offer_next(released=released)
