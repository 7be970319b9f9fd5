"""When the digest goes out and how each one is delivered exactly once: one
row per recipient and period, claimed by a conditional update before SMTP is
asked, put back for a retry on failure, failed after the last retry.

Exactly once as the recipient sees it: each row's mail has one Message-ID
(``message_key``), whatever the number of attempts. A send that died between
its claim and SMTP's answer (a worker killed) is put back after
``SAMHUS_DIGEST_STALE_SECONDS`` and sent again with that Message-ID, so a mail
program shows one digest even if SMTP got two. Failed rows wait for a
coordinator's "send again" (``resend``).

A digest that is late by more than ``SAMHUS_DIGEST_LATE_HOURS`` (beat was
down, or is started on a copy of last month's data) is not sent by beat: it
waits for a coordinator's "send now"."""

import datetime
import smtplib

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from centre import mail
from centre.models import Centre
from centre.selectors import aware

from ..models import DigestDelivery
from . import archive
from .build import Builder, language_of
from .subscriptions import recipients, verified_addresses

MAX_RETRIES = 5
SMTP_ERRORS = (smtplib.SMTPException, OSError)


def stale_claim() -> datetime.timedelta:
    """A claim older than this is a send that died half-way: it is sent again."""
    return datetime.timedelta(seconds=settings.SAMHUS_DIGEST_STALE_SECONDS)


def message_key(delivery: DigestDelivery) -> str:
    """What names the row's one mail: its Message-ID is made from it (centre.mail)."""
    return f"digest.{delivery.period:%Y%m%d}.{delivery.recipient_id}.{delivery.pk}"


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


def is_late(centre: Centre, period: datetime.date, now: datetime.datetime | None = None) -> bool:
    """True when the period's moment is more than the allowed delay ago."""
    now = now or timezone.now()
    moment = aware(period, centre.digest_time)
    return now - moment > datetime.timedelta(hours=settings.SAMHUS_DIGEST_LATE_HOURS)


def missed(centre: Centre, now: datetime.datetime | None = None) -> datetime.date | None:
    """The latest due period, when it is late and nothing of it was sent: the
    digest that waits for a coordinator's "send now"."""
    period = latest_due(centre, now)
    if is_late(centre, period, now) and not DigestDelivery.objects.filter(period=period).exists():
        return period
    return None


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


def send_claimed(
    delivery_id: int, builder: Builder | None = None, base_url: str | None = None
) -> None:
    """Send a claimed row's mail (its links starting with ``base_url``, see
    Builder) and mark it sent. Raises on SMTP failure, leaving the row
    claimed for the caller to release or fail."""
    delivery = DigestDelivery.objects.select_related("recipient").get(pk=delivery_id)
    builder = builder or Builder(delivery.period, base_url=base_url)
    message = builder.message(delivery.recipient)
    message.extra_headers["Message-ID"] = mail.message_id(message_key(delivery))
    message.send()
    DigestDelivery.objects.filter(pk=delivery_id).update(
        status=DigestDelivery.Status.SENT, sent_at=timezone.now(), error=""
    )
    # The archive keeps the first issue sent in each language (one insert, or nothing).
    archive.keep(builder.rendered(language_of(delivery.recipient)))


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


def requeue_stale_claims() -> dict[str, int]:
    """Sends that died between their claim and SMTP's answer (a worker killed)
    may or may not have reached the recipient. Those with retries left are
    put back to be sent again (with the same Message-ID); the others fail."""
    stale = DigestDelivery.objects.filter(
        status=DigestDelivery.Status.SENDING, claimed_at__lt=timezone.now() - stale_claim()
    )
    failed = stale.filter(attempts__gt=MAX_RETRIES).update(
        status=DigestDelivery.Status.FAILED, error="interrupted while sending"
    )
    requeued = stale.update(
        status=DigestDelivery.Status.PENDING,
        error="interrupted while sending; sent again",
        next_attempt_at=None,
    )
    return {"requeued": requeued, "failed": failed}


def resend(delivery_ids) -> list[int]:
    """A coordinator's "send again" for failed rows: back to waiting, with
    their retries counted afresh. Returns the rows to send."""
    rows = DigestDelivery.objects.filter(pk__in=delivery_ids, status=DigestDelivery.Status.FAILED)
    ids = list(rows.values_list("pk", flat=True))
    DigestDelivery.objects.filter(pk__in=ids).update(
        status=DigestDelivery.Status.PENDING, next_attempt_at=None, attempts=0, error=""
    )
    return ids
