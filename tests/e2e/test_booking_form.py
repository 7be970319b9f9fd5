"""The booking form in Chromium on the demo house: it fits a 360 px phone and
a desktop with 44 px tap targets (checkboxes included) and no axe violations
in Danish and English; the free times, the repeat's preview and the filters
work with JavaScript; the error summary takes the focus; sign-ups are taken
while booking."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings.models import Booking
from centre.models import User
from signups.models import Sheet
from tests.e2e.conftest import (
    LANGUAGES,
    TAP_TARGETS,
    assert_accessible,
    html_lang,
    open_page,
    set_language,
)

pytestmark = pytest.mark.e2e

PHONE, DESKTOP = 360, 1280
OPEN_ALL = "document.querySelectorAll('main details').forEach(d => { d.open = true; })"


def _wednesday() -> datetime.date:
    """A Wednesday next week: Mødelokale 1 holds the Kvindecafé 10-12."""
    today = timezone.localdate()
    return today + datetime.timedelta(days=(2 - today.weekday()) % 7 + 7)


def _fits(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide at a {width}px viewport"
    small = page.evaluate(TAP_TARGETS, ["main"])
    assert not small, f"tap targets under 44x44px at {width}px on {page.url}: {small}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_booking_form_fits_a_phone_and_a_desktop(e2e, demo, signed_in, context, page, language):
    set_language(context, e2e.url, language)
    signed_in(User.objects.get(email="amina@samhus.test"))
    url = f"{e2e.url}/bookings/new/?room=moedelokale-1&date={_wednesday().isoformat()}"
    for width in (PHONE, DESKTOP):
        page.set_viewport_size({"width": width, "height": 800})
        open_page(page, url)
        assert html_lang(page) == language
        # The free times of the day, around the Kvindecafé.
        expect(page.locator("button[name='slot'][value^='12:00-']")).to_be_visible()
        _fits(page, width)
        assert_accessible(page)
        # Every group open: the checkbox lists and the sign-up settings too.
        page.evaluate(OPEN_ALL)
        _fits(page, width)
        assert_accessible(page)


def test_free_times_preview_filter_and_sign_ups_with_javascript(
    e2e, demo, signed_in, context, page
):
    set_language(context, e2e.url, "en")
    signed_in(User.objects.get(email="amina@samhus.test"))
    page.set_viewport_size({"width": PHONE, "height": 800})
    open_page(page, e2e.url + "/bookings/new/")
    wednesday = _wednesday()
    page.get_by_label("Room").select_option(label="Mødelokale 1")
    page.get_by_label("Date").fill(wednesday.isoformat())
    page.get_by_label("Date").dispatch_event("change")
    # htmx fetched the free times; a button fills in the times.
    slot = page.locator("button[name='slot'][value^='12:00-']")
    expect(slot).to_be_visible()
    slot.click()
    expect(page.get_by_label("Starts")).to_have_value("12:00")
    assert page.url == e2e.url + "/bookings/new/"  # filled in, not posted
    page.get_by_label("Ends").fill("14:00")
    # The repeat in plain words, with its dates.
    page.get_by_label("Repeats").select_option("weekly")
    page.get_by_label("Repeat until").fill((wednesday + datetime.timedelta(days=21)).isoformat())
    page.get_by_label("Repeat until").dispatch_event("change")
    expect(page.locator("#series-preview")).to_contain_text("Every Wednesday 12:00–14:00")
    expect(page.locator("#series-preview")).to_contain_text("4 dates will be booked.")
    # The filter of a checkbox list hides what does not match.
    languages = page.locator("details.choices", has=page.locator("#id_languages"))
    languages.locator("summary").click()
    languages.get_by_label("Filter").fill("arab")
    expect(languages.get_by_label("Arabic", exact=True)).to_be_visible()
    expect(languages.get_by_label("Danish", exact=True)).to_be_hidden()
    # Booked without a title: the summary at the top takes the focus.
    page.get_by_role("button", name="Book", exact=True).click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    _fits(page, PHONE)
    assert_accessible(page)
    page.get_by_label("Title").fill("Lektiecafé for mødre")
    sign_ups = page.locator("details", has=page.locator("summary", has_text="Take sign-ups"))
    if sign_ups.get_attribute("open") is None:
        sign_ups.locator("summary").click()
    sign_ups.get_by_label("Take sign-ups").check()
    sign_ups.get_by_label("places").fill("10")
    page.get_by_role("button", name="Book", exact=True).click()
    expect(page.locator("h1")).to_have_text("Lektiecafé for mødre")
    # Written from an English page: the English column (Danish readers fall back to it).
    booked = Booking.objects.filter(title_en="Lektiecafé for mødre")
    assert booked.count() == 4
    assert Sheet.objects.get(series=booked.first().series).places == 10
