"""Personas and shared fixtures. Personas follow STYLE.md: coordinator, member,
other_member, council_member, anonymous; with them the actors' administrator and
bookers, the open house and its room, and the helpers that start Samhus's
processes."""

import contextlib
import datetime
import io
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from PIL import Image

from actors.models import Membership
from bookings.models import Room
from centre.models import Centre

from .factories import (
    ActorFactory,
    BookingFactory,
    CouncilMemberFactory,
    MembershipFactory,
    RoomFactory,
    UserFactory,
    add_totp,
    in_days,
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
        "staticfiles": {"BACKEND": "centre.static_manifest.Storage"},
    }


def static_storage(settings, backend: str, root) -> None:
    """Serve this test's static files through the storage ``backend`` from ``root``."""
    settings.STATIC_ROOT = root
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": backend}}


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
def booker_client(booker):
    return _client_for(booker)


@pytest.fixture
def council_client(council_member):
    return _client_for(council_member)


@pytest.fixture
def actor_admin_client(actor_admin):
    return _client_for(actor_admin)


@pytest.fixture
def other_member_client(other_member):
    return _client_for(other_member)


# A name Samhus also answers at, behind a TLS proxy; SITE_URL is set elsewhere
# by the `elsewhere` fixture, so every link shows where it came from.
ELSEWHERE = "https://samhus.example.dk"
SITE_ELSEWHERE = "https://site.example.org"


