"""Moving dates (issue #14, item 2): one date, this and the following, or the
whole series, to another day, time and/or room, checked like a new request."""

import datetime
import itertools
from unittest import mock

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from bookings import services
from bookings.models import AuditEntry, Booking, Occupancy, Status
from centre.models import ClosedDay
from tests.factories import RoomFactory, local, next_weekday, weekly_series
from tests.factories import series_dates as dates

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


def local_days(bookings):
    return [timezone.localdate(b.start) for b in bookings]


def held(booking):
    return list(Occupancy.objects.filter(booking=booking).values_list("room_id", "start", "end"))


def test_one_date_moves_to_another_day_and_room(booker, room, small_room, actor):
    series = weekly_series(booker, room, actor, weeks=4)
    before = dates(series)
    second = before[1]
    wednesday = timezone.localdate(second.start)
    thursday = wednesday + datetime.timedelta(days=1)
    moved = services.booking_move(
        booking=second,
        by=booker,
        day=thursday,
        start_time=datetime.time(18),
        end_time=datetime.time(20),
        room=small_room,
    )
    assert [b.pk for b in moved] == [second.pk]
    second.refresh_from_db()
    assert (second.start, second.end) == (local(thursday, 18), local(thursday, 20))
    assert second.room == small_room and second.status == Status.CONFIRMED
    assert second.sequence == 1
    assert held(second) == [(small_room.pk, local(thursday, 18), local(thursday, 20))]
    # The other dates and the series' rule stay as they were.
    after = dates(series)
    assert [(b.start, b.room_id, b.sequence) for b in after if b.pk != second.pk] == [
        (b.start, b.room_id, b.sequence) for b in before if b.pk != second.pk
    ]  # (``before`` holds the same objects, but only ``second`` was read again)
    series.refresh_from_db()
    assert (series.room, series.first_day, series.start_time) == (
        room,
        timezone.localdate(before[0].start),
        datetime.time(17),
    )
    entry = second.audit.get(action=AuditEntry.Action.CHANGED)
    assert entry.changes == {
        "from": f"{wednesday:%Y-%m-%d} 17:00–19:00 Multisalen",
        "to": f"{thursday:%Y-%m-%d} 18:00–20:00 Mødelokale 1",
    }


def test_this_and_the_following_dates_move_by_the_same_number_of_days(booker, room, actor):
    series = weekly_series(booker, room, actor, weeks=6)
    before = dates(series)
    third = before[2]
    friday = timezone.localdate(third.start) + datetime.timedelta(days=2)
    moved = services.booking_move(
        booking=third,
        by=booker,
        scope="following",
        day=friday,
        start_time=datetime.time(10),
        end_time=datetime.time(11, 30),
    )
    assert [b.pk for b in moved] == [b.pk for b in before[2:]]
    after = dates(series)
    assert local_days(after) == local_days(before[:2]) + [
        d + datetime.timedelta(days=2) for d in local_days(before[2:])
    ]
    assert [timezone.localtime(b.start).time() for b in after] == [datetime.time(17)] * 2 + [
        datetime.time(10)
    ] * 4
    series.refresh_from_db()
    # The rule moves with them, starting at the first moved date.
    assert series.first_day == friday
    assert (series.start_time, series.end_time) == (datetime.time(10), datetime.time(11, 30))
    assert series.materialised_until == timezone.localdate(before[-1].start) + datetime.timedelta(
        days=2
    )
    assert Occupancy.objects.filter(booking__series=series).count() == 6


def test_the_whole_series_moves_and_dates_booked_later_follow(booker, room, small_room, actor):
    series = weekly_series(booker, room, actor, first_day=next_weekday(2, weeks=1), booked_weeks=5)
    before = dates(series)
    tuesday = timezone.localdate(before[0].start) - datetime.timedelta(days=1)
    services.booking_move(
        booking=before[0], by=booker, scope="series", day=tuesday, room=small_room
    )
    after = dates(series)
    assert local_days(after) == [d - datetime.timedelta(days=1) for d in local_days(before)]
    assert {b.room_id for b in after} == {small_room.pk}
    assert {b.sequence for b in after} == {1}
    series.refresh_from_db()
    assert series.room == small_room and series.first_day == tuesday
    # The periodic task books the rest of the year: Tuesdays in the new room, none twice.
    added = services.series_extend(series=series)
    assert added > 40
    days = local_days(dates(series))
    assert {d.weekday() for d in days} == {1}
    assert len(days) == len(set(days))
    assert all((b - a).days == 7 for a, b in itertools.pairwise(days))
    assert set(series.occurrences.values_list("room_id", flat=True)) == {small_room.pk}


