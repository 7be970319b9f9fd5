"""Changes to the house reach the bookings they touch (issue #14 item 1):
closing a day, shortening the hours and taking a room out of use show the
bookings first, then cancel, move or keep each, all or nothing, and tell each
affected actor's bookers and administrators once."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from bookings import services
from bookings.models import AuditEntry, Booking, Occupancy, Status
from bookings.services.house import CANCEL, KEEP, MOVE, Change, Decision
from centre.models import ClosedDay, OpeningHours
from tests.factories import MembershipFactory, RoomFactory, in_days, weekly_series

pytestmark = pytest.mark.usefixtures("english_messages")


@pytest.fixture
def week(room, actor, other_actor, booker, other_booker):
    """A weekly series of Kvindeforum and a one-off of Basen on the same day
    (in 8 days), and the series' other dates."""
    day = timezone.localdate(in_days(8))
    series = weekly_series(
        booker,
        room,
        actor,
        first_day=day - datetime.timedelta(days=7),
        weeks=4,
        title="Zumba",
        start_time=datetime.time(19),
        end_time=datetime.time(20),
    )
    one_off = services.booking_request(
        by=other_booker,
        room=RoomFactory(name="Caféen"),
        actor=other_actor,
        title="Lektiecafé",
        start=in_days(8, 15),
        end=in_days(8, 17),
    )
    on_the_day = series.occurrences.get(start__date=day)
    return {"day": day, "series": series, "series_date": on_the_day, "one_off": one_off}


def closing(day, name="Personaledag"):
    return Change(closed_days=[ClosedDay(date=day, name=name)])


def test_closing_a_day_shows_exactly_its_bookings(week):
    found = services.house.affected(closing(week["day"]))
    assert {b.pk for b in found} == {week["series_date"].pk, week["one_off"].pk}
    assert all("closed" in b.problem for b in found)
    assert not ClosedDay.objects.exists()  # nothing saved by looking


def test_cancelling_for_a_closed_day_cancels_those_dates_only_and_mails_each_actor_once(
    week, coordinator, actor, django_capture_on_commit_callbacks
):
    MembershipFactory(
        actor=actor, user__email="admin@example.org", user__language="en", role="admin"
    )
    MembershipFactory(actor=actor, user__email="bare-medlem@example.org", role="member")
    change = closing(week["day"])
    touched = services.house.affected(change)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.house.apply(
            change,
            {b.pk: Decision(CANCEL) for b in touched},
            by=coordinator,
            seen=[b.pk for b in touched],
        )
    assert result == {"cancelled": 2, "kept": 0, "moved": 0}
    assert ClosedDay.objects.get().name == "Personaledag"
    for booking in (week["series_date"], week["one_off"]):
        booking.refresh_from_db()
        assert (booking.status, booking.sequence) == (Status.CANCELLED, 1)
        assert not Occupancy.objects.filter(booking=booking).exists()
        assert b"STATUS:CANCELLED" in bytes(booking.feed_ics)
    others = week["series"].occurrences.exclude(pk=week["series_date"].pk)
    assert set(others.values_list("status", flat=True)) == {Status.CONFIRMED}
    # One mail per person per actor: Kvindeforum's booker and admin, Basen's booker.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "admin@example.org",
        "booker@example.org",
        "other.booker@example.org",
    ]
    # Each in their own language.
    danish = next(m for m in mail.outbox if m.to == ["booker@example.org"])
    english = next(m for m in mail.outbox if m.to == ["admin@example.org"])
    assert "Zumba" in danish.body and "Aflyst: huset er lukket" in danish.body
    assert "Zumba" in english.body and "Cancelled: the house is closed" in english.body
    assert "Lektiecafé" not in english.body


def test_a_booking_without_a_choice_or_a_new_one_since_the_preview_saves_nothing(week, coordinator):
    change = closing(week["day"])
    touched = services.house.affected(change)
    with pytest.raises(ValidationError, match="without a choice"):
        services.house.apply(
            change, {touched[0].pk: Decision(CANCEL)}, by=coordinator, seen=[b.pk for b in touched]
        )
    with pytest.raises(ValidationError, match="changed while you decided"):
        services.house.apply(
            closing(week["day"]),
            {b.pk: Decision(CANCEL) for b in touched},
            by=coordinator,
            seen=[touched[0].pk],
        )
    assert not ClosedDay.objects.exists()
    assert not Booking.objects.filter(status=Status.CANCELLED).exists()


def test_keeping_is_an_audited_override(week, coordinator):
    change = closing(week["day"])
    touched = services.house.affected(change)
    services.house.apply(
        change,
        {b.pk: Decision(KEEP) for b in touched},
        by=coordinator,
        seen=[b.pk for b in touched],
    )
    booking = week["one_off"]
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED
    entry = booking.audit.get(action=AuditEntry.Action.OVERRIDDEN)
    assert "closed" in entry.note and entry.by == coordinator


