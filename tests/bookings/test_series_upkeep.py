"""Keeping series booked ahead, booking a date again, and the fair-use figures."""

import contextlib
import datetime
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone

from bookings import selectors, services
from bookings.models import Booking, Status
from bookings.tasks import extend_series
from tests.factories import booking_window, in_days

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


def weekly(by, room, actor, days_ahead=1, booked_days=None, until_days=None):
    """A weekly series from ``days_ahead``: with ``booked_days``, running on but
    booked only that far so far (`booking_window`); with ``until_days``, ending
    on that day."""
    first = timezone.localdate() + datetime.timedelta(days=days_ahead)
    window = booking_window(booked_days) if booked_days else contextlib.nullcontext()
    with window:
        return services.series_request(
            by=by,
            room=room,
            actor=actor,
            title="Kvindecafé",
            rule="FREQ=WEEKLY",
            first_day=first,
            start_time=datetime.time(17),
            end_time=datetime.time(19),
            until=timezone.localdate() + datetime.timedelta(days=until_days)
            if until_days
            else None,
        )


def test_the_periodic_task_books_a_series_up_to_the_horizon(booker, room, actor):
    series = weekly(booker, room, actor, booked_days=30)
    before = series.occurrences.count()
    assert 4 <= before <= 5
    assert extend_series() >= 45
    series.refresh_from_db()
    assert series.occurrences.count() >= 50
    assert series.materialised_until >= timezone.localdate() + datetime.timedelta(days=360)
    # Running it again adds nothing.
    assert extend_series() == 0


def test_extension_leaves_out_dates_that_clash(booker, other_booker, room, actor, other_actor):
    series = weekly(booker, room, actor, booked_days=20)
    last = series.occurrences.order_by("-start").first()
    taken = last.start + datetime.timedelta(weeks=2)
    services.booking_request(
        by=other_booker,
        room=room,
        actor=other_actor,
        title="Fodbold",
        start=taken,
        end=taken + datetime.timedelta(hours=2),
    )
    extend_series()
    assert not series.occurrences.filter(start=taken).exists()
    assert Booking.objects.filter(start=taken, status=Status.CONFIRMED).count() == 1


def test_a_cancelled_series_is_not_extended(booker, room, actor):
    series = weekly(booker, room, actor, booked_days=20)
    services.booking_cancel(booking=series.occurrences.first(), by=booker, scope="series")
    assert extend_series() == 0


def test_a_cancelled_date_can_be_booked_again(booker, room, actor):
    series = weekly(booker, room, actor, booked_days=30)
    second = series.occurrences.order_by("start")[1]
    services.booking_cancel(booking=second, by=booker)
    again = services.series_readd(series=series, day=timezone.localdate(second.start), by=booker)
    assert (
        again.status == Status.CONFIRMED and again.series == series and again.start == second.start
    )
    with pytest.raises(ValidationError, match="already booked"):
        services.series_readd(series=series, day=timezone.localdate(second.start), by=booker)


def test_a_date_outside_the_rule_is_refused(booker, room, actor):
    series = weekly(booker, room, actor, booked_days=30)
    off_day = timezone.localdate(series.occurrences.first().start) + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="not a date of this series"):
        services.series_readd(series=series, day=off_day, by=booker)