def test_a_clash_is_refused_naming_it_and_nothing_changes(
    booker, other_booker, room, small_room, actor, other_actor
):
    series = weekly_series(booker, room, actor, weeks=3)
    second = dates(series)[1]
    thursday = timezone.localdate(second.start) + datetime.timedelta(days=1)
    services.booking_request(
        by=other_booker,
        room=small_room,
        actor=other_actor,
        title="Fodbold",
        start=local(thursday, 18),
        end=local(thursday, 20),
    )
    with pytest.raises(ValidationError, match="already booked then: “Fodbold” by Basen"):
        services.booking_move(booking=second, by=booker, day=thursday, room=small_room)
    second.refresh_from_db()
    assert (second.room, second.sequence) == (room, 0)
    assert held(second) == [(room.pk, second.start, second.end)]
    assert not second.audit.filter(action=AuditEntry.Action.CHANGED).exists()


def test_a_clash_of_the_following_dates_names_every_one(
    booker, other_booker, room, actor, other_actor
):
    series = weekly_series(booker, room, actor, weeks=4)
    before = dates(series)
    for booking in before[2:]:
        day = timezone.localdate(booking.start) + datetime.timedelta(days=1)
        services.booking_request(
            by=other_booker,
            room=room,
            actor=other_actor,
            title="Fodbold",
            start=local(day, 17),
            end=local(day, 18),
        )
    thursday = timezone.localdate(before[1].start) + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="clashes on 2 date") as refused:
        services.booking_move(booking=before[1], by=booker, scope="following", day=thursday)
    assert refused.value.messages[0].count("Fodbold") == 2
    assert local_days(dates(series)) == local_days(before)


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ((datetime.time(21), datetime.time(23)), "outside the house's opening hours"),
        (None, "The house is closed on"),
    ],
)
def test_house_rules_refuse_a_move(booker, room, actor, hours, message):
    series = weekly_series(booker, room, actor, weeks=3)
    second = dates(series)[1]
    thursday = timezone.localdate(second.start) + datetime.timedelta(days=1)
    if hours is None:
        ClosedDay.objects.create(date=thursday, name="Personaledag")
        hours = (None, None)
    with pytest.raises(ValidationError, match=message):
        services.booking_move(
            booking=second, by=booker, day=thursday, start_time=hours[0], end_time=hours[1]
        )
    second.refresh_from_db()
    assert second.sequence == 0


def test_a_coordinator_may_override_the_house_rules(coordinator, booker, room, actor):
    second = dates(weekly_series(booker, room, actor, weeks=3))[1]
    thursday = timezone.localdate(second.start) + datetime.timedelta(days=1)
    ClosedDay.objects.create(date=thursday, name="Personaledag")
    services.booking_move(booking=second, by=coordinator, day=thursday, override=True)
    second.refresh_from_db()
    assert timezone.localdate(second.start) == thursday and second.rules_overridden
    assert second.audit.filter(action=AuditEntry.Action.OVERRIDDEN).exists()
    with pytest.raises(ValidationError, match="Only coordinators may override"):
        services.booking_move(
            booking=second, by=booker, day=thursday + datetime.timedelta(days=1), override=True
        )


def test_a_series_moved_onto_a_closed_day_leaves_that_date_out(booker, room, actor):
    series = weekly_series(booker, room, actor, weeks=4)
    before = dates(series)
    closed = timezone.localdate(before[2].start) + datetime.timedelta(days=1)
    ClosedDay.objects.create(date=closed, name="Kristi himmelfart")
    thursday = timezone.localdate(before[0].start) + datetime.timedelta(days=1)
    result = services.booking_move(booking=before[0], by=booker, scope="series", day=thursday)
    assert [b.status for b in result] == [Status.CONFIRMED] * 2 + [
        Status.CANCELLED,
        Status.CONFIRMED,
    ]
    left_out = Booking.objects.get(pk=before[2].pk)
    assert left_out.status == Status.CANCELLED and left_out.start == before[2].start
    assert not Occupancy.objects.filter(booking=left_out).exists()
    assert "closed" in left_out.audit.get(action=AuditEntry.Action.CANCELLED).note


