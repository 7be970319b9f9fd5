"""The pages of issue #14: moving dates, a series' own page, my bookings
grouped by series, and cancelling many dates only after a confirmation."""

import datetime
from http import HTTPStatus

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import formats, timezone, translation

from bookings import services
from bookings.models import Booking, Status
from centre.models import Centre
from tests.factories import in_days, local, next_weekday, weekly_series
from tests.factories import series_dates as dates

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


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


# --- a series' page ----------------------------------------------------------------------------


def put_in_the_past(bookings):
    """Test set-up only: these dates as if held a year ago, in the same order."""
    for booking in bookings:
        Booking.objects.filter(pk=booking.pk).update(
            start=booking.start - datetime.timedelta(weeks=60),
            end=booking.end - datetime.timedelta(weeks=60),
        )


def test_a_series_page_opens_on_the_page_with_the_next_date(booker, booker_client, room, actor):
    series = weekly_series(booker, room, actor, weeks=30)
    occurrences = dates(series)
    put_in_the_past(occurrences[:27])
    url = reverse("bookings:series-detail", args=[series.pk])
    page = booker_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # The rule in words, with the first day as English writes a date (english_messages).
    first = formats.date_format(series.first_day, "DATE_FORMAT")
    times = '<bdi dir="ltr">17:00–19:00</bdi>'
    assert f"Every Wednesday {times} in Multisalen, from {first}" in page
    assert "Page 2 of 2" in page and "30 dates in all, past and coming" in page
    assert reverse("bookings:booking-detail", args=[occurrences[27].pk]) in page
    assert booker.get_full_name() in page
    # The first page lists the dates held.
    first_page = booker_client.get(url + "?page=1", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("bookings:booking-detail", args=[occurrences[0].pk]) in first_page
    assert "(past)" in first_page


def test_the_rule_in_words_in_danish(booker, booker_client, room, actor):
    series = weekly_series(booker, room, actor, weeks=2)
    page = booker_client.get(reverse("bookings:series-detail", args=[series.pk])).content.decode()
    assert 'Hver onsdag <bdi dir="ltr">17:00–19:00</bdi> i Multisalen, fra ' in page


def test_the_series_pages_keep_the_times_left_to_right_in_arabic(
    booker, booker_client, room, actor
):
    series = weekly_series(booker, room, actor, weeks=2)
    arabic = {"HTTP_ACCEPT_LANGUAGE": "ar"}
    for url in (
        reverse("bookings:series-detail", args=[series.pk]),
        reverse("bookings:my-bookings"),
    ):
        page = booker_client.get(url, **arabic).content.decode()
        assert '<bdi dir="ltr">17:00–19:00</bdi> في Multisalen، من ' in page, url
        assert "17:00–19:00 في" not in page
    # A date's history: each entry's time left to right after its day.
    first = dates(series)[0]
    page = booker_client.get(reverse("bookings:booking-detail", args=[first.pk]), **arabic)
    at = timezone.localtime(first.audit.earliest("at").at)
    with translation.override("ar"):
        day = formats.date_format(at, "SHORT_DATE_FORMAT")
    assert f'<li>{day} <bdi dir="ltr">{at:%H:%M}</bdi>:' in page.content.decode()


@pytest.mark.parametrize("weeks", [3, 52])
def test_the_series_page_and_my_bookings_take_a_fixed_number_of_queries(
    booker, booker_client, room, actor, weeks, django_assert_max_num_queries
):
    series = weekly_series(booker, room, actor, weeks=weeks)
    weekly_series(booker, room, actor, weeks=weeks, title="Strikkeklub", first_day=next_weekday(3))
    services.booking_request(
        by=booker,
        room=room,
        actor=actor,
        title="Sommerfest",
        start=in_days(5, 12),
        end=in_days(5, 14),
    )
    services.booking_cancel(booking=dates(series)[1], by=booker)
    with django_assert_max_num_queries(14):
        response = booker_client.get(reverse("bookings:series-detail", args=[series.pk]))
    assert response.status_code == HTTPStatus.OK
    with django_assert_max_num_queries(8):
        page = booker_client.get(reverse("bookings:my-bookings")).content.decode()
    assert page.count(reverse("bookings:series-detail", args=[series.pk])) == 1
    assert "Strikkeklub" in page and "Sommerfest" in page


def test_who_sees_a_series_page_and_its_actions(
    booker, member_client, other_member_client, coordinator_client, room, actor
):
    series = weekly_series(booker, room, actor, weeks=2)
    url = reverse("bookings:series-detail", args=[series.pk])
    assert other_member_client.get(url).status_code == HTTPStatus.NOT_FOUND
    plain = member_client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert plain.status_code == HTTPStatus.OK
    assert "Cancel from here" not in plain.content.decode()
    assert "Next date" in plain.content.decode()
    assert (
        "Cancel from here"
        in coordinator_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    extend = reverse("bookings:series-extend", args=[series.pk])
    assert member_client.post(extend).status_code == HTTPStatus.FORBIDDEN
    assert other_member_client.post(extend).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("ended", ["past", "cancelled"])
def test_a_series_without_coming_dates_can_still_be_translated(
    booker, booker_client, member_client, room, actor, ended
):
    series = weekly_series(booker, room, actor, weeks=2)
    if ended == "past":
        put_in_the_past(dates(series))
    else:
        series.occurrences.update(status=Status.CANCELLED)
    url = reverse("bookings:series-detail", args=[series.pk])
    translations = reverse("bookings:series-translations", args=[series.pk])
    page = booker_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert translations in page
    # What needs a coming date is not offered.
    assert "Move the series" not in page and "Cancel all coming dates" not in page
    assert booker_client.get(translations).status_code == HTTPStatus.OK
    # Only to those who may translate it.
    assert translations not in member_client.get(url).content.decode()


def test_skip_book_again_and_extend_from_the_series_page(booker, booker_client, room, actor):
    series = weekly_series(booker, room, actor, booked_weeks=3)
    second = dates(series)[1]
    url = reverse("bookings:series-detail", args=[series.pk])
    response = booker_client.post(
        reverse("bookings:booking-cancel", args=[second.pk]), {"scope": "one", "from": "series"}
    )
    assert response["Location"] == url
    second.refresh_from_db()
    assert second.status == Status.CANCELLED
    page = booker_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Dates of the series that can be booked again" in page
    day = timezone.localdate(second.start)
    response = booker_client.post(
        reverse("bookings:series-readd", args=[second.pk]),
        {"day": day.isoformat(), "from": "series"},
    )
    assert response["Location"] == url
    assert series.occurrences.active().filter(start=second.start).exists()
    response = booker_client.post(
        reverse("bookings:series-extend", args=[series.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "more dates booked" in response.content.decode()
    assert series.occurrences.count() > 40


def test_my_bookings_show_a_series_as_one_row_with_its_next_date_and_count(
    booker, booker_client, room, actor
):
    series = weekly_series(booker, room, actor, weeks=10)
    services.booking_cancel(booking=dates(series)[0], by=booker)
    page = booker_client.get(reverse("bookings:my-bookings"), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    second = dates(series)[1]
    assert text.count("Kvindecafé") == 1
    start = timezone.localtime(second.start)
    assert f"{start:%a} {start.day} {start:%b} 17:00" in text  # English: Wed 16 Dec
    assert '<td data-label="Coming dates">9</td>' in text
    assert reverse("bookings:booking-detail", args=[second.pk]) not in text


# --- cancelling many dates asks first ------------------------------------------------------------


def test_cancelling_a_series_asks_first_and_says_what_will_happen(
    booker, coordinator_client, room, actor, django_capture_on_commit_callbacks
):
    Centre.objects.update(cancellation_deadline_hours=24 * 15)
    series = weekly_series(booker, room, actor, weeks=12)
    url = reverse("bookings:booking-cancel", args=[dates(series)[0].pk])
    asked = coordinator_client.post(
        url, {"scope": "series", "from": "series"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert asked.status_code == HTTPStatus.OK
    page = asked.content.decode()
    assert "12 dates of “Kvindecafé” will be cancelled." in page
    assert "2 of them are inside the cancellation deadline" in page
    assert f"1 person will be told by e-mail: {booker.get_full_name()}." in page
    assert 'name="confirm" value="yes"' in page
    # Nothing has happened yet.
    assert not series.occurrences.filter(status=Status.CANCELLED).exists()
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        done = coordinator_client.post(url, {"scope": "series", "from": "series", "confirm": "yes"})
    assert done["Location"] == reverse("bookings:series-detail", args=[series.pk])
    assert set(series.occurrences.values_list("status", flat=True)) == {Status.CANCELLED}
    assert [m.to for m in mail.outbox] == [[booker.email]]


def test_cancelling_this_and_the_following_dates_of_ones_own_series_asks_too(
    booker, booker_client, room, actor
):
    series = weekly_series(booker, room, actor, weeks=6)
    fourth = dates(series)[3]
    url = reverse("bookings:booking-cancel", args=[fourth.pk])
    page = booker_client.post(
        url, {"scope": "following"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "3 dates of “Kvindecafé” will be cancelled." in page
    assert "Nobody will be e-mailed: you booked these dates yourself." in page
    assert "cancellation deadline" not in page
    assert series.occurrences.filter(status=Status.CONFIRMED).count() == 6
    booker_client.post(url, {"scope": "following", "confirm": "yes"})
    assert series.occurrences.filter(status=Status.CONFIRMED).count() == 3


def test_one_date_is_cancelled_without_asking(booker, booker_client, room, actor):
    first = dates(weekly_series(booker, room, actor, weeks=3))[0]
    response = booker_client.post(
        reverse("bookings:booking-cancel", args=[first.pk]), {"scope": "one"}
    )
    assert response.status_code == HTTPStatus.FOUND
    first.refresh_from_db()
    assert first.status == Status.CANCELLED


def test_those_who_may_not_cancel_get_no_confirmation_page(booker, member_client, room, actor):
    first = dates(weekly_series(booker, room, actor, weeks=3))[0]
    response = member_client.post(
        reverse("bookings:booking-cancel", args=[first.pk]),
        {"scope": "series"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "You can only cancel your own actor" in response.content.decode()
    assert "will be cancelled" not in response.content.decode()
