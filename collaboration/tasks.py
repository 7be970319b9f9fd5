"""The weekly digest, sent by beat and workers exactly once per recipient and period.
The collaboration log's mails are tasks too; they live in
collaboration.log.notifications and are imported here, so a worker that
discovers this module registers them.

The names are given explicitly: beat's schedule (centre/settings.py) and the
outbox refer to these tasks by name, whatever module holds them."""

import logging

from celery import shared_task
from django.conf import settings

from centre import links
from centre.models import Centre

from .digest import send
from .log.notifications import notify_dispute, notify_partners

__all__ = ["digest_due", "notify_dispute", "notify_partners", "send_digest"]

logger = logging.getLogger(__name__)


@shared_task(name="collaboration.tasks.digest_due")
def digest_due() -> dict:
    """Beat, every few minutes: create the latest due period's rows, unless
    that period is hours late, and send what is waiting in it (and in the
    coming period, if a coordinator sent it early). Sends that died half-way
    are sent again. Older periods are never created."""
    requeued = send.requeue_stale_claims()
    centre = Centre.load()
    period = send.latest_due(centre)
    figures = {}
    late = send.is_late(centre, period)
    if not late:
        figures = send.create_deliveries(period)
    elif send.missed(centre) == period:
        logger.warning("The digest of %s is late; it waits for a coordinator's 'send now'.", period)
    waiting = send.due_deliveries(period) + send.due_deliveries(send.current_period(centre))
    for delivery_id in waiting:
        send_digest.delay(delivery_id)
    return {
        "period": period.isoformat(),
        "late": late,
        "queued": len(waiting),
        **figures,
        **requeued,
    }


@shared_task(
    name="collaboration.tasks.send_digest",
    base=links.LinkingTask,
    bind=True,
    max_retries=send.MAX_RETRIES,
    acks_late=True,
)
def send_digest(self, delivery_id: int, base_url: str | None = None) -> str:
    """Send one row's digest, if this task is the one that claims it; its
    links start with ``base_url`` (the request's that sent it now) or SITE_URL."""
    if not send.claim(delivery_id):
        return "not claimed"
    try:
        send.send_claimed(delivery_id, base_url=base_url)
    except send.SMTP_ERRORS as error:
        if self.request.retries >= self.max_retries:
            send.fail(delivery_id, str(error))
            return "failed"
        if self.request.is_eager:
            # Embedded: no worker comes back later, so try again at once, as
            # many times as a worker would.
            send.release_for_retry(delivery_id, str(error), 0)
            return send_digest.apply(
                args=[delivery_id],
                kwargs={"base_url": base_url},
                retries=self.request.retries + 1,
            ).result
        countdown = settings.SAMHUS_DIGEST_RETRY_SECONDS * 2**self.request.retries
        send.release_for_retry(delivery_id, str(error), countdown)
        raise self.retry(exc=error, countdown=countdown) from error
    return "sent"
