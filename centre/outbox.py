"""The transactional outbox: a task is written in the same transaction as the
change it is about and handed to the broker once that transaction commits. If
the broker is away, the change stands and the task waits in the database
(`OutboxTask`) until `flush` sends it: every minute from beat
(centre.tasks.flush_outbox) and whenever a worker starts.

A row is deleted only when a worker reports its task done (``task_postrun``),
not when the broker takes it: a Redis that crashes with the task queued, or
a worker killed while running it, leaves the row, and the flush hands it over
again after ``SAMHUS_OUTBOX_RESEND_SECONDS``, under the same task id. The
tasks sent this way are idempotent (a mail is sent once per Message-ID,
centre.mail.send_once). A task that ran out of its retries on trouble that
passes (``TRANSIENT``: SMTP or the network away or refusing for a while, the
database away for a moment) stays for the flush to hand over again, so a
mail outage of hours loses nothing; after ``GIVE_UP`` it is marked failed.
Any other failure is marked failed at once and left for the admin. A task a
person waits for (``enqueue_awaited_on_commit``: allauth's mails) runs in the
request when the broker is away, rather than waiting for it.

Infrastructure, not a task module: services of every app import
`enqueue_on_commit` from here."""

import datetime
import enum
import logging
import time

import kombu.exceptions
from celery import current_app, states
from celery.signals import task_postrun, worker_ready
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
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
    _on_commit(task, args, kwargs, awaited=False)


def enqueue_awaited_on_commit(task, *args, **kwargs) -> None:
    """`enqueue_on_commit` for a task a person waits for at the screen (the
    mail with the link to confirm an address or choose a password): when the
    broker is away at the commit, the task runs here, in the request, rather
    than waiting in the outbox for the broker's return. It runs once, without
    its retries (a slow SMTP would hold the request for each); its row stays
    until it is done, so an SMTP that is away too leaves it to the flush."""
    _on_commit(task, args, kwargs, awaited=True)


def _on_commit(task, args: tuple, kwargs: dict, awaited: bool) -> None:
    if current_app.conf.task_always_eager:
        transaction.on_commit(lambda: task.delay(*args, **kwargs))
        return
    entry = OutboxTask.objects.create(task=task.name, args=list(args), kwargs=kwargs)
    # robust: the change is committed; whatever goes wrong here, the row stays for the flush.
    transaction.on_commit(
        lambda: _send_after_commit(entry.pk, run_here=task if awaited else None), robust=True
    )


# After the broker refused this process, its requests do not try again for a
# few seconds (one try can take the connect timeout); the flush sends what waits.
BROKER_PAUSE_SECONDS = 5.0
_broker_away_until = 0.0


def _send_after_commit(pk: int, run_here=None) -> None:
    global _broker_away_until
    if time.monotonic() >= _broker_away_until:
        if publish(pk) is not Published.KEPT:
            return
        _broker_away_until = time.monotonic() + BROKER_PAUSE_SECONDS
    if run_here is not None:
        _run_here(pk, run_here)


def _run_here(pk: int, task) -> None:
    """Run the outbox's task ``pk`` in this process, once, claimed as a hand-over
    is; the end of the run (``_done``) deletes or keeps its row as a worker's does."""
    from .links import LinkingTask, current_base_url

    entry = _claim(pk)
    if entry is None:
        return
    kwargs = dict(entry.kwargs)
    if isinstance(task, LinkingTask) and kwargs.get("base_url") is None:
        kwargs["base_url"] = current_base_url()
    # As its last try: a failure is not retried here but left to the flush.
    task.apply(entry.args, kwargs, task_id=entry.task_id, retries=task.max_retries, throw=False)
    OutboxTask.objects.filter(pk=pk).update(claimed_until=None)


class Published(enum.Enum):
    SENT = "sent"
    GONE = "gone"  # sent already, or being sent by another process
    KEPT = "kept"  # the broker is away; it waits
    UNKNOWN = "unknown"  # no such task in this version of Samhus; it waits for a person


# How long a task that keeps failing on SMTP or the network is handed over again.
GIVE_UP = datetime.timedelta(days=1)
# Trouble that passes: SMTP and the network, and a database that was away for
# a moment (a restart, a failover, a killed connection). A mail task retries
# on it (centre.mail.task), and the outbox hands it over again after its last
# retry, for a day; any other error marks the task failed for the admin.
# Django's OperationalError also covers a few database errors that last (a
# statement timeout, a full disk): they are tried for the day, then failed.
TRANSIENT = (OSError, OperationalError, InterfaceError)

# How long a process may take to hand a claimed task to the broker. A process
# that dies meanwhile leaves the claim to expire; the flush then sends the task.
CLAIM = datetime.timedelta(minutes=5)


def resend_after() -> datetime.timedelta:
    """How long a task handed to the broker may go unreported before it is handed over again."""
    return datetime.timedelta(seconds=settings.SAMHUS_OUTBOX_RESEND_SECONDS)


