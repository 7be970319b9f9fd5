"""The weekly digest, sent by beat and workers exactly once per recipient and period.

The names are given explicitly: beat's schedule (centre/settings.py) and the
outbox refer to these tasks by name, whatever module holds them."""

from celery import shared_task
from django.conf import settings

from centre.models import Centre

from .digest import send


@shared_task(name="collaboration.tasks.digest_due")
def digest_due() -> dict:
    """Beat, every few minutes: create the latest due period's rows and send
    what is waiting. Older periods are never created, so a beat that was down
    for days sends the current digest once and no stale ones."""
    send.fail_stale_claims()
    period = send.latest_due(Centre.load())
    figures = send.create_deliveries(period)
    waiting = send.due_deliveries(period)
    for delivery_id in waiting:
        send_digest.delay(delivery_id)
    return {"period": period.isoformat(), "queued": len(waiting), **figures}


@shared_task(
    name="collaboration.tasks.send_digest", bind=True, max_retries=send.MAX_RETRIES, acks_late=True
)
def send_digest(self, delivery_id: int) -> str:
    """Send one row's digest, if this task is the one that claims it."""
    if not send.claim(delivery_id):
        return "not claimed"
    try:
        send.send_claimed(delivery_id)
    except send.SMTP_ERRORS as error:
        if self.request.retries >= self.max_retries:
            send.fail(delivery_id, str(error))
            return "failed"
        if self.request.is_eager:
            # Embedded: no worker comes back later, so try again at once, as
            # many times as a worker would.
            send.release_for_retry(delivery_id, str(error), 0)
            return send_digest.apply(args=[delivery_id], retries=self.request.retries + 1).result
        countdown = settings.SAMHUS_DIGEST_RETRY_SECONDS * 2**self.request.retries
        send.release_for_retry(delivery_id, str(error), countdown)
        raise self.retry(exc=error, countdown=countdown) from error
    return "sent"
