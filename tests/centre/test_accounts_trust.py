"""Accounts under attack: a TOTP code and a recovery code work once, sign-up
does not reveal whether an address has an account, a superuser's admin
sign-in asks for the second factor, the failed-login limit holds across
several gunicorn workers, also while Redis is down, and behind the proxy it
counts per person: one attacker does not lock out everyone, and a forged
X-Forwarded-For does not get the attacker out of it."""

import shutil
import time
from http import HTTPStatus
from unittest import mock

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import global_settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from centre.models import User
from tests.conftest import (
    REPO,
    clean_env,
    sign_in,
    start_caddy,
    start_gunicorn,
    test_database_url,
)
from tests.factories import PASSWORD, UserFactory, add_totp

pytestmark = pytest.mark.django_db


def _password_step(client, email):
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")


def test_a_totp_code_cannot_be_replayed(db):
    user = UserFactory(email="k@example.org", is_coordinator=True)
    secret = add_totp(user)
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    first = Client()
    _password_step(first, user.email)
    assert first.post(reverse("mfa_authenticate"), {"code": code}).status_code == HTTPStatus.FOUND
    assert int(first.session["_auth_user_id"]) == user.pk
    again = Client()
    _password_step(again, user.email)
    response = again.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == HTTPStatus.OK  # the form again, with its error
    assert "_auth_user_id" not in again.session


def test_a_recovery_code_works_once(db):
    user = UserFactory(email="k@example.org", is_coordinator=True)
    add_totp(user)
    code = RecoveryCodes.activate(user).generate_codes()[0]
    first = Client()
    _password_step(first, user.email)
    assert first.post(reverse("mfa_authenticate"), {"code": code}).status_code == HTTPStatus.FOUND
    again = Client()
    _password_step(again, user.email)
    again.post(reverse("mfa_authenticate"), {"code": code})
    assert "_auth_user_id" not in again.session


def test_signing_up_does_not_reveal_an_existing_address(member, django_capture_on_commit_callbacks):
    before = User.objects.count()
    url = reverse("account_signup")
    form = {"password1": "another-long-password-9", "password2": "another-long-password-9"}
    with django_capture_on_commit_callbacks(execute=True):
        known = Client().post(url, {**form, "email": member.email})
        unknown = Client().post(url, {**form, "email": "new@example.org"})
    assert known.status_code == unknown.status_code == HTTPStatus.FOUND
    assert known["Location"] == unknown["Location"]
    assert User.objects.count() == before + 1  # only the new address got an account
    assert any(member.email in m.to for m in mail.outbox)  # the owner is told instead


