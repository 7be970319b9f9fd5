"""The proposal and what already holds the rooms (issue #18): an existing
weekly booking is a fixed occupation the allocator places wishes around (a
one-off is not), and making the proposal again keeps the coordinator's
changed cells, with their reasons, placing the other wishes around them."""

import datetime
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bookings.models import BookingSeries, Visibility
from seasons import services
from seasons.models import Decision, Round
from tests.factories import (
    BookingFactory,
    close_applications,
    decisions_by_title,
    local,
    season_round,
    weekly_series,
    wish,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


@pytest.fixture
def wednesdays(room, small_room, booker, actor):
    """Kvindeforum wants Multisalen on Wednesdays 17-18 and 18-19."""
    round_ = season_round([room, small_room], open_now=True)
    services.application_save(
        by=booker,
        round_=round_,
        actor=actor,
        wishes=[
            wish(title="Strik", room=room, weekday=2, people=10),
            wish(title="Lektier", room=room, weekday=2, start_time=datetime.time(18), preference=2),
        ],
    )
    return close_applications(round_)


def test_an_existing_weekly_series_holds_its_slot_and_the_wish_is_moved_naming_it(
    wednesdays, room, other_actor, other_booker, coordinator
):
    first = wednesdays.season_start + datetime.timedelta(days=2)
    weekly_series(other_booker, room, other_actor, first_day=first, weeks=10, title="Yoga")
    services.proposal_make(by=coordinator, round_=wednesdays)
    decisions = decisions_by_title(wednesdays)
    knit = decisions["Strik"]
    assert knit.outcome != Decision.Outcome.GRANTED and knit.rule == "taken"
    assert knit.taken_by.title == "Yoga" and knit.blocked_by is None
    assert knit.why == "Taken by an existing booking: Yoga (Basen)."
    if knit.outcome == Decision.Outcome.MOVED:
        assert knit.room != room or not (datetime.time(17) <= knit.start_time < datetime.time(19))
    assert decisions["Lektier"].rule == "taken"


def test_a_changed_cell_on_an_existing_bookings_slot_is_refused_at_publish(
    wednesdays, room, other_actor, other_booker, coordinator
):
    """A coordinator may put a wish on a slot an existing weekly series holds
    (the proposal shows the clash), but publishing refuses it, naming both, and
    books nothing."""
    first = wednesdays.season_start + datetime.timedelta(days=2)
    weekly_series(other_booker, room, other_actor, first_day=first, weeks=10, title="Yoga")
    services.proposal_make(by=coordinator, round_=wednesdays)
    knit = decisions_by_title(wednesdays)["Strik"]
    services.decision_change(
        by=coordinator,
        decision=knit,
        outcome="granted",
        room=room,
        weekday=2,
        start_time=datetime.time(17),
        reason="Aftalt",
    )
    series_before = BookingSeries.objects.count()
    with pytest.raises(ValidationError, match="Strik lies on a slot an existing booking holds"):
        services.round_publish(by=coordinator, round_=wednesdays)
    assert BookingSeries.objects.count() == series_before
    wednesdays.refresh_from_db()
    assert wednesdays.stage == Round.Stage.PROPOSED


def test_an_internal_booking_is_named_by_its_actor_only(
    wednesdays, room, other_actor, other_booker, coordinator
):
    first = wednesdays.season_start + datetime.timedelta(days=2)
    weekly_series(
        other_booker,
        room,
        other_actor,
        first_day=first,
        weeks=10,
        title="Personalemøde",
        visibility=Visibility.INTERNAL,
    )
    services.proposal_make(by=coordinator, round_=wednesdays)
    why = decisions_by_title(wednesdays)["Strik"].why
    assert "Personalemøde" not in why and "an internal booking of Basen" in why


def test_a_one_off_booking_does_not_hold_a_weekly_slot(wednesdays, room, coordinator):
    day = wednesdays.season_start + datetime.timedelta(days=9)
    BookingFactory(room=room, start=local(day, 17), end=local(day, 19), title="Fødselsdag")
    services.proposal_make(by=coordinator, round_=wednesdays)
    assert decisions_by_title(wednesdays)["Strik"].outcome == Decision.Outcome.GRANTED


def test_a_cancelled_or_outside_booking_does_not_hold_a_slot(
    wednesdays, room, small_room, other_actor, other_booker, coordinator
):
    from bookings import services as bookings

    first = wednesdays.season_start + datetime.timedelta(days=2)
    # After the season, in another room at the time asked, and cancelled.
    weekly_series(
        other_booker, room, other_actor, first_day=first + datetime.timedelta(weeks=10), weeks=3
    )
    weekly_series(other_booker, small_room, other_actor, first_day=first, weeks=10)
    gone = weekly_series(other_booker, room, other_actor, first_day=first, weeks=10)
    bookings.booking_cancel(booking=gone.occurrences.first(), by=other_booker, scope="series")
    services.proposal_make(by=coordinator, round_=wednesdays)
    assert decisions_by_title(wednesdays)["Strik"].outcome == Decision.Outcome.GRANTED


def test_making_the_proposal_again_keeps_the_coordinators_changed_cells(
    wednesdays, room, small_room, coordinator
):
    services.proposal_make(by=coordinator, round_=wednesdays)
    homework = decisions_by_title(wednesdays)["Lektier"]
    assert homework.outcome == Decision.Outcome.GRANTED
    # The coordinator puts "Lektier" where "Strik" is granted, in the small room's stead.
    services.decision_change(
        by=coordinator,
        decision=homework,
        outcome="moved",
        room=room,
        weekday=2,
        start_time=datetime.time(17),
        reason="Aftalt med foreningen",
    )
    services.proposal_make(by=coordinator, round_=wednesdays)
    again = decisions_by_title(wednesdays)
    kept = again["Lektier"]
    assert (kept.pk, kept.outcome, kept.room, kept.start_time) == (
        homework.pk,
        "moved",
        room,
        datetime.time(17),
    )
    assert kept.rule == "coordinator" and kept.reason == "Aftalt med foreningen"
    assert kept.changed_by == coordinator and kept.order == 1
    knit = again["Strik"]
    assert knit.rule == "pinned" and knit.blocked_by == kept.wish
    assert not (knit.room == room and knit.start_time == datetime.time(17))
    assert knit.order == 2
    assert knit.why == "The coordinator placed another wish in the slot."


def test_the_pages_say_that_the_changed_cells_are_kept(wednesdays, coordinator_client, coordinator):
    services.proposal_make(by=coordinator, round_=wednesdays)
    coordinator_client.cookies["django_language"] = "en"
    for name in ("seasons:round-detail", "seasons:proposal"):
        response = coordinator_client.get(reverse(name, args=[wednesdays.pk]))
        assert response.status_code == HTTPStatus.OK
        assert "keeps your changed cells" in response.content.decode()


def test_a_coordinators_change_onto_an_existing_booking_is_shown_on_the_proposal(
    wednesdays,
    room,
    other_actor,
    other_booker,
    coordinator,
    coordinator_client,
    django_assert_max_num_queries,
):
    first = wednesdays.season_start + datetime.timedelta(days=2)
    weekly_series(
        other_booker,
        room,
        other_actor,
        first_day=first,
        weeks=10,
        title="Yoga",
        start_time=datetime.time(12),
        end_time=datetime.time(13),
    )
    services.proposal_make(by=coordinator, round_=wednesdays)
    url = reverse("seasons:proposal", args=[wednesdays.pk])
    coordinator_client.cookies["django_language"] = "en"
    assert 'id="taken"' not in coordinator_client.get(url).content.decode()
    knit = decisions_by_title(wednesdays)["Strik"]
    services.decision_change(
        by=coordinator,
        decision=knit,
        outcome="moved",
        room=room,
        weekday=2,
        start_time=datetime.time(12, 30),
        reason="Formiddag",
    )
    with django_assert_max_num_queries(16):
        page = coordinator_client.get(url).content.decode()
    assert 'id="taken"' in page
    assert "Clashes with an existing booking: Yoga (Basen)" in page
