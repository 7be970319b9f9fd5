"""What happens to sign-ups as time passes and dates change: those of a
cancelled or moved date are told (and a cancelled date's cancelled), holds
that lapsed give their place to the waiting list, tomorrow's reminders are
due, and personal data is erased 30 days after the date."""

import datetime

from django.db import transaction
from django.utils import timezone

from bookings.models import Booking
from bookings.models import Status as BookingStatus

from .models import KEEP_DAYS, Reminder, Sheet, SignUp
from .services import enqueue, promote

S = SignUp.Status


def _exactly_known(changes: dict, each: dict, booking: Booking) -> bool:
    return "time" in changes or "from" in each.get(booking.pk, {})


def dates_changed(bookings, action: str, changes: dict, each: dict) -> None:
    """A date cancelled (by its actor, a coordinator or a closed day) or moved:
    everyone signed up is told, in their language; a cancelled date's
    sign-ups are cancelled with it."""
    from bookings.models import AuditEntry

    from . import tasks

    if action == AuditEntry.Action.CANCELLED:
        ids = [b.pk for b in bookings]
        active = list(
            SignUp.objects.filter(
                booking_id__in=ids, status__in=[S.HELD, S.CONFIRMED, S.WAITING]
            ).values_list("pk", "email")
        )
        if not active:
            return
        SignUp.objects.filter(pk__in=[pk for pk, _e in active]).update(
            status=S.CANCELLED, cancelled_at=timezone.now(), held_until=None
        )
        for pk, email in active:
            if email:
                enqueue(tasks.mail_signup, pk, "date-cancelled")
    elif action == AuditEntry.Action.CHANGED:
        moved = [b.pk for b in bookings if _exactly_known(changes, each, b)]
        if not moved:
            return
        for pk in (
            SignUp.objects.filter(booking_id__in=moved, status__in=[S.CONFIRMED, S.WAITING, S.HELD])
            .exclude(email="")
            .values_list("pk", flat=True)
        ):
            enqueue(tasks.mail_signup, pk, "date-moved")


def release_lapsed_holds() -> int:
    """Holds whose 30 minutes passed without a confirmation let go of their
    place: the waiting list is promoted (beat, every few minutes)."""
    now = timezone.now()
    lapsed = list(
        SignUp.objects.filter(status=S.HELD, held_until__lte=now).values_list(
            "sheet_id", "booking_id"
        )
    )
    for sheet_id, booking_id in set(lapsed):
        with transaction.atomic():
            sheet = Sheet.objects.select_for_update().get(pk=sheet_id)
            promote(sheet, Booking.objects.get(pk=booking_id))
    return len(lapsed)


def erase_old(now=None) -> int:
    """Names, e-mails, phones and notes of sign-ups whose date is more than
    KEEP_DAYS days ago are erased; the counts (people, status, attended) stay."""
    now = now or timezone.now()
    old = SignUp.objects.filter(booking__end__lt=now - datetime.timedelta(days=KEEP_DAYS)).filter(
        erased=False
    )
    return old.update(name="", email="", phone="", note="", erased=True)


def reminders_due(now=None) -> list[int]:
    """The reminders of tomorrow's dates: one row per confirmed sign-up with
    an address and day, created once; the rows waiting to be sent."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    signups = SignUp.objects.filter(
        status=S.CONFIRMED,
        booking__status=BookingStatus.CONFIRMED,
        booking__start__date=tomorrow,
        erased=False,
    ).exclude(email="")
    Reminder.objects.bulk_create(
        [Reminder(signup_id=pk, day=tomorrow) for pk in signups.values_list("pk", flat=True)],
        ignore_conflicts=True,
    )
    return list(
        Reminder.objects.filter(day=tomorrow, status=Reminder.Status.PENDING).values_list(
            "pk", flat=True
        )
    )
