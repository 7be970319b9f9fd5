"""Redis goes away while a member books a room: the booking saves, the member
sees success, the coordinators' notification waits in the outbox, and it is
mailed once Redis is back. Real components throughout: gunicorn with the
production settings, a Redis server of the test's own (so it can be stopped),
a Celery worker and beat on it, and an SMTP server on loopback."""

import contextlib
import datetime
import http.cookies
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.conf import settings
from django.test import Client

from bookings.models import Booking, Status
from centre.models import OutboxTask
from tests.conftest import (
    REPO,
    Mailbox,
    RedisServer,
    celery_beat,
    clean_env,
    free_port,
    start_celery_worker,
    start_gunicorn,
    stop,
    test_database_url,
    wait_for,
)
from tests.factories import UserFactory, in_days

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.broker,
    pytest.mark.usefixtures("english_messages"),
]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Keeps cookies by hand: the production settings mark them Secure, and
    this gunicorn speaks plain HTTP on loopback."""

    def __init__(self, base: str, cookies: dict[str, str]):
        self.base = base
        self.cookies = dict(cookies)
        self.opener = urllib.request.build_opener(NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, dict, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(
            self.base + path,
            data=body,
            headers={"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())},
        )
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in http.cookies.SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, dict(response.headers.items()), response.read().decode()


@pytest.fixture
def outage_rig(transactional_db, tmp_path):
    from aiosmtpd.controller import Controller

    with contextlib.ExitStack() as cleanup:
        redis_server = RedisServer()
        redis_server.start()
        cleanup.callback(lambda: redis_server.process.poll() is None and stop(redis_server.process))
        mailbox = Mailbox()
        smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
        smtp.start()
        cleanup.callback(smtp.stop)
        env = clean_env(
            DATABASE_URL=test_database_url(),
            REDIS_URL=redis_server.url,
            SECRET_KEY=settings.SECRET_KEY,
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="false",
            STATIC_ROOT=str(tmp_path / "static"),
            SAMHUS_VAR_DIR=str(tmp_path),
            EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
            SAMHUS_OUTBOX_SECONDS="2",
            SAMHUS_OUTBOX_GRACE_SECONDS="0",
        )
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=REPO,
            env=env,
            check=True,
        )
        logs = {}
        for name in ("gunicorn", "beat"):
            logs[name] = cleanup.enter_context(open(tmp_path / f"{name}.log", "w"))
        base = cleanup.enter_context(start_gunicorn(env, workers=2, log=logs["gunicorn"]))
        cleanup.enter_context(celery_beat(env, tmp_path, logs["beat"]))

        def healthy():
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                    return response.status == 200
            except OSError:
                return False

        assert wait_for(healthy, timeout=30), (tmp_path / "gunicorn.log").read_text()[-3000:]
        worker_env = {k: env[k] for k in ("REDIS_URL", "EMAIL_URL", "SAMHUS_OUTBOX_GRACE_SECONDS")}
        cleanup.enter_context(start_celery_worker(**worker_env))
        yield base, redis_server, mailbox, tmp_path


def test_a_booking_saves_while_redis_is_away_and_its_notification_follows(
    outage_rig, room, booker, actor
):
    base, redis_server, mailbox, logs = outage_rig
    room.needs_approval = True
    room.save()
    UserFactory(email="koordinator@example.org", is_coordinator=True, language="en")
    booker.language = "en"
    booker.save()
    client = Client()
    client.force_login(booker)
    browser = Browser(
        base, {"sessionid": client.cookies["sessionid"].value, "django_language": "en"}
    )

    status, _headers, page = browser.request("/bookings/new/")
    assert status == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    redis_server.stop()
    start = in_days(3, 17)
    status, headers, _page = browser.request(
        "/bookings/new/",
        {
            "csrfmiddlewaretoken": token,
            "actor": actor.pk,
            "room": room.pk,
            "title": "Lektiecafé under Redis-nedbrud",
            "date": start.date().isoformat(),
            "start_time": "17:00",
            "end_time": "19:00",
            "repeat": "none",
            "skip_closed_days": "on",
            "visibility": "public",
        },
    )
    assert status == 302, _page[:3000]
    booking = Booking.objects.get(title="Lektiecafé under Redis-nedbrud")
    assert booking.status == Status.REQUESTED
    assert headers["Location"] == f"/bookings/{booking.pk}/"
    status, _headers, page = browser.request(headers["Location"])
    assert status == 200  # the page renders without its cache
    assert "A coordinator will approve or decline it." in page

    waiting = OutboxTask.objects.get()
    assert (waiting.task, waiting.args) == ("bookings.tasks.notify_request", [[booking.pk]])
    assert waiting.attempts >= 1
    time.sleep(3)  # beat tries every 2 s; nothing can reach the worker
    assert mailbox.messages == []
    assert OutboxTask.objects.count() == 1

    redis_server.start()
    arrived = wait_for(lambda: mailbox.messages, timeout=90)
    assert arrived, (logs / "beat.log").read_text()[-2000:] + (
        REPO / "var" / "test-worker.log"
    ).read_text()[-3000:]
    assert wait_for(lambda: not OutboxTask.objects.exists(), timeout=10)
    time.sleep(3)  # time for any duplicate to arrive
    assert len(mailbox.messages) == 1
    recipients, content = mailbox.messages[0]
    assert recipients == ["koordinator@example.org"]
    assert "Lektiecaf" in content.decode("utf-8", "replace")
    assert booking.start - datetime.timedelta(days=1) > booking.created
