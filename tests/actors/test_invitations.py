"""Invitations: the e-mail, the link that works once for 14 days, and what
following it does for a new person, an existing account and a signed-in one."""

import datetime
from http import HTTPStatus

import pytest
from allauth.account.models import EmailAddress
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from actors import services
from actors.models import Invitation, Membership
from actors.tasks import send_invitation
from centre.models import User
from tests.factories import PASSWORD, InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db


def invite(client, actor, email, role=Membership.Role.MEMBER, **extra):
    return client.post(
        reverse("actors:member-list", args=[actor.slug]), {"email": email, "role": role}, **extra
    )


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- sending -------------------------------------------------------------------------------


@pytest.mark.parametrize("inviter", ["coordinator_client", "actor_admin_client"])
def test_invitation_is_mailed_with_its_link(
    request, actor, inviter, django_capture_on_commit_callbacks
):
    client = request.getfixturevalue(inviter)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, actor, " Ny.Person@Example.org ", Membership.Role.BOOKER)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("actors:member-list", args=[actor.slug])
    invitation = Invitation.objects.get(actor=actor)
    assert invitation.email == "ny.person@example.org"
    assert invitation.role == Membership.Role.BOOKER
    assert invitation.invited_by == response.wsgi_request.user
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["ny.person@example.org"]
    assert f"/invitations/{invitation.token}/" in sent.body
    assert "Kvindeforum" in sent.subject


def test_invitation_is_listed_as_waiting(actor_admin_client, actor):
    InvitationFactory(actor=actor, email="venter@example.org")
    InvitationFactory(actor=actor, email="brugt@example.org", accepted_at=timezone.now())
    content = actor_admin_client.get(
        reverse("actors:member-list", args=[actor.slug])
    ).content.decode()
    assert "venter@example.org" in content
    assert "brugt@example.org" not in content


