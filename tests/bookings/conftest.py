import datetime

import pytest
from django.utils import timezone, translation

from actors.models import Membership
from bookings.models import Room
from centre.models import Centre, OpeningHours
from tests.factories import ActorFactory, MembershipFactory, RoomFactory


@pytest.fixture(autouse=True)
def _english():
    """The booking tests read the services' messages in English."""
    with translation.override("en"):
        yield


@pytest.fixture
def open_every_day(db):
    for weekday in range(7):
        OpeningHours.objects.create(
            weekday=weekday, opens=datetime.time(8), closes=datetime.time(22)
        )
    Centre.load()


@pytest.fixture
def room(open_every_day) -> Room:
    return RoomFactory(name="Multisalen", slug="multisalen", capacity=100)


@pytest.fixture
def booker(actor):
    return MembershipFactory(
        user__email="booker@example.org", actor=actor, role=Membership.Role.BOOKER
    ).user


@pytest.fixture
def other_booker(other_actor):
    return MembershipFactory(
        user__email="other.booker@example.org", actor=other_actor, role=Membership.Role.BOOKER
    ).user


def at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A local time `days` from today, on the hour given."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


@pytest.fixture
def third_actor(db):
    return ActorFactory(name="Café Sumak", slug="cafe-sumak")
