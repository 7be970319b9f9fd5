"""The booking form: the free times of a day as buttons, the repeat in plain
words with a preview that agrees with the series booked, the groups in
disclosures, and sign-ups taken while booking (signups' part of the form)."""

import datetime
from http import HTTPStatus

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bookings import services
from bookings.models import Booking, BookingSeries, Status
from bookings.services.series import series_preview
from signups.models import Sheet
from tests.factories import ClosedDayFactory, in_days, signups_form_data
from tests.factories import booking_form_data as form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

URL = reverse("bookings:booking-create")


def client_for(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _taken(other_booker, other_actor, room, days, start, end):
    return services.booking_request(
        by=other_booker,
        room=room,
        actor=other_actor,
        title="Fodbold",
        start=in_days(days, start),
        end=in_days(days, end),
    )


def test_a_day_shows_its_free_times_as_buttons_without_javascript(
    booker, other_booker, room, actor, other_actor, django_assert_max_num_queries
):
    _taken(other_booker, other_actor, room, 3, 12, 14)
    day = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    client = client_for(booker)
    with django_assert_max_num_queries(20):
        page = client.get(URL, {"room": room.slug, "date": day}).content.decode()
    # Open 08-22, taken 12-14: two free stretches.
    assert 'name="slot" value="08:00-12:00"' in page
    assert 'name="slot" value="14:00-22:00"' in page
    # Choosing one posts the form back with the times filled in and nothing booked.
    response = client.post(URL, form_data(actor, room, title="", slot="14:00-22:00"))
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert 'value="14:00"' in page and 'value="22:00"' in page
    assert "There is a problem" not in page  # only looking: no errors shown
    assert not Booking.objects.filter(actor=actor).exists()


def test_a_request_waiting_for_approval_is_not_offered(
    booker, other_booker, coordinator, actor, other_actor, open_every_day
):
    from tests.factories import RoomFactory

    room = RoomFactory(needs_approval=True)
    _taken(other_booker, other_actor, room, 3, 12, 14)
    assert Booking.objects.get().status == Status.REQUESTED
    page = client_for(booker).post(URL, form_data(actor, room, look="slots")).content.decode()
    assert 'name="slot" value="08:00-12:00"' in page
    assert 'name="slot" value="14:00-22:00"' in page


def test_the_free_times_come_as_a_fragment_for_htmx(booker, room, actor):
    response = client_for(booker).post(
        URL, form_data(actor, room, look="slots"), HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert 'name="slot" value="08:00-22:00"' in page
    assert "<form" not in page


def test_a_closed_day_offers_no_free_times(booker, room, actor):
    ClosedDayFactory(date=timezone.localdate() + datetime.timedelta(days=3))
    page = client_for(booker).post(URL, form_data(actor, room, look="slots")).content.decode()
    assert 'name="slot"' not in page
    assert "The room has no free time that day" in page


def test_the_repeat_reads_in_plain_words_with_the_dates_left_out(
    booker, other_booker, room, actor, other_actor
):
    first = timezone.localdate() + datetime.timedelta(days=3)
    until = first + datetime.timedelta(days=28)
    ClosedDayFactory(date=first + datetime.timedelta(days=7), name="Vinterferie")
    _taken(other_booker, other_actor, room, 17, 18, 20)
    page = (
        client_for(booker)
        .post(URL, form_data(actor, room, repeat="weekly", until=until.isoformat(), look="dates"))
        .content.decode()
    )
    weekday = first.strftime("%A")
    assert f"Every {weekday} 17:00–19:00, from" in page
    assert "3 dates will be booked." in page
    assert "2 dates are left out:" in page
    assert "the house is closed (Vinterferie)" in page
    assert "taken by “Fodbold”" in page


def test_the_preview_and_the_series_booked_agree(booker, other_booker, room, actor, other_actor):
    first = timezone.localdate() + datetime.timedelta(days=3)
    until = first + datetime.timedelta(days=70)
    ClosedDayFactory(date=first + datetime.timedelta(days=14))
    _taken(other_booker, other_actor, room, 3 + 35, 18, 20)
    preview = series_preview(
        room=room,
        rule="FREQ=WEEKLY",
        first_day=first,
        start_time=datetime.time(17),
        end_time=datetime.time(19),
        until=until,
        skip_closed_days=True,
        user=booker,
    )
    response = client_for(booker).post(
        URL, form_data(actor, room, repeat="weekly", until=until.isoformat(), book_rest="on")
    )
    assert response.status_code == HTTPStatus.FOUND
    booked = sorted(Booking.objects.filter(actor=actor).values_list("start", flat=True))
    assert [d.start for d in preview if d.kind == "book"] == booked
    assert [d.kind for d in preview].count("closed") == 1
    assert [d.kind for d in preview].count("clash") == 1
    assert len(booked) == 9


def test_the_groups_are_disclosures_open_when_they_hold_an_error(booker, room, actor):
    page = client_for(booker).get(URL).content.decode()
    assert page.count("<details") >= 5  # description, for whom, languages, themes, sign-ups
    assert 'data-filter="id_target_groups"' in page
    page = (
        client_for(booker)
        .post(URL, form_data(actor, room, expected_participants="-3"))
        .content.decode()
    )
    assert 'class="error-summary"' in page and "autofocus" in page
    assert '<details class="booking-group" open>' in page


def test_sign_ups_are_taken_for_a_whole_series_when_booking(booker, room, actor):
    until = timezone.localdate() + datetime.timedelta(days=30)
    data = form_data(
        actor,
        room,
        repeat="weekly",
        until=until.isoformat(),
        **signups_form_data(
            places=15, closes_hours_before=2, per_person=2, waiting_list="on", bring="Indendørssko"
        ),
    )
    response = client_for(booker).post(URL, data)
    assert response.status_code == HTTPStatus.FOUND
    series = BookingSeries.objects.get()
    sheet = Sheet.objects.get()
    assert sheet.series == series and sheet.booking is None
    assert (sheet.places, sheet.per_person, sheet.bring) == (15, 2, "Indendørssko")
    assert sheet.waiting_list and sheet.closes_hours_before == 2


def test_sign_ups_for_one_date(booker, room, actor):
    data = form_data(
        actor,
        room,
        **signups_form_data(),
    )
    assert client_for(booker).post(URL, data).status_code == HTTPStatus.FOUND
    assert Sheet.objects.get().booking == Booking.objects.get()


def test_more_places_than_the_room_holds_books_nothing(booker, small_room, actor):
    data = form_data(
        actor,
        small_room,
        **signups_form_data(places=40),
    )
    response = client_for(booker).post(URL, data)
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "holds 12 people: offer at most that many places." in page
    assert 'href="#id_signups-places"' in page  # in the summary at the top
    assert not Booking.objects.exists() and not Sheet.objects.exists()


def test_a_refused_sheet_undoes_the_booking(booker, room, actor, monkeypatch):
    """The sheet is written in the booking's transaction: when its service
    refuses, the booking is not kept either."""
    from django.core.exceptions import ValidationError

    from signups import services as signup_services

    def refuse(**kwargs):
        raise ValidationError({"places": "Refused."})

    monkeypatch.setattr(signup_services, "sheet_save", refuse)
    data = form_data(
        actor,
        room,
        **signups_form_data(),
    )
    response = client_for(booker).post(URL, data)
    assert response.status_code == HTTPStatus.OK
    assert "Refused." in response.content.decode()
    assert not Booking.objects.exists()


def test_an_internal_activity_takes_no_sign_ups(booker, room, actor):
    data = form_data(
        actor,
        room,
        visibility="internal",
        **signups_form_data(),
    )
    response = client_for(booker).post(URL, data)
    assert "An internal activity takes no sign-ups" in response.content.decode()
    assert not Booking.objects.exists()


def test_without_sign_ups_the_group_is_not_read(booker, room, actor):
    data = form_data(actor, room, **{"signups-places": "nonsense"})
    assert client_for(booker).post(URL, data).status_code == HTTPStatus.FOUND
    assert Booking.objects.get().status == Status.CONFIRMED
    assert not Sheet.objects.exists()
