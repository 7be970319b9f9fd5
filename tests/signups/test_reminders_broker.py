"""Reminders with real components: PostgreSQL, a real Celery worker on the
real Redis and an SMTP server on loopback. Beat's task runs twice and every
send is enqueued twice: each confirmed sign-up gets exactly one reminder,
a cancelled one none."""

import email
import socket
import time

import pytest

from signups.models import Reminder, Sheet, SignUp
from signups.tasks import reminders_due, send_reminder
from tests.conftest import REPO, Mailbox, start_celery_worker, wait_for
from tests.factories import BookingFactory, in_days

pytestmark = [pytest.mark.postgres, pytest.mark.broker]


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def test_each_sign_up_gets_one_reminder_the_day_before(transactional_db, smtp_server, room):
    handler, port = smtp_server
    booking = BookingFactory(room=room, start=in_days(1, 17), title="Lektiecafé")
    sheet = Sheet.objects.create(booking=booking, places=10)
    confirmed = []
    for n, status in enumerate(["confirmed", "confirmed", "confirmed", "cancelled"]):
        signup = SignUp.objects.create(
            sheet=sheet,
            booking=booking,
            name=f"P{n}",
            email=f"p{n}@example.org",
            status=status,
            language="da" if n % 2 else "en",
        )
        if status == "confirmed":
            confirmed.append(signup.email)
    with start_celery_worker(EMAIL_URL=f"smtp://127.0.0.1:{port}"):
        reminders_due.delay()
        reminders_due.delay()  # beat again, or a redelivered run
        assert wait_for(lambda: Reminder.objects.count() == 3, timeout=60)
        for pk in Reminder.objects.values_list("pk", flat=True):
            send_reminder.delay(pk)  # a duplicate of every send
        sent = wait_for(
            lambda: Reminder.objects.filter(status=Reminder.Status.SENT).count() == 3, timeout=90
        )
        assert sent, (REPO / "var" / "test-worker.log").read_text()[-3000:]
        time.sleep(3)  # time for any duplicate to arrive
    recipients = sorted(r for rcpts, _content in handler.messages for r in rcpts)
    assert recipients == sorted(confirmed)
    for _rcpts, content in handler.messages:
        message = email.message_from_bytes(content)
        assert "Lektiecaf" in str(message["Subject"]) or "=?utf-8?" in str(message["Subject"])
