"""The outbox: with a broker, a task is written in the same transaction as the
change it announces, handed to the broker after the commit and deleted once the
broker has it; what the broker refused waits and is sent by ``flush_outbox``.

These tests hand tasks to the configured broker (the in-memory transport when
embedded, the real Redis in CI's second stage). The task they use is
``flush_outbox`` itself, which is harmless whenever a worker runs it."""

import datetime
import time

import pytest
from celery.signals import worker_ready
from django.db import transaction
from django.utils import timezone

from centre import outbox
from centre.celery import app
from centre.models import ClosedDay, OutboxTask
from centre.outbox import Published, enqueue_on_commit, publish
from centre.tasks import fill_public_holidays, flush_outbox

NAME = "centre.tasks.flush_outbox"


@pytest.fixture
def with_broker():
    """Tasks go to the broker instead of running in this process."""
    app.conf.task_always_eager = False
    outbox._broker_away_until = 0.0
    yield
    app.conf.task_always_eager = True
    outbox._broker_away_until = 0.0


def _aged(minutes: int, **fields) -> OutboxTask:
    entry = OutboxTask.objects.create(task=fields.pop("task", NAME), **fields)
    OutboxTask.objects.filter(pk=entry.pk).update(
        created=timezone.now() - datetime.timedelta(minutes=minutes)
    )
    return entry


@pytest.mark.django_db
def test_the_task_is_written_with_the_change_and_sent_after_the_commit(
    with_broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        ClosedDay.objects.create(date="2031-07-01", name="Sommerlukket")
        enqueue_on_commit(flush_outbox, 0, limit=5)
        entry = OutboxTask.objects.get()
        assert (entry.task, entry.args, entry.kwargs) == (NAME, [0], {"limit": 5})
    assert OutboxTask.objects.count() == 1  # committed with the closed day
    assert len(callbacks) == 1
    callbacks[0]()
    assert not OutboxTask.objects.exists()  # the broker took it


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_task(with_broker, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        ClosedDay.objects.create(date="2031-07-01", name="Sommerlukket")
        enqueue_on_commit(flush_outbox, 0)
        raise RuntimeError("the change failed")
    assert callbacks == []
    assert not OutboxTask.objects.exists()
    assert not ClosedDay.objects.filter(name="Sommerlukket").exists()


@pytest.mark.django_db
def test_embedded_tasks_run_here_and_need_no_outbox(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_on_commit(fill_public_holidays)
        assert not OutboxTask.objects.exists()
    assert ClosedDay.objects.count() >= 20  # ran eagerly after the commit
    assert not OutboxTask.objects.exists()


@pytest.mark.django_db
def test_the_flush_sends_what_waited_and_leaves_the_young_to_their_sender(with_broker):
    old = [_aged(10, args=[n]) for n in range(3)]
    young = OutboxTask.objects.create(task=NAME, args=[99])
    assert flush_outbox(grace_seconds=30) == 3
    assert list(OutboxTask.objects.values_list("pk", flat=True)) == [young.pk]
    assert not OutboxTask.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert flush_outbox(grace_seconds=0) == 1
    assert not OutboxTask.objects.exists()


@pytest.mark.django_db
def test_an_unknown_task_waits_for_a_person_and_does_not_block_the_rest(with_broker):
    unknown = _aged(10, task="bookings.tasks.renamed_long_ago")
    known = _aged(5)
    assert flush_outbox(grace_seconds=0) == 1
    unknown.refresh_from_db()
    assert unknown.attempts == 1
    assert "renamed_long_ago" in unknown.last_error
    assert not OutboxTask.objects.filter(pk=known.pk).exists()


@pytest.mark.django_db
def test_publishing_twice_sends_once(with_broker):
    entry = _aged(1)
    assert publish(entry.pk) is Published.SENT
    assert publish(entry.pk) is Published.GONE


@pytest.mark.django_db
def test_a_task_claimed_by_another_process_is_left_to_it_until_the_claim_expires(with_broker):
    """The web process and the flush never both send a task; a process that
    died while sending leaves a claim that expires, and the flush sends it."""
    entry = _aged(10)
    OutboxTask.objects.filter(pk=entry.pk).update(
        claimed_until=timezone.now() + datetime.timedelta(minutes=1)
    )
    assert publish(entry.pk) is Published.GONE
    assert flush_outbox(grace_seconds=0) == 0
    assert OutboxTask.objects.filter(pk=entry.pk).exists()
    OutboxTask.objects.filter(pk=entry.pk).update(
        claimed_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert flush_outbox(grace_seconds=0) == 1
    assert not OutboxTask.objects.exists()


@pytest.mark.django_db
def test_after_a_refusal_requests_leave_the_broker_alone_for_a_pause(
    with_broker, django_capture_on_commit_callbacks
):
    outbox._broker_away_until = time.monotonic() + 60  # this process was just refused
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_on_commit(flush_outbox, 0)
    entry = OutboxTask.objects.get()  # kept for the flush, not tried
    assert (entry.attempts, entry.claimed_until) == (0, None)
    outbox._broker_away_until = 0.0
    assert flush_outbox(grace_seconds=0) == 1


@pytest.mark.django_db
def test_a_worker_that_starts_sends_what_waited_at_once(with_broker):
    OutboxTask.objects.create(task=NAME, args=[0])  # however young
    worker_ready.send(sender=None)
    assert not OutboxTask.objects.exists()
