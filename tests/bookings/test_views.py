"""The rooms and booking pages, for each role: allowed and refused."""

import datetime
from http import HTTPStatus
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bookings import services
from bookings.models import Booking, Facility, Room, Status, Visibility
from tests.conftest import ELSEWHERE, links_in, png, submitted
from tests.factories import RoomFactory, in_days
from tests.factories import booking_form_data as form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_rooms_are_public(anonymous, room, django_assert_max_num_queries):
    RoomFactory.create_batch(5)
    with django_assert_max_num_queries(6):
        response = anonymous.get(reverse("bookings:room-list"))
    assert response.status_code == HTTPStatus.OK
    assert "Multisalen" in response.content.decode()
    assert (
        anonymous.get(reverse("bookings:room-detail", args=[room.slug])).status_code
        == HTTPStatus.OK
    )


def test_free_busy_hides_internal_titles_from_the_public(anonymous, booker, room, actor):
    day = in_days(2, 17)
    services.booking_request(
        by=booker,
        room=room,
        actor=actor,
        title="Personalemøde",
        start=day,
        end=day + datetime.timedelta(hours=1),
        visibility=Visibility.INTERNAL,
    )
    services.booking_request(
        by=booker,
        room=room,
        actor=actor,
        title="Zumba",
        start=day + datetime.timedelta(hours=2),
        end=day + datetime.timedelta(hours=3),
    )
    url = (
        reverse("bookings:room-detail", args=[room.slug])
        + f"?date={timezone.localdate(day).isoformat()}"
    )
    public = anonymous.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Zumba" in public
    assert "Personalemøde" not in public
    assert "Busy" in public
    assert "Personalemøde" in client_for(booker).get(url).content.decode()


def test_booking_pages_need_login(anonymous, room):
    for name in ["bookings:booking-create", "bookings:my-bookings", "bookings:requests"]:
        response = anonymous.get(reverse(name))
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith(reverse("account_login"))


def test_plain_members_cannot_book(member_client, room):
    assert member_client.get(reverse("bookings:booking-create")).status_code == HTTPStatus.FORBIDDEN


def test_booker_books_through_the_form(booker, room, actor):
    client = client_for(booker)
    assert client.get(reverse("bookings:booking-create")).status_code == HTTPStatus.OK
    response = client.post(reverse("bookings:booking-create"), form_data(actor, room))
    booking = Booking.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("bookings:booking-detail", args=[booking.pk])
    assert booking.status == Status.CONFIRMED
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Kvindecafé" in page and "Created" in page


def test_booker_cannot_book_for_another_actor(booker, room, other_actor):
    response = client_for(booker).post(
        reverse("bookings:booking-create"), form_data(other_actor, room)
    )
    assert response.status_code == HTTPStatus.OK
    assert not Booking.objects.exists()


