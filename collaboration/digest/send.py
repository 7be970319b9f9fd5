"""When the digest goes out and how each one is delivered exactly once: one
row per recipient and period, claimed by a conditional update before SMTP is
asked, put back for a retry on failure, failed after the last retry."""

import datetime
import smtplib

from django.db.models import F, Q
from django.utils import timezone

from centre.models import Centre
from centre.selectors import aware

from ..models import DigestDelivery
from .build import Builder
from .subscriptions import recipients, verified_addresses

MAX_RETRIES = 5
# A claim older than this is a send that died half-way: marked failed, never resent.
STALE_CLAIM = datetime.timedelta(hours=1)
SMTP_ERRORS = (smtplib.SMTPException, OSError)


def scheduled_moment(centre: Centre, now: datetime.datetime) -> datetime.datetime:
    """This week's scheduled moment (Monday-based week), local time."""
    today = timezone.localdate(now)
    monday = today - datetime.timedelta(days=today.weekday())
    day = monday + datetime.timedelta(days=centre.digest_weekday)
    return aware(day, centre.digest_time)


def latest_due(centre: Centre, now: datetime.datetime | None = None) -> datetime.date:
    """The period whose moment is the latest one at or before ``now``."""
    now = now or timezone.now()
    moment = scheduled_moment(centre, now)
    if moment > now:
        moment -= datetime.timedelta(days=7)
    return timezone.localdate(moment)


def current_period(centre: Centre, now: datetime.datetime | None = None) -> datetime.date:
    """The period "send now" and the preview belong to: the next scheduled
    one (this moment's, if it is now), so that the scheduled run finds it
    sent and does not send it again."""
    now = now or timezone.now()
    moment = scheduled_moment(centre, now)
    if moment < now:
        moment += datetime.timedelta(days=7)
    return timezone.localdate(moment)


def create_deliveries(period: datetime.date) -> dict[str, int]:
    """One row per recipient for ``period`` (existing rows are left alone);
    recipients without a verified address are recorded as skipped."""
    users = recipients(period)
    verified = verified_addresses(users)
    rows = [
        DigestDelivery(
            period=period,
            recipient=user,
            status=DigestDelivery.Status.PENDING
            if user.pk in verified
            else DigestDelivery.Status.SKIPPED,
            error="" if user.pk in verified else "no verified e-mail address",
        )
        for user in users
    ]
    DigestDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    return {
        "recipients": len(users),
        "skipped": sum(1 for user in users if user.pk not in verified),
    }


def due_deliveries(period: datetime.date) -> list[int]:
    """The period's rows waiting to be sent now (not those waiting for a retry)."""
    now = timezone.now()
    return list(
        DigestDelivery.objects.filter(period=period, status=DigestDelivery.Status.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .values_list("pk", flat=True)
    )


def claim(delivery_id: int) -> bool:
    """Take the row for sending; False when someone else has it or it is done."""
    now = timezone.now()
    return bool(
        DigestDelivery.objects.filter(pk=delivery_id, status=DigestDelivery.Status.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=DigestDelivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )


def send_claimed(delivery_id: int, builder: Builder | None = None) -> None:
    """Send a claimed row's mail and mark it sent. Raises on SMTP failure,
    leaving the row claimed for the caller to release or fail."""
    delivery = DigestDelivery.objects.select_related("recipient").get(pk=delivery_id)
    builder = builder or Builder(delivery.period)
    builder.message(delivery.recipient).send()
    DigestDelivery.objects.filter(pk=delivery_id).update(
        status=DigestDelivery.Status.SENT, sent_at=timezone.now(), error=""
    )


def release_for_retry(delivery_id: int, error: str, countdown: float) -> None:
    DigestDelivery.objects.filter(pk=delivery_id, status=DigestDelivery.Status.SENDING).update(
        status=DigestDelivery.Status.PENDING,
        error=error[:1000],
        next_attempt_at=timezone.now() + datetime.timedelta(seconds=countdown),
    )


def fail(delivery_id: int, error: str) -> None:
    DigestDelivery.objects.filter(pk=delivery_id).update(
        status=DigestDelivery.Status.FAILED, error=error[:1000]
    )


def fail_stale_claims() -> int:
    """A send that died between claim and SMTP's answer may or may not have
    gone out: it is marked failed for a coordinator to look at, never resent."""
    return DigestDelivery.objects.filter(
        status=DigestDelivery.Status.SENDING, claimed_at__lt=timezone.now() - STALE_CLAIM
    ).update(status=DigestDelivery.Status.FAILED, error="interrupted while sending")
