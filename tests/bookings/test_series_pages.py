"""The pages of issue #14: moving dates, a series' own page, my bookings
grouped by series, and cancelling many dates only after a confirmation."""

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from bookings import services
from tests.factories import RoomFactory, local, weekly_series

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


@pytest.fixture
def small_room(open_every_day):
    return RoomFactory(name="Mødelokale 1", slug="moedelokale-1", capacity=12)


def dates(series):
    return list(series.occurrences.order_by("start"))


# --- moving a date -----------------------------------------------------------------------------


def test_a_booker_moves_one_date_through_the_page(booker, booker_client, room, small_room, actor):
    second = dates(weekly_series(booker, room, actor, weeks=3))[1]
    url = reverse("bookings:booking-move", args=[second.pk])
    page = booker_client.get(url).content.decode()
    wednesday = timezone.localdate(second.start)
    assert f'value="{wednesday.isoformat()}"' in page and 'value="17:00"' in page
    thursday = wednesday + datetime.timedelta(days=1)
    response = booker_client.post(
        url,
        {
            "date": thursday.isoformat(),
            "start_time": "17:00",
            "end_time": "19:00",
            "room": small_room.pk,
            "scope": "one",
        },
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.redirect_chain[-1][0] == reverse("bookings:booking-detail", args=[second.pk])
    assert "1 date moved." in response.content.decode()
    second.refresh_from_db()
    assert (second.start, second.room) == (local(thursday, 17), small_room)
    # The history says where from and where to.
    assert f"{thursday:%Y-%m-%d} 17:00–19:00 Mødelokale 1" in response.content.decode()


def test_a_refused_move_shows_why_and_keeps_what_was_typed(
    booker, booker_client, other_booker, room, small_room, actor, other_actor
):
    second = dates(weekly_series(booker, room, actor, weeks=3))[1]
    thursday = timezone.localdate(second.start) + datetime.timedelta(days=1)
    services.booking_request(
        by=other_booker,
        room=small_room,
        actor=other_actor,
        title="Fodbold",
        start=local(thursday, 18),
        end=local(thursday, 20),
    )
    response = booker_client.post(
        reverse("bookings:booking-move", args=[second.pk]),
        {
            "date": thursday.isoformat(),
            "start_time": "17:30",
            "end_time": "19:00",
            "room": small_room.pk,
            "scope": "following",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "already booked then: “Fodbold” by Basen" in page
    assert f'value="{thursday.isoformat()}"' in page and 'value="17:30"' in page
    assert f'<option value="{small_room.pk}" selected>' in page
    assert 'value="following" required id="id_scope_1" checked' in page
    second.refresh_from_db()
    assert second.room == room and second.sequence == 0


def test_only_people_who_can_change_the_booking_move_it(
    booker, member_client, other_member_client, room, actor
):
    first = dates(weekly_series(booker, room, actor, weeks=2))[0]
    url = reverse("bookings:booking-move", args=[first.pk])
    assert member_client.get(url).status_code == HTTPStatus.FORBIDDEN
    assert other_member_client.get(url).status_code == HTTPStatus.NOT_FOUND
