"""`manage.py demo` builds the demo house, idempotently, and guards real data."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import Client

from actors.models import Actor
from bookings.models import Room
from centre.models import Centre, ClosedDay, OpeningHours, User
from centre.roles import Role, roles_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DEMO_APPS = ["centre", "actors", "bookings", "collaboration"]


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
