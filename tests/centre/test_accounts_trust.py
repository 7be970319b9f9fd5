"""Accounts under attack: a TOTP code and a recovery code work once, sign-up
does not reveal whether an address has an account, a superuser's admin
sign-in asks for the second factor, and the failed-login limit holds across
several gunicorn workers, also while Redis is down."""

import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from http import HTTPStatus
from unittest import mock

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.test import Client
from django.urls import reverse

from centre.models import User
from tests.conftest import clean_env, start_gunicorn, test_database_url
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


def test_signing_up_does_not_reveal_an_existing_address(member):
    before = User.objects.count()
    url = reverse("account_signup")
    form = {"password1": "another-long-password-9", "password2": "another-long-password-9"}
    known = Client().post(url, {**form, "email": member.email})
    unknown = Client().post(url, {**form, "email": "new@example.org"})
    assert known.status_code == unknown.status_code == HTTPStatus.FOUND
    assert known["Location"] == unknown["Location"]
    assert User.objects.count() == before + 1  # only the new address got an account
    assert any(member.email in m.to for m in mail.outbox)  # the owner is told instead


def test_an_address_signed_up_meanwhile_is_answered_like_a_known_one(member):
    before = User.objects.count()
    form = {"password1": "another-long-password-9", "password2": "another-long-password-9"}
    # Checked before the other sign-up with this address was saved (a double click).
    with mock.patch(
        "allauth.account.forms.flows.manage_email.email_already_exists",
        side_effect=lambda email, **kwargs: (email, False),
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
        statuses = []
        for _attempt in range(8):
            # A fresh browser each time: only the shared cache can count the attempts.
            opener = urllib.request.build_opener(
                urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
            )
            page = opener.open(base + "/accounts/login/", timeout=10).read().decode()
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
            body = urllib.parse.urlencode(
                {"csrfmiddlewaretoken": token, "login": "target@example.org", "password": "wrong"}
            ).encode()
            request = urllib.request.Request(
                base + "/accounts/login/",
                data=body,
                headers={"Referer": base + "/", "Accept-Language": "en"},
            )
            try:
                answer = opener.open(request, timeout=10).read().decode()
            except urllib.error.HTTPError as error:
                answer = f"HTTP {error.code}"
            limited = "Too many failed login attempts" in answer or "HTTP 429" in answer
            statuses.append("limited" if limited else "refused")
        # Five wrong passwords are refused as such; from then on the shared count stops them.
        assert statuses[:5] == ["refused"] * 5, statuses
        assert statuses[5:] == ["limited"] * 3, statuses