def test_moving_into_a_room_that_needs_approval_makes_requests(
    booker, coordinator, room, actor, django_capture_on_commit_callbacks
):
    hall = RoomFactory(name="Salen", needs_approval=True)
    series = weekly_series(booker, room, actor, weeks=4)
    before = dates(series)
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.booking_move(booking=before[1], by=booker, scope="following", room=hall)
    assert {b.status for b in moved} == {Status.REQUESTED}
    assert not Occupancy.objects.filter(booking__in=moved).exists()
    assert Occupancy.objects.filter(booking=before[0], room=room).exists()
    assert [m for m in mail.outbox if coordinator.email in m.to]
    entry = AuditEntry.objects.filter(booking=before[1], action=AuditEntry.Action.CHANGED).get()
    assert entry.changes["status"] == Status.REQUESTED
    # A coordinator's move there keeps each date's status.
    first = Booking.objects.get(pk=before[0].pk)
    services.booking_move(booking=first, by=coordinator, room=hall)
    first.refresh_from_db()
    assert first.status == Status.CONFIRMED
    assert Occupancy.objects.filter(booking=first, room=hall).exists()


def test_a_request_moved_to_a_free_room_is_confirmed(booker, room, actor):
    hall = RoomFactory(name="Salen", needs_approval=True)
    request = dates(weekly_series(booker, hall, actor, weeks=2))[0]
    assert request.status == Status.REQUESTED
    services.booking_move(booking=request, by=booker, room=room)
    request.refresh_from_db()
    assert request.status == Status.CONFIRMED
    assert held(request) == [(room.pk, request.start, request.end)]


def test_the_calendar_file_keeps_its_uid_with_a_higher_sequence(booker, room, actor, anonymous):
    second = dates(weekly_series(booker, room, actor, weeks=3))[1]
    url = reverse("bookings:activity-ics", args=[second.pk])

    def event():
        calendar = icalendar.Calendar.from_ical(anonymous.get(url).content)
        return next(iter(calendar.walk("VEVENT")))

    before = event()
    thursday = timezone.localdate(second.start) + datetime.timedelta(days=1)
    services.booking_move(booking=second, by=booker, day=thursday)
    after = event()
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("DTSTART") == local(thursday, 17)


def test_moving_to_a_time_already_past_is_refused(booker, room, actor):
    first = dates(weekly_series(booker, room, actor, weeks=2))[0]
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="already passed"):
        services.booking_move(booking=first, by=booker, day=yesterday)


def test_only_the_actors_bookers_and_coordinators_move(booker, member, other_booker, room, actor):
    first = dates(weekly_series(booker, room, actor, weeks=2))[0]
    thursday = timezone.localdate(first.start) + datetime.timedelta(days=1)
    for outsider in (member, other_booker):
        with pytest.raises(ValidationError, match="only move your own"):
            services.booking_move(booking=first, by=outsider, day=thursday)


def test_nothing_to_change_and_monthly_rules_are_refused(booker, room, actor):
    first = dates(weekly_series(booker, room, actor, weeks=2))[0]
    with pytest.raises(ValidationError, match="Nothing was changed"):
        services.booking_move(booking=first, by=booker, day=timezone.localdate(first.start))
    monthly = weekly_series(
        booker, room, actor, rule="FREQ=MONTHLY;BYDAY=2TU", first_day=next_weekday(1), weeks=12
    )
    first = dates(monthly)[0]
    with pytest.raises(ValidationError, match="weekday of the month"):
        services.booking_move(
            booking=first,
            by=booker,
            scope="series",
            day=timezone.localdate(first.start) + datetime.timedelta(days=1),
        )
    # One date of it may move.
    services.booking_move(
        booking=first, by=booker, day=timezone.localdate(first.start) + datetime.timedelta(days=2)
    )


@pytest.mark.postgres
def test_the_exclusion_constraint_holds_when_the_check_is_passed_by(
    booker, other_booker, room, actor, other_actor
):
    """Were the check before the write to miss a booking (as a concurrent one
    would be missed), PostgreSQL's constraint refuses the move, with the same
    kind of message, and nothing of it stays."""
    second = dates(weekly_series(booker, room, actor, weeks=3))[1]
    thursday = timezone.localdate(second.start) + datetime.timedelta(days=1)
    services.booking_request(
        by=other_booker,
        room=room,
        actor=other_actor,
        title="Fodbold",
        start=local(thursday, 18),
        end=local(thursday, 20),
    )
    with (
        mock.patch("bookings.services.moves.clashes_with", return_value={}),
        pytest.raises(ValidationError, match="booked by someone else a moment ago"),
    ):
        services.booking_move(booking=second, by=booker, day=thursday)
    second.refresh_from_db()
    assert timezone.localdate(second.start) != thursday and second.sequence == 0
    assert held(second) == [(room.pk, second.start, second.end)]
