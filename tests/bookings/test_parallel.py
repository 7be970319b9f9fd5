"""Parallel activities (samvirke): the booker is told, never refused; the
coordinator sees the pairs and the target-group gaps."""

import datetime
from http import HTTPStatus

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actors.models import TargetGroup
from bookings import parallel, services
from bookings.models import Booking, Status, Visibility
from tests.factories import ActorFactory, BookingFactory, OpeningHoursFactory, in_days, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

URL = reverse("bookings:parallel")
NOTICE = "Other activities for the same target groups that day"


def client_for(user):
    """Signed in, reading the pages in English (the tests compare English text)."""
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def groups(*slugs):
    return list(TargetGroup.objects.filter(slug__in=slugs))


def activity(actor, start, *slugs, hours=2, **extra):
    """A booking (confirmed and public unless told) for the target groups named."""
    booking = BookingFactory(
        actor=actor, start=start, end=start + datetime.timedelta(hours=hours), **extra
    )
    booking.target_groups.set(groups(*slugs))
    return booking


def next_monday() -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=7 - today.weekday())


@pytest.fixture
def contact_actor(db):
    return ActorFactory(
        name="Lektiecaféen",
        slug="lektiecafeen",
        contact_name="Hanne Holm",
        contact_email="hanne@lektie.example.org",
        contact_phone="33 44 55 66",
    )


# --- The selector -------------------------------------------------------------


def test_an_activity_for_a_shared_target_group_the_same_day_is_listed(actor, contact_actor):
    mine = activity(actor, in_days(3, 10), "children", "women", status=Status.REQUESTED)
    other = activity(contact_actor, in_days(3, 17), "women", "seniors")

    found = parallel.parallel_to([mine])

    assert [(p.booking, p.other) for p in found] == [(mine, other)]
    assert [g.slug for g in found[0].shared] == ["women"]
    assert found[0].other.actor.contact_email == "hanne@lektie.example.org"
    assert found[0].day == timezone.localdate(in_days(3, 10))


def test_only_public_confirmed_activities_of_other_actors_that_day_are_listed(
    actor, other_actor, contact_actor
):
    mine = activity(actor, in_days(3, 10), "children")
    activity(contact_actor, in_days(3, 17), "children", title="Listed")
    activity(other_actor, in_days(3, 12), "seniors", title="No shared group")
    activity(other_actor, in_days(4, 10), "children", title="Another day")
    activity(actor, in_days(3, 14), "children", title="Same actor")
    activity(
        other_actor, in_days(3, 15), "children", title="Internal", visibility=Visibility.INTERNAL
    )
    activity(other_actor, in_days(3, 16), "children", title="Requested", status=Status.REQUESTED)
    activity(other_actor, in_days(3, 18), "children", title="Cancelled", status=Status.CANCELLED)
    activity(other_actor, in_days(3, 19), title="No target group")
    activity(other_actor, in_days(4, 0, 30), "children", title="After midnight", hours=1)
    activity(other_actor, in_days(3, 23, 30), "youth", "children", title="Late", hours=0.25)

    assert [p.other.title for p in parallel.parallel_to([mine])] == ["Listed", "Late"]


def test_an_internal_or_cancelled_booking_has_no_parallel_activities(actor, contact_actor):
    activity(contact_actor, in_days(3, 17), "children")
    internal = activity(actor, in_days(3, 10), "children", visibility=Visibility.INTERNAL)
    cancelled = activity(actor, in_days(3, 12), "children", status=Status.CANCELLED)
    public = activity(actor, in_days(3, 8), "children")

    assert parallel.for_booking(internal) == []
    assert parallel.for_booking(cancelled) == []
    assert len(parallel.for_booking(public)) == 1


def test_a_series_is_checked_on_its_later_dates_in_bounded_queries(
    booker, room, actor, contact_actor, other_actor, django_assert_max_num_queries
):
    first_day = timezone.localdate() + datetime.timedelta(days=2)
    series = services.series_request(
        by=booker,
        room=room,
        actor=actor,
        title="Kvindecafé",
        rule="FREQ=WEEKLY",
        first_day=first_day,
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        until=first_day + datetime.timedelta(weeks=5),
        target_groups=groups("women"),
    )
    activity(contact_actor, local(first_day + datetime.timedelta(weeks=1), 17), "women")
    activity(other_actor, local(first_day + datetime.timedelta(weeks=3), 9), "women")
    activity(other_actor, local(first_day + datetime.timedelta(days=1), 9), "women")
    first = series.occurrences.order_by("start").first()

    with django_assert_max_num_queries(3):
        found = parallel.for_booking(first)

    assert [p.day for p in found] == [
        first_day + datetime.timedelta(weeks=1),
        first_day + datetime.timedelta(weeks=3),
    ]
    assert all(p.booking.series_id == series.pk for p in found)


# --- The booker is told, never refused -----------------------------------------


