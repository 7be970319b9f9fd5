"""The lobby screen in Chromium: axe-core in Danish and English, on a TV and a
phone; the clock ticks; when the server cannot be reached the last data stays
with a notice of its age, and the next refresh that gets through swaps in the
new data and clears the notice."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bookings.calendar import texts
from bookings.models import Booking
from centre.models import Centre
from tests.e2e.conftest import LANGUAGES, assert_accessible, html_lang, open_page, set_language
from tests.factories import BookingFactory, RoomFactory, in_days, opening_hours

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


@pytest.fixture
def busy_lobby(e2e, house_data, actor):
    """Six rooms and twelve activities today: one running and one to come in each room."""
    now = timezone.now()
    left = in_days(1) - now
    if left < 30 * MINUTE:
        pytest.skip("less than half an hour of today left to place activities in")
    opening_hours(range(7), (datetime.time(0), datetime.time(23, 59, 59)))
    Centre.objects.filter(pk=1).update(screen_message="Caféen holder lukket i dag")
    step = left / 3
    names = ["Caféen", "Multisalen", "Værkstedet", "Køkkenet", "Mødelokale 1", "Lektierummet"]
    for n, name in enumerate(names):
        room = RoomFactory(name=name)
        BookingFactory(
            room=room,
            actor=actor,
            title=f"Strikkeklub og kaffe for alle i kvarteret nr. {n}",
            start=now - 10 * MINUTE,
            end=now + step,
        )
        BookingFactory(
            room=room,
            actor=actor,
            title=f"Lektiecafé {n}",
            start=now + 2 * step,
            end=now + 2 * step + MINUTE,
        )


# Every element of the rooms' cards and of the programme that holds text of its
# own, on the pages shown: its font size in CSS pixels.
ACTIVITY_TEXT = """() => [...document.querySelectorAll(
    '.room-card, .room-card *, .agenda-item, .agenda-item *')]
  .filter((el) => !el.closest('[hidden]'))
  .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
  .map((el) => [el.textContent.trim().slice(0, 40), parseFloat(getComputedStyle(el).fontSize)])"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_screen_fills_a_tv_and_is_read_from_afar(e2e, busy_lobby, context, page, language):
    set_language(context, e2e.url, language)
    page.clock.install()
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_page(page, e2e.url + "/screen/")
    texts = page.evaluate(ACTIVITY_TEXT)
    assert len(texts) >= 20, texts
    small = [(text, size) for text, size in texts if size < 40]
    assert not small, f"activity text under 40 px: {small}"
    # The whole page fits the screen: nothing to scroll, either way.
    width, height = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    assert (width, height) <= (1920, 1080) and height <= 1080, (width, height)
    # Four rooms of six and five activities of twelve make a page; the rest follow.
    cards = page.locator(".room-card")
    expect(cards.nth(0)).to_be_visible()
    expect(cards.nth(4)).to_be_hidden()
    expect(page.locator(".agenda-item").nth(5)).to_be_hidden()
    pause = page.locator("#screen-pause")
    expect(pause).to_be_visible()
    box = pause.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44
    assert_accessible(page)
    page.clock.fast_forward(16_000)
    expect(cards.nth(0)).to_be_hidden()
    expect(cards.nth(4)).to_be_visible()
    expect(page.locator(".agenda-item").nth(5)).to_be_visible()
    assert not [size for _, size in page.evaluate(ACTIVITY_TEXT) if size < 40]
    # Paused, the page stays.
    pause.click()
    expect(pause).to_have_attribute("aria-pressed", "true")
    page.clock.fast_forward(31_000)
    expect(cards.nth(4)).to_be_visible()
    # The QR code and the address it holds.
    expect(page.locator(".screen-qr svg")).to_be_visible()
    expect(page.locator(".screen-url")).to_have_text(e2e.url + "/calendar/")


def test_without_javascript_or_on_a_phone_every_page_shows(e2e, busy_lobby, browser):
    phone = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = phone.new_page()
        open_page(page, e2e.url + "/screen/")
        expect(page.locator(".room-card").nth(5)).to_be_visible()
        expect(page.locator("#screen-pause")).to_be_hidden()
        # A phone is on the site already: no QR code to it.
        expect(page.locator(".screen-qr")).to_be_hidden()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        phone.close()
    plain = browser.new_context(java_script_enabled=False, viewport={"width": 1920, "height": 1080})
    try:
        page = plain.new_page()
        open_page(page, e2e.url + "/screen/")
        expect(page.locator(".room-card").nth(5)).to_be_visible()
        expect(page.locator(".agenda-item").nth(11)).to_be_visible()
    finally:
        plain.close()


def test_the_screen_takes_turns_in_the_houses_languages(e2e, lobby, page):
    """Each refresh shows the data in the next of the house's languages, marked
    with its language and direction, and stays accessible in each."""
    Booking.objects.filter(title_da="Kvindecafé").update(
        title_ar="مقهى النساء", title_en="Women's café"
    )
    texts.refresh(Booking.objects.values_list("pk", flat=True))
    Centre.objects.filter(pk=1).update(screen_languages="da,ar,en")
    page.set_viewport_size({"width": 1920, "height": 1080})
    open_page(page, e2e.url + "/screen/?refresh=2")
    data = page.locator("#screen-data")
    expect(data).to_have_attribute("lang", "da")
    expect(data).to_contain_text("Kvindecafé")
    expect(data).to_have_attribute("lang", "ar", timeout=5000)
    expect(data).to_have_attribute("dir", "rtl")
    expect(data).to_contain_text("مقهى النساء")
    assert_accessible(page)
    expect(data).to_have_attribute("lang", "en", timeout=5000)
    expect(data).to_contain_text("Women's café")
    expect(data).to_have_attribute("lang", "da", timeout=5000)
