"""Dates that make sense (issue #14, item 7), checked by the forms through
centre.dates.DateField: the years 1900-2999 everywhere; no booking,
collaboration or closed day further ahead than the house allows; no record of
the house's life before the house's records begin (centre.dates.HOUSE_FLOOR)."""

import datetime
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from actors.forms import ActorForm
from actors.models import Actor
from bookings.forms import BookingForm
from centre.dates import DateField, booking_horizon, planning_horizon
from centre.forms import ClosedDayForm
from centre.models import Centre, ClosedDay
from collaboration.council.forms import MeetingForm
from collaboration.log.forms import CollaborationForm, QuickForm
from collaboration.models import Form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


def ahead(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def window_of(days: int) -> None:
    Centre.objects.filter(pk=Centre.load().pk).update(booking_window_days=days)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0001-01-01", "Choose a date between the years 1900 and 2999."),
        ("9999-12-31", "Choose a date between the years 1900 and 2999."),
        ("2026-02-29", "Enter a valid date."),
        ("1899-12-31", "Choose a date between the years 1900 and 2999."),
    ],
)
def test_the_date_field_names_one_problem(typed, message):
    field = DateField(record=True)
    field.validators.append(lambda day: pytest.fail("a later limit was checked too"))
    with pytest.raises(ValidationError) as refused:
        field.clean(typed)
    assert refused.value.messages == [message]


def test_the_date_field_reads_the_date_inputs_form():
    assert DateField().clean("2030-03-04") == datetime.date(2030, 3, 4)
    assert DateField(required=False).clean("") is None


def booking_form(user, day, override=False):
    data = {
        "actor": user.memberships.get().actor_id,
        "title": "Kvindecafé",
        "date": day.isoformat(),
        "start_time": "17:00",
        "end_time": "19:00",
        "repeat": "none",
        "visibility": "public",
    }
    if override:
        data["override"] = "on"
    return BookingForm(data, user=user, coordinator=override)


def test_a_booking_further_ahead_than_the_window_is_refused_by_the_form(booker):
    window_of(30)
    assert "date" not in booking_form(booker, ahead(30)).errors
    errors = booking_form(booker, ahead(31)).errors
    assert errors["date"] == ["Rooms can be booked at most 30 days ahead."]


def test_a_coordinators_override_reaches_two_years_and_no_further(booker):
    window_of(30)
    horizon = planning_horizon()
    assert "date" not in booking_form(booker, horizon, override=True).errors
    later = horizon + datetime.timedelta(days=1)
    assert booking_form(booker, later, override=True).errors["date"] == [
        "Even with an override, book at most two years ahead."
    ]


def test_a_closed_day_is_set_at_most_two_years_ahead_and_not_before_the_house():
    horizon = planning_horizon()
    assert ClosedDayForm({"date": horizon.isoformat(), "name": "Sommer"}).is_valid()
    too_far = ClosedDayForm({"date": (horizon + datetime.timedelta(days=1)).isoformat()})
    assert too_far.errors["date"] == ["Closed days can be set at most two years ahead."]
    too_old = ClosedDayForm({"date": "1969-12-31", "name": "Gammel"})
    assert too_old.errors["date"] == [
        "Samhus keeps the house's records from 1970 on: choose a later date."
    ]


def test_a_closed_day_beyond_the_horizon_keeps_its_date_when_edited(coordinator_client):
    # One set before the rule, or a holiday filled in for a later year.
    far = ClosedDay.objects.create(date=planning_horizon() + datetime.timedelta(days=90), name="X")
    response = coordinator_client.post(
        reverse("bookings:closedday-edit", args=[far.pk]),
        {"date": far.date.isoformat(), "name": "Flyttet lukkedag", "observed": "on"},
    )
    assert response.status_code == HTTPStatus.FOUND


def collaboration_form(actor, other_actor, day):
    data = {
        "on_behalf_of": actor.pk,
        "title": "Fælles møde",
        "form": Form.KNOWLEDGE,
        "others": [other_actor.pk],
        "started": day.isoformat(),
        "phase": "implementation",
    }
    mine = Actor.objects.filter(pk=actor.pk)
    return CollaborationForm(data, user_actors=mine, all_actors=Actor.objects.all())


def test_a_collaboration_is_logged_at_most_the_booking_window_ahead(actor, other_actor):
    window_of(60)
    assert collaboration_form(actor, other_actor, booking_horizon()).is_valid()
    far = booking_horizon() + datetime.timedelta(days=1)
    form = collaboration_form(actor, other_actor, far)
    assert form.errors["started"][0].startswith("Log a collaboration at most as far ahead")
    quick = QuickForm(
        {"kind": "meeting", "on_behalf_of": actor.pk, "others": [other_actor.pk], "day": far},
        user_actors=Actor.objects.filter(pk=actor.pk),
        all_actors=Actor.objects.all(),
    )
    assert quick.errors["day"][0].startswith("Log a collaboration at most as far ahead")


def test_a_collaboration_does_not_start_before_the_house(actor, other_actor):
    form = collaboration_form(actor, other_actor, datetime.date(1969, 12, 31))
    assert form.errors["started"] == [
        "Samhus keeps the house's records from 1970 on: choose a later date."
    ]


def test_council_and_actor_dates_are_not_before_the_house():
    meeting = MeetingForm({"date": "1969-06-01"})
    assert "from 1970 on" in meeting.errors["date"][0]
    actor = ActorForm({"joined_on": "1950-01-01"}, can_archive=True)
    assert "from 1970 on" in actor.errors["joined_on"][0]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1969-12-31T23:59", "Samhus keeps the house's records from 1970 on: choose a later date."),
        ("1899-12-31T10:00", "Choose a date between the years 1900 and 2999."),
        ("3000-01-01T10:00", "Choose a date between the years 1900 and 2999."),
    ],
)
def test_a_season_rounds_application_window_names_the_limit_it_fails(typed, message, room):
    from seasons.forms import RoundForm

    form = RoundForm(
        {
            "name": "Forår",
            "season_start": ahead(30).isoformat(),
            "season_end": ahead(120).isoformat(),
            "rooms": [room.pk],
            "applications_open": typed,
            "applications_close": f"{ahead(10).isoformat()}T12:00",
            "offpeak_share": 30,
            "peak_start": "16:00",
            "peak_end": "21:00",
        }
    )
    assert not form.is_valid()
    assert form.errors["applications_open"] == [message]
    assert "applications_close" not in form.errors