@pytest.fixture
def elsewhere(settings) -> dict[str, str]:
    """The headers of a request to Samhus at ELSEWHERE (an allowed host,
    https through the proxy), while SITE_URL is SITE_ELSEWHERE."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "samhus.example.dk"]
    settings.SITE_URL = SITE_ELSEWHERE
    return {"HTTP_HOST": "samhus.example.dk", "HTTP_X_FORWARDED_PROTO": "https"}


def links_in(message) -> list[str]:
    """Every address in a mail: in its text, its HTML part and its headers."""
    import re

    parts = [message.body, *(content for content, _type in message.alternatives)]
    parts += [str(value) for value in message.extra_headers.values()]
    return re.findall(r"(?:https?|webcal)://[^\s\"'<>]+", "\n".join(parts))


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


@pytest.fixture
def small_room(open_every_day) -> Room:
    return RoomFactory(name="Mødelokale 1", slug="moedelokale-1", capacity=12)


def chromium_path() -> str | None:
    for candidate in ("/usr/lib/chromium/chromium", "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def stop(process) -> None:
    """Stop a process the tests started: terminate, then kill if it will not."""
    import subprocess

    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextlib.contextmanager
def celery_beat(env: dict, directory: Path, log):
    """A real Celery beat process with ``env`` as its environment, its
    schedule file in ``directory`` and its output in ``log``; stopped (killed
    if it will not stop) on leaving."""
    import subprocess
    import sys

    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "centre",
            "beat",
            "-l",
            "info",
            "-s",
            str(directory / "beat-schedule"),
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield process
    finally:
        stop(process)


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


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory) -> str:
    """A STATIC_ROOT after production's collectstatic (DEBUG off: hashed and
    compressed), made once per run, for child processes with production settings:
    without it /healthz answers 503 and check --deploy fails."""
    import subprocess
    import sys

    static_root = tmp_path_factory.mktemp("collected-static")
    env = clean_env(
        SAMHUS_VAR_DIR=str(static_root),
        STATIC_ROOT=str(static_root),
        DEBUG="false",
        SECRET_KEY="collect-" + "x" * 50,
        ALLOWED_HOSTS="localhost",
        DATABASE_URL="postgres://nobody@127.0.0.1:9/unused",  # collectstatic needs no database
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=REPO,
        env=env,
        check=True,
        timeout=300,
    )
    return str(static_root)


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


def answering(process, base: str):
    """A context manager: waits (up to 30 s) until the server ``process``
    answers ``base``/healthz, yields, then stops it (killing it if it will
    not stop)."""
    import contextlib
    import time
    import urllib.error
    import urllib.request

    @contextlib.contextmanager
    def serving():
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and process.poll() is None:
                try:
                    urllib.request.urlopen(base + "/healthz", timeout=5).close()
                    break
                except urllib.error.HTTPError:
                    break  # it answers
                except OSError:
                    time.sleep(0.2)
            yield base
        finally:
            stop(process)

    return serving()


def start_gunicorn(env: dict[str, str], workers: int = 1, log=None):
    """gunicorn serving Samhus on a free loopback port with ``env``; yields its
    base URL once it answers. A context manager; stops it (killing it if it
    will not stop) on the way out."""
    import contextlib
    import subprocess
    import sys

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
        with answering(server, f"http://127.0.0.1:{port}") as base:
            yield base

    return running()


class RedisServer:
    """A redis-server of a test's own, on its own port, that can be stopped,
    killed and started again; with ``aof`` it keeps an append-only file in
    ``folder`` (as compose's Redis does), otherwise nothing survives it."""

    def __init__(self, folder=None, aof=False):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.folder, self.aof = folder, aof
        self.process = None

    def start(self):
        import subprocess

        persistence = ["--appendonly", "yes", "--appendfsync", "always"] if self.aof else []
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + (persistence or ["--appendonly", "no"])
            + (["--dir", str(self.folder)] if self.folder else []),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(self.answers, timeout=15), "redis-server did not start"

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        assert not self.answers()

    def kill(self):
        """SIGKILL: no chance to write anything on the way out."""
        self.process.kill()
        self.process.wait(timeout=10)
        assert not self.answers()

    def answers(self) -> bool:
        import socket

        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


class Mailbox:
    """An aiosmtpd handler that keeps every message it accepts; with ``slow``
    seconds it takes that long to answer each recipient's first message (after
    keeping it), as a slow server does; ``refuse`` maps an address to the
    reply its RCPT gets instead (e.g. "550 5.1.1 No such user")."""

    def __init__(self, slow: float = 0, refuse: dict[str, str] | None = None):
        self.messages: list[tuple[list[str], bytes]] = []
        self.slow = slow
        self.refuse = refuse or {}
        self.answered: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        first = envelope.rcpt_tos[0] not in self.answered
        self.answered.add(envelope.rcpt_tos[0])
        if self.slow and first:
            await asyncio.sleep(self.slow)
        return "250 OK"

    def message_ids(self) -> dict[str, set[str]]:
        """Each recipient's distinct Message-IDs."""
        import email

        found: dict[str, set[str]] = {}
        for recipients, content in self.messages:
            identity = email.message_from_bytes(content)["Message-ID"]
            for recipient in recipients:
                found.setdefault(recipient, set()).add(identity)
        return found


@contextlib.contextmanager
def smtp_server(mailbox: Mailbox):
    """An SMTP server on loopback handing what it gets to ``mailbox``; yields its EMAIL_URL."""
    from aiosmtpd.controller import Controller

    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{controller.port}"
    finally:
        controller.stop()


def send_through(settings, url: str) -> None:
    """This process's mail goes to the SMTP server at ``url`` (smtp_server's)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", int(url.rsplit(":", 1)[1])
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""


def kill_worker(process) -> None:
    """SIGKILL a Celery worker and its pool's processes at once, as the kernel's
    OOM killer or a pulled plug would: nothing of it runs on."""
    import signal

    children = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line
            )
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(process.pid):
            children.append(int(status.parent.name))
    for pid in [process.pid, *children]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait(timeout=10)


def start_caddy(upstream: str, workdir: Path):
    """Caddy on a free loopback port with the repository's deploy/Caddyfile in
    front of ``upstream`` (a base URL, e.g. gunicorn's), serving plain HTTP;
    yields its base URL once it answers. A context manager."""
    import contextlib
    import subprocess

    @contextlib.contextmanager
    def running():
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(workdir),
            "XDG_DATA_HOME": str(workdir / "caddy-data"),
            "XDG_CONFIG_HOME": str(workdir / "caddy-config"),
            "SITE_URL": base,
            "SAMHUS_UPSTREAM": upstream.removeprefix("http://"),
            "SAMHUS_MEDIA": str(workdir / "media"),
            "CADDY_ADMIN": "off",
        }
        log = open(workdir / "caddy.log", "w")  # noqa: SIM115 - closed below
        proxy = subprocess.Popen(
            ["caddy", "run", "--adapter", "caddyfile", "--config", str(REPO / "deploy/Caddyfile")],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            with answering(proxy, base):
                yield base
        finally:
            log.close()

    return running()


def sign_in(base: str, email: str, password: str, source: str = "127.0.0.1", headers=None) -> str:
    """One sign-in at a running Samhus through a fresh browser whose connections
    come from ``source`` (any address in 127.0.0.0/8), with ``headers`` added to
    the form's POST. Returns "signed in", "refused" (a wrong password) or
    "limited" (allauth's rate limit)."""
    import functools
    import http.client
    import http.cookiejar
    import re
    import urllib.error
    import urllib.parse
    import urllib.request

    class FromSource(urllib.request.HTTPHandler):
        def http_open(self, req):
            connection = functools.partial(http.client.HTTPConnection, source_address=(source, 0))
            return self.do_open(connection, req)

    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), FromSource()
    )
    page = browser.open(base + "/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"csrfmiddlewaretoken": token, "login": email, "password": password}
    request = urllib.request.Request(
        base + "/accounts/login/",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Referer": base + "/", "Accept-Language": "en", **(headers or {})},
    )
    try:
        with browser.open(request, timeout=30) as response:
            answer, landed = response.read().decode(), response.geturl()
    except urllib.error.HTTPError as error:
        return "limited" if error.code == 429 else f"HTTP {error.code}"
    if "Too many failed login attempts" in answer:
        return "limited"
    return "refused" if landed.endswith("/accounts/login/") else "signed in"


def submitted(html: str, action: str = "", button: str | None = None) -> dict[str, list[str]]:
    """What a browser sends for a page's POST form when nothing is changed:
    the form without an ``action`` (it posts to the page itself), or the one
    whose action is ``action``; with the button ``button`` ("name", or
    "name=value" among buttons that share a name) as the one clicked. Each enabled field's value as written, the checked boxes, the
    selected options (a select with none selected sends its first; an option
    without a value sends its text), a textarea's text. Name -> values."""
    from html.parser import HTMLParser

    clicked, _, clicked_value = (button or "").partition("=")

    class Form(HTMLParser):
        def __init__(self):
            super().__init__()
            self.values: dict[str, list[str]] = {}
            self.inside = self.done = False
            self.select = self.textarea = self.option = None
            self.first_option = None
            self.pressed = False

        def press(self, name, value):
            # The first button matching ``button`` is the one clicked.
            if not self.pressed and name == clicked and clicked_value in ("", value):
                self.pressed = True
                self.add(name, value)

        def add(self, name, value):
            self.values.setdefault(name, []).append(value)

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form" and not self.done:
                self.inside = (attrs.get("method") or "").lower() == "post" and (
                    (attrs.get("action") or "") == action
                )
            name = attrs.get("name")
            if not self.inside or "disabled" in attrs:
                return
            if tag == "input" and name:
                kind = (attrs.get("type") or "text").lower()
                if kind in ("checkbox", "radio"):
                    if "checked" in attrs:
                        self.add(name, "on" if "value" not in attrs else attrs["value"] or "")
                elif kind in ("submit", "image"):
                    self.press(name, attrs.get("value") or "")
                elif kind not in ("button", "file", "reset"):
                    self.add(name, attrs.get("value") or "")
            elif tag == "button" and name:
                self.press(name, attrs.get("value") or "")
            elif tag == "select" and name:
                self.select, self.first_option = (name, "multiple" in attrs), None
            elif tag == "option" and self.select:
                if self.option is not None:  # the previous one left unclosed
                    self.end_option()
                # [value, selected]; the text is the value when there is none.
                self.option = [attrs.get("value"), "selected" in attrs]
            elif tag == "textarea" and name:
                self.textarea = name
                self.add(name, "")

        def handle_data(self, data):
            if self.textarea:
                self.values[self.textarea][-1] += data
            elif self.option is not None and self.option[0] is None:
                self.option[0] = data.strip()

        def end_option(self):
            value, selected = self.option
            value = value or ""
            if self.first_option is None:
                self.first_option = value
            if selected:
                self.add(self.select[0], value)
            self.option = None

        def handle_endtag(self, tag):
            if self.option is not None and tag in ("option", "select"):
                self.end_option()
            if tag == "form" and self.inside:
                self.inside, self.done = False, True
            elif tag == "select" and self.select:
                name, multiple = self.select
                if name not in self.values and not multiple and self.first_option is not None:
                    self.add(name, self.first_option)
                self.select = None
            elif tag == "textarea" and self.textarea:
                # A browser drops the newline that follows <textarea>.
                text = self.values[self.textarea][-1]
                self.values[self.textarea][-1] = text.removeprefix("\n")
                self.textarea = None

    form = Form()
    form.feed(html)
    assert form.done, "the page has no such form"
    return form.values


def race(contender, processes: int = 6) -> list[str]:
    """Run ``contender(n)`` for n in range(processes) in as many forked
    processes, released together, each on its own database connection (so
    on PostgreSQL, in a test with ``transactional_db``). Returns each one's
    outcome in order: what it returned, "refused: <messages>" for a
    ValidationError, "crashed: <traceback>" for anything else."""
    import multiprocessing
    import queue
    import traceback

    from django.core.exceptions import ValidationError
    from django.db import connection, connections

    assert not connection.in_atomic_block, "the contenders cannot see an open transaction"
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(processes)
    results = context.Queue()
    connections.close_all()  # each child opens its own; none shares this one's socket

    def run(n: int) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=30)
            outcome = str(contender(n))
        except ValidationError as error:
            outcome = "refused: " + " ".join(error.messages)
        except BaseException:
            outcome = "crashed: " + traceback.format_exc()
        finally:
            connections.close_all()
        results.put((n, outcome))

    children = [context.Process(target=run, args=(n,)) for n in range(processes)]
    for child in children:
        child.start()
    outcomes: dict[int, str] = {}
    try:
        for _child in children:
            n, outcome = results.get(timeout=60)
            outcomes[n] = outcome
    except queue.Empty:
        pass
    for child in children:
        child.join(timeout=10)
        if child.is_alive():
            child.kill()
    return [outcomes.get(n, "crashed: no answer") for n in range(processes)]


def hesitating(cls, method: str, seconds: float = 0.2):
    """Patch ``cls.method`` to pause after it has run: a check that pauses lets
    every contender of a ``race`` pass it before any of them writes."""
    import time
    from unittest import mock

    original = getattr(cls, method)

    def slow(*args, **kwargs):
        result = original(*args, **kwargs)
        time.sleep(seconds)
        return result

    return mock.patch.object(cls, method, slow)


# Sign-ups


@pytest.fixture
def activity(room, actor, member):
    """A public activity in three days, 17-19, in a room for 100."""
    return BookingFactory(
        room=room, actor=actor, booked_by=member, title="Strikkecafé", start=in_days(3, 17)
    )


@pytest.fixture
def sheet(activity):
    """Four places for the activity, a waiting list, at most two people a sign-up."""
    from signups.models import Sheet

    return Sheet.objects.create(booking=activity, places=4, per_person=2, bring="Garn")


# --- uploaded pictures (logos, room photos) ---------------------------------------------


def png(width, height, noise=False, name="logo.png"):
    if noise:
        image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    else:
        image = Image.new("RGB", (width, height), (200, 40, 90))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
