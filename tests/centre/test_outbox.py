"""The outbox: with a broker, a task is written in the same transaction as the
change it announces, handed to the broker after the commit and deleted once a
worker reports it done; what the broker refused, or lost, is sent (again) by
``flush_outbox``.

These tests hand tasks to the configured broker (the in-memory transport when
embedded, the real Redis in CI's second stage). The task they use is
``flush_outbox`` itself, which is harmless whenever a worker runs it."""

import contextlib
import datetime
import time
from unittest import mock

import kombu
import pytest
from celery import states
from celery.signals import task_postrun, worker_ready
from django.db import transaction
from django.utils import timezone

from centre import outbox
from centre.celery import app
from centre.models import ClosedDay, OutboxTask
from centre.outbox import Published, enqueue_on_commit, publish
from centre.tasks import fill_public_holidays, flush_outbox
from tests.conftest import free_port

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


@contextlib.contextmanager
def handed_over():
    """The task ids handed to the broker meanwhile, which takes none of them."""
    sent = []
    with mock.patch.object(
        app.tasks[NAME], "apply_async", side_effect=lambda *a, **k: sent.append(k["task_id"])
    ):
        yield sent


def _handed_over_ago(entry: OutboxTask, seconds: int) -> None:
    OutboxTask.objects.filter(pk=entry.pk).update(
        sent_at=timezone.now() - datetime.timedelta(seconds=seconds)
    )


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
    entry = OutboxTask.objects.get()  # the broker has it; kept until a worker has run it
    assert entry.sent_at is not None


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
    assert list(waiting()) == [young.pk]
    assert not waiting().filter(pk__in=[e.pk for e in old]).exists()
    assert flush_outbox(grace_seconds=0) == 1
    assert not waiting().exists()
    assert flush_outbox(grace_seconds=0) == 0  # handed over: left to the worker for now


@pytest.mark.django_db
def test_an_unknown_task_waits_for_a_person_and_does_not_block_the_rest(with_broker):
    unknown = _aged(10, task="bookings.tasks.renamed_long_ago")
    known = _aged(5)
    assert flush_outbox(grace_seconds=0) == 1
    unknown.refresh_from_db()
    assert unknown.attempts == 1
    assert "renamed_long_ago" in unknown.last_error
    assert not waiting().filter(pk=known.pk).exists()


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
    assert not waiting().exists()


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
    assert not waiting().exists()


def waiting():
    """The rows not yet handed to the broker."""
    return OutboxTask.objects.filter(sent_at__isnull=True).values_list("pk", flat=True)


@pytest.mark.django_db
def test_a_row_goes_when_a_worker_reports_its_task_done_and_not_before(with_broker):
    entry = _aged(1)
    assert publish(entry.pk) is Published.SENT
    entry.refresh_from_db()
    assert entry.task_id.startswith(f"outbox-{entry.pk}-")
    task_postrun.send(sender=None, task_id=entry.task_id, state=states.RETRY, retval=None)
    assert OutboxTask.objects.filter(pk=entry.pk).exists()  # a retry: still on its way
    task_postrun.send(sender=None, task_id="some-other-task", state=states.SUCCESS, retval=1)
    assert OutboxTask.objects.filter(pk=entry.pk).exists()
    task_postrun.send(sender=None, task_id=entry.task_id, state=states.SUCCESS, retval=0)
    assert not OutboxTask.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_a_task_that_failed_for_good_is_kept_for_the_admin_and_not_sent_again(with_broker):
    entry = _aged(60)
    assert publish(entry.pk) is Published.SENT
    task_postrun.send(
        sender=None, task_id=entry.task_id, state=states.FAILURE, retval=ValueError("bad")
    )
    entry.refresh_from_db()
    assert entry.failed_at is not None and entry.last_error == "bad"
    OutboxTask.objects.filter(pk=entry.pk).update(
        sent_at=timezone.now() - datetime.timedelta(days=1)
    )
    assert flush_outbox(grace_seconds=0) == 0


@pytest.mark.django_db
def test_a_task_that_ran_out_of_retries_on_smtp_is_handed_over_again_until_a_day_has_passed(
    with_broker, settings
):
    """SMTP refused for longer than a task's retries: the row stays and the
    flush hands it over again after the resend period, for a day; then it is
    marked failed. A retry on its way restarts the resend period."""
    import smtplib

    settings.SAMHUS_OUTBOX_RESEND_SECONDS = 600
    entry = _aged(60)
    with handed_over() as sent:
        assert publish(entry.pk) is Published.SENT
        _handed_over_ago(entry, seconds=601)
        task_postrun.send(sender=None, task_id=entry.task_id, state=states.RETRY, retval=None)
        assert flush_outbox(grace_seconds=0) == 0  # the retry is on its way
        refused = smtplib.SMTPDataError(451, b"4.3.0 Try again later")
        task_postrun.send(sender=None, task_id=entry.task_id, state=states.FAILURE, retval=refused)
        entry.refresh_from_db()
        assert entry.failed_at is None and entry.attempts == 1 and "Try again" in entry.last_error
        assert flush_outbox(grace_seconds=0) == 0  # not before the resend period
        _handed_over_ago(entry, seconds=601)
        assert flush_outbox(grace_seconds=0) == 1
        OutboxTask.objects.filter(pk=entry.pk).update(
            created=timezone.now() - outbox.GIVE_UP - datetime.timedelta(minutes=1)
        )
        task_postrun.send(sender=None, task_id=entry.task_id, state=states.FAILURE, retval=refused)
    entry.refresh_from_db()
    assert entry.failed_at is not None
    assert sent == [entry.task_id, entry.task_id]


