"""Running Samhus in production: beat's schedule file, a copy of production
that sends no mail, the systemd units and .env.example agree with settings.py."""

import ast
import importlib
import re
import shlex
import shutil
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import REPO, clean_env
from tests.factories import UserFactory


def test_beats_schedule_file_is_in_the_var_dir(tmp_path):
    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "from centre.celery import app; print(app.conf.beat_schedule_filename)",
        ],
        cwd=REPO,
        env=clean_env(SAMHUS_VAR_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    assert printed == str(tmp_path / "celerybeat-schedule")


# --- A copy of production: SAMHUS_MAIL_DISABLED ----------------------------------

SEND_ONE = """
import django
django.setup()
from django.conf import settings
from django.core.mail import send_mail
print(settings.EMAIL_BACKEND)
print(send_mail("Booking approved", "Text", None, ["a@example.org", "b@example.org"]))
"""


def test_with_mail_disabled_no_mail_leaves_and_each_is_one_log_line(tmp_path):
    # EMAIL_URL names an SMTP server nothing listens at: trying to send would fail.
    result = subprocess.run(
        [sys.executable, "-c", SEND_ONE],
        cwd=REPO,
        env=clean_env(
            SAMHUS_VAR_DIR=str(tmp_path),
            EMAIL_URL="smtp://127.0.0.1:9",
            SAMHUS_MAIL_DISABLED="true",
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["centre.mail_withheld.WithheldBackend", "1"]
    assert result.stderr.splitlines() == [
        "Mail withheld (SAMHUS_MAIL_DISABLED): 'Booking approved' to 2 recipient(s)"
    ]


@pytest.fixture
def mail_disabled(settings, db):
    settings.SAMHUS_MAIL_DISABLED = True
    settings.EMAIL_BACKEND = "centre.mail_withheld.WithheldBackend"


def test_healthz_says_mail_is_disabled_and_stays_healthy(anonymous, mail_disabled):
    response = anonymous.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert "SAMHUS_MAIL_DISABLED" in response.json()["mail"]


def test_healthz_says_nothing_of_mail_when_it_is_on(anonymous, db):
    assert "mail" not in anonymous.get("/healthz").json()


def test_every_page_and_the_admin_say_mail_is_switched_off(anonymous, mail_disabled):
    page = anonymous.get("/", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "denne kopi af Samhus sender ingen e-mails" in page
    admin = Client()
    admin.force_login(UserFactory(is_superuser=True, is_staff=True))
    answer = admin.get("/admin/", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == HTTPStatus.OK
    assert "this copy of Samhus sends no e-mail" in answer.content.decode()


def test_pages_say_nothing_of_mail_when_it_is_on(anonymous, db):
    page = anonymous.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "sends no e-mail" not in page


# --- Without docker: the systemd units --------------------------------------------

UNITS = sorted((REPO / "deploy" / "systemd").glob("samhus-*.service"))
OPERATIONS = (REPO / "docs" / "operations.md").read_text()
VENV = "/srv/samhus/.venv/bin/"
WEB = REPO / "deploy" / "systemd" / "samhus-web.service"


def unit(path: Path) -> dict[str, list[str]]:
    """The [Service] and [Unit] settings of a unit file, each key with its values."""
    settings: dict[str, list[str]] = {}
    for line in path.read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def test_there_are_units_for_web_worker_and_beat():
    assert [path.name for path in UNITS] == [
        "samhus-beat.service",
        "samhus-web.service",
        "samhus-worker.service",
    ]
    assert "systemctl enable --now samhus-web samhus-worker samhus-beat" in OPERATIONS


@pytest.mark.parametrize("path", UNITS, ids=lambda path: path.name)
def test_a_unit_runs_commands_that_exist(path):
    from django.core.management import get_commands

    from centre.celery import app

    settings = unit(path)
    commands = [
        shlex.split(value)
        for key in ("ExecStartPre", "ExecStart")
        for value in settings.get(key, [])
    ]
    assert commands
    for command in commands:
        program = command[0]
        assert program.startswith(VENV), command
        # The virtualenv's programs are the ones uv sync installs here too.
        assert (Path(sys.prefix) / "bin" / program.removeprefix(VENV)).exists(), command
        if program.endswith("/python"):
            assert command[1] == "manage.py" and command[2] in get_commands(), command
        elif program.endswith("/gunicorn"):
            module, attribute = command[1].split(":")
            assert callable(getattr(importlib.import_module(module), attribute)), command
        elif program.endswith("/celery"):
            assert command[1:3] == ["-A", "centre"] and app.main == "samhus", command
            assert command[3] in {"worker", "beat"}, command
            # Beat's schedule is the settings' file in the var dir.
            assert "--schedule" not in command and "-s" not in command, command
        else:
            pytest.fail(f"an unexpected program in {path.name}: {command}")


@pytest.mark.parametrize("path", UNITS, ids=lambda path: path.name)
def test_a_unit_runs_as_documented(path):
    settings = unit(path)
    assert settings["User"] == settings["Group"] == ["samhus"]
    assert settings["WorkingDirectory"] == ["/srv/samhus"]
    assert settings["EnvironmentFile"] == ["/etc/samhus/samhus.env"]
    assert settings["StateDirectory"] == ["samhus"]
    assert "SAMHUS_VAR_DIR=/var/lib/samhus" in settings["Environment"][0].split()
    for documented in ("/etc/samhus/samhus.env", "/srv/samhus", "/var/lib/samhus", "useradd"):
        assert documented in OPERATIONS, documented
    assert "uv sync --frozen --no-dev" in OPERATIONS


def test_the_web_unit_migrates_and_collects_the_static_files_first():
    pre = [shlex.split(value)[2] for value in unit(WEB)["ExecStartPre"]]
    assert pre == ["migrate", "collectstatic", "write_calendar_texts"]
    for step in ("samhus-manage migrate", "samhus-manage collectstatic --noinput"):
        assert step in OPERATIONS


def test_caddy_on_the_same_host_finds_gunicorn_and_the_uploads():
    web = shlex.split(unit(WEB)["ExecStart"][0])
    bind = web[web.index("--bind") + 1]
    environment = unit(REPO / "deploy" / "systemd" / "caddy-samhus.conf")["Environment"]
    assert f"SAMHUS_UPSTREAM={bind}" in environment
    # MEDIA_ROOT defaults to the var dir's media/.
    assert "SAMHUS_MEDIA=/var/lib/samhus/media" in environment
    assert "caddy.service.d/samhus.conf" in OPERATIONS


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="needs systemd-analyze")
def test_systemd_accepts_the_units(tmp_path):
    # The paths of this checkout stand in for /srv/samhus, which this machine lacks.
    for path in UNITS:
        text = path.read_text().replace(VENV, f"{sys.prefix}/bin/")
        (tmp_path / path.name).write_text(text.replace("/srv/samhus", str(REPO)))
    result = subprocess.run(
        ["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.glob("*.service"))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


# --- .env.example names every variable settings.py reads ---------------------------

READERS = {"_str", "_bool", "_int", "_list", "_url_config", "_database_config"}


def variables_read_by_settings() -> set[str]:
    tree = ast.parse((REPO / "centre" / "settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        function = ast.unparse(node.func)
        first = node.args[0]
        if (function in READERS or function in {"os.environ.get", "os.getenv"}) and isinstance(
            first, ast.Constant
        ):
            names.add(first.value)
    return names


def test_settings_reads_are_found():
    names = variables_read_by_settings()
    assert {"DATABASE_URL", "EMAIL_URL", "SAMHUS_VAR_DIR", "SAMHUS_MAIL_DISABLED"} <= names
    assert len(names) > 20


def test_env_example_names_every_variable_with_a_comment():
    lines = (REPO / ".env.example").read_text().splitlines()
    variable = re.compile(r"^(?:# )?([A-Z][A-Z0-9_]*)=")
    where = {}
    for number, line in enumerate(lines):
        if match := variable.match(line):
            where.setdefault(match.group(1), number)
    missing = sorted(variables_read_by_settings() - where.keys())
    assert missing == [], f"add these to .env.example, each with a comment: {missing}"
    for name, number in where.items():
        # Above each variable (or the variables it is grouped with), a line saying what it is.
        above = number - 1
        while above >= 0 and variable.match(lines[above]):
            above -= 1
        assert above >= 0 and lines[above].startswith("# ") and len(lines[above]) > 12, name
