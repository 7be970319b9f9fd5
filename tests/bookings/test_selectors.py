"""The reads behind the room page: a room's week of free and busy time."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from bookings import selectors, services
from bookings.models import Visibility
from centre.models import ClosedDay
from tests.factories import RoomFactory, in_days

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


def _times(stretches):
    return [
        (f"{timezone.localtime(s):%H:%M}", f"{timezone.localtime(e):%H:%M}") for s, e in stretches
    ]


def test_a_rooms_week_is_free_around_what_holds_its_units(booker, room, actor):
    """A booking of a part holds the hall; the buffer after it is not offered
    as free time; another actor's internal booking is busy but not named."""
    room.buffer_minutes = 30
    room.save()
    hall = RoomFactory(name="Salen", slug="salen", capacity=200, buffer_minutes=30)
    hall.parts.add(room)
    services.booking_request(
        by=booker,
        room=room,
        actor=actor,
        title="Zumba",
        start=in_days(9, 10),
        end=in_days(9, 12),
        visibility=Visibility.INTERNAL,
    )
    day = timezone.localdate(in_days(9, 10))
    monday = day - datetime.timedelta(days=day.weekday())
    closed = monday if monday != day else monday + datetime.timedelta(days=1)
    ClosedDay.objects.create(date=closed, name="Vandskade")

    week = selectors.room_week(hall, monday, AnonymousUser())

    assert [d["day"] for d in week] == [monday + datetime.timedelta(days=n) for n in range(7)]
    today = week[day.weekday()]
    assert _times(today["free"]) == [("08:00", "10:00"), ("12:30", "22:00")]
    assert [(b["booking"].title, b["named"]) for b in today["busy"]] == [("Zumba", False)]
    shut = week[closed.weekday()]
    assert (shut["closed"].name, shut["free"]) == ("Vandskade", [])
    assert selectors.room_week(hall, monday, booker)[day.weekday()]["busy"][0]["named"]
