"""Personas and shared fixtures. Personas follow STYLE.md: coordinator, member,
other_member, council_member, anonymous; with them the actors' administrator and
bookers, the open house and its room, and the helpers that start Samhus's
processes."""

import datetime
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation

from actors.models import Membership
from bookings.models import Room
from centre.models import Centre

from .factories import (
    ActorFactory,
    CouncilMemberFactory,
    MembershipFactory,
    RoomFactory,
    UserFactory,
    add_totp,
    open_weekdays,
    opening_hours,
)

ON_POSTGRES = bool(os.environ.get("DATABASE_URL"))
ON_BROKER = bool(os.environ.get("REDIS_URL"))
REPO = Path(__file__).resolve().parent.parent


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL (CI does)")
    skip_broker = pytest.mark.skip(
        reason="needs Redis and a Celery worker: set REDIS_URL (CI does)"
    )
    for item in items:
        if "postgres" in item.keywords and not ON_POSTGRES:
            item.add_marker(skip_pg)
        if "broker" in item.keywords and not ON_BROKER:
            item.add_marker(skip_broker)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The manifest storage needs collectstatic; tests serve from the finders.
    settings.STORAGES = {
        **django_settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Every factory user hashes a password; the production hasher's work factor
    # would make that most of the suite's time. The hasher is not what is tested.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    # A request activates its language for the thread; start every test from Danish.
    translation.activate("da")
    yield
    translation.deactivate()


@pytest.fixture
def english_messages():
    """The booking tests read the services' messages in English; each of their
    modules uses this fixture for all its tests."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _eager_tasks(request):
    """Tasks run in the test's own process, so their effects (mail) can be
    asserted; only tests marked `broker` send them to the real Redis and worker."""
    from centre.celery import app

    if "broker" in request.keywords:
        yield
        return
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """allauth's rate limits live in the cache, a database table: a test's
    rollback undoes what it counted, but a test that commits (live_server,
    transactional_db) must not leave its failures to the next."""
    if "transactional_db" not in request.fixturenames:
        yield
        return
    from django.core.cache import cache

    request.getfixturevalue("transactional_db")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anonymous():
    return Client()


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def actor(db):
    return ActorFactory(name="Kvindeforum", slug="kvindeforum")


@pytest.fixture
def other_actor(db):
    return ActorFactory(name="Basen", slug="basen")


@pytest.fixture
def coordinator(db):
    user = UserFactory(email="koordinator@example.org", is_coordinator=True)
    add_totp(user)
    return user


@pytest.fixture
def member(actor):
    return MembershipFactory(user__email="member@example.org", actor=actor).user


@pytest.fixture
def other_member(other_actor):
    return MembershipFactory(user__email="other@example.org", actor=other_actor).user


@pytest.fixture
def third_actor(db):
    return ActorFactory(name="Café Sumak", slug="cafe-sumak")


@pytest.fixture
def actor_admin(actor):
    """An administrator of Kvindeforum."""
    return MembershipFactory(
        user__email="admin@example.org", actor=actor, role=Membership.Role.ADMIN
    ).user


@pytest.fixture
def booker(actor):
    return MembershipFactory(
        user__email="booker@example.org", actor=actor, role=Membership.Role.BOOKER
    ).user


@pytest.fixture
def other_booker(other_actor):
    return MembershipFactory(
        user__email="other.booker@example.org", actor=other_actor, role=Membership.Role.BOOKER
    ).user


@pytest.fixture
def council_member(actor):
    return CouncilMemberFactory(user__email="council@example.org", actor=actor).user


@pytest.fixture
def coordinator_client(coordinator):
    return _client_for(coordinator)


@pytest.fixture
def member_client(member):
    return _client_for(member)


@pytest.fixture
def council_client(council_member):
    return _client_for(council_member)


@pytest.fixture
def actor_admin_client(actor_admin):
    return _client_for(actor_admin)


@pytest.fixture
def other_member_client(other_member):
    return _client_for(other_member)


@pytest.fixture
def booker_client(booker):
    return _client_for(booker)


@pytest.fixture
def open_every_day(db):
    """The house open 08-22 every day of the week."""
    opening_hours(range(7), (datetime.time(8), datetime.time(22)))
    Centre.load()


@pytest.fixture
def always_open(db) -> Centre:
    """The house open all day, every day, so bookings can be placed at any time today."""
    opening_hours(range(7), (datetime.time(0), datetime.time(23, 59, 59)))
    return Centre.load()


@pytest.fixture
def week_hours(db):
    """Monday to Friday 09-12 and 13-21; closed at the weekend."""
    open_weekdays()


@pytest.fixture
def room(open_every_day) -> Room:
    return RoomFactory(name="Multisalen", slug="multisalen", capacity=100)


def chromium_path() -> str | None:
    for candidate in ("/usr/lib/chromium/chromium", "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def start_celery_worker(**env):
    """A real Celery worker process on the real broker, sharing the test database,
    with ``env`` added to its environment. A context manager."""
    import contextlib
    import signal
    import subprocess
    import sys
    import time

    from django.db import connection

    @contextlib.contextmanager
    def running():
        db = connection.settings_dict
        url = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        )
        log_path = REPO / "var" / "test-worker.log"
        log = open(log_path, "w")  # noqa: SIM115 - closed below
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "centre",
                "worker",
                "-l",
                "info",
                "--concurrency=2",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=REPO,
            env={**os.environ, "DATABASE_URL": url, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while "ready." not in log_path.read_text():
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the Celery worker did not start; see var/test-worker.log")
                time.sleep(0.2)
            yield process
        finally:
            process.send_signal(signal.SIGTERM)  # warm shutdown
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
            log.close()

    return running()


@pytest.fixture
def celery_worker_process(transactional_db):
    """A real Celery worker process on the real broker, sharing the test database.
    Needs PostgreSQL (a second process cannot see SQLite's in-memory test DB)."""
    with start_celery_worker() as process:
        yield process


def wait_for(predicate, timeout=30.0, interval=0.2):
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def clean_env(**extra) -> dict[str, str]:
    """An environment for a child Samhus process: none of this run's Samhus settings."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV", "UV_CACHE_DIR")
    env = {key: value for key, value in os.environ.items() if key in keep}
    env["DJANGO_SETTINGS_MODULE"] = "centre.settings"
    env.update(extra)
    return env


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_database_url() -> str:
    """The test database as a DATABASE_URL, for a child process that shares it."""
    from django.db import connection

    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


def start_gunicorn(env: dict[str, str], workers: int = 1, log=None):
    """gunicorn serving Samhus on a free loopback port with ``env``; yields its
    base URL once it answers. A context manager; stops it (killing it if it
    will not stop) on the way out."""
    import contextlib
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    @contextlib.contextmanager
    def running():
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "centre.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                str(workers),
            ],
            cwd=REPO,
            env=env,
            stdout=log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and server.poll() is None:
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=5).close()
                    break
                except urllib.error.HTTPError:
                    break  # it answers
                except OSError:
                    time.sleep(0.2)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)

    return running()
