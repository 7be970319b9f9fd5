"""The log's mails with real components: PostgreSQL, a real Celery worker on
the real Redis, and an SMTP server on loopback (aiosmtpd). The tasks reach the
worker by name through the outbox; each administrator asked, and the logger
told of a dispute, receives one Message-ID, with a task enqueued twice."""

import time

import pytest
from aiosmtpd.controller import Controller

from actors.models import Membership
from centre.models import OutboxTask
from collaboration.log import services
from collaboration.log.notifications import notify_partners
from tests.conftest import REPO, Mailbox, free_port, start_celery_worker, wait_for
from tests.factories import MembershipFactory, log_collaboration

pytestmark = [pytest.mark.postgres, pytest.mark.broker]


def test_partners_and_the_logger_get_one_mail_each(
    transactional_db, member, other_member, actor, other_actor, third_actor
):
    for email, partner, language in [
        ("basen@example.org", other_actor, "da"),
        ("sumak@example.org", third_actor, "en"),
    ]:
        MembershipFactory(
            actor=partner,
            role=Membership.Role.ADMIN,
            user__email=email,
            user__language=language,
        )
    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        with start_celery_worker(EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}"):
            collaboration = log_collaboration(member, actor, other_actor, third_actor)
            notify_partners.delay(collaboration.pk, actor.pk)  # enqueued a second time
            asked = wait_for(lambda: len(mailbox.message_ids()) == 2, timeout=60)
            assert asked, (REPO / "var" / "test-worker.log").read_text()[-3000:]
            services.participation_answer(
                by=other_member,
                participation=collaboration.participations.get(actor=other_actor),
                confirm=False,
                note="Vi var ikke med",
            )
            told = wait_for(lambda: "member@example.org" in mailbox.message_ids(), timeout=60)
            assert told, (REPO / "var" / "test-worker.log").read_text()[-3000:]
            time.sleep(3)  # time for any duplicate to arrive
            assert wait_for(lambda: not OutboxTask.objects.exists(), timeout=30)
    finally:
        smtp.stop()
    ids = mailbox.message_ids()
    assert set(ids) == {"basen@example.org", "sumak@example.org", "member@example.org"}
    # Two copies of a task running at the same moment may both reach SMTP
    # (centre.mail.send_once checks, then sends); they carry one Message-ID,
    # so each recipient's mail program shows one mail.
    assert all(len(found) == 1 for found in ids.values())
    dispute = next(content for to, content in mailbox.messages if to == ["member@example.org"])
    assert b"Vi var ikke med" in dispute
