"""Moving dates and a series' pages in Chromium: a booker moves one date of a
weekly series to another day and room, the calendar file keeps its UID with a
higher SEQUENCE, and a move onto a taken time is refused with a message; the
series' page, my bookings and the move page pass axe-core in Danish and
English on a 360 px phone."""

import datetime
import re

import icalendar
import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from bookings import services
from bookings.models import Booking
from tests.e2e.conftest import LANGUAGES, assert_accessible, html_lang, open_page, set_language
from tests.factories import RoomFactory, local, weekly_series

pytestmark = pytest.mark.e2e


def _event(page, url: str):
    response = page.request.get(url)
    assert response.ok
    return next(iter(icalendar.Calendar.from_ical(response.body()).walk("VEVENT")))


def test_a_booker_moves_one_date_of_a_weekly_series(
    e2e, booker, other_booker, room, actor, other_actor, signed_in, context, page
):
    small = RoomFactory(name="Mødelokale 1", slug="moedelokale-1", capacity=12)
    series = weekly_series(booker, room, actor, weeks=4)
    second, third = list(series.occurrences.order_by("start"))[1:3]
    wednesday = timezone.localdate(second.start)
    thursday = wednesday + datetime.timedelta(days=1)
    ics = f"{e2e.url}/calendar/activities/{second.pk}.ics"
    set_language(context, e2e.url, "en")
    signed_in(booker)
    before = _event(page, ics)

    open_page(page, f"{e2e.url}/bookings/{second.pk}/")
    page.get_by_role("link", name="Move to another day or room").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move Kvindecafé")
    assert_accessible(page)
    page.get_by_label("Date:", exact=True).fill(thursday.isoformat())
    page.get_by_label("Room:", exact=True).select_option(label="Mødelokale 1")
    page.get_by_label("Only this date").check()
    page.get_by_role("button", name="Move", exact=True).click()

    expect(page.get_by_text("1 date moved.")).to_be_visible()
    expect(page).to_have_url(f"{e2e.url}/bookings/{second.pk}/")
    moved = Booking.objects.get(pk=second.pk)
    assert (moved.start, moved.room_id) == (local(thursday, 17), small.pk)
    after = _event(page, ics)
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("DTSTART") == local(thursday, 17)
    assert str(after["LOCATION"]).startswith("Mødelokale 1")

    # The next Thursday is taken in the small room: the move is refused, with why.
    next_thursday = thursday + datetime.timedelta(days=7)
    services.booking_request(
        by=other_booker,
        room=small,
        actor=other_actor,
        title="Fodbold",
        start=local(next_thursday, 18),
        end=local(next_thursday, 20),
    )
    open_page(page, f"{e2e.url}/bookings/{third.pk}/move/")
    page.get_by_label("Date:", exact=True).fill(next_thursday.isoformat())
    page.get_by_label("Room:", exact=True).select_option(label="Mødelokale 1")
    page.get_by_role("button", name="Move", exact=True).click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("already booked then")
    expect(alert).to_contain_text("Fodbold")
    expect(page.get_by_label("Date:", exact=True)).to_have_value(next_thursday.isoformat())
    assert_accessible(page)
    assert Booking.objects.get(pk=third.pk).room_id == room.pk


@pytest.mark.parametrize("language", LANGUAGES)
def test_series_pages_are_accessible_on_a_phone(
    e2e, booker, room, actor, signed_in, context, page, language
):
    series = weekly_series(booker, room, actor, weeks=30)
    first = series.occurrences.order_by("start").first()
    page.set_viewport_size({"width": 360, "height": 740})
    set_language(context, e2e.url, language)
    signed_in(booker)
    for path in [
        f"/bookings/series/{series.pk}/",
        "/bookings/mine/",
        f"/bookings/{first.pk}/move/?from=series",
        f"/bookings/{first.pk}/",
    ]:
        open_page(page, e2e.url + path)
        assert html_lang(page) == language
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width}px wide at 360px"
        assert_accessible(page)
    # Cancelling the coming dates asks first, on a page of its own, without JavaScript.
    with translation.override(language):
        cancel_all, keep = gettext("Cancel all coming dates"), gettext("Keep them")
    open_page(page, f"{e2e.url}/bookings/series/{series.pk}/")
    page.get_by_role("button", name=cancel_all).click()
    expect(page.get_by_role("button", name=re.compile(r"30"))).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)
    page.get_by_role("link", name=keep).click()
    expect(page).to_have_url(f"{e2e.url}/bookings/series/{series.pk}/")
    assert not series.occurrences.filter(status="cancelled").exists()