def form_data(actor, room, days=3, **extra):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return {
        "actor": actor.pk,
        "room": room.pk,
        "title": "Kvindecafé",
        "date": day.isoformat(),
        "start_time": "10:00",
        "end_time": "12:00",
        "repeat": "none",
        "visibility": "public",
        "skip_closed_days": "on",
        **extra,
    }


def test_a_request_with_a_parallel_activity_succeeds_and_points_to_it(
    booker, room, actor, contact_actor
):
    activity(contact_actor, in_days(3, 17), "women", title="Lektiecafé for mødre")
    client = client_for(booker)

    response = client.post(
        reverse("bookings:booking-create"),
        form_data(actor, room, target_groups=[t.pk for t in groups("women", "children")]),
        follow=True,
    )

    booking = Booking.objects.get(title="Kvindecafé")
    assert booking.status == Status.CONFIRMED
    assert response.redirect_chain == [
        (reverse("bookings:booking-detail", args=[booking.pk]), HTTPStatus.FOUND)
    ]
    page = response.content.decode()
    assert "Other actors hold public activities for the same target groups that day" in page
    assert "message-info" in page
    assert NOTICE in page
    assert "Lektiecafé for mødre" in page
    assert f'href="{contact_actor.get_absolute_url()}"' in page
    assert 'href="mailto:hanne@lektie.example.org"' in page
    assert 'href="tel:33445566"' in page
    assert "Hanne Holm" in page


def test_a_request_waiting_for_approval_is_told_too(booker, room, actor, contact_actor):
    room.needs_approval = True
    room.save()
    activity(contact_actor, in_days(3, 17), "women")

    response = client_for(booker).post(
        reverse("bookings:booking-create"),
        form_data(actor, room, target_groups=[t.pk for t in groups("women")]),
        follow=True,
    )

    assert Booking.objects.get(title="Kvindecafé").status == Status.REQUESTED
    assert NOTICE in response.content.decode()


def test_no_message_or_section_without_a_parallel_activity(booker, room, actor, contact_actor):
    activity(contact_actor, in_days(3, 17), "seniors")

    response = client_for(booker).post(
        reverse("bookings:booking-create"),
        form_data(actor, room, target_groups=[t.pk for t in groups("women")]),
        follow=True,
    )

    page = response.content.decode()
    assert Booking.objects.filter(title="Kvindecafé").exists()
    assert "message-info" not in page
    assert NOTICE not in page


def test_an_internal_booking_shows_no_section(member, actor, contact_actor):
    activity(contact_actor, in_days(3, 17), "women")
    internal = activity(actor, in_days(3, 10), "women", visibility=Visibility.INTERNAL)
    public = activity(actor, in_days(3, 8), "women")
    client = client_for(member)

    assert (
        NOTICE
        not in client.get(reverse("bookings:booking-detail", args=[internal.pk])).content.decode()
    )
    assert (
        NOTICE in client.get(reverse("bookings:booking-detail", args=[public.pk])).content.decode()
    )


def test_the_section_is_only_for_those_who_may_see_the_booking(other_member, actor, contact_actor):
    activity(contact_actor, in_days(3, 17), "women")
    mine = activity(actor, in_days(3, 10), "women")

    response = client_for(other_member).get(reverse("bookings:booking-detail", args=[mine.pk]))

    assert response.status_code == HTTPStatus.NOT_FOUND


# --- The coordinator's page ----------------------------------------------------


def test_each_pair_is_listed_once_grouped_by_day(actor, other_actor, contact_actor):
    day = timezone.localdate() + datetime.timedelta(days=2)
    a = activity(actor, local(day, 9), "children", "women")
    b = activity(other_actor, local(day, 12), "children")
    c = activity(contact_actor, local(day, 15), "women", "children")
    activity(actor, local(day, 18), "children", title="Same actor as a")

    days = parallel.parallel_pairs(day, day)

    assert [entry.day for entry in days] == [day]
    pairs = {(p.first.pk, p.second.pk): [g.slug for g in p.shared] for p in days[0].pairs}
    assert len(days[0].pairs) == 5  # a-b, a-c, b-c, and b and c with a's later activity
    assert pairs[(a.pk, b.pk)] == ["children"]
    assert pairs[(a.pk, c.pk)] == ["children", "women"]
    assert pairs[(b.pk, c.pk)] == ["children"]
    assert (b.pk, a.pk) not in pairs


