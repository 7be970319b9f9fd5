"""The transactional outbox: a task is written in the same transaction as the
change it is about and handed to the broker once that transaction commits. If
the broker is away, the change stands and the task waits in the database
(`OutboxTask`) until `flush` sends it: every minute from beat
(centre.tasks.flush_outbox) and whenever a worker starts.

Infrastructure, not a task module: services of every app import
`enqueue_on_commit` from here."""

import datetime
import enum
import logging
import time

import kombu.exceptions
from celery import current_app
from celery.signals import worker_ready
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import OutboxTask

logger = logging.getLogger(__name__)

# What a broker that is away raises when a task is handed to it.
BROKER_AWAY = (kombu.exceptions.OperationalError, OSError)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Send a task once the current transaction commits, so a worker never sees
    rows that are not there yet.

    With a broker, the task is first written to the outbox in the same
    transaction: if the broker is away after the commit, the change stands,
    the user sees success, and the task waits in the database until
    ``flush`` hands it over. Embedded (eager) tasks run in this process
    after the commit; there is no broker to wait for."""
    if current_app.conf.task_always_eager:
        transaction.on_commit(lambda: task.delay(*args, **kwargs))
        return
    entry = OutboxTask.objects.create(task=task.name, args=list(args), kwargs=kwargs)
    # robust: the change is committed; whatever goes wrong here, the row stays for the flush.
    transaction.on_commit(lambda: _send_after_commit(entry.pk), robust=True)


# After the broker refused this process, its requests do not try again for a
# few seconds (one try can take the connect timeout); the flush sends what waits.
BROKER_PAUSE_SECONDS = 5.0
_broker_away_until = 0.0


def _send_after_commit(pk: int) -> None:
    global _broker_away_until
    if time.monotonic() < _broker_away_until:
        return
    if publish(pk) is Published.KEPT:
        _broker_away_until = time.monotonic() + BROKER_PAUSE_SECONDS


class Published(enum.Enum):
    SENT = "sent"
    GONE = "gone"  # sent already, or being sent by another process
    KEPT = "kept"  # the broker is away; it waits
    UNKNOWN = "unknown"  # no such task in this version of Samhus; it waits for a person


# How long a process may take to hand a claimed task to the broker. A process
# that dies meanwhile leaves the claim to expire; the flush then sends the task.
CLAIM = datetime.timedelta(minutes=5)


def publish(pk: int) -> Published:
    """Hand one waiting task to the broker and delete it. The task is first
    claimed by a conditional update, so the web process and the outbox's flush
    never both send it; no transaction or lock is held while the broker is
    asked."""
    now = timezone.now()
    claimed = (
        OutboxTask.objects.filter(pk=pk)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM)
    )
    entry = OutboxTask.objects.filter(pk=pk).first() if claimed else None
    if entry is None:
        return Published.GONE
    task = current_app.tasks.get(entry.task)
    if task is None:
        _release(entry, f"No task named {entry.task}.")
        logger.error("Outbox: no task named %s (#%s); left for the admin.", entry.task, pk)
        return Published.UNKNOWN
    try:
        task.apply_async(entry.args, entry.kwargs, retry=False)
    except BROKER_AWAY as error:
        _release(entry, str(error))
        logger.warning(
            "Broker unreachable: %s kept in the outbox (#%s) until it returns.", entry.task, pk
        )
        return Published.KEPT
    OutboxTask.objects.filter(pk=pk).delete()
    return Published.SENT


def _release(entry: OutboxTask, error: str) -> None:
    OutboxTask.objects.filter(pk=entry.pk).update(
        attempts=F("attempts") + 1, last_error=error[:500], claimed_until=None
    )


def flush(grace_seconds: int | None = None, limit: int = 1000) -> int:
    """Send the tasks that waited while the broker was away. Tasks younger
    than the grace period are left to the web process that is sending them.
    Stops at the first refusal: the broker is still away and the rest would
    only wait for it too."""
    if grace_seconds is None:
        grace_seconds = settings.SAMHUS_OUTBOX_GRACE_SECONDS
    cutoff = timezone.now() - datetime.timedelta(seconds=grace_seconds)
    waiting = OutboxTask.objects.filter(created__lte=cutoff).order_by("created", "pk")
    sent = 0
    for pk in list(waiting.values_list("pk", flat=True)[:limit]):
        outcome = publish(pk)
        if outcome is Published.KEPT:
            break
        sent += outcome is Published.SENT
    if sent:
        logger.info("Outbox: %s waiting task(s) sent.", sent)
    return sent


@worker_ready.connect
def _flush_when_a_worker_starts(sender=None, **kwargs):
    """A worker that (re)starts after an outage sends what waited at once,
    without waiting for beat's next round."""
    try:
        flush(grace_seconds=0)
    except Exception:  # a failing flush must not stop the worker; beat tries again
        logger.exception("Outbox: the flush at worker start failed.")
