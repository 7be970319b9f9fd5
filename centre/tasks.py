import datetime
import enum
import logging

import kombu.exceptions
from celery import current_app, shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import services
from .models import OutboxTask

logger = logging.getLogger(__name__)

# What a broker that is away raises when a task is handed to it.
BROKER_AWAY = (kombu.exceptions.OperationalError, OSError)


@shared_task
def fill_public_holidays() -> int:
    """Keep this and next year's public holidays in the closed days (beat, daily)."""
    year = timezone.localdate().year
    return services.public_holidays_fill(years=[year, year + 1])


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Send a task once the current transaction commits, so a worker never sees
    rows that are not there yet.

    With a broker, the task is first written to the outbox in the same
    transaction: if the broker is away after the commit, the change stands,
    the user sees success, and the task waits in the database until
    ``flush_outbox`` hands it over. Embedded (eager) tasks run in this process
    after the commit; there is no broker to wait for."""
    if current_app.conf.task_always_eager:
        transaction.on_commit(lambda: task.delay(*args, **kwargs))
        return
    entry = OutboxTask.objects.create(task=task.name, args=list(args), kwargs=kwargs)
    transaction.on_commit(lambda: publish(entry.pk))


class Published(enum.Enum):
    SENT = "sent"
    GONE = "gone"  # sent already, or being sent by another process
    KEPT = "kept"  # the broker is away; it waits
    UNKNOWN = "unknown"  # no such task in this version of Samhus; it waits for a person


def publish(pk: int) -> Published:
    """Hand one waiting task to the broker and delete it, under a row lock so
    that the web process and the outbox's flush never both send it."""
    with transaction.atomic():
        entry = OutboxTask.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
        if entry is None:
            return Published.GONE
        task = current_app.tasks.get(entry.task)
        if task is None:
            entry.attempts += 1
            entry.last_error = f"No task named {entry.task}."
            entry.save(update_fields=["attempts", "last_error"])
            logger.error("Outbox: no task named %s (#%s); left for the admin.", entry.task, pk)
            return Published.UNKNOWN
        try:
            task.apply_async(entry.args, entry.kwargs)
        except BROKER_AWAY as error:
            entry.attempts += 1
            entry.last_error = str(error)[:500]
            entry.save(update_fields=["attempts", "last_error"])
            logger.warning(
                "Broker unreachable: %s kept in the outbox (#%s) until it returns.",
                entry.task,
                entry.pk,
            )
            return Published.KEPT
        entry.delete()
        return Published.SENT


@shared_task
def flush_outbox(grace_seconds: int | None = None, limit: int = 1000) -> int:
    """Send the tasks that waited while the broker was away (beat, every
    minute, and when a worker starts). Tasks younger than the grace period are
    left to the web process that is sending them. Stops at the first refusal:
    the broker is still away and the rest would only wait for it too."""
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
        flush_outbox(grace_seconds=0)
    except Exception:  # a failing flush must not stop the worker; beat tries again
        logger.exception("Outbox: the flush at worker start failed.")