def test_the_page_lists_pairs_within_the_window_only(
    coordinator_client, actor, other_actor, contact_actor
):
    activity(actor, in_days(2, 10), "youth", title="Ungdomsklub")
    activity(contact_actor, in_days(2, 15), "youth", title="Lektiecafé for unge")
    activity(actor, in_days(30, 10), "youth", title="Sommerfest")
    activity(other_actor, in_days(30, 15), "youth", title="Fodboldturnering")

    page = coordinator_client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert page.count('class="card parallel-pair"') == 1
    assert "Ungdomsklub and Lektiecafé for unge" in page
    assert "Sommerfest" not in page
    assert 'href="mailto:hanne@lektie.example.org"' in page
    assert f'href="{actor.get_absolute_url()}"' in page
    assert "1 pair of activities" in page

    wider = coordinator_client.get(URL + "?weeks=5", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert wider.count('class="card parallel-pair"') == 2
    assert "Sommerfest and Fodboldturnering" in wider


def test_bad_weeks_fall_back_to_four(coordinator_client):
    for value in ["abc", "0", "13", "-1", "2.5", ""]:
        response = coordinator_client.get(URL, {"weeks": value})
        assert response.status_code == HTTPStatus.OK
        assert response.context["weeks"] == 4
        assert response.context["last_day"] == timezone.localdate() + datetime.timedelta(days=27)
    response = coordinator_client.get(URL, {"weeks": "12"})
    assert response.context["weeks"] == 12
    assert response.context["last_day"] == timezone.localdate() + datetime.timedelta(days=83)


def test_the_page_is_for_coordinators(anonymous, member_client, coordinator_client):
    response = anonymous.get(URL)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))
    assert member_client.get(URL).status_code == HTTPStatus.FORBIDDEN
    assert coordinator_client.get(URL).status_code == HTTPStatus.OK


def _spread(count: int, actors) -> None:
    for n in range(count):
        activity(
            actors[n % len(actors)], in_days(1 + (n // 2) % 5, 8 + n % 12), "children", "women"
        )


def test_the_page_runs_the_same_few_queries_for_5_or_20_bookings(
    coordinator_client, open_every_day, actor, other_actor, django_assert_max_num_queries
):
    _spread(5, [actor, other_actor])
    with CaptureQueriesContext(connection) as few:
        response = coordinator_client.get(URL)
    assert response.context["pair_count"] > 0
    Booking.objects.all().delete()
    _spread(20, [actor, other_actor])
    with django_assert_max_num_queries(10), CaptureQueriesContext(connection) as many:
        response = coordinator_client.get(URL)
    assert response.context["pair_count"] > 5
    assert len(many) == len(few)


# --- Gaps ----------------------------------------------------------------------


def test_gaps_count_public_confirmed_activities_per_target_group_and_weekday(
    open_every_day, actor, other_actor
):
    monday = next_monday()
    tuesday, wednesday = monday + datetime.timedelta(days=1), monday + datetime.timedelta(days=2)
    activity(actor, local(monday, 10), "children", "women")
    activity(other_actor, local(monday, 15), "children")
    activity(actor, local(wednesday, 10), "women")
    activity(actor, local(tuesday, 10), "children", status=Status.REQUESTED)
    activity(actor, local(tuesday, 12), "children", visibility=Visibility.INTERNAL)
    activity(actor, local(monday + datetime.timedelta(days=7), 10), "seniors")

    matrix = parallel.gaps(monday, monday + datetime.timedelta(days=6))

    assert [weekday for weekday, _label in matrix.weekdays] == list(range(7))
    rows = {row.target_group.slug: [cell.count for cell in row.cells] for row in matrix.rows}
    assert set(rows) == set(TargetGroup.objects.values_list("slug", flat=True))
    assert rows["children"] == [2, 0, 0, 0, 0, 0, 0]
    assert rows["women"] == [1, 0, 1, 0, 0, 0, 0]
    assert rows["seniors"] == [0] * 7
    children = next(row for row in matrix.rows if row.target_group.slug == "children")
    assert [cell.is_gap for cell in children.cells] == [False] + [True] * 6
    assert children.gap_count == 6
    assert matrix.gap_count == 7 * TargetGroup.objects.count() - 3


def test_gaps_only_show_the_weekdays_the_house_is_open(actor):
    for weekday in range(5):
        OpeningHoursFactory(weekday=weekday)
    monday = next_monday()
    activity(actor, local(monday + datetime.timedelta(days=4), 10), "youth")

    matrix = parallel.gaps(monday, monday + datetime.timedelta(days=13))

    assert [weekday for weekday, _label in matrix.weekdays] == [0, 1, 2, 3, 4]
    assert str(matrix.weekdays[0][1]) == "Monday"
    youth = next(row for row in matrix.rows if row.target_group.slug == "youth")
    assert [cell.count for cell in youth.cells] == [0, 0, 0, 0, 1]


def test_the_page_marks_gaps_with_text(coordinator_client, open_every_day, actor):
    activity(actor, in_days(1, 10), "youth")

    page = coordinator_client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "<caption" in page
    assert '<th scope="row">Young people</th>' in page
    assert '<th scope="col">Monday</th>' in page
    assert "<strong>0</strong> (gap)" in page
    assert "<td>1</td>" in page