def test_mail_is_in_the_inviters_language(
    coordinator_client, actor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(coordinator_client, actor, "en@example.org", HTTP_ACCEPT_LANGUAGE="en")
        invite(coordinator_client, actor, "da@example.org", HTTP_ACCEPT_LANGUAGE="da")
    subjects = {sent.to[0]: sent.subject for sent in mail.outbox}
    assert subjects["en@example.org"] == "You are invited to Kvindeforum on Samhus"
    assert subjects["da@example.org"] == "Du er inviteret til Kvindeforum på Samhus"


def test_subject_cannot_carry_extra_headers(
    coordinator_client, actor, django_capture_on_commit_callbacks
):
    actor.name = "Kvindeforum\r\nBcc: x@evil.example"
    actor.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(coordinator_client, actor, "ny@example.org")
    assert response.status_code == HTTPStatus.FOUND
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert "\n" not in sent.subject
    assert "\r" not in sent.subject
    assert sent.recipients() == ["ny@example.org"]
    assert sent.message()["Bcc"] is None


def test_withdrawn_invitation_is_not_mailed(actor):
    invitation = InvitationFactory(actor=actor, revoked_at=timezone.now())
    send_invitation(invitation.pk)
    assert mail.outbox == []


def test_nothing_is_mailed_before_the_commit(
    coordinator_client, actor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invite(coordinator_client, actor, "ny@example.org")
    assert mail.outbox == []
    assert len(callbacks) == 1


# --- refusing to invite ---------------------------------------------------------------------


def test_inviting_a_member_is_a_form_error(actor_admin_client, actor, member):
    response = invite(actor_admin_client, actor, "MEMBER@example.org", HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == HTTPStatus.OK
    assert "member@example.org er allerede medlem af Kvindeforum" in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_a_member_is_a_form_error_in_english(actor_admin_client, actor, member):
    response = invite(actor_admin_client, actor, "member@example.org", HTTP_ACCEPT_LANGUAGE="en")
    assert "member@example.org is already a member of Kvindeforum" in response.content.decode()
    assert not Invitation.objects.exists()


def test_invalid_address_is_refused(actor_admin_client, actor):
    response = invite(actor_admin_client, actor, "not-an-address", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == HTTPStatus.OK
    assert "Enter a valid email address." in response.content.decode()
    assert not Invitation.objects.exists()


def test_nobody_is_invited_to_an_actor_that_left(coordinator, actor):
    actor.left_on = timezone.localdate()
    actor.save()
    with translation.override("en"), pytest.raises(ValidationError, match="left the house"):
        services.invitation_create(
            actor=actor, email="ny@example.org", role="member", by=coordinator
        )
    assert not Invitation.objects.exists()


def test_inviting_again_replaces_the_earlier_link(
    actor_admin_client, actor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(actor_admin_client, actor, "ny@example.org")
        invite(actor_admin_client, actor, "NY@example.org", Membership.Role.ADMIN)
    first, second = Invitation.objects.order_by("pk")
    assert first.revoked_at is not None
    assert second.revoked_at is None
    assert second.role == Membership.Role.ADMIN
    assert list(Invitation.objects.pending()) == [second]
    response = Client().get(first.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == HTTPStatus.GONE
    assert "withdrawn" in response.content.decode()


def test_invitations_to_other_actors_are_not_replaced(actor_admin_client, actor, other_actor):
    elsewhere = InvitationFactory(actor=other_actor, email="ny@example.org")
    invite(actor_admin_client, actor, "ny@example.org")
    elsewhere.refresh_from_db()
    assert elsewhere.revoked_at is None


# --- withdrawing --------------------------------------------------------------------------


def test_admin_withdraws_an_invitation(actor_admin_client, actor):
    invitation = InvitationFactory(actor=actor, email="ny@example.org")
    response = actor_admin_client.post(
        reverse("actors:invitation-revoke", args=[invitation.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == HTTPStatus.FOUND
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert "The invitation to ny@example.org is withdrawn." in messages_of(response)
    response = Client().get(invitation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == HTTPStatus.GONE
    assert "Invitationen er trukket tilbage" in response.content.decode()


def test_a_used_invitation_cannot_be_withdrawn(actor_admin_client, actor, other_member):
    invitation = InvitationFactory(actor=actor, email=other_member.email)
    services.invitation_accept(invitation=invitation, user=other_member)
    response = actor_admin_client.post(
        reverse("actors:invitation-revoke", args=[invitation.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == HTTPStatus.FOUND
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert any("already been used" in message for message in messages_of(response))
    assert Membership.objects.filter(user=other_member, actor=actor).exists()


# --- following the link ----------------------------------------------------------------------


def test_new_person_signs_up_verified_and_joins(anonymous, actor):
    invitation = InvitationFactory(actor=actor, email="ny@example.org", role="booker")
    response = anonymous.get(invitation.get_absolute_url())
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("account_signup")

    form = anonymous.get(reverse("account_signup"))
    assert form.status_code == HTTPStatus.OK
    assert 'value="ny@example.org"' in form.content.decode()

    response = anonymous.post(
        reverse("account_signup"),
        {"email": "ny@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == HTTPStatus.FOUND
    user = User.objects.get(email="ny@example.org")
    assert int(anonymous.session["_auth_user_id"]) == user.pk
    assert mail.outbox == []  # no verification e-mail: the invitation proved the address
    assert EmailAddress.objects.get(email="ny@example.org").verified
    membership = Membership.objects.get(user=user, actor=actor)
    assert membership.role == Membership.Role.BOOKER
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None


def test_signing_up_after_the_link_was_withdrawn_gives_no_membership(anonymous, actor):
    invitation = InvitationFactory(actor=actor, email="ny@example.org")
    anonymous.get(invitation.get_absolute_url())
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    response = anonymous.post(
        reverse("account_signup"),
        {"email": "ny@example.org", "password1": PASSWORD, "password2": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == HTTPStatus.FOUND
    assert not Membership.objects.filter(actor=actor).exists()
    assert any("withdrawn" in message for message in messages_of(response))


def test_existing_account_is_sent_to_sign_in(anonymous, actor, other_member):
    invitation = InvitationFactory(actor=actor, email="OTHER@example.org")
    response = anonymous.get(invitation.get_absolute_url())
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))
    assert f"next=/invitations/{invitation.token}/" in response["Location"]
    assert not Membership.objects.filter(user=other_member, actor=actor).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_signed_in_person_confirms_and_joins(other_member_client, other_member, actor):
    invitation = InvitationFactory(actor=actor, email=other_member.email, role="admin")
    page = other_member_client.get(invitation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == HTTPStatus.OK
    assert "Join Kvindeforum" in page.content.decode()
    assert not Membership.objects.filter(user=other_member, actor=actor).exists()

    response = other_member_client.post(invitation.get_absolute_url())
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == actor.get_absolute_url()
    assert Membership.objects.get(user=other_member, actor=actor).role == Membership.Role.ADMIN
    # The new administrator now manages the actor.
    edit = other_member_client.get(reverse("actors:actor-edit", args=[actor.slug]))
    assert edit.status_code == HTTPStatus.OK


@pytest.mark.parametrize(("language", "text"), [("da", "allerede"), ("en", "already been used")])
def test_link_works_once(other_member_client, other_member, actor, language, text):
    invitation = InvitationFactory(actor=actor, email=other_member.email)
    assert other_member_client.post(invitation.get_absolute_url()).status_code == HTTPStatus.FOUND
    for method in (other_member_client.get, other_member_client.post, Client().get):
        response = method(invitation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == HTTPStatus.GONE
        assert text in response.content.decode()
    assert Membership.objects.filter(actor=actor, user=other_member).count() == 1


@pytest.mark.parametrize("persona", ["anonymous", "other_member_client"])
def test_link_expires_after_14_days(request, actor, other_member, persona):
    invitation = InvitationFactory(
        actor=actor,
        email="ny@example.org",
        expires_at=timezone.now() - datetime.timedelta(minutes=1),
    )
    client = request.getfixturevalue(persona)
    response = client.get(invitation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == HTTPStatus.GONE
    content = response.content.decode()
    assert "expired after 14 days" in content
    response = client.post(invitation.get_absolute_url())
    assert response.status_code == HTTPStatus.GONE
    assert not Membership.objects.filter(actor=actor, user=other_member).exists()


def test_new_invitations_last_14_days(coordinator, actor):
    invitation = services.invitation_create(
        actor=actor, email="ny@example.org", role="member", by=coordinator
    )
    left = invitation.expires_at - timezone.now()
    assert datetime.timedelta(days=13, hours=23) < left <= datetime.timedelta(days=14)


def test_withdrawn_link_is_gone(other_member_client, other_member, actor):
    invitation = InvitationFactory(actor=actor, email=other_member.email, revoked_at=timezone.now())
    response = other_member_client.post(invitation.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == HTTPStatus.GONE
    assert "withdrawn" in response.content.decode()
    assert not Membership.objects.filter(actor=actor, user=other_member).exists()


def test_unknown_token_is_404(anonymous):
    assert anonymous.get("/invitations/not-a-token/").status_code == HTTPStatus.NOT_FOUND


def test_two_accepts_give_one_membership(actor):
    invitation = InvitationFactory(actor=actor, email="ny@example.org")
    first, second = UserFactory(), UserFactory()
    # Two tabs (or two people with the link) hold the same, still pending, invitation.
    stale = Invitation.objects.get(pk=invitation.pk)
    services.invitation_accept(invitation=invitation, user=first)
    with pytest.raises(ValidationError, match="allerede brugt"):
        services.invitation_accept(invitation=stale, user=second)
    assert list(Membership.objects.filter(actor=actor).values_list("user", flat=True)) == [first.pk]
    invitation.refresh_from_db()
    assert invitation.accepted_by == first


def test_accepting_twice_as_the_same_person(actor, other_member):
    invitation = InvitationFactory(actor=actor, email=other_member.email)
    services.invitation_accept(invitation=invitation, user=other_member)
    with pytest.raises(ValidationError):
        services.invitation_accept(invitation=invitation, user=other_member)
    assert Membership.objects.filter(actor=actor, user=other_member).count() == 1