def test_shortening_the_hours_past_an_evening_series_moves_it_to_a_free_room(
    week, coordinator, room, django_capture_on_commit_callbacks
):
    hall = RoomFactory(name="Salen", capacity=50)
    # Every day 08-22, except the series' weekday, which now closes at 18:00:
    # the evening dates cannot stay, in any room; earlier times are offered.
    weekday = week["day"].weekday()
    rows = [(d, datetime.time(8), datetime.time(22)) for d in range(7) if d != weekday]
    rows.append((weekday, datetime.time(8), datetime.time(18)))
    change = Change(hours=rows)
    touched = services.house.affected(change)
    series_dates = set(
        week["series"].occurrences.filter(start__gt=timezone.now()).values_list("pk", flat=True)
    )
    assert {b.pk for b in touched} == series_dates  # the one-off (15-17) is still inside
    offers = services.house.free_moves(change, touched)
    first = touched[0]
    options = offers[first.pk]
    assert options and all(
        o.end.astimezone(timezone.get_current_timezone()).time() <= datetime.time(18)
        for o in options
    )
    # 19:00 is outside the hours in every room; the nearest free times are
    # offered, in its own room first and then in the others (the hall).
    assert timezone.localtime(options[0].start).hour == 18 - 1 and options[0].room == room
    assert any(o.room == hall and timezone.localtime(o.start).hour == 17 for o in options)
    # Move the first to 17:00 in the hall; cancel the rest.
    earlier = next(o for o in options if o.room == hall)
    decisions = {b.pk: Decision(CANCEL, reason="Holdet er slut") for b in touched}
    decisions[first.pk] = earlier
    with django_capture_on_commit_callbacks(execute=True):
        services.house.apply(change, decisions, by=coordinator, seen=[b.pk for b in touched])
    first.refresh_from_db()
    assert (first.status, first.start, first.sequence) == (Status.CONFIRMED, earlier.start, 1)
    assert (first.room, Occupancy.objects.get(booking=first).start) == (hall, earlier.start)
    assert OpeningHours.objects.get(weekday=weekday).closes == datetime.time(18)
    [message] = mail.outbox
    assert "Flyttet (var Multisalen, 19:00)" in message.body  # the booker reads Danish
    assert "Aflyst: Holdet er slut" in message.body


def test_a_room_out_of_use_moves_its_dates_to_another_room_at_the_same_time(
    week, coordinator, room
):
    spare = RoomFactory(name="Mødelokalet", capacity=30)
    change = Change(room=room)
    touched = services.house.affected(change)
    assert {b.pk for b in touched} == set(
        week["series"].occurrences.filter(start__gt=timezone.now()).values_list("pk", flat=True)
    )
    offers = services.house.free_moves(change, touched)
    decisions = {}
    for booking in touched:
        option = next(o for o in offers[booking.pk] if o.room == spare)
        assert option.start == booking.start
        decisions[booking.pk] = option
    services.house.apply(change, decisions, by=coordinator, seen=[b.pk for b in touched])
    room.refresh_from_db()
    assert room.is_active is False
    assert set(Booking.objects.filter(pk__in=decisions).values_list("room_id", flat=True)) == {
        spare.pk
    }


def test_a_move_that_clashes_by_now_saves_nothing(
    week, coordinator, room, other_booker, other_actor
):
    spare = RoomFactory(name="Mødelokalet", capacity=30)
    change = Change(room=room)
    touched = services.house.affected(change)
    first = touched[0]
    option = Decision(MOVE, room=spare, start=first.start, end=first.end)
    services.booking_request(
        by=other_booker,
        room=spare,
        actor=other_actor,
        title="Først",
        start=first.start,
        end=first.end,
    )
    decisions = {b.pk: Decision(CANCEL) for b in touched}
    decisions[first.pk] = option
    with pytest.raises(ValidationError, match="no longer free"):
        services.house.apply(change, decisions, by=coordinator, seen=[b.pk for b in touched])
    room.refresh_from_db()
    assert room.is_active and not Booking.objects.filter(status=Status.CANCELLED).exists()


def test_reopening_a_closed_day_restores_the_dates_it_cancelled(week, coordinator):
    change = closing(week["day"])
    touched = services.house.affected(change)
    services.house.apply(
        change,
        {b.pk: Decision(CANCEL) for b in touched},
        by=coordinator,
        seen=[b.pk for b in touched],
    )
    restorable = services.house.restorable(week["day"])
    assert {b.pk for b in restorable} == {b.pk for b in touched}
    ClosedDay.objects.all().delete()
    restored, taken = services.house.restore(restorable, by=coordinator)
    assert len(restored) == 2 and not taken
    for booking in touched:
        booking.refresh_from_db()
        assert (booking.status, booking.sequence) == (Status.CONFIRMED, 2)
        assert Occupancy.objects.filter(booking=booking).exists()
    assert services.house.restorable(week["day"]) == []
