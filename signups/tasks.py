"""The sign-ups' mails and periodic tasks. Each mail has a Message-ID made
from the sign-up and what it says (and, for a moved date, the date's
SEQUENCE), so a task run twice sends it once (centre.mail.send_once).
Reminders are sent exactly once per sign-up and day: one row each, claimed
by a conditional update before SMTP is asked (as the digest's deliveries)."""

import datetime
import smtplib

from celery import shared_task
from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from bookings.calendar import feeds
from centre import links, mail

from . import services, upkeep
from .models import Reminder, SignUp

KINDS = {
    "confirm",  # confirm your address (with the hold's time)
    "again",  # the same address signed up again: your existing sign-up
    "confirmed",  # you are signed up: the .ics and the cancel link
    "promoted",  # a place came free: you are signed up
    "date-cancelled",
    "date-moved",
    "reminder",
}
WITH_ICS = {"confirmed", "promoted", "date-moved", "reminder"}
SMTP_ERRORS = (smtplib.SMTPException, OSError)
MAX_RETRIES = 5


def message_for(signup: SignUp, kind: str, base_url: str | None = None):
    booking = signup.booking
    context = {
        "signup": signup,
        "booking": booking,
        "start": timezone.localtime(booking.start),
        "end": timezone.localtime(booking.end),
        "kind": kind,
        "sheet": signup.sheet,
        "hold_minutes": services.HOLD_MINUTES,
        "confirm_url": links.absolute(
            reverse("signups:confirm", args=[signup.token]), given=base_url
        ),
        "cancel_url": links.absolute(
            reverse("signups:cancel", args=[signup.token]), given=base_url
        ),
        "activity_url": links.absolute(
            reverse("bookings:activity", args=[booking.pk]), given=base_url
        ),
    }
    message = mail.message(
        to=[signup.email],
        template=f"signups/email/{kind.replace('-', '_')}",
        context=context,
        language=signup.language,
    )
    if kind in WITH_ICS and signup.status == SignUp.Status.CONFIRMED:
        message.attach(f"activity-{booking.pk}.ics", feeds.activity_ics(booking), "text/calendar")
    return message


def _load(signup_id: int) -> SignUp | None:
    return (
        SignUp.objects.select_related("booking__room", "booking__actor", "sheet")
        .filter(pk=signup_id, erased=False)
        .exclude(email="")
        .first()
    )


@mail.task("signups.tasks.mail_signup")
def mail_signup(self, signup_id: int, kind: str, base_url: str | None = None) -> str:
    signup = _load(signup_id)
    if signup is None or kind not in KINDS:
        return "nothing"
    key = f"signup.{kind}.{signup.pk}"
    if kind == "date-moved":
        key += f".{signup.booking.sequence}"
    if kind == "again":
        key += f".{self.request.id}"
    sent = mail.send_once(message_for(signup, kind, base_url), key)
    return "sent" if sent else "skipped"


@shared_task(name="signups.tasks.reminders_due")
def reminders_due() -> int:
    """Beat, every 15 minutes: the reminders of tomorrow's dates."""
    requeue_stale_claims()
    waiting = upkeep.reminders_due()
    for reminder_id in waiting:
        send_reminder.delay(reminder_id)
    return len(waiting)


def claim(reminder_id: int) -> bool:
    return bool(
        Reminder.objects.filter(pk=reminder_id, status=Reminder.Status.PENDING).update(
            status=Reminder.Status.SENDING,
            claimed_at=timezone.now(),
            attempts=F("attempts") + 1,
        )
    )


def requeue_stale_claims() -> int:
    """A send that died half-way (its worker killed) is sent again, with the
    same Message-ID, so the recipient sees one reminder."""
    stale = Reminder.objects.filter(
        status=Reminder.Status.SENDING,
        claimed_at__lt=timezone.now()
        - datetime.timedelta(seconds=settings.SAMHUS_DIGEST_STALE_SECONDS),
    )
    stale.filter(attempts__gt=MAX_RETRIES).update(status=Reminder.Status.FAILED)
    return stale.update(status=Reminder.Status.PENDING)


@shared_task(
    name="signups.tasks.send_reminder",
    base=links.LinkingTask,
    bind=True,
    max_retries=MAX_RETRIES,
    acks_late=True,
)
def send_reminder(self, reminder_id: int, base_url: str | None = None) -> str:
    if not claim(reminder_id):
        return "not claimed"
    reminder = Reminder.objects.get(pk=reminder_id)
    signup = _load(reminder.signup_id)
    if (
        signup is None
        or signup.status != SignUp.Status.CONFIRMED
        or signup.booking.status != "confirmed"
        or timezone.localdate(signup.booking.start) != reminder.day
    ):
        Reminder.objects.filter(pk=reminder_id).update(status=Reminder.Status.SKIPPED)
        return "skipped"
    message = message_for(signup, "reminder", base_url)
    message.extra_headers["Message-ID"] = mail.message_id(f"signup.reminder.{reminder.pk}")
    try:
        message.send()
    except SMTP_ERRORS as error:
        if self.request.retries >= self.max_retries or self.request.is_eager:
            Reminder.objects.filter(pk=reminder_id).update(
                status=Reminder.Status.FAILED, error=str(error)[:500]
            )
            return "failed"
        Reminder.objects.filter(pk=reminder_id).update(
            status=Reminder.Status.PENDING, error=str(error)[:500]
        )
        raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error
    Reminder.objects.filter(pk=reminder_id).update(
        status=Reminder.Status.SENT, sent_at=timezone.now()
    )
    return "sent"


@shared_task(name="signups.tasks.release_holds")
def release_holds() -> int:
    """Beat, every few minutes: lapsed holds let the waiting list in."""
    return upkeep.release_lapsed_holds()


@shared_task(name="signups.tasks.erase_personal_data")
def erase_personal_data() -> int:
    """Beat, daily: sign-ups' personal fields 30 days after their date."""
    return upkeep.erase_old()
