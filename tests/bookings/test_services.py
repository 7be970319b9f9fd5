"""The booking services: rules, clashes, linked rooms, series, decisions."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bookings import services
from bookings.models import AuditEntry, Booking, Occupancy, Status, Visibility
from centre.models import Centre, ClosedDay
from tests.factories import RoomFactory, in_days, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


def book(by, room, actor, start, end, **extra):
    return services.booking_request(
        by=by,
        room=room,
        actor=actor,
        title=extra.pop("title", "Zumba"),
        start=start,
        end=end,
        **extra,
    )


# --- one booking ---------------------------------------------------------------------------


def test_a_free_room_is_confirmed_at_once_with_history(booker, room, actor):
    booking = book(booker, room, actor, in_days(3, 17), in_days(3, 19))
    assert booking.status == Status.CONFIRMED
    assert Occupancy.objects.filter(booking=booking, room=room).count() == 1
    assert list(booking.audit.values_list("action", flat=True)) == [AuditEntry.Action.CREATED]


def test_a_clash_is_refused_naming_the_other_booking(
    booker, other_booker, room, actor, other_actor
):
    book(other_booker, room, other_actor, in_days(3, 17), in_days(3, 19), title="Lektiecafé")
    with pytest.raises(ValidationError, match="Lektiecafé"):
        book(booker, room, actor, in_days(3, 18), in_days(3, 20))
    assert Booking.objects.count() == 1


def test_touching_bookings_do_not_clash(booker, room, actor):
    book(booker, room, actor, in_days(3, 17), in_days(3, 19))
    assert book(booker, room, actor, in_days(3, 19), in_days(3, 21)).status == Status.CONFIRMED


def test_an_internal_booking_of_another_actor_is_never_named(
    booker, other_booker, room, actor, other_actor
):
    book(
        other_booker,
        room,
        other_actor,
        in_days(3, 17),
        in_days(3, 19),
        title="Personalemøde",
        visibility=Visibility.INTERNAL,
    )
    with pytest.raises(ValidationError) as refused:
        book(booker, room, actor, in_days(3, 18), in_days(3, 20))
    assert "Personalemøde" not in " ".join(refused.value.messages)
    assert "internal" in " ".join(refused.value.messages) or "intern" in " ".join(
        refused.value.messages
    )


def test_the_buffer_keeps_bookings_apart(booker, open_every_day, actor):
    room = RoomFactory(buffer_minutes=30)
    book(booker, room, actor, in_days(3, 17), in_days(3, 19))
    with pytest.raises(ValidationError):
        book(booker, room, actor, in_days(3, 19, 15), in_days(3, 20))
    assert book(booker, room, actor, in_days(3, 19, 30), in_days(3, 20)).status == Status.CONFIRMED


def test_a_divisible_hall_and_its_halves(booker, open_every_day, actor):
    hall = RoomFactory(name="Salen")
    east, west = RoomFactory(name="Salen øst"), RoomFactory(name="Salen vest")
    hall.parts.set([east, west])
    book(booker, east, actor, in_days(3, 17), in_days(3, 19))
    # The other half is free; the whole hall is not.
    assert book(booker, west, actor, in_days(3, 17), in_days(3, 19)).status == Status.CONFIRMED
    with pytest.raises(ValidationError):
        book(booker, hall, actor, in_days(3, 18), in_days(3, 20))
    book(booker, hall, actor, in_days(4, 17), in_days(4, 19))
    with pytest.raises(ValidationError):
        book(booker, west, actor, in_days(4, 18), in_days(4, 20))


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (in_days(-1, 17), in_days(-1, 19), "passed"),
        (in_days(3, 19), in_days(3, 17), "after the start"),
        (in_days(3, 6), in_days(3, 9), "opening hours"),
        (in_days(3, 21), in_days(3, 23), "opening hours"),
        (in_days(400, 17), in_days(400, 19), "days ahead"),
    ],
)
def test_house_rules_refuse_with_a_reason(booker, room, actor, start, end, message):
    with pytest.raises(ValidationError, match=message):
        book(booker, room, actor, start, end)
    assert not Booking.objects.exists()


def test_closed_day_is_refused_and_a_coordinator_may_override(booker, coordinator, room, actor):
    ClosedDay.objects.create(
        date=timezone.localdate() + datetime.timedelta(days=3), name="Personaledag"
    )
    with pytest.raises(ValidationError, match="Personaledag"):
        book(booker, room, actor, in_days(3, 17), in_days(3, 19))
    with pytest.raises(ValidationError, match="Only coordinators"):
        book(booker, room, actor, in_days(3, 17), in_days(3, 19), override=True)
    booking = book(coordinator, room, actor, in_days(3, 17), in_days(3, 19), override=True)
    assert booking.rules_overridden
    assert booking.audit.filter(
        action=AuditEntry.Action.OVERRIDDEN, note__contains="Personaledag"
    ).exists()


def test_capacity(booker, room, actor):
    with pytest.raises(ValidationError, match="at most 100"):
        book(booker, room, actor, in_days(3, 17), in_days(3, 19), expected_participants=101)


def test_only_bookers_and_admins_book_for_their_actor(member, other_booker, room, actor):
    with pytest.raises(ValidationError, match="booker or administrator"):
        book(member, room, actor, in_days(3, 17), in_days(3, 19))
    with pytest.raises(ValidationError, match="booker or administrator"):
        book(other_booker, room, actor, in_days(3, 17), in_days(3, 19))


def test_a_restricted_room_admits_only_chosen_actors(booker, open_every_day, actor, third_actor):
    room = RoomFactory(restricted=True, open_to_presences=["based"])
    with pytest.raises(ValidationError, match="cannot be booked by"):
        book(booker, room, actor, in_days(3, 17), in_days(3, 19))
    room.allowed_actors.add(actor)
    assert book(booker, room, actor, in_days(3, 17), in_days(3, 19)).status == Status.CONFIRMED


def test_weekly_quota(booker, room, actor):
    centre = Centre.load()
    centre.weekly_quota_hours = 3
    centre.save()
    book(booker, room, actor, in_days(7, 10), in_days(7, 12))
    with pytest.raises(ValidationError, match="3 hours a week"):
        book(booker, room, actor, in_days(7, 14), in_days(7, 16))


# --- approval ----------------------------------------------------------------------------------


def test_approval_rooms_queue_requests_that_may_overlap(
    booker, other_booker, coordinator, open_every_day, actor, other_actor
):
    room = RoomFactory(needs_approval=True)
    first = book(booker, room, actor, in_days(3, 17), in_days(3, 19))
    second = book(other_booker, room, other_actor, in_days(3, 18), in_days(3, 20))
    assert first.status == second.status == Status.REQUESTED
    assert not Occupancy.objects.exists()
    services.booking_approve(booking=first, by=coordinator)
    with pytest.raises(ValidationError, match="double-book"):
        services.booking_approve(booking=second, by=coordinator)
    second.refresh_from_db()
    assert second.status == Status.REQUESTED
    with pytest.raises(ValidationError, match="reason"):
        services.booking_decline(booking=second, by=coordinator, reason=" ")
    services.booking_decline(booking=second, by=coordinator, reason="Salen er optaget")
    second.refresh_from_db()
    assert second.status == Status.DECLINED
    assert second.audit.filter(action=AuditEntry.Action.DECLINED, note="Salen er optaget").exists()


def test_an_approval_mailed_after_the_booking_was_cancelled_is_not_sent(
    booker, coordinator, open_every_day, actor, django_capture_on_commit_callbacks
):
    """SMTP was away when the request was approved; by the time the approval's
    mail can go, the booking has been cancelled (with its own mail): the
    booker is not told "approved" last."""
    from django.core import mail as outbox

    room = RoomFactory(needs_approval=True)
    request = book(booker, room, actor, in_days(3, 17), in_days(3, 19))
    with django_capture_on_commit_callbacks() as approval:
        services.booking_approve(booking=request, by=coordinator)
    request.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=request, by=coordinator, reason="Vandskade")
    cancelled = list(outbox.outbox)
    assert [m.to for m in cancelled] == [[booker.email]]
    for callback in approval:
        callback()
    assert outbox.outbox == cancelled


def test_only_coordinators_decide(booker, open_every_day, actor):
    room = RoomFactory(needs_approval=True)
    request = book(booker, room, actor, in_days(3, 17), in_days(3, 19))
    with pytest.raises(ValidationError):
        services.booking_approve(booking=request, by=booker)
    request.refresh_from_db()
    assert request.status == Status.REQUESTED


def test_cancelling_frees_the_room_and_late_cancellations_are_counted(booker, room, actor):
    soon = (
        book(booker, room, actor, in_days(0, 21), in_days(0, 22))
        if timezone.localtime().hour < 20
        else None
    )
    later = book(booker, room, actor, in_days(5, 17), in_days(5, 19))
    services.booking_cancel(booking=later, by=booker)
    later.refresh_from_db()
    assert (later.status, later.cancelled_late) == (Status.CANCELLED, False)
    assert not Occupancy.objects.filter(booking=later).exists()
    assert book(booker, room, actor, in_days(5, 17), in_days(5, 19)).status == Status.CONFIRMED
    if soon:
        services.booking_cancel(booking=soon, by=booker)
        soon.refresh_from_db()
        assert soon.cancelled_late


def test_another_actor_cannot_cancel(booker, other_booker, room, actor):
    booking = book(booker, room, actor, in_days(5, 17), in_days(5, 19))
    with pytest.raises(ValidationError):
        services.booking_cancel(booking=booking, by=other_booker)
    booking.refresh_from_db()
    assert booking.status == Status.CONFIRMED


# --- series ------------------------------------------------------------------------------------------


def weekly(by, room, actor, **extra):
    first = timezone.localdate() + datetime.timedelta(days=1)
    return services.series_request(
        by=by,
        room=room,
        actor=actor,
        title=extra.pop("title", "Kvindecafé"),
        rule=extra.pop("rule", "FREQ=WEEKLY"),
        first_day=extra.pop("first_day", first),
        start_time=datetime.time(17),
        end_time=datetime.time(19),
        **extra,
    )


def test_a_weekly_series_keeps_its_wall_clock_time_for_a_year(booker, room, actor):
    series = weekly(booker, room, actor)
    occurrences = list(series.occurrences.all())
    assert 50 <= len(occurrences) <= 53
    local = [timezone.localtime(b.start) for b in occurrences]
    assert {(t.hour, t.minute) for t in local} == {(17, 0)}
    assert {t.utcoffset() for t in local} == {
        datetime.timedelta(hours=1),
        datetime.timedelta(hours=2),
    }
    assert all(b.status == Status.CONFIRMED for b in occurrences)


def test_every_other_week_and_monthly_nth_weekday(booker, room, actor):
    fortnightly = weekly(
        booker,
        room,
        actor,
        rule="FREQ=WEEKLY;INTERVAL=2",
        until=timezone.localdate() + datetime.timedelta(days=60),
    )
    days = [timezone.localdate(b.start) for b in fortnightly.occurrences.all()]
    assert all((b - a).days == 14 for a, b in itertools.pairwise(days))
    second_tuesday = weekly(booker, room, actor, rule="FREQ=MONTHLY;BYDAY=2TU", title="Beboermøde")
    for booking in second_tuesday.occurrences.all():
        day = timezone.localdate(booking.start)
        assert day.weekday() == 1 and 8 <= day.day <= 14


def test_series_skips_closed_days(booker, room, actor):
    skipped = timezone.localdate() + datetime.timedelta(days=8)
    ClosedDay.objects.create(date=skipped, name="Personaledag")
    series = weekly(booker, room, actor, first_day=skipped - datetime.timedelta(days=7))
    days = {timezone.localdate(b.start) for b in series.occurrences.all()}
    assert skipped not in days
    assert skipped + datetime.timedelta(days=7) in days


def test_series_reports_every_clash_and_can_book_the_rest(
    booker, other_booker, room, actor, other_actor
):
    first = timezone.localdate() + datetime.timedelta(days=1)
    clashing_days = [first + datetime.timedelta(weeks=n) for n in (2, 5, 9)]
    for day in clashing_days:
        services.booking_request(
            by=other_booker,
            room=room,
            actor=other_actor,
            title="Fodbold",
            start=local(day, 18),
            end=local(day, 20),
        )
    with pytest.raises(services.SeriesClash) as refused:
        weekly(booker, room, actor, first_day=first)
    assert [
        timezone.localdate(slot.start) for slot, _other in refused.value.clashes
    ] == clashing_days
    assert not Booking.objects.filter(actor=actor).exists()
    series = weekly(booker, room, actor, first_day=first, book_rest=True)
    days = {timezone.localdate(b.start) for b in series.occurrences.all()}
    assert days.isdisjoint(clashing_days)


def test_cancel_one_following_or_the_whole_series(booker, room, actor):
    series = weekly(booker, room, actor, until=timezone.localdate() + datetime.timedelta(days=70))
    occurrences = list(series.occurrences.order_by("start"))
    services.booking_cancel(booking=occurrences[1], by=booker, scope="one")
    assert [b.status for b in series.occurrences.order_by("start")][:3] == [
        Status.CONFIRMED,
        Status.CANCELLED,
        Status.CONFIRMED,
    ]
    services.booking_cancel(booking=occurrences[4], by=booker, scope="following")
    statuses = [b.status for b in series.occurrences.order_by("start")]
    assert statuses[4:] == [Status.CANCELLED] * (len(occurrences) - 4)
    assert statuses[2:4] == [Status.CONFIRMED] * 2
    services.booking_cancel(booking=occurrences[0], by=booker, scope="series")
    assert set(series.occurrences.values_list("status", flat=True)) == {Status.CANCELLED}
    assert not Occupancy.objects.exists()


def test_approving_a_whole_series_at_once(booker, coordinator, open_every_day, actor):
    room = RoomFactory(needs_approval=True)
    series = weekly(booker, room, actor, until=timezone.localdate() + datetime.timedelta(days=40))
    first = series.occurrences.order_by("start").first()
    approved = services.booking_approve(booking=first, by=coordinator, scope="series")
    assert len(approved) == series.occurrences.count()
    assert set(series.occurrences.values_list("status", flat=True)) == {Status.CONFIRMED}


@pytest.mark.parametrize("existing", [0, 300])
def test_a_52_week_series_runs_a_fixed_number_of_queries(
    booker, room, actor, other_actor, existing
):
    from bookings.models import Booking as B

    base = timezone.localdate() + datetime.timedelta(days=1)
    others = B.objects.bulk_create(
        B(
            room=room,
            actor=other_actor,
            booked_by=booker,
            title="x",
            status=Status.CONFIRMED,
            start=local(base + datetime.timedelta(days=n), 10),
            end=local(base + datetime.timedelta(days=n), 11),
        )
        for n in range(existing)
    )
    Occupancy.objects.bulk_create(
        Occupancy(booking=b, room=room, start=b.start, end=b.end) for b in others
    )
    with CaptureQueriesContext(connection) as captured:
        series = weekly(booker, room, actor)
    # Transaction control (SAVEPOINT/RELEASE, which the test itself adds) is not a query.
    queries = [
        q["sql"]
        for q in captured.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]
    # SQLite takes at most 999 parameters a statement, so the 53 new bookings
    # (21 columns each) are inserted in two statements; then their feed texts
    # are read and written (two more).
    assert len(queries) <= 13, "\n".join(queries)
    assert series.occurrences.count() >= 50
