"""Security headers as a browser gets them from gunicorn on loopback with the
production settings (DEBUG off, static files collected): HSTS, nosniff,
frame denial except the embeddable calendar, Referrer-Policy, secure cookies,
and Cache-Control: private on signed-in pages."""

import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import REPO, clean_env, start_gunicorn, test_database_url

pytestmark = pytest.mark.postgres


def fetch(url: str, cookie: str = "") -> tuple[int, dict]:
    headers = {"X-Forwarded-Proto": "https"}  # as the TLS proxy in front says
    if cookie:
        headers["Cookie"] = cookie
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()} | {
                "set-cookie-all": response.headers.get_all("Set-Cookie") or []
            }
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}


@pytest.fixture
def production(transactional_db, tmp_path):
    env = clean_env(
        DATABASE_URL=test_database_url(),
        SECRET_KEY="headers-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        STATIC_ROOT=str(tmp_path / "static"),
        SAMHUS_VAR_DIR=str(tmp_path),
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=REPO,
        env=env,
        check=True,
    )
    with start_gunicorn(env, workers=2) as base:
        yield base


def test_public_pages_carry_the_security_headers(production):
    status, headers = fetch(production + "/")
    assert status == 200
    assert headers["strict-transport-security"].startswith("max-age=31536000")
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"
    assert "private" not in headers.get("cache-control", "")


def test_only_the_embeddable_calendar_may_be_framed(production):
    assert fetch(production + "/calendar/")[1]["x-frame-options"] == "DENY"
    status, headers = fetch(production + "/calendar/?embed=1")
    assert status == 200 and "x-frame-options" not in headers


def test_cookies_are_secure_and_signed_in_pages_private(production, member):
    status, headers = fetch(production + "/accounts/login/")
    assert status == 200
    csrf = [c for c in headers["set-cookie-all"] if c.startswith(settings.CSRF_COOKIE_NAME + "=")]
    assert csrf and "Secure" in csrf[0]
    client = Client()
    client.force_login(member)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    status, headers = fetch(
        production + "/accounts/profile/", cookie=f"{settings.SESSION_COOKIE_NAME}={session}"
    )
    assert status == 200
    assert "private" in headers["cache-control"]
    # The public feeds stay public even for a signed-in reader.
    status, headers = fetch(
        production + "/calendar/feed.ics", cookie=f"{settings.SESSION_COOKIE_NAME}={session}"
    )
    assert status == 200 and "public" in headers["cache-control"]
