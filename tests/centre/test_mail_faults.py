"""Mail under faults, with real components: PostgreSQL, a Celery worker on a
real Redis, and an SMTP server on loopback that can be slow.

- A worker killed (SIGKILL, pool and all) while the digest is half sent:
  every recipient ends with the digest under exactly one Message-ID.
- An SMTP server that answers after the client's timeout although it took
  the message: the retry carries the same Message-ID.
- Redis killed with notifications queued: they arrive once it is back, with
  compose's append-only file, and without it (the outbox hands them over
  again)."""

import subprocess
import sys
import time

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings

from centre.models import Centre, OutboxTask
from collaboration import digest
from collaboration.models import DigestDelivery
from collaboration.tasks import digest_due, send_digest
from tests.conftest import (
    REPO,
    Mailbox,
    RedisServer,
    celery_beat,
    clean_env,
    kill_worker,
    smtp_server,
    start_celery_worker,
    test_database_url,
    wait_for,
)
from tests.factories import BookingFactory, CouncilMemberFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.broker]


def council(count: int) -> list[str]:
    addresses = []
    for n in range(count):
        user = UserFactory(email=f"raad{n}@example.org")
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        CouncilMemberFactory(user=user)
        addresses.append(user.email)
    return addresses


def all_sent(count: int) -> bool:
    return DigestDelivery.objects.filter(status=DigestDelivery.Status.SENT).count() == count


def worker_log() -> str:
    return (REPO / "var" / "test-worker.log").read_text()[-3000:]


def test_a_worker_killed_mid_send_leaves_each_recipient_one_message_id(transactional_db):
    recipients = council(6)
    mailbox = Mailbox(slow=4)  # each first message is answered after 4 s
    digest.create_deliveries(digest.current_period(Centre.load()))
    ids = list(DigestDelivery.objects.values_list("pk", flat=True))
    with smtp_server(mailbox) as url:
        with start_celery_worker(EMAIL_URL=url) as worker:
            for delivery_id in ids:
                send_digest.delay(delivery_id)
            assert wait_for(lambda: len(mailbox.messages) >= 2, timeout=60), worker_log()
            kill_worker(worker)  # SMTP has two messages and has not answered yet
        interrupted = DigestDelivery.objects.filter(status=DigestDelivery.Status.SENDING).count()
        assert interrupted >= 1
        time.sleep(2)
        with start_celery_worker(EMAIL_URL=url, SAMHUS_DIGEST_STALE_SECONDS="2"):
            digest_due.delay()  # beat's next round
            assert wait_for(lambda: all_sent(len(ids)), timeout=90), worker_log()
            time.sleep(2)  # time for any duplicate to arrive
    found = mailbox.message_ids()
    assert sorted(found) == sorted(recipients)
    assert all(len(identities) == 1 for identities in found.values()), found
    # The interrupted ones reached SMTP twice, under one Message-ID.
    assert len(mailbox.messages) >= len(recipients) + interrupted


def test_smtp_answering_after_the_timeout_gives_one_message_id_per_recipient(transactional_db):
    recipients = council(3)
    mailbox = Mailbox(slow=4)
    digest.create_deliveries(digest.current_period(Centre.load()))
    ids = list(DigestDelivery.objects.values_list("pk", flat=True))
    with (
        smtp_server(mailbox) as url,
        start_celery_worker(EMAIL_URL=url, EMAIL_TIMEOUT="1", SAMHUS_DIGEST_RETRY_SECONDS="1"),
    ):
        for delivery_id in ids:
            send_digest.delay(delivery_id)
        assert wait_for(lambda: all_sent(len(ids)), timeout=90), worker_log()
        time.sleep(2)
    found = mailbox.message_ids()
    assert sorted(found) == sorted(recipients)
    assert all(len(identities) == 1 for identities in found.values()), found
    assert len(mailbox.messages) == 2 * len(recipients)  # each one timed out once


