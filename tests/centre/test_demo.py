"""`manage.py demo` builds the demo house, idempotently, and guards real data."""

import datetime
import os
import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from actors.models import Actor
from bookings import services as booking_services
from bookings.models import Room
from centre.models import Centre, ClosedDay, OpeningHours, User
from centre.roles import Role, roles_of
from tests.conftest import links_in
from tests.factories import UserFactory, in_days

pytestmark = pytest.mark.django_db

DEMO_APPS = ["centre", "actors", "bookings", "signups", "collaboration"]


def snapshot():
    models = [m for label in DEMO_APPS for m in apps.get_app_config(label).get_models()]
    models.append(EmailAddress)
    return {model._meta.label: sorted(map(repr, model.objects.values())) for model in models}


def load_demo(*args):
    out = StringIO()
    call_command("demo", "--no-serve", *args, stdout=out)
    return out.getvalue()


def test_demo_builds_the_motalavej_house():
    output = load_demo()
    assert Centre.load().name == "Kvarterhuset på Motalavej"
    assert Centre.load().kind == Centre.Kind.HOUSING_AREA
    assert {"Café Sumak", "Basen", "En Fælles Indsats", "Kvarterhusledelsen"} <= set(
        Actor.objects.values_list("name", flat=True)
    )
    assert {"Caféen", "Køkkenet", "Multisalen", "Værkstedet", "Mødelokale 1"} <= set(
        Room.objects.values_list("name", flat=True)
    )
    assert OpeningHours.objects.count() == 6
    assert ClosedDay.objects.filter(source=ClosedDay.Source.PUBLIC_HOLIDAY).count() >= 20
    for email in ("koordinator@samhus.test", "forening@samhus.test", "husraad@samhus.test"):
        assert email in output
    assert "samhus-demo" in output


def test_demo_users_sign_in_and_hold_their_roles():
    load_demo()
    for email, role in [
        ("koordinator@samhus.test", Role.COORDINATOR),
        ("forening@samhus.test", Role.MEMBER),
        ("husraad@samhus.test", Role.COUNCIL),
    ]:
        assert Client().login(email=email, password="samhus-demo"), email
        assert role in roles_of(User.objects.get(email=email))
    assert EmailAddress.objects.filter(verified=True).count() == User.objects.count()


def test_running_the_demo_twice_changes_nothing():
    load_demo()
    first = snapshot()
    load_demo()
    assert snapshot() == first


def test_demo_refuses_a_database_with_real_data():
    UserFactory(email="real.person@kommune.dk")
    with pytest.raises(CommandError, match="not the demo's"):
        load_demo()
    assert not Actor.objects.exists()
    load_demo("--force")
    assert Actor.objects.exists()


def _a_request_for_the_kitchen():
    """A booking request from the demo's association in the room that needs approval."""
    kitchen = Room.objects.get(slug="koekkenet")
    assert kitchen.needs_approval
    for days in range(14, 42):
        start = in_days(days, 10)
        try:
            return booking_services.booking_request(
                by=User.objects.get(email="forening@samhus.test"),
                room=kitchen,
                actor=Actor.objects.get(slug="kvindeforum"),
                title="Madhold",
                start=start,
                end=start + datetime.timedelta(hours=2),
            )
        except ValidationError:
            continue  # closed, or taken: another day
    raise AssertionError("no free morning in the kitchen")


def test_the_demo_served_at_a_port_links_to_that_port_in_every_mail_and_feed(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    """`demo --addrport 127.0.0.1:8123` (loaded here without serving): the
    mails it prints, from the browser (an invitation) and from no request
    (a booking request, its approval, the council's digest), and its pages
    and feeds link to port 8123 only."""
    settings.SITE_URL = settings.SITE_URL  # whatever the demo sets is undone afterwards
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    monkeypatch.delenv("SITE_URL", raising=False)
    load_demo("--addrport", "127.0.0.1:8123")
    demo = "http://127.0.0.1:8123"
    assert settings.SITE_URL == os.environ["SITE_URL"] == demo

    browser = Client(HTTP_HOST="127.0.0.1:8123")
    browser.force_login(User.objects.get(email="amina@samhus.test"))  # Kvindeforum's admin
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(
            reverse("actors:member-list", args=["kvindeforum"]),
            {"email": "ny@example.org", "role": "member"},
        )
        booking = _a_request_for_the_kitchen()
    with django_capture_on_commit_callbacks(execute=True):
        booking_services.booking_approve(
            booking=booking, by=User.objects.get(email="koordinator@samhus.test")
        )
    call_command("send_digest", stdout=StringIO())

    by_recipient = {}
    for message in mail.outbox:
        for recipient in message.to:
            by_recipient.setdefault(recipient, []).extend(links_in(message))
    for recipient in (
        "ny@example.org",  # the invitation
        "koordinator@samhus.test",  # the request
        "forening@samhus.test",  # its approval
        "husraad@samhus.test",  # the digest, with its unsubscribe link
    ):
        assert by_recipient.get(recipient), recipient
    found = [link for found in by_recipient.values() for link in found]
    assert any("/digest/unsubscribe/" in link for link in found)

    found += re.findall(r"(?:https?|webcal)://[^\s\"'<>]+", browser.get("/").content.decode())
    ics = browser.get("/calendar/feed.ics").content.replace(b"\r\n ", b"").decode()
    json = browser.get("/calendar/feed.json").content.decode()
    feeds = re.findall(r"https?://[^\s\"'<>\\]+", ics + json)
    assert any(link.endswith(".ics") for link in feeds)
    found += feeds
    outside = [link for link in found if not link.split("://", 1)[1].startswith("127.0.0.1:8123/")]
    assert not outside
