"""The lobby screen in Chromium: axe-core in Danish and English, on a TV and a
phone; the clock ticks; when the server cannot be reached the last data stays
with a notice of its age, and the next refresh that gets through swaps in the
new data and clears the notice."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import LANGUAGES, assert_accessible, html_lang, open_page, set_language
from tests.factories import BookingFactory, RoomFactory, in_days

pytestmark = pytest.mark.e2e

MINUTE = datetime.timedelta(minutes=1)
PARTIAL = "**/screen/?*partial=1*"


@pytest.fixture
def lobby(e2e, house_data, actor):
    """Something on now in the café, something later in the hall (if today allows)."""
    now = timezone.now()
    cafe = RoomFactory(name="Caféen", slug="cafeen")
    hall = RoomFactory(name="Multisalen", slug="multisalen")
    RoomFactory(name="Værkstedet", slug="vaerkstedet")
    BookingFactory(
        room=cafe, actor=actor, title="Kvindecafé", start=now - 30 * MINUTE, end=now + 30 * MINUTE
    )
    midnight = in_days(1)
    if midnight - now > 20 * MINUTE:
        BookingFactory(
            room=hall, actor=actor, title="Zumba", start=now + 10 * MINUTE, end=now + 15 * MINUTE
        )
    return {"cafe": cafe, "hall": hall}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_screen_is_accessible(e2e, lobby, context, page, language):
    set_language(context, e2e.url, language)
    page.set_viewport_size({"width": 1920, "height": 1080})
    for path in ["/screen/", "/screen/?room=cafeen", "/screen/?room=vaerkstedet"]:
        open_page(page, e2e.url + path)
        assert html_lang(page) == language
        assert ("Kvindecafé" in page.locator("#screen-data").inner_text()) == (
            "vaerkstedet" not in path
        )
        assert_accessible(page)
    # A phone: the same page in one column, nothing wider than the screen.
    page.set_viewport_size({"width": 360, "height": 740})
    open_page(page, e2e.url + "/screen/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page)


def test_the_clock_ticks(e2e, lobby, page):
    open_page(page, e2e.url + "/screen/")
    clock = page.locator("#screen-clock")
    expect(clock).to_have_text(re.compile(r"^([01]\d|2[0-3]):[0-5]\d$"))
    first = clock.get_attribute("datetime")
    expect(clock).not_to_have_attribute("datetime", first, timeout=3000)
    # The browser runs in Copenhagen, so the house's wall clock is the browser's.
    shown, local = page.evaluate(
        "() => [document.getElementById('screen-clock').textContent,"
        " new Date().getHours() * 60 + new Date().getMinutes()]"
    )
    hours, minutes = map(int, shown.split(":"))
    assert (local - (hours * 60 + minutes)) % (24 * 60) <= 1  # the minute may just have turned


def test_the_screen_keeps_its_data_while_the_server_is_away(e2e, lobby, context, page):
    set_language(context, e2e.url, "en")
    open_page(page, e2e.url + "/screen/?refresh=2")
    data = page.locator("#screen-data")
    notice = page.locator("#screen-stale")
    expect(data).to_contain_text("Kvindecafé")
    expect(notice).to_be_hidden()
    first_generated = data.get_attribute("data-generated")
    # A refresh that gets through swaps in newer data.
    expect(data).not_to_have_attribute("data-generated", first_generated, timeout=5000)

    page.route(PARTIAL, lambda route: route.abort())
    expect(notice).to_be_visible(timeout=5000)
    expect(notice).to_have_text(
        re.compile(r"^Showing data from \d\d:\d\d \(\d+ minutes? ago\) – trying again$")
    )
    assert notice.get_attribute("aria-live") == "polite"
    expect(data).to_contain_text("Kvindecafé")
    stale_generated = data.get_attribute("data-generated")
    # The notice gives the time of the data still shown.
    expect(notice).to_contain_text(f"from {data.get_attribute('data-generated-time')} (")
    page.wait_for_timeout(2500)  # another failed attempt: still the old data
    assert data.get_attribute("data-generated") == stale_generated
    assert_accessible(page)

    BookingFactory(
        room=lobby["hall"],
        title="Lektiecafé",
        start=timezone.now() - MINUTE,
        end=timezone.now() + 2 * MINUTE,
    )
    expect(data).not_to_contain_text("Lektiecafé")
    page.unroute(PARTIAL)
    expect(data).to_contain_text("Lektiecafé", timeout=5000)
    expect(notice).to_be_hidden()
    expect(notice).to_have_text("")
    assert page.locator("#screen-data").count() == 1


def test_a_failing_server_answer_also_keeps_the_data(e2e, lobby, context, page):
    set_language(context, e2e.url, "da")
    open_page(page, e2e.url + "/screen/?refresh=2&room=cafeen")
    page.route(
        PARTIAL,
        lambda route: route.fulfill(status=502, body="Bad gateway", content_type="text/html"),
    )
    notice = page.locator("#screen-stale")
    expect(notice).to_be_visible(timeout=5000)
    expect(notice).to_contain_text("0 minutter siden")  # the page is in Danish
    expect(page.locator("#screen-data")).to_contain_text("Kvindecafé")
    page.unroute(PARTIAL)
    expect(notice).to_be_hidden(timeout=5000)
