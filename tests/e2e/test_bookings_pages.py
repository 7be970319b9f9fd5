"""Rooms and bookings in Chromium on the demo house: axe-core in Danish and
English for each role, a booking made through the form, and a 320 px phone."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings.models import Booking, Status
from centre.models import User
from tests.e2e.conftest import LANGUAGES, assert_accessible, html_lang, open_page, set_language

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("language", LANGUAGES)
def test_room_pages_are_accessible_to_everyone(e2e, demo, context, page, language):
    set_language(context, e2e.url, language)
    for path in ["/rooms/", "/rooms/multisalen/", "/rooms/moedelokale-2/"]:
        open_page(page, e2e.url + path)
        assert html_lang(page) == language
        assert_accessible(page)
    # The staff meeting is internal: its title is never on a public page.
    next_week = timezone.localdate() + datetime.timedelta(days=7)
    open_page(page, f"{e2e.url}/rooms/moedelokale-2/?date={next_week.isoformat()}")
    assert "Personalemøde" not in page.content()


@pytest.mark.parametrize("language", LANGUAGES)
def test_booking_pages_are_accessible(e2e, demo, coordinator, signed_in, context, page, language):
    set_language(context, e2e.url, language)
    amina = User.objects.get(email="amina@samhus.test")
    signed_in(amina)
    series_date = (
        Booking.objects.filter(actor__slug="kvindeforum", series__isnull=False)
        .order_by("start")
        .first()
    )
    for path in [
        "/bookings/new/?room=moedelokale-1",
        "/bookings/mine/",
        f"/bookings/{series_date.pk}/",
        f"/bookings/{series_date.pk}/edit/",
        f"/bookings/{series_date.pk}/translations/",
        f"/bookings/series/{series_date.series_id}/translations/",
    ]:
        open_page(page, e2e.url + path)
        assert html_lang(page) == language
        assert_accessible(page)
    context.clear_cookies()
    set_language(context, e2e.url, language)
    signed_in(coordinator)
    request = Booking.objects.filter(status=Status.REQUESTED).first()
    for path in [
        "/bookings/requests/",
        f"/bookings/{request.pk}/",
        "/bookings/fair-use/",
        "/rooms/new/",
        "/rooms/multisalen/edit/",
        "/rooms/facilities/",
    ]:
        open_page(page, e2e.url + path)
        assert_accessible(page)


def test_a_booker_books_a_weekly_series_and_sees_the_clashes(e2e, demo, signed_in, context, page):
    set_language(context, e2e.url, "en")
    signed_in(User.objects.get(email="amina@samhus.test"))
    open_page(page, e2e.url + "/bookings/new/")
    # Wednesdays 10-12 in Mødelokale 1 already hold the Kvindecafé series.
    wednesday = timezone.localdate() + datetime.timedelta(
        days=(2 - timezone.localdate().weekday()) % 7 + 7
    )
    page.get_by_label("Room").select_option(label="Mødelokale 1")
    page.get_by_label("Title").fill("Syklub")
    page.get_by_label("Date").fill(wednesday.isoformat())
    page.get_by_label("Starts").fill("11:00")
    page.get_by_label("Ends").fill("12:00")
    page.get_by_label("Repeats").select_option("weekly")
    page.get_by_label("Repeat until").fill((wednesday + datetime.timedelta(days=21)).isoformat())
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.get_by_role("heading", name="These dates are taken")).to_be_visible()
    assert_accessible(page)
    # Written from an English page: the English column (Danish readers fall back to it).
    assert not Booking.objects.filter(title_en="Syklub").exists()
    # Move it to the afternoon: every date is free.
    page.get_by_label("Starts").fill("13:00")
    page.get_by_label("Ends").fill("14:00")
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.locator("h1")).to_have_text("Syklub")
    assert Booking.objects.filter(title_en="Syklub", status=Status.CONFIRMED).count() == 4


def test_room_and_booking_pages_fit_a_narrow_phone(
    e2e, demo, coordinator, signed_in, context, page
):
    page.set_viewport_size({"width": 320, "height": 720})
    set_language(context, e2e.url, "da")
    signed_in(coordinator)
    for path in ["/rooms/", "/rooms/multisalen/", "/bookings/new/", "/bookings/requests/"]:
        open_page(page, e2e.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width}px wide at 320px"
        assert_accessible(page)