def test_book_again_through_the_page_and_refused_for_others(booker, other_booker, room, actor):
    series = weekly(booker, room, actor, booked_days=30)
    second = series.occurrences.order_by("start")[1]
    services.booking_cancel(booking=second, by=booker)
    day = timezone.localdate(second.start).isoformat()
    other = Client()
    other.force_login(other_booker)
    response = other.post(reverse("bookings:series-readd", args=[second.pk]), {"day": day})
    assert response.status_code == HTTPStatus.NOT_FOUND
    mine = Client()
    mine.force_login(booker)
    page = mine.get(reverse("bookings:booking-detail", args=[second.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "Book again" in page.content.decode()
    response = mine.post(reverse("bookings:series-readd", args=[second.pk]), {"day": day})
    assert response.status_code == HTTPStatus.FOUND
    assert series.occurrences.filter(start=second.start, status=Status.CONFIRMED).exists()


def test_fair_use_figures(booker, coordinator, coordinator_client, member_client, room, actor):
    services.booking_request(
        by=booker, room=room, actor=actor, title="A", start=in_days(2, 10), end=in_days(2, 12)
    )
    late = (
        services.booking_request(
            by=booker, room=room, actor=actor, title="B", start=in_days(0, 21), end=in_days(0, 22)
        )
        if timezone.localtime().hour < 20
        else None
    )
    if late:
        services.booking_cancel(booking=late, by=booker)
    rows = selectors.fair_use(
        timezone.localdate(), timezone.localdate() + datetime.timedelta(days=7)
    )
    assert rows[0]["actor"] == actor.name
    assert rows[0]["booked"] == 2.0
    assert rows[0]["cancelled_late"] == (1.0 if late else 0.0)
    assert coordinator_client.get(reverse("bookings:fair-use")).status_code == HTTPStatus.OK
    assert member_client.get(reverse("bookings:fair-use")).status_code == HTTPStatus.FORBIDDEN


def test_changing_the_time_of_this_and_following_dates(booker, room, actor):
    series = weekly(booker, room, actor, booked_days=40)
    dates = list(series.occurrences.order_by("start"))
    changed = services.booking_update(
        booking=dates[2],
        by=booker,
        scope="following",
        start_time=datetime.time(18),
        end_time=datetime.time(20),
    )
    assert len(changed) == len(dates) - 2
    hours = [timezone.localtime(b.start).hour for b in series.occurrences.order_by("start")]
    assert hours == [17, 17] + [18] * (len(dates) - 2)
    series.refresh_from_db()
    assert series.start_time == datetime.time(18)
    assert all(b.sequence == 1 for b in changed)
    assert dates[2].audit.filter(action="changed", changes__time="18:00–20:00").exists()


def test_a_change_that_clashes_reports_every_date_and_changes_nothing(
    booker, other_booker, room, actor, other_actor
):
    series = weekly(booker, room, actor, booked_days=40)
    dates = list(series.occurrences.order_by("start"))
    for b in dates[1:3]:
        start = b.start + datetime.timedelta(hours=2)
        services.booking_request(
            by=other_booker,
            room=room,
            actor=other_actor,
            title="Fodbold",
            start=start,
            end=start + datetime.timedelta(hours=1),
        )
    with pytest.raises(ValidationError, match="2 date"):
        services.booking_update(
            booking=dates[0],
            by=booker,
            scope="series",
            start_time=datetime.time(18),
            end_time=datetime.time(20),
        )
    assert {timezone.localtime(b.start).hour for b in series.occurrences.all()} == {17}


def test_renaming_one_date_through_the_page(booker, other_booker, room, actor):
    series = weekly(booker, room, actor, booked_days=20)
    first = series.occurrences.order_by("start").first()
    other = Client()
    other.force_login(other_booker)
    assert (
        other.get(reverse("bookings:booking-edit", args=[first.pk])).status_code
        == HTTPStatus.NOT_FOUND
    )
    mine = Client()
    mine.force_login(booker)
    assert mine.get(reverse("bookings:booking-edit", args=[first.pk])).status_code == HTTPStatus.OK
    response = mine.post(
        reverse("bookings:booking-edit", args=[first.pk]),
        {
            "title": "Kvindecafé med tolk",
            "description": "",
            "visibility": "public",
            "start_time": "17:00",
            "end_time": "19:00",
            "scope": "one",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    titles = list(series.occurrences.order_by("start").values_list("title", flat=True))
    assert titles[0] == "Kvindecafé med tolk" and set(titles[1:]) == {"Kvindecafé"}


def test_a_skipped_closed_day_is_booked_again_only_by_a_coordinator(
    booker, coordinator, room, actor
):
    from centre.models import ClosedDay

    first = timezone.localdate() + datetime.timedelta(days=1)
    closed = first + datetime.timedelta(weeks=1)
    ClosedDay.objects.create(date=closed, name="Personaledag")
    series = weekly(booker, room, actor, booked_days=20)
    assert not series.occurrences.filter(start__date=closed).exists()
    with pytest.raises(ValidationError, match="closed"):
        services.series_readd(series=series, day=closed, by=booker)
    again = services.series_readd(series=series, day=closed, by=coordinator)
    assert timezone.localdate(again.start) == closed


def test_a_series_with_a_last_day_is_never_booked_past_it(booker, room, actor):
    series = weekly(booker, room, actor, until_days=60)
    last_day = timezone.localdate() + datetime.timedelta(days=60)
    assert series.ends_on == last_day
    before = series.occurrences.count()
    assert 8 <= before <= 9
    # The periodic task and the page's "book ahead" leave it as it is.
    assert extend_series() == 0
    assert services.series_extend(series=series, by=booker) == 0
    assert series.occurrences.count() == before
    assert timezone.localdate(series.occurrences.order_by("-start").first().start) <= last_day


def test_a_last_day_beyond_the_window_is_reached_as_the_window_moves(booker, room, actor):
    with booking_window(30):
        series = weekly(booker, room, actor, until_days=90)
    assert series.ends_on == timezone.localdate() + datetime.timedelta(days=90)
    assert series.materialised_until == timezone.localdate() + datetime.timedelta(days=30)
    assert extend_series() >= 8
    series.refresh_from_db()
    assert series.materialised_until == series.ends_on
    last = timezone.localdate(series.occurrences.order_by("-start").first().start)
    assert series.ends_on - datetime.timedelta(days=6) <= last <= series.ends_on
    assert extend_series() == 0


def test_the_series_page_names_the_last_day(booker, room, actor):
    series = weekly(booker, room, actor, until_days=60)
    client = Client()
    client.force_login(booker)
    page = client.get(
        reverse("bookings:series-detail", args=[series.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert page.status_code == HTTPStatus.OK
    last = timezone.localdate() + datetime.timedelta(days=60)
    # English pages write a date as "Feb. 2, 2027" (DATE_FORMAT).
    assert f"until {formats.date_format(last, 'DATE_FORMAT')}</p>" in page.content.decode()
    answer = client.post(
        reverse("bookings:series-extend", args=[series.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "The series is booked to its last day." in answer.content.decode()
