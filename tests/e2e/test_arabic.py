"""Samhus in Arabic, right to left, in Chromium at a phone's 360 px and a
desktop's 1280 px: the front page, the calendar (month, week, list), an
activity, the offers, the lobby screen, sign-in and a form with errors each
say dir="rtl", never scroll sideways and pass axe; the calendar's "next"
arrow stands on the left and points left, and its week starts on Monday at
the right. The map's charts read from the right: labels right of their bars,
no name outside its chart."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, html_lang, open_page, set_language
from tests.factories import BookingFactory, OfferFactory, RoomFactory, in_days

pytestmark = pytest.mark.e2e

PHONE, DESKTOP = 360, 1280
WIDTHS = [PHONE, DESKTOP]
MIRRORED = "matrix(-1, 0, 0, 1, 0, 0)"
# Whether the first character of an element's text is drawn left of its last.
START_LEFT_OF_END = """(element) => {
  const text = element.firstChild, range = document.createRange();
  range.setStart(text, 0); range.setEnd(text, 1);
  const first = range.getBoundingClientRect().x;
  range.setStart(text, text.length - 1); range.setEnd(text, text.length);
  return first < range.getBoundingClientRect().x;
}"""


@pytest.fixture
def arabic_house(house_data, actor, context, e2e):
    """A house with something on now, this week and later, an offer, and a
    browser that has chosen Arabic."""
    now = timezone.now()
    cafe = RoomFactory(name="Caféen", slug="cafeen")
    hall = RoomFactory(name="Multisalen", slug="multisalen")
    BookingFactory(
        room=cafe,
        actor=actor,
        title="Kvindecafé",
        start=now - timezone.timedelta(minutes=30),
        end=now + timezone.timedelta(minutes=30),
    )
    activity = BookingFactory(room=hall, actor=actor, title="Fællesspisning", start=in_days(1, 17))
    BookingFactory(room=cafe, actor=actor, title="Lektiecafé", start=in_days(2, 15))
    OfferFactory(actor=actor, title="Lektiehjælp for børn")
    set_language(context, e2e.url, "ar")
    return {"activity": activity}


INSIDE_THEIR_DAY = """() => [...document.querySelectorAll('.cal-month .cal-item > a > span')]
  .filter(span => {
    const own = span.getBoundingClientRect(), day = span.closest('td').getBoundingClientRect();
    return own.left < day.left - 1 || own.right > day.right + 1;
  })
  .map(span => span.textContent)"""


def right_to_left(page, width: int) -> None:
    """The page is Arabic, right to left, as wide as the screen, and axe finds nothing."""
    assert html_lang(page) == "ar"
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} scrolls sideways: {scroll} px on a {width} px screen"
    assert_accessible(page)


def next_on_the_left(page, scope: str) -> None:
    """In ``scope``, "next" stands left of "previous" (when on one line) and
    its arrow points left."""
    previous = page.locator(f"{scope} a[rel=prev]").bounding_box()
    following = page.locator(f"{scope} a[rel=next]").bounding_box()
    if abs(previous["y"] - following["y"]) < 4:
        assert following["x"] + following["width"] <= previous["x"] + 1
    arrow = page.locator(f"{scope} a[rel=next] .dir-icon")
    assert arrow.evaluate("icon => getComputedStyle(icon).transform") == MIRRORED
    # The arrow is at the end of the link, which in Arabic is its left side.
    box = arrow.bounding_box()
    assert box["x"] < following["x"] + following["width"] / 2


@pytest.mark.parametrize("width", WIDTHS)
def test_the_front_page_activity_and_offers_in_arabic(e2e, arabic_house, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    activity = arabic_house["activity"]
    for path in ["/", f"/calendar/activities/{activity.pk}/", "/offers/"]:
        open_page(page, e2e.url + path)
        right_to_left(page, width)
    # Times keep their order inside Arabic text: the start first, read left to right.
    open_page(page, e2e.url + f"/calendar/activities/{activity.pk}/")
    times = page.locator("main dd bdi[dir=ltr]").first
    start, end = times.locator("time").all()
    assert start.bounding_box()["x"] < end.bounding_box()["x"]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_calendar_reads_from_the_right(e2e, arabic_house, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    for view in ["month", "week", "list"]:
        open_page(page, e2e.url + f"/calendar/?view={view}")
        right_to_left(page, width)
        next_on_the_left(page, ".cal-nav")
        if width == DESKTOP and view == "month":
            # Monday, the week's first day, is the rightmost column.
            headers = page.locator(".cal-month thead th")
            first, last = headers.first.bounding_box(), headers.last.bounding_box()
            assert first["x"] > last["x"]
        if width == DESKTOP and view == "week":
            days = page.locator(".cal-days .cal-dayblock")
            if days.count() > 1:
                assert days.nth(0).bounding_box()["x"] > days.nth(1).bounding_box()["x"]
    # In a month's narrow day the time and a Danish title wrap inside the day,
    # never over the next one.
    day = timezone.localdate(arabic_house["activity"].start).isoformat()
    open_page(page, e2e.url + f"/calendar/?view=month&date={day}")
    outside = page.evaluate(INSIDE_THEIR_DAY)
    assert outside == [], f"calendar items drawn outside their day: {outside}"
    # An item's times keep their order inside Arabic text: the start stands left of the end.
    open_page(page, e2e.url + "/calendar/?view=list")
    assert page.locator(".cal-item .cal-time").first.evaluate(START_LEFT_OF_END)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_lobby_screen_in_arabic(e2e, arabic_house, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    open_page(page, e2e.url + "/screen/")
    expect(page.locator("#screen-data")).to_contain_text("Kvindecafé")
    right_to_left(page, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_signing_in_and_a_form_with_errors_in_arabic(e2e, arabic_house, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    open_page(page, e2e.url + "/accounts/login/")
    right_to_left(page, width)
    open_page(page, e2e.url + "/accounts/signup/")
    page.locator("#id_email").fill("ikke-en-adresse@x")
    page.locator("#id_password1").fill("et-langt-kodeord-1")
    page.locator("#id_password2").fill("et-andet-kodeord-2")
    page.evaluate("document.querySelector('main form').noValidate = true")
    page.locator("main form button[type=submit]").first.click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    # The summary starts at the right, where Arabic text starts.
    box = summary.bounding_box()
    heading = summary.locator("h2, p, li").first.bounding_box()
    assert heading["x"] + heading["width"] > box["x"] + box["width"] * 0.5
    right_to_left(page, width)


# Each bar's label stands right of its bar, its value left of it, and no text of
# a chart (the network map's names included) leaves the chart.
CHARTS_READ_FROM_THE_RIGHT = """() => {
  const wrong = [];
  for (const group of document.querySelectorAll("svg[role=img] g")) {
    const [label, rect, value] = group.children;
    if (!rect || rect.tagName !== "rect" || !value) continue;
    const bar = rect.getBoundingClientRect(), name = label.getBoundingClientRect(),
      figure = value.getBoundingClientRect();
    if (name.left < bar.right - 1) wrong.push(`label ${label.textContent} over its bar`);
    if (figure.right > bar.left + 1) wrong.push(`value ${value.textContent} over its bar`);
  }
  for (const svg of document.querySelectorAll("svg[role=img]")) {
    const box = svg.getBoundingClientRect();
    for (const text of svg.querySelectorAll("text")) {
      const own = text.getBoundingClientRect();
      if (own.width && (own.left < box.left - 1 || own.right > box.right + 1))
        wrong.push(`${text.textContent} outside its chart`);
    }
  }
  return wrong;
}"""


def test_the_map_and_its_charts_read_from_the_right(
    e2e, demo, coordinator, signed_in, context, page
):
    set_language(context, e2e.url, "ar")
    signed_in(coordinator)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        open_page(page, e2e.url + "/collaboration/map/?from=2023-12-01")
        assert page.locator("svg[aria-labelledby^='ties-chart-title'] rect").count() >= 1
        assert page.evaluate(CHARTS_READ_FROM_THE_RIGHT) == []
        right_to_left(page, width)
