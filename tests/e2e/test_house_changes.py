"""Changes to the house in Chromium (issue #14): a coordinator closes a day
that holds a weekly series' date and a one-off, sees exactly those two,
cancels them, and every place agrees; reopening the day books them again.
Shorter hours past an evening series: the dates are shown and one moves to
a free room."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from bookings import services
from bookings.models import Booking, Status
from centre.models import Centre, ClosedDay
from collaboration import digest
from tests.e2e.conftest import assert_accessible, open_page, set_language
from tests.factories import MembershipFactory, RoomFactory, local, opening_hours, weekly_series

pytestmark = pytest.mark.e2e


@pytest.fixture
def the_day(e2e, actor, other_actor, booker, other_booker):
    """A day in the digest's coming week with a weekly Zumba and a one-off Lektiecafé."""
    opening_hours(range(7), (datetime.time(8), datetime.time(22)))
    day = digest.current_period(Centre.load()) + datetime.timedelta(days=2)
    room = RoomFactory(name="Multisalen", slug="multisalen", capacity=40)
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
    cafe = RoomFactory(name="Caféen", slug="cafeen")
    one_off = services.booking_request(
        by=other_booker,
        room=cafe,
        actor=other_actor,
        title="Lektiecafé",
        start=local(day, 15),
        end=local(day, 17),
    )
    return {"day": day, "series": series, "one_off": one_off, "room": room}


def test_closing_a_day_cancels_its_two_bookings_everywhere_and_reopening_restores_them(
    e2e, the_day, coordinator, signed_in, context, page
):
    set_language(context, e2e.url, "en")
    signed_in(coordinator)
    day = the_day["day"]
    open_page(page, e2e.url + "/house/closed-days/new/")
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Reason").fill("Personaledag")
    page.get_by_role("button", name="Save").click()

    # The preview: exactly the series' date and the one-off, nothing saved yet.
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("table")).to_contain_text("Zumba")
    expect(page.locator("table")).to_contain_text("Lektiecafé")
    assert not ClosedDay.objects.exists()
    assert_accessible(page)
    mail.outbox.clear()
    page.get_by_role("button", name="Save the change and do this").click()
    page.wait_for_url(e2e.url + "/house/")
    expect(page.get_by_role("status").or_(page.locator(".messages"))).to_contain_text(
        "Bookings cancelled: 2"
    )

    series_date = the_day["series"].occurrences.order_by("start").first()
    cancelled = Booking.objects.filter(pk__in=[series_date.pk, the_day["one_off"].pk])
    assert set(cancelled.values_list("status", flat=True)) == {Status.CANCELLED}
    assert the_day["series"].occurrences.filter(status=Status.CONFIRMED).count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        "booker@example.org",
        "other.booker@example.org",
    ]  # one mail per affected actor

    # The calendar, the feed, the activity page and the digest agree.
    open_page(page, e2e.url + f"/calendar/?view=week&date={day.isoformat()}")
    for title in ("Zumba", "Lektiecafé"):
        item = page.locator(".cal-item", has_text=title).first
        expect(item).to_contain_text("Cancelled")
    feed = page.request.get(e2e.url + "/calendar/feed.ics").text().replace("\r\n ", "")
    events = feed.split("BEGIN:VEVENT")[1:]
    gone = [e for e in events if "STATUS:CANCELLED" in e]
    assert sorted("Zumba" in e for e in gone) == [False, True]  # Zumba's date and the café
    assert all("SEQUENCE:1" in e for e in gone)
    open_page(page, e2e.url + f"/calendar/activities/{the_day['one_off'].pk}/")
    expect(page.locator("main")).to_contain_text("Cancelled: the house is closed")
    open_page(page, e2e.url + "/digest/preview/?language=en")
    expect(page.locator("pre.digest-text")).to_contain_text("CANCELLED: Zumba")

    # The house opens that day again: its dates are offered back.
    open_page(page, e2e.url + "/house/")
    page.locator("form[action*='/delete/'] button").first.click()
    page.wait_for_url(f"**/house/closed-days/{day.isoformat()}/restore/")
    expect(page.locator("ul.restore-dates li")).to_have_count(2)
    assert_accessible(page)
    page.get_by_role("button", name="Book them again").click()
    page.wait_for_url(e2e.url + "/house/")
    assert set(cancelled.values_list("status", flat=True)) == {Status.CONFIRMED}


def test_shorter_hours_show_the_evening_series_and_one_date_moves_to_a_free_room(
    e2e, the_day, coordinator, signed_in, context, page, actor
):
    MembershipFactory(actor=actor, user__email="admin@example.org", role="admin")
    set_language(context, e2e.url, "en")
    signed_in(coordinator)
    weekday = the_day["day"].weekday()
    open_page(page, e2e.url + "/house/hours/")
    row = page.locator("table.formset tbody tr").nth(weekday)
    row.locator("input[name$='-closes']").fill("18:00")
    page.get_by_role("button", name="Save").click()
    dates = list(the_day["series"].occurrences.order_by("start"))
    expect(page.locator("table tbody tr")).to_have_count(len(dates))
    assert_accessible(page)
    first = dates[0]
    page.locator(f"#id_choice_{first.pk}").select_option(label="Move to Caféen, 17:00–18:00")
    page.get_by_role("button", name="Save the change and do this").click()
    page.wait_for_url(e2e.url + "/house/")
    first.refresh_from_db()
    assert (first.status, first.room.name, timezone.localtime(first.start).hour) == (
        Status.CONFIRMED,
        "Caféen",
        17,
    )
    assert first.sequence == 1
    later = Booking.objects.filter(pk__in=[b.pk for b in dates[1:]])
    assert set(later.values_list("status", flat=True)) == {Status.CANCELLED}
