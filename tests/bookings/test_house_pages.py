"""The coordinators' pages that change the house (issue #14 item 1): nothing
is saved before the bookings it touches are shown; the choices then commit
with the change; the admin cannot go around them."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bookings import services
from bookings.models import Booking, Status
from centre.models import ClosedDay, OpeningHours
from tests.factories import RoomFactory, UserFactory, add_totp, in_days, weekly_series

pytestmark = pytest.mark.usefixtures("english_messages")


@pytest.fixture(autouse=True)
def _pages_in_english(coordinator_client, client):
    for browser in (coordinator_client, client):
        browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def wednesday(room, actor, other_actor, booker, other_booker):
    day = timezone.localdate(in_days(9))
    series = weekly_series(
        booker,
        room,
        actor,
        first_day=day,
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
        start=in_days(9, 15),
        end=in_days(9, 17),
    )
    return {"day": day, "series": series, "one_off": one_off}


def closing_form(day, **extra):
    return {"date": day.isoformat(), "name": "Personaledag", "observed": "on", **extra}


def test_closing_a_day_with_bookings_shows_them_and_saves_nothing_yet(
    wednesday, coordinator_client
):
    response = coordinator_client.post(
        reverse("bookings:closedday-create"), closing_form(wednesday["day"])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing is saved yet" in page and "2 bookings touched" in page
    assert "Zumba" in page and "Lektiecafé" in page
    assert not ClosedDay.objects.exists()


def test_choosing_cancel_for_all_closes_the_day_and_cancels_its_dates(
    wednesday, coordinator_client, django_capture_on_commit_callbacks, client
):
    url = reverse("bookings:closedday-create")
    data = closing_form(wednesday["day"])
    page = coordinator_client.post(url, data).content.decode()
    seen = [wednesday["one_off"].pk, wednesday["series"].occurrences.order_by("start").first().pk]
    for pk in seen:
        assert f'name="seen" value="{pk}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            url,
            {**data, "decide": "1", "seen": seen, "all": "cancel", "reason": "the house is closed"},
        )
    assert response.status_code == 302
    assert ClosedDay.objects.get().date == wednesday["day"]
    assert set(Booking.objects.filter(pk__in=seen).values_list("status", flat=True)) == {
        Status.CANCELLED
    }
    assert wednesday["series"].occurrences.filter(status=Status.CONFIRMED).count() == 3
    assert len(mail.outbox) == 2  # one per actor's booker
    # The public activity page says why, and is not a 404.
    activity = client.get(reverse("bookings:activity", args=[wednesday["one_off"].pk]))
    assert activity.status_code == 200
    assert "Cancelled: the house is closed" in activity.content.decode()


def test_a_day_without_bookings_is_closed_at_once(wednesday, coordinator_client):
    day = wednesday["day"] + datetime.timedelta(days=1)
    response = coordinator_client.post(reverse("bookings:closedday-create"), closing_form(day))
    assert response.status_code == 302
    assert ClosedDay.objects.get().date == day


def test_bad_answers_save_nothing_and_say_why(wednesday, coordinator_client):
    url = reverse("bookings:closedday-create")
    data = closing_form(wednesday["day"])
    response = coordinator_client.post(
        url,
        {**data, "decide": "1", "seen": ["x", "1" * 30], "all": "explode", "reason": "a\x00b"},
    )
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not ClosedDay.objects.exists()
    assert not Booking.objects.filter(status=Status.CANCELLED).exists()


def test_reopening_the_day_offers_to_book_its_dates_again(
    wednesday, coordinator_client, django_capture_on_commit_callbacks
):
    url = reverse("bookings:closedday-create")
    data = closing_form(wednesday["day"])
    seen = [wednesday["one_off"].pk, wednesday["series"].occurrences.order_by("start").first().pk]
    coordinator_client.post(url, {**data, "decide": "1", "seen": seen, "all": "cancel"})
    closed = ClosedDay.objects.get()
    response = coordinator_client.post(reverse("bookings:closedday-delete", args=[closed.pk]))
    restore = reverse("bookings:closedday-restore", args=[wednesday["day"].isoformat()])
    assert response["Location"] == restore
    assert "Lektiecafé" in coordinator_client.get(restore).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(restore)
    assert set(Booking.objects.filter(pk__in=seen).values_list("status", flat=True)) == {
        Status.CONFIRMED
    }
    assert (
        coordinator_client.get(
            reverse("bookings:closedday-restore", args=["9999-99-99"])
        ).status_code
        == 404
    )


def test_shorter_hours_show_the_evening_series_and_move_one_date(
    wednesday, coordinator_client, room
):
    weekday = wednesday["day"].weekday()
    # The week as the page shows it, with that day now closing at 18:00.
    existing = list(OpeningHours.objects.order_by("weekday"))
    data = {
        "form-TOTAL_FORMS": len(existing),
        "form-INITIAL_FORMS": len(existing),
        "form-MIN_NUM_FORMS": 0,
        "form-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(existing):
        closes = "18:00" if row.weekday == weekday else f"{row.closes:%H:%M}"
        data |= {
            f"form-{index}-id": row.pk,
            f"form-{index}-weekday": row.weekday,
            f"form-{index}-opens": f"{row.opens:%H:%M}",
            f"form-{index}-closes": closes,
        }
    url = reverse("bookings:hours-edit")
    page = coordinator_client.post(url, data).content.decode()
    dates = list(wednesday["series"].occurrences.order_by("start"))
    assert "4 bookings touched" in page
    assert "Move to Multisalen, 17:00–18:00" in page
    first = dates[0]
    response = coordinator_client.post(
        url,
        {
            **data,
            "decide": "1",
            "seen": [b.pk for b in dates],
            "all": "cancel",
            f"choice-{first.pk}": "move-0",
        },
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == Status.CONFIRMED
    assert OpeningHours.objects.get(weekday=weekday).closes == datetime.time(18)
    assert (
        Booking.objects.filter(pk__in=[b.pk for b in dates[1:]], status=Status.CANCELLED).count()
        == 3
    )


def test_a_room_with_bookings_is_taken_out_of_use_on_its_own_page(
    wednesday, coordinator_client, room
):
    edit = coordinator_client.post(
        reverse("bookings:room-edit", args=[room.slug]),
        {"name": room.name, "slug": room.slug, "capacity": room.capacity, "buffer_minutes": 0},
    )
    assert edit.status_code == 200
    assert "Take out of use" in edit.content.decode()
    room.refresh_from_db()
    assert room.is_active
    url = reverse("bookings:room-out-of-use", args=[room.slug])
    assert "4 coming bookings" in coordinator_client.get(url).content.decode()
    preview = coordinator_client.post(url)
    assert "4 bookings touched" in preview.content.decode()
    dates = list(wednesday["series"].occurrences.values_list("pk", flat=True))
    coordinator_client.post(url, {"decide": "1", "seen": dates, "all": "cancel"})
    room.refresh_from_db()
    assert not room.is_active


@pytest.fixture
def superuser_client(db):
    user = UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
    add_totp(user)
    client = Client()
    client.force_login(user)
    return client


def test_the_admin_cannot_close_a_day_around_the_preview(wednesday, superuser_client, room):
    add = superuser_client.post(
        reverse("admin:centre_closedday_add"),
        {
            "date": wednesday["day"].isoformat(),
            "name": "Bagvejen",
            "source": "house",
            "observed": "on",
        },
    )
    assert add.status_code == 403
    assert not ClosedDay.objects.exists()
    assert superuser_client.get(reverse("admin:centre_openinghours_add")).status_code == 403
    assert superuser_client.get(reverse("admin:centre_closedday_changelist")).status_code == 200
    superuser_client.post(
        reverse("admin:bookings_room_change", args=[room.pk]),
        {"name": room.name, "slug": room.slug, "capacity": 5, "buffer_minutes": 0},
    )
    room.refresh_from_db()
    assert room.is_active  # read only in the admin


def test_the_preview_costs_the_same_queries_for_one_date_or_many(
    coordinator_client, room, actor, booker
):
    """The page that shows a room's coming bookings before it goes out of use
    reads them, the free places and the rooms in a fixed number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    RoomFactory(name="Salen")
    url = reverse("bookings:room-out-of-use", args=[room.slug])
    counts = []
    for weeks in (1, 12):
        Booking.objects.all().delete()
        first = timezone.localdate(in_days(3))
        weekly_series(
            booker,
            room,
            actor,
            first_day=first,
            weeks=weeks,
            title="Strik",
            start_time=datetime.time(10),
            end_time=datetime.time(12),
        )
        with CaptureQueriesContext(connection) as queries:
            page = coordinator_client.post(url).content.decode()
        assert f"{weeks} booking" in page
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[1] <= 25, counts