def test_a_clash_in_the_form_names_the_other_booking_and_saves_nothing(
    booker, other_booker, room, actor, other_actor
):
    services.booking_request(
        by=other_booker,
        room=room,
        actor=other_actor,
        title="Fodbold",
        start=in_days(3, 18),
        end=in_days(3, 20),
    )
    response = client_for(booker).post(
        reverse("bookings:booking-create"), form_data(actor, room), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == HTTPStatus.OK
    assert "Fodbold" in response.content.decode()
    assert Booking.objects.count() == 1


def test_a_series_with_clashes_lists_them_and_can_book_the_rest(
    booker, other_booker, room, actor, other_actor
):
    services.booking_request(
        by=other_booker,
        room=room,
        actor=other_actor,
        title="Fodbold",
        start=in_days(10, 18),
        end=in_days(10, 20),
    )
    client = client_for(booker)
    data = form_data(
        actor,
        room,
        repeat="weekly",
        until=(timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
    )
    response = client.post(reverse("bookings:booking-create"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == HTTPStatus.OK
    assert "These dates are taken" in response.content.decode()
    assert not Booking.objects.filter(actor=actor).exists()
    response = client.post(reverse("bookings:booking-create"), {**data, "book_rest": "on"})
    assert response.status_code == HTTPStatus.FOUND
    # Days 3, 10, 17 and 24 fall before the last day; day 10 is taken.
    assert Booking.objects.filter(actor=actor).count() == 3


def test_requests_go_to_coordinators_and_the_booker_hears_back(
    booker,
    coordinator,
    coordinator_client,
    open_every_day,
    actor,
    django_capture_on_commit_callbacks,
):
    room = RoomFactory(needs_approval=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(booker).post(
            reverse("bookings:booking-create"), form_data(actor, room)
        )
    booking = Booking.objects.get()
    assert booking.status == Status.REQUESTED
    assert response.status_code == HTTPStatus.FOUND
    to_coordinator = [m for m in mail.outbox if coordinator.email in m.to]
    assert len(to_coordinator) == 1
    assert to_coordinator[0].alternatives and "text/html" in to_coordinator[0].alternatives[0][1]
    queue = coordinator_client.get(reverse("bookings:requests"))
    assert "Kvindecafé" in queue.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(reverse("bookings:booking-approve", args=[booking.pk]))
    assert response.status_code == HTTPStatus.FOUND
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    to_booker = [m for m in mail.outbox if booker.email in m.to]
    assert len(to_booker) == 1
    assert "Kvindecafé" in to_booker[0].subject


@pytest.mark.django_db(transaction=True)
def test_a_request_and_its_decision_link_to_the_host_each_was_made_at(
    booker, coordinator, open_every_day, actor, elsewhere
):
    """Committed inside each request, as in production: the mail each causes
    links to the host that request came to (ELSEWHERE, then the loopback)."""
    room = RoomFactory(needs_approval=True)
    booking_client = Client(**elsewhere)
    booking_client.force_login(booker)
    booking_client.post(reverse("bookings:booking-create"), form_data(actor, room))
    booking = Booking.objects.get()
    detail = reverse("bookings:booking-detail", args=[booking.pk])
    [to_coordinator] = [m for m in mail.outbox if coordinator.email in m.to]
    # The mail's own link and the layout's link to the house's front page.
    assert set(links_in(to_coordinator)) == {ELSEWHERE + detail, ELSEWHERE + "/"}
    deciding = Client(HTTP_HOST="localhost:8123")
    deciding.force_login(coordinator)
    deciding.post(reverse("bookings:booking-approve", args=[booking.pk]))
    [to_booker] = [m for m in mail.outbox if booker.email in m.to]
    assert set(links_in(to_booker)) == {"http://localhost:8123" + detail, "http://localhost:8123/"}


def test_only_coordinators_decide(booker, open_every_day, actor):
    room = RoomFactory(needs_approval=True)
    client = client_for(booker)
    client.post(reverse("bookings:booking-create"), form_data(actor, room))
    booking = Booking.objects.get()
    assert client.get(reverse("bookings:requests")).status_code == HTTPStatus.FORBIDDEN
    assert (
        client.post(reverse("bookings:booking-approve", args=[booking.pk])).status_code
        == HTTPStatus.FORBIDDEN
    )
    assert (
        client.post(
            reverse("bookings:booking-decline", args=[booking.pk]), {"reason": "nej"}
        ).status_code
        == HTTPStatus.FORBIDDEN
    )
    booking.refresh_from_db()
    assert booking.status == Status.REQUESTED


def test_another_actors_booking_is_not_found(booker, other_booker, room, actor):
    booking = services.booking_request(
        by=booker, room=room, actor=actor, title="Zumba", start=in_days(3, 17), end=in_days(3, 19)
    )
    other = client_for(other_booker)
    assert (
        other.get(reverse("bookings:booking-detail", args=[booking.pk])).status_code
        == HTTPStatus.NOT_FOUND
    )
    assert (
        other.post(reverse("bookings:booking-cancel", args=[booking.pk])).status_code
        == HTTPStatus.NOT_FOUND
    )
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED


def test_cancel_through_the_page(booker, room, actor):
    booking = services.booking_request(
        by=booker, room=room, actor=actor, title="Zumba", start=in_days(3, 17), end=in_days(3, 19)
    )
    response = client_for(booker).post(
        reverse("bookings:booking-cancel", args=[booking.pk]), {"scope": "one"}
    )
    assert response.status_code == HTTPStatus.FOUND
    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED
    assert not [
        m for m in mail.outbox if booker.email in m.to
    ]  # nobody is told about their own cancellation


def test_my_bookings_lists_only_my_actors(
    booker, other_booker, room, actor, other_actor, django_assert_max_num_queries
):
    services.booking_request(
        by=booker, room=room, actor=actor, title="Zumba", start=in_days(3, 17), end=in_days(3, 18)
    )
    services.booking_request(
        by=other_booker,
        room=room,
        actor=other_actor,
        title="Fodbold",
        start=in_days(3, 19),
        end=in_days(3, 20),
    )
    client = client_for(booker)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("bookings:my-bookings")).content.decode()
    assert "Zumba" in page and "Fodbold" not in page


def test_an_actors_page_lists_its_coming_public_activities_only(anonymous, booker, room, actor):
    services.booking_request(
        by=booker,
        room=room,
        actor=actor,
        title="Kvindecafé",
        start=in_days(3, 10),
        end=in_days(3, 12),
    )
    services.booking_request(
        by=booker,
        room=room,
        actor=actor,
        title="Personalemøde",
        start=in_days(3, 13),
        end=in_days(3, 14),
        visibility=Visibility.INTERNAL,
    )
    page = anonymous.get(actor.get_absolute_url()).content.decode()
    assert "Kvindecafé" in page
    assert "Personalemøde" not in page


def test_only_coordinators_manage_rooms(coordinator_client, member_client, booker, anonymous, room):
    for url in [
        reverse("bookings:room-create"),
        reverse("bookings:room-edit", args=[room.slug]),
        reverse("bookings:facilities"),
    ]:
        assert coordinator_client.get(url).status_code == HTTPStatus.OK
        assert member_client.get(url).status_code == HTTPStatus.FORBIDDEN
        assert client_for(booker).get(url).status_code == HTTPStatus.FORBIDDEN
        assert anonymous.get(url).status_code == HTTPStatus.FOUND
    response = client_for(booker).post(
        reverse("bookings:room-edit", args=[room.slug]),
        {"name": "Hijacked", "slug": room.slug, "capacity": 5},
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    room.refresh_from_db()
    assert room.name == "Multisalen"


def test_a_room_photo_over_the_limits_is_refused_as_a_picture(coordinator_client, room, media):
    url = reverse("bookings:room-edit", args=[room.slug])
    data = submitted(coordinator_client.get(url).content.decode())
    data["photo"] = png(2100, 20, name="salen.png")
    response = coordinator_client.post(url, data)
    page = response.content.decode()
    assert response.status_code == HTTPStatus.OK  # the form again, with its message
    assert "Billedet er 2100 × 20 pixels. Højst 2000 × 2000 pixels, tak." in page
    assert "Logo" not in page
    room.refresh_from_db()
    assert not room.photo
    data["photo"] = png(400, 300, name="salen.png")
    assert coordinator_client.post(url, data).status_code == HTTPStatus.FOUND
    room.refresh_from_db()
    assert room.photo.name.endswith(".png")


def test_a_coordinator_makes_a_divisible_hall(coordinator_client, open_every_day):
    east, west = (
        RoomFactory(name="Salen øst", slug="salen-oest"),
        RoomFactory(name="Salen vest", slug="salen-vest"),
    )
    response = coordinator_client.post(
        reverse("bookings:room-create"),
        {
            "name": "Salen",
            "slug": "salen",
            "capacity": 80,
            "buffer_minutes": 15,
            "parts": [east.pk, west.pk],
            "needs_approval": "on",
            "is_active": "on",
            "open_to_presences": ["based"],
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    from bookings.models import Room

    hall = Room.objects.get(slug="salen")
    assert sorted(hall.units()) == sorted([east.pk, west.pk])
    assert hall.needs_approval and hall.buffer_minutes == 15
    # A half cannot consist of the hall that contains it.
    response = coordinator_client.post(
        reverse("bookings:room-edit", args=[east.slug]),
        {
            "name": east.name,
            "slug": east.slug,
            "capacity": 20,
            "buffer_minutes": 0,
            "parts": [hall.pk],
            "is_active": "on",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == HTTPStatus.OK
    assert "cannot consist of a room that contains it" in response.content.decode()
    assert not east.parts.exists()


def test_a_facility_already_listed_is_refused_on_the_form(coordinator_client):
    url = reverse("bookings:facilities")
    assert coordinator_client.post(url, {"name": "Scene"}).status_code == HTTPStatus.FOUND
    response = coordinator_client.post(url, {"name": "Scene"}, HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == HTTPStatus.OK
    assert "Udstyr med dette Navn eksisterer allerede." in response.content.decode()
    assert Facility.objects.filter(name="Scene").count() == 1


def test_a_facilitys_short_name_taken_meanwhile_gets_the_next_number(coordinator_client):
    original = Facility.full_clean
    taken = []

    def someone_else_saves_it_meanwhile(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if not taken:
            taken.append(Facility.objects.create(name="Scene!", slug=self.slug))

    with mock.patch.object(Facility, "full_clean", someone_else_saves_it_meanwhile):
        response = coordinator_client.post(reverse("bookings:facilities"), {"name": "Scene"})
    assert response.status_code == HTTPStatus.FOUND
    assert dict(Facility.objects.filter(name__startswith="Scene").values_list("name", "slug")) == {
        "Scene!": "scene",
        "Scene": "scene-2",
    }


def test_a_rooms_short_name_taken_meanwhile_is_refused_on_the_form(coordinator_client, room):
    original = Room.full_clean

    def someone_else_saves_it_meanwhile(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if kwargs.get("validate_unique", True):  # the service's check, just before it saves
            RoomFactory(name="Det andet lokale", slug=self.slug)

    with mock.patch.object(Room, "full_clean", someone_else_saves_it_meanwhile):
        response = coordinator_client.post(
            reverse("bookings:room-create"),
            {"name": "Salen", "slug": "salen", "capacity": 10, "buffer_minutes": 0},
            HTTP_ACCEPT_LANGUAGE="da",
        )
    assert response.status_code == HTTPStatus.OK
    assert "Lokale med dette Kort navn i adresser eksisterer allerede." in response.content.decode()
    assert not Room.objects.filter(name="Salen").exists()


def test_free_stretches_link_to_a_prefilled_booking(booker, room, actor):
    day = timezone.localdate() + datetime.timedelta(days=9)
    services.booking_request(
        by=booker, room=room, actor=actor, title="Zumba", start=in_days(9, 10), end=in_days(9, 12)
    )
    page = (
        client_for(booker)
        .get(reverse("bookings:room-detail", args=[room.slug]) + f"?date={day.isoformat()}")
        .content.decode()
    )
    assert f"date={day.isoformat()}&amp;start=08:00&amp;end=10:00" in page
    assert f"date={day.isoformat()}&amp;start=12:00&amp;end=22:00" in page
    form = client_for(booker).get(
        reverse("bookings:booking-create")
        + f"?room={room.slug}&date={day.isoformat()}&start=12:00&end=22:00"
    )
    assert 'value="12:00"' in form.content.decode()


def test_a_room_out_of_use_is_hidden_except_from_coordinators(
    anonymous, coordinator_client, open_every_day
):
    resting = RoomFactory(name="Gamle værksted", slug="gamle-vaerksted", is_active=False)
    assert "Gamle værksted" not in anonymous.get(reverse("bookings:room-list")).content.decode()
    assert (
        anonymous.get(reverse("bookings:room-detail", args=[resting.slug])).status_code
        == HTTPStatus.NOT_FOUND
    )
    assert (
        "Gamle værksted" in coordinator_client.get(reverse("bookings:room-list")).content.decode()
    )
    assert (
        coordinator_client.get(reverse("bookings:room-detail", args=[resting.slug])).status_code
        == HTTPStatus.OK
    )
