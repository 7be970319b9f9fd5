"""Accounts: e-mail login, verification, password reset, rate limits, two-factor."""

import re
from http import HTTPStatus

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.urls import reverse

from centre.models import User
from centre.roles import Role, roles_of
from tests.factories import PASSWORD, UserFactory, add_totp

pytestmark = pytest.mark.django_db


def test_signup_is_email_only_and_sends_a_verification(
    anonymous, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post(
            reverse("account_signup"),
            {"email": "Ny@Example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == HTTPStatus.FOUND
    user = User.objects.get(email="ny@example.org")
    assert not hasattr(user, "username") or user.username is None
    assert len(mail.outbox) == 1
    assert "ny@example.org" in mail.outbox[0].to
    # Mandatory verification: the new account is not signed in yet.
    assert "_auth_user_id" not in anonymous.session


def test_unverified_user_cannot_sign_in(anonymous):
    UserFactory(email="unverified@example.org", verified=False)
    response = anonymous.post(
        reverse("account_login"), {"login": "unverified@example.org", "password": PASSWORD}
    )
    assert "_auth_user_id" not in anonymous.session
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_email_verification_sent")


def test_verified_user_signs_in_with_email(anonymous, member):
    response = anonymous.post(
        reverse("account_login"), {"login": "MEMBER@example.org", "password": PASSWORD}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert int(anonymous.session["_auth_user_id"]) == member.pk


def test_wrong_password_is_refused_in_danish(anonymous, member):
    response = anonymous.post(
        reverse("account_login"),
        {"login": "member@example.org", "password": "wrong"},
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert response.status_code == HTTPStatus.OK
    assert "_auth_user_id" not in anonymous.session
    assert "emailadresse og/eller adgangskode" in response.content.decode()


def test_failed_logins_are_rate_limited(anonymous, member):
    url = reverse("account_login")
    for _attempt in range(5):
        anonymous.post(url, {"login": "member@example.org", "password": "wrong"})
    response = anonymous.post(
        url, {"login": "member@example.org", "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "_auth_user_id" not in anonymous.session
    assert "Too many failed login attempts" in response.content.decode()


def test_password_reset_does_not_reveal_whether_an_address_exists(
    anonymous, member, django_capture_on_commit_callbacks
):
    url = reverse("account_reset_password")
    with django_capture_on_commit_callbacks(execute=True):
        known = anonymous.post(url, {"email": "member@example.org"})
        unknown = anonymous.post(url, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == HTTPStatus.FOUND
    assert known["Location"] == unknown["Location"]
    reset_mails = [m for m in mail.outbox if "member@example.org" in m.to]
    assert len(reset_mails) == 1
    assert re.search(r"/accounts/password/reset/key/\S+", reset_mails[0].body)


def test_a_password_reset_answers_without_waiting_for_smtp_and_the_mail_follows(
    anonymous, member, settings, django_capture_on_commit_callbacks
):
    """allauth's mails go through a task (centre.tasks.send_rendered_mail:
    the outbox, retries, one Message-ID): the request never talks to SMTP, so
    a slow or refusing server does not hold the page, and the page's time
    does not carry SMTP's round trip for an address that has an account."""
    from tests.conftest import Mailbox, send_through, smtp_server

    mailbox = Mailbox()
    with smtp_server(mailbox) as url:
        send_through(settings, url)
        with django_capture_on_commit_callbacks() as queued:
            response = anonymous.post(reverse("account_reset_password"), {"email": member.email})
        assert response.status_code == HTTPStatus.FOUND
        assert mailbox.messages == [] and len(queued) == 1  # nothing sent in the request
        queued[0]()  # after the commit: the task (eager here) sends it
    [(recipients, content)] = mailbox.messages
    assert recipients == [member.email]
    assert re.search(rb"/accounts/password/reset/key/\S+", content)


def test_coordinator_without_two_factor_is_sent_to_set_it_up(db):
    from django.test import Client

    user = UserFactory(is_coordinator=True)
    client = Client()
    client.force_login(user)
    response = client.get(reverse("centre:house"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("mfa_activate_totp")
    # The set-up page stays reachable (allauth first asks for the password again
    # when the sign-in is not fresh), so there is no redirect loop.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get(response["Location"]).status_code == HTTPStatus.OK


def test_coordinator_with_two_factor_passes(coordinator_client):
    assert coordinator_client.get(reverse("centre:house")).status_code == HTTPStatus.OK


def test_members_are_not_forced_to_use_two_factor(member_client):
    assert member_client.get(reverse("centre:profile")).status_code == HTTPStatus.OK


def test_coordinator_login_asks_for_the_totp_code(anonymous):
    user = UserFactory(email="k@example.org", is_coordinator=True)
    secret = add_totp(user)
    response = anonymous.post(
        reverse("account_login"), {"login": "k@example.org", "password": PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in anonymous.session
    import time

    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = anonymous.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == HTTPStatus.FOUND
    assert int(anonymous.session["_auth_user_id"]) == user.pk


def test_admin_is_for_superusers_only(coordinator_client, db):
    response = coordinator_client.get("/admin/")
    assert response.status_code == HTTPStatus.FOUND
    assert "/login/" in response["Location"]
    from django.test import Client

    superuser = UserFactory(is_superuser=True, is_staff=True)
    add_totp(superuser)
    client = Client()
    client.force_login(superuser)
    assert client.get("/admin/").status_code == HTTPStatus.OK


def test_admin_login_goes_through_allauth(anonymous):
    response = anonymous.get("/admin/login/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))


def test_roles(coordinator, member, council_member, db):
    from django.contrib.auth.models import AnonymousUser

    assert roles_of(AnonymousUser()) == {Role.RESIDENT}
    assert roles_of(coordinator) == {Role.COORDINATOR}
    assert roles_of(member) == {Role.MEMBER}
    assert roles_of(council_member) == {Role.COUNCIL}


def test_membership_of_an_actor_that_left_is_no_role(member):
    import datetime

    actor = member.memberships.get().actor
    actor.left_on = datetime.date(2020, 1, 1)
    actor.save()
    member = User.objects.get(pk=member.pk)
    assert roles_of(member) == frozenset()


def test_navigation_follows_the_role(anonymous, member_client, coordinator_client):
    house = reverse("centre:house")
    assert house not in anonymous.get("/").content.decode()
    assert house not in member_client.get("/").content.decode()
    assert house in coordinator_client.get("/").content.decode()
    assert reverse("account_login") in anonymous.get("/").content.decode()


def test_profile_saves_name_and_language(member_client, member):
    response = member_client.post(reverse("centre:profile"), {"name": "Fatima", "language": "en"})
    assert response.status_code == HTTPStatus.FOUND
    member.refresh_from_db()
    assert (member.name, member.language) == ("Fatima", "en")


def test_profile_refuses_an_unknown_language(member_client, member):
    response = member_client.post(reverse("centre:profile"), {"name": "X", "language": "xx"})
    assert response.status_code == HTTPStatus.OK
    member.refresh_from_db()
    assert member.language == "da"
