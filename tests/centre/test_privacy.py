"""GDPR: export everything about one person and nothing about anyone else,
forget a person while the house's history stays whole, and the privacy page."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from actors.models import Invitation, Membership
from bookings.models import Booking
from centre.models import PrivacyLog, User
from collaboration.log import services
from collaboration.models import CouncilMember, DigestSubscription, Form
from tests.factories import BookingFactory, MembershipFactory, RoomFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(actor, other_actor, other_member):
    user = MembershipFactory(user__email="amina@example.org", user__name="Amina", actor=actor).user
    Membership.objects.filter(user=user).update(role=Membership.Role.BOOKER)
    BookingFactory(booked_by=user, actor=actor, room=RoomFactory(), title="Kvindecafé")
    services.collaboration_log(
        by=user,
        on_behalf_of=actor,
        actors=[actor, other_actor],
        title="Fælles møde",
        form=Form.KNOWLEDGE,
    )
    DigestSubscription.objects.create(user=user, subscribed=True)
    CouncilMember.objects.create(user=user, actor=actor)
    Invitation.objects.create(actor=other_actor, email="amina@example.org", invited_by=other_member)
    # Someone else's data, which must not be exported.
    BookingFactory(
        booked_by=other_member, actor=other_actor, room=RoomFactory(), title="Andres møde"
    )
    return user


def test_the_export_holds_the_person_and_nobody_else(person, other_member):
    out = StringIO()
    call_command("export_person", "AMINA@example.org", stdout=out)
    data = json.loads(out.getvalue())
    holdings = data["holdings"]
    assert holdings["centre.User"][0]["email"] == "amina@example.org"
    assert "password" not in holdings["centre.User"][0]
    assert [row["title"] for row in holdings["bookings.Booking"]] == ["Kvindecafé"]
    assert holdings["actors.Membership"][0]["role"] == Membership.Role.BOOKER
    assert holdings["collaboration.CouncilMember"]
    assert holdings["collaboration.Collaboration"][0]["title"] == "Fælles møde"
    assert holdings["actors.Invitation (to this address)"]
    text = out.getvalue()
    assert "Andres møde" not in text
    assert other_member.email not in text.replace('"invited_by"', "")
    assert PrivacyLog.objects.get().action == PrivacyLog.Action.EXPORT


def test_forgetting_removes_the_person_and_keeps_the_houses_history(person, tmp_path):
    pk = person.pk
    call_command("forget_person", "amina@example.org", "--yes", stdout=StringIO())
    user = User.objects.get(pk=pk)
    assert user.email.startswith("forgotten-") and user.name == ""
    assert not user.is_active and not user.has_usable_password()
    assert not Membership.objects.filter(user=user).exists()
    assert not CouncilMember.objects.filter(user=user).exists()
    assert not DigestSubscription.objects.filter(user=user).exists()
    assert not Invitation.objects.filter(email="amina@example.org").exists()
    # The booking stays, as anonymous use of the room.
    assert Booking.objects.get(title="Kvindecafé").booked_by_id == pk
    entry = PrivacyLog.objects.get(action=PrivacyLog.Action.FORGET)
    assert entry.subject == f"user #{pk}" and "amina" not in json.dumps(entry.summary)
    # Nothing in the new export names her.
    out = StringIO()
    call_command(
        "export_person",
        user.email,
        "--output",
        str(tmp_path / "x.json"),
        stdout=out,
        stderr=StringIO(),
    )
    assert "amina" not in (tmp_path / "x.json").read_text().lower()
    assert not Client().login(email="amina@example.org", password="a-long-test-password-42")


def test_an_unknown_address_is_an_error(db):
    with pytest.raises(CommandError):
        call_command("export_person", "nobody@example.org", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("forget_person", "nobody@example.org", "--yes", stdout=StringIO())


def test_forgetting_asks_first_and_says_what_goes(person, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("forget_person", "amina@example.org", stdout=out)
    assert User.objects.get(pk=person.pk).email == "amina@example.org"
    said = out.getvalue()
    assert "actors.Membership 1" in said and "collaboration.CouncilMember 1" in said
    assert "Bookings and logs stay" in said


def test_the_privacy_page_is_public(client):
    client.cookies["django_language"] = "en"
    response = client.get("/privacy/")
    assert response.status_code == 200
    assert (
        "Referrals of residents between actors are logged as numbers only"
        in response.content.decode()
    )