ENQUEUE = """
import django
django.setup()
from django.db import transaction
from bookings.notifications import notify_request
from centre.outbox import enqueue_on_commit
with transaction.atomic():
    enqueue_on_commit(notify_request, [{booking}])
"""


@pytest.mark.parametrize("aof", [True, False], ids=["append-only", "no-persistence"])
def test_notifications_queued_when_redis_is_killed_arrive_after_it_restarts(
    transactional_db, tmp_path, aof
):
    for n in range(2):
        UserFactory(email=f"koordinator{n}@example.org", is_coordinator=True)
    booking = BookingFactory(status="requested")
    redis = RedisServer(folder=tmp_path, aof=aof)
    redis.start()
    mailbox = Mailbox()
    # Without persistence only the outbox can bring the task back; with the
    # append-only file Redis does, and the outbox is told to wait an hour.
    resend = "3600" if aof else "3"
    try:
        with smtp_server(mailbox) as url:
            env = clean_env(
                DATABASE_URL=test_database_url(),
                REDIS_URL=redis.url,
                SECRET_KEY=settings.SECRET_KEY,
                ALLOWED_HOSTS="127.0.0.1",
                EMAIL_URL=url,
                SAMHUS_VAR_DIR=str(tmp_path),
                SAMHUS_OUTBOX_RESEND_SECONDS=resend,
                SAMHUS_OUTBOX_SECONDS="1",
            )
            subprocess.run(
                [sys.executable, "-c", ENQUEUE.format(booking=booking.pk)],
                cwd=REPO,
                env={**env, "DJANGO_SETTINGS_MODULE": "centre.settings"},
                check=True,
            )
            entry = OutboxTask.objects.get()
            assert entry.sent_at is not None  # Redis has it, no worker has run it
            redis.kill()
            redis.start()
            with (
                celery_beat(env, tmp_path, subprocess.DEVNULL),
                start_celery_worker(
                    REDIS_URL=redis.url, EMAIL_URL=url, SAMHUS_OUTBOX_RESEND_SECONDS=resend
                ),
            ):
                assert wait_for(lambda: len(mailbox.messages) >= 2, timeout=60), worker_log()
                assert wait_for(lambda: not OutboxTask.objects.exists(), timeout=30)
                time.sleep(2)  # time for any duplicate to arrive
    finally:
        redis.kill()
    found = mailbox.message_ids()
    assert sorted(found) == ["koordinator0@example.org", "koordinator1@example.org"]
    assert len(mailbox.messages) == 2


PUBLISH = """
import time
import django
django.setup()
from django.db import transaction
from centre.models import OutboxTask
from centre.outbox import enqueue_on_commit
from centre.tasks import flush_outbox
began = time.monotonic()
with transaction.atomic():
    enqueue_on_commit(flush_outbox, 0)
print(round(time.monotonic() - began, 2), OutboxTask.objects.get().attempts)
"""


def test_a_frozen_broker_holds_a_request_about_a_second_and_the_task_waits(
    transactional_db, tmp_path
):
    """Redis stopped with SIGSTOP keeps its port open and never answers: the
    change commits, the publish gives up after the socket timeout, and the
    task waits in the outbox (the bound checked here is generous; the time
    itself is printed)."""
    import signal

    redis = RedisServer()
    redis.start()
    redis.process.send_signal(signal.SIGSTOP)
    try:
        env = clean_env(
            DATABASE_URL=test_database_url(),
            REDIS_URL=redis.url,
            SECRET_KEY=settings.SECRET_KEY,
            ALLOWED_HOSTS="127.0.0.1",
            SAMHUS_VAR_DIR=str(tmp_path),
            DJANGO_SETTINGS_MODULE="centre.settings",
        )
        done = subprocess.run(
            [sys.executable, "-c", PUBLISH],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        redis.process.send_signal(signal.SIGCONT)
        redis.kill()
    seconds, attempts = done.stdout.split()[-2:]
    print(f"publish to a frozen broker gave up after {seconds} s")
    assert float(seconds) < 3, done.stderr[-2000:]
    assert attempts == "1"  # refused once, waiting for the flush