def publish(pk: int) -> Published:
    """Hand one waiting task to the broker (again, if it was handed over more
    than ``resend_after`` ago and no worker has reported it done). The task is first
    claimed by a conditional update, so the web process and the outbox's flush
    never both send it; no transaction or lock is held while the broker is
    asked."""
    entry = _claim(pk)
    if entry is None:
        return Published.GONE
    task = current_app.tasks.get(entry.task)
    if task is None:
        _release(entry, f"No task named {entry.task}.")
        logger.error("Outbox: no task named %s (#%s); left for the admin.", entry.task, pk)
        return Published.UNKNOWN
    try:
        task.apply_async(entry.args, entry.kwargs, retry=False, task_id=entry.task_id)
    except BROKER_AWAY as error:
        _release(entry, str(error))
        logger.warning(
            "Broker unreachable: %s kept in the outbox (#%s) until it returns.", entry.task, pk
        )
        return Published.KEPT
    # Kept until a worker reports the task done; the flush hands it over again
    # if that has not happened after the resend period.
    OutboxTask.objects.filter(pk=pk).update(sent_at=timezone.now(), claimed_until=None)
    return Published.SENT


def _claim(pk: int) -> OutboxTask | None:
    """The waiting task ``pk``, claimed by a conditional update for ``CLAIM``
    (unless another process holds it, or it was handed over less than
    ``resend_after`` ago); None when it is not this process's to run."""
    now = timezone.now()
    claimed = (
        OutboxTask.objects.filter(pk=pk)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .filter(Q(sent_at__isnull=True) | Q(sent_at__lte=now - resend_after()))
        .update(claimed_until=now + CLAIM)
    )
    return OutboxTask.objects.filter(pk=pk).first() if claimed else None


def _release(entry: OutboxTask, error: str) -> None:
    OutboxTask.objects.filter(pk=entry.pk).update(
        attempts=F("attempts") + 1, last_error=error[:500], claimed_until=None
    )


def flush(grace_seconds: int | None = None, limit: int = 1000) -> int:
    """Send the tasks that waited while the broker was away, and again those
    handed over more than the resend period ago that no worker has reported
    done. Tasks younger than the grace period are left to the web process
    that is sending them. Stops at the first refusal: the broker is still away
    and the rest would only wait for it too."""
    if grace_seconds is None:
        grace_seconds = settings.SAMHUS_OUTBOX_GRACE_SECONDS
    now = timezone.now()
    cutoff = now - datetime.timedelta(seconds=grace_seconds)
    resend = now - resend_after()
    waiting = (
        OutboxTask.objects.filter(created__lte=cutoff, failed_at__isnull=True)
        .filter(Q(sent_at__isnull=True) | Q(sent_at__lte=resend))
        .order_by("created", "pk")
    )
    sent = 0
    for pk in list(waiting.values_list("pk", flat=True)[:limit]):
        outcome = publish(pk)
        if outcome is Published.KEPT:
            break
        sent += outcome is Published.SENT
    if sent:
        logger.info("Outbox: %s waiting task(s) sent.", sent)
    return sent


def outbox_pk(task_id: str | None) -> int | None:
    """The row a task id made by the outbox belongs to (None for other tasks)."""
    parts = (task_id or "").split("-")
    if len(parts) == 3 and parts[0] == "outbox" and parts[1].isdigit():
        return int(parts[1])
    return None


@task_postrun.connect
def _done(sender=None, task_id=None, state=None, retval=None, **kwargs):
    """A worker ran a task from the outbox: delete its row when the task is
    done; when it failed, leave it to be handed over again after the resend
    period if the trouble was passing (``TRANSIENT``, until ``GIVE_UP``), else
    mark it failed. A retry leaves it waiting, its resend period counted
    from now: the retry is on its way (each waits less than the period)."""
    pk = outbox_pk(task_id)
    if pk is None or state not in (states.SUCCESS, states.FAILURE, states.RETRY):
        return
    try:
        rows = OutboxTask.objects.filter(pk=pk)
        if state == states.RETRY:
            rows.update(sent_at=timezone.now())
            return
        if state == states.SUCCESS:
            rows.delete()
            return
        error = str(retval)[:500]
        now = timezone.now()
        if isinstance(retval, TRANSIENT):
            # Handed over again once the resend period has passed since now.
            rows.filter(created__gt=now - GIVE_UP).update(
                sent_at=now, attempts=F("attempts") + 1, last_error=error
            )
            rows = rows.filter(created__lte=now - GIVE_UP)
        rows.update(failed_at=now, last_error=error)
    except Exception:  # the task ran; a row left behind is only run again
        logger.exception("Outbox: could not record the end of %s.", task_id)


@worker_ready.connect
def _flush_when_a_worker_starts(sender=None, **kwargs):
    """A worker that (re)starts after an outage sends what waited at once,
    without waiting for beat's next round."""
    try:
        flush(grace_seconds=0)
    except Exception:  # a failing flush must not stop the worker; beat tries again
        logger.exception("Outbox: the flush at worker start failed.")
