"""Running Samhus in production: beat's schedule file, a copy of production
that sends no mail, the systemd units and .env.example agree with settings.py."""

import subprocess
import sys
from http import HTTPStatus

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