@pytest.mark.django_db
def test_a_task_no_worker_reported_done_is_handed_over_again_under_the_same_id(
    with_broker, settings
):
    """Redis crashed with it queued, or its worker was killed: the flush hands
    it over again after the resend period, with the same task id, so what the
    task does once per id (a mail's Message-ID) stays the same."""
    settings.SAMHUS_OUTBOX_RESEND_SECONDS = 600
    entry = _aged(30)
    with handed_over() as sent:
        assert publish(entry.pk) is Published.SENT
        assert flush_outbox(grace_seconds=0) == 0  # handed over just now
        _handed_over_ago(entry, seconds=601)
        assert flush_outbox(grace_seconds=0) == 1
    assert sent == [entry.task_id, entry.task_id]
    assert OutboxTask.objects.filter(pk=entry.pk).exists()


def test_a_broker_that_refuses_costs_a_request_no_wait(with_broker, settings):
    """Nothing listens on the broker's port (Redis down): the web process's
    one hand-over fails at once, and the task waits in the outbox, instead of
    the broker connection's default retries holding the request about 2 s.
    (A broker frozen with its port open costs the socket timeout, 1 s.)"""
    address = f"redis://127.0.0.1:{free_port()}/0"
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    with kombu.Connection(address, transport_options=options) as connection:
        started = time.monotonic()
        with pytest.raises(outbox.BROKER_AWAY):
            flush_outbox.apply_async((0,), retry=False, connection=connection)
        assert time.monotonic() - started < 1.0


@pytest.mark.django_db
def test_a_task_that_ran_out_of_retries_while_the_database_was_away_is_handed_over_again(
    with_broker,
):
    """Like SMTP trouble, a database away for a moment (a restart, a failover)
    leaves the task for the flush to hand over again; an error in the code is
    marked failed at once, for the admin."""
    from django.db import OperationalError

    away, broken = _aged(60), _aged(60)
    with mock.patch.object(app.tasks[NAME], "apply_async"):
        assert publish(away.pk) is publish(broken.pk) is Published.SENT
    gone = OperationalError("server closed the connection unexpectedly")
    task_postrun.send(sender=None, task_id=away.task_id, state=states.FAILURE, retval=gone)
    bug = ValueError("a bug")
    task_postrun.send(sender=None, task_id=broken.task_id, state=states.FAILURE, retval=bug)
    away.refresh_from_db()
    broken.refresh_from_db()
    assert away.failed_at is None and away.attempts == 1 and "closed" in away.last_error
    assert broken.failed_at is not None


def _rendered(to: str) -> dict:
    return {
        "subject": "Vælg en ny adgangskode",
        "body": "Linket: https://samhus.example/accounts/password/reset/key/x/",
        "from_email": "Samhus <samhus@example.org>",
        "to": [to],
        "headers": {},
        "alternatives": [],
        "key": f"account.test.{to}",
    }


@pytest.mark.django_db
def test_a_mail_someone_waits_for_is_sent_here_when_the_broker_is_away(
    with_broker, django_capture_on_commit_callbacks, mailoutbox
):
    """A password reset while Redis is down: the mail with the link leaves
    from the request, once, instead of waiting for Redis; a notification
    (enqueue_on_commit) waits in the outbox as before."""
    from centre.outbox import enqueue_awaited_on_commit
    from centre.tasks import send_rendered_mail

    away = kombu.exceptions.OperationalError("Connection refused")
    with (
        mock.patch.object(send_rendered_mail, "apply_async", side_effect=away),
        mock.patch.object(app.tasks[NAME], "apply_async", side_effect=away),
        django_capture_on_commit_callbacks(execute=True),
    ):
        enqueue_awaited_on_commit(send_rendered_mail, _rendered("glemt@example.org"))
        enqueue_on_commit(flush_outbox, 0)
    assert [m.to for m in mailoutbox] == [["glemt@example.org"]]
    [waiting] = OutboxTask.objects.all()  # the reset's row is done and gone
    assert waiting.task == NAME and waiting.claimed_until is None


@pytest.mark.django_db
def test_a_mail_someone_waits_for_is_tried_once_here_and_left_to_the_flush(
    with_broker, django_capture_on_commit_callbacks, mailoutbox
):
    """Redis and SMTP both away: one try in the request (no retries there,
    each could take the SMTP timeout), then the row waits for the flush."""
    from django.core.mail import EmailMultiAlternatives

    from centre.outbox import enqueue_awaited_on_commit
    from centre.tasks import send_rendered_mail

    away = kombu.exceptions.OperationalError("Connection refused")
    tries = []

    def smtp_away(self, *args, **kwargs):
        tries.append(self.to)
        raise ConnectionRefusedError("SMTP is away")

    with (
        mock.patch.object(send_rendered_mail, "apply_async", side_effect=away),
        mock.patch.object(EmailMultiAlternatives, "send", smtp_away),
        django_capture_on_commit_callbacks(execute=True),
    ):
        enqueue_awaited_on_commit(send_rendered_mail, _rendered("glemt@example.org"))
    assert tries == [["glemt@example.org"]] and mailoutbox == []
    entry = OutboxTask.objects.get()
    assert entry.failed_at is None and entry.claimed_until is None
    assert entry.sent_at is not None and "SMTP is away" in entry.last_error
