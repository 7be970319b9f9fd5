"""Extra personas for the actors app: an administrator of the fixture actor
Kvindeforum, and a signed-in client for the member of Basen."""

import pytest
from django.test import Client

from actors.models import Membership
from tests.factories import MembershipFactory


@pytest.fixture(autouse=True)
def _quick_passwords(settings):
    # The personas' passwords are hashed once each; the real hasher's work factor
    # would make the permission matrix take minutes. Signing up still checks them.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def actor_admin(actor):
    return MembershipFactory(
        user__email="admin@example.org", actor=actor, role=Membership.Role.ADMIN
    ).user


@pytest.fixture
def admin_client(actor_admin):
    return signed_in(actor_admin)


@pytest.fixture
def other_member_client(other_member):
    return signed_in(other_member)
