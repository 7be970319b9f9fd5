"""The digest with real components: PostgreSQL, a real Celery worker on the
real Redis, and a real SMTP server on loopback (aiosmtpd) that refuses each
recipient's first attempt. Each recipient receives exactly one digest, even
with every send enqueued twice."""

import socket
import time

import pytest
from allauth.account.models import EmailAddress

from centre.models import Centre
from collaboration import digest
from collaboration.models import DigestDelivery
from collaboration.tasks import send_digest
from tests.conftest import REPO, start_celery_worker, wait_for
from tests.factories import CouncilMemberFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.broker]


class RefuseFirstTime:
    """Answers 451 (try again later) to each recipient's first message, then accepts."""

    def __init__(self):
        self.refused: set[str] = set()
        self.accepted: list[tuple[str, bytes]] = []

    async def handle_DATA(self, server, session, envelope):
        recipient = envelope.rcpt_tos[0]
        if recipient not in self.refused:
            self.refused.add(recipient)
            return "451 4.3.0 Try again later"
        self.accepted.append((recipient, envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = RefuseFirstTime()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def test_each_recipient_gets_the_digest_once(transactional_db, smtp_server):
    handler, port = smtp_server
    recipients = []
    for n, language in enumerate(["da", "en", "da"]):
        user = UserFactory(email=f"raad{n}@example.org", language=language)
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        CouncilMemberFactory(user=user)
        recipients.append(user.email)
    period = digest.current_period(Centre.load())
    digest.create_deliveries(period)
    ids = list(DigestDelivery.objects.values_list("pk", flat=True))
    with start_celery_worker(EMAIL_URL=f"smtp://127.0.0.1:{port}", SAMHUS_DIGEST_RETRY_SECONDS="1"):
        for delivery_id in ids * 2:  # enqueued twice: a redelivery, or a second beat
            send_digest.delay(delivery_id)
        sent = wait_for(
            lambda: DigestDelivery.objects.filter(status=DigestDelivery.Status.SENT).count() == 3,
            timeout=90,
        )
        assert sent, (REPO / "var" / "test-worker.log").read_text()[-3000:]
        time.sleep(3)  # time for any duplicate to arrive
    assert sorted(recipient for recipient, _content in handler.accepted) == sorted(recipients)
    assert handler.refused == set(recipients)  # every first attempt was refused and retried
    for _recipient, content in handler.accepted:
        assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in content
    assert set(DigestDelivery.objects.values_list("attempts", flat=True)) == {2}
