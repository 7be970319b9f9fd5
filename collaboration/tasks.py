"""The weekly digest, sent by beat and workers exactly once per recipient and period."""

from celery import shared_task
from django.conf import settings

from centre.models import Centre

from . import digest


@shared_task
def digest_due() -> dict:
    """Beat, every few minutes: create the latest due period's rows and send
    what is waiting. Older periods are never created, so a beat that was down
    for days sends the current digest once and no stale ones."""
    digest.fail_stale_claims()
    period = digest.latest_due(Centre.load())
    figures = digest.create_deliveries(period)
    waiting = digest.due_deliveries(period)
    for delivery_id in waiting:
        send_digest.delay(delivery_id)
    return {"period": period.isoformat(), "queued": len(waiting), **figures}


@shared_task(bind=True, max_retries=digest.MAX_RETRIES, acks_late=True)
def send_digest(self, delivery_id: int) -> str:
    """Send one row's digest, if this task is the one that claims it."""
    if not digest.claim(delivery_id):
        return "not claimed"
    try:
        digest.send_claimed(delivery_id)
    except digest.SMTP_ERRORS as error:
        if self.request.retries >= self.max_retries:
            digest.fail(delivery_id, str(error))
            return "failed"
        if self.request.is_eager:
            # Embedded: no worker comes back later, so try again at once, as
            # many times as a worker would.
            digest.release_for_retry(delivery_id, str(error), 0)
            return send_digest.apply(args=[delivery_id], retries=self.request.retries + 1).result
        countdown = settings.SAMHUS_DIGEST_RETRY_SECONDS * 2**self.request.retries
        digest.release_for_retry(delivery_id, str(error), countdown)
        raise self.retry(exc=error, countdown=countdown) from error
    return "sent"