def test_an_address_signed_up_meanwhile_is_answered_like_a_known_one(
    member, django_capture_on_commit_callbacks
):
    before = User.objects.count()
    form = {"password1": "another-long-password-9", "password2": "another-long-password-9"}
    # Checked before the other sign-up with this address was saved (a double click).
    with (
        mock.patch(
            "allauth.account.forms.flows.manage_email.email_already_exists",
            side_effect=lambda email, **kwargs: (email, False),
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = Client().post(reverse("account_signup"), {**form, "email": member.email})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.count() == before
    assert any(member.email in m.to for m in mail.outbox)  # the owner is told instead


def test_a_superusers_admin_sign_in_asks_for_the_second_factor(db):
    admin = UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
    add_totp(admin)
    client = Client()
    login = client.get("/admin/login/?next=/admin/")
    assert login.status_code == HTTPStatus.FOUND and reverse("account_login") in login["Location"]
    response = client.post(
        reverse("account_login") + "?next=/admin/", {"login": admin.email, "password": PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/admin/").status_code == HTTPStatus.FOUND  # not in yet


@pytest.mark.postgres
@pytest.mark.broker
@pytest.mark.parametrize("redis", ["running", "down"])
def test_the_login_limit_holds_across_gunicorn_workers(transactional_db, tmp_path, redis):
    import os

    UserFactory(email="target@example.org")
    # The counts live in the database's cache table: a Redis that does not
    # answer (nothing listens on port 9) changes nothing.
    redis_url = os.environ["REDIS_URL"] if redis == "running" else "redis://127.0.0.1:9/0"
    env = clean_env(
        DATABASE_URL=test_database_url(),
        REDIS_URL=redis_url,
        SECRET_KEY="limits-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        DEBUG="true",
        SAMHUS_VAR_DIR=str(tmp_path),
    )
    with start_gunicorn(env, workers=3) as base:
        # A fresh browser each time: only the shared cache can count the attempts.
        statuses = [sign_in(base, "target@example.org", "wrong") for _attempt in range(8)]
        # Five wrong passwords are refused as such; from then on the shared count stops them.
        assert statuses[:5] == ["refused"] * 5, statuses
        assert statuses[5:] == ["limited"] * 3, statuses


# --- The client behind the proxy -------------------------------------------------


def _attempt(email, password, forwarded_for):
    """One sign-in through the Django test client, from REMOTE_ADDR 127.0.0.1
    (the proxy) with this X-Forwarded-For."""
    response = Client().post(
        reverse("account_login"),
        {"login": email, "password": password},
        HTTP_ACCEPT_LANGUAGE="en",
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )
    if response.status_code == HTTPStatus.TOO_MANY_REQUESTS:
        return "limited"
    if "Too many failed login attempts" in response.content.decode():
        return "limited"
    return "signed in" if response.status_code == HTTPStatus.FOUND else "refused"


def test_behind_a_trusted_proxy_one_attackers_failures_do_not_stop_another_person(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # TRUSTED_PROXY_COUNT=1, as with Caddy
    UserFactory(email="person@example.org")
    # The attacker (198.51.100.7 as the proxy saw it) guesses 30 accounts, writing
    # a new address of their own in front of the one the proxy appends.
    attacker = [
        _attempt(f"guess{n}@example.org", "wrong", f"203.0.113.{n}, 198.51.100.7")
        for n in range(30)
    ]
    assert attacker == ["refused"] * 10 + ["limited"] * 20
    # Someone else at another address signs in; the attacker's address stays limited.
    assert _attempt("person@example.org", PASSWORD, "192.0.2.20") == "signed in"
    assert _attempt("person@example.org", PASSWORD, "198.51.100.7") == "limited"


def test_without_a_trusted_proxy_a_forged_header_does_not_escape_the_limit(settings):
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0  # the default: no proxy trusted
    assert settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER is None
    attempts = [_attempt(f"guess{n}@example.org", "wrong", f"203.0.113.{n}") for n in range(30)]
    assert attempts == ["refused"] * 10 + ["limited"] * 20


def test_nothing_else_in_samhus_reads_a_clients_address():
    # allauth's get_client_ip, configured in settings.py, is the one rule.
    words = ("REMOTE_ADDR", "FORWARDED_FOR", "X-Forwarded-For", "X-Real-IP", "get_client_ip")
    readers = [
        f"{path.relative_to(REPO)}: {word}"
        for app in (
            "centre",
            "actors",
            "bookings",
            "signups",
            "collaboration",
            "homes",
            "bench",
            "templates",
        )
        for path in sorted((REPO / app).rglob("*"))
        if path.suffix in {".py", ".html"} and path != REPO / "centre" / "settings.py"
        for word in words
        if word.lower() in path.read_text().lower()
    ]
    assert readers == []


@pytest.mark.postgres
@pytest.mark.skipif(not shutil.which("caddy"), reason="needs Caddy: apt-get install caddy")
@pytest.mark.parametrize("trusted", ["1", ""])
def test_behind_caddy_the_login_limit_counts_per_person(
    transactional_db, tmp_path, trusted, settings
):
    """deploy/Caddyfile in front of gunicorn, as docker compose runs them. Clients
    come from different loopback addresses; the attacker forges X-Forwarded-For."""
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # as gunicorn checks them
    UserFactory(email="person@example.org")
    env = clean_env(
        DATABASE_URL=test_database_url(),
        SECRET_KEY="proxy-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        DEBUG="true",
        SAMHUS_VAR_DIR=str(tmp_path),
        TRUSTED_PROXY_COUNT=trusted,
    )
    with start_gunicorn(env, workers=2) as upstream, start_caddy(upstream, tmp_path) as base:
        attacker = [
            sign_in(
                base,
                f"guess{n}@example.org",
                "wrong",
                source="127.0.0.2",
                headers={"X-Forwarded-For": f"203.0.113.{n}"},
            )
            for n in range(12)
        ]
        # Caddy replaces the forged header: the attacker is counted at their address.
        assert attacker == ["refused"] * 10 + ["limited"] * 2, attacker
        person = sign_in(base, "person@example.org", PASSWORD, source="127.0.0.3")
    # Trusted, Caddy's X-Forwarded-For tells them apart; untrusted, every visitor
    # has Caddy's address and shares the attacker's limit.
    assert person == ("signed in" if trusted else "limited")
