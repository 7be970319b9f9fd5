"""The activity calendar, an activity's page, the embeddable view and the
front page in Chromium: axe-core in Danish and English, htmx swapping only
the calendar, the same filters and periods without JavaScript, the month as a
list on a phone, internal bookings for members only, the .ics download, and
the embedded calendar framed by another site."""

import datetime
import http.server
import re
import threading

import pytest
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from icalendar import Calendar
from playwright.sync_api import expect

from actors.models import TargetGroup, Theme
from actors.vocabulary import TARGET_GROUPS, THEMES, seed
from bookings import services
from bookings.models import Status, Visibility
from tests.e2e.conftest import LANGUAGES, assert_accessible, html_lang, open_page, set_language
from tests.factories import BookingFactory, RoomFactory, local

pytestmark = pytest.mark.e2e

HOUR = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)
# The month's regulars, on days every month has: (day, room, title).
REGULARS = [
    (3, "cafeen", "Lektiecafé"),
    (10, "salen", "Fællesspisning"),
    (17, "cafeen", "Kvindecafé"),
    (24, "salen", "Familiefodbold"),
]
IN_THE_CAFE = {"Lektiecafé", "Kvindecafé"}


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    return (first_of_month(day) + datetime.timedelta(days=32)).replace(day=1)


def month_title(day: datetime.date, language: str = "da") -> str:
    with translation.override(language):
        return date_format(day, "F Y").capitalize()


def day_label(day: datetime.date, language: str = "da") -> str:
    with translation.override(language):
        return date_format(day, "l j. F").capitalize()


def titles(scope) -> set[str]:
    """The titles of the activities listed in ``scope`` (a page, frame or locator)."""
    return set(scope.locator("#calendar .cal-item .cal-title").all_inner_texts())


@pytest.fixture
def calendar_house(e2e, house_data, actor, other_actor, coordinator):
    """A month with content: regulars in the café and the hall, a weekly series
    with target groups, something on now, later today and this week, a
    cancelled date, and each actor's internal meeting."""
    # A transactional test database loses the migration's rows after the first test.
    seed(TargetGroup, TARGET_GROUPS)
    seed(Theme, THEMES)
    rooms = {
        "cafeen": RoomFactory(name="Caféen", slug="cafeen"),
        "salen": RoomFactory(name="Salen", slug="salen"),
        "vaerkstedet": RoomFactory(name="Værkstedet", slug="vaerkstedet"),
        "multisalen": RoomFactory(name="Multisalen", slug="multisalen"),
    }
    today = timezone.localdate()
    first = first_of_month(today)
    regulars = {}
    for day, room, title in REGULARS:
        date = first.replace(day=day)
        regulars[title] = BookingFactory(
            room=rooms[room],
            actor=actor if room == "cafeen" else other_actor,
            title=title,
            start=local(date, 17),
            end=local(date, 19),
        )
    internal_day = first.replace(day=12)
    internal = BookingFactory(
        room=rooms["cafeen"],
        actor=actor,
        title="Bestyrelsesmøde",
        start=local(internal_day, 10),
        end=local(internal_day, 11),
        visibility=Visibility.INTERNAL,
    )
    others_internal = BookingFactory(
        room=rooms["salen"],
        actor=other_actor,
        title="Personalemøde",
        start=local(internal_day, 9),
        end=local(internal_day, 10),
        visibility=Visibility.INTERNAL,
    )
    now = timezone.now()
    hall = rooms["multisalen"]
    on_now = BookingFactory(
        room=hall,
        actor=other_actor,
        title="Morgenyoga",
        start=now - 30 * MINUTE,
        end=now + 30 * MINUTE,
    )
    midnight = local(today + datetime.timedelta(days=1), 0)
    later = None
    if midnight - now > 2 * HOUR:
        later = BookingFactory(
            room=hall, actor=actor, title="Sangaften", start=now + HOUR, end=now + 90 * MINUTE
        )
    this_week = BookingFactory(
        room=hall,
        actor=other_actor,
        title="Ungdomsaften",
        open_to_whole_city=True,
        start=local(today + datetime.timedelta(days=2), 17),
        end=local(today + datetime.timedelta(days=2), 19),
    )
    cancelled = BookingFactory(
        room=hall,
        actor=actor,
        title="Banko",
        status=Status.CANCELLED,
        cancelled_at=now,
        start=local(today + datetime.timedelta(days=3), 17),
        end=local(today + datetime.timedelta(days=3), 19),
    )
    tomorrow = today + datetime.timedelta(days=1)
    series = services.series_request(
        by=coordinator,
        room=rooms["vaerkstedet"],
        actor=actor,
        title="Strikkeklub",
        rule="FREQ=WEEKLY",
        first_day=tomorrow,
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        until=tomorrow + datetime.timedelta(weeks=8),
        description="Garn, kaffe og snak.\n\nAlle er velkomne.",
        override=True,
        target_groups=list(TargetGroup.objects.filter(slug__in=["women", "seniors"])),
        themes=list(Theme.objects.filter(slug="culture")),
    )
    return {
        "rooms": rooms,
        "regulars": regulars,
        "internal": internal,
        "others_internal": others_internal,
        "on_now": on_now,
        "later": later,
        "this_week": this_week,
        "cancelled": cancelled,
        "series_first": series.occurrences.order_by("start").first(),
    }


# 1. axe-core in both languages


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_calendar_pages_are_accessible(e2e, calendar_house, context, page, language):
    set_language(context, e2e.url, language)
    url = e2e.url
    month_with_regulars = first_of_month(timezone.localdate()).isoformat()

    open_page(page, f"{url}/calendar/")
    assert html_lang(page) == language
    expect(page.locator("#calendar-title")).to_have_text(
        month_title(timezone.localdate(), language)
    )
    assert {title for _, _, title in REGULARS} <= titles(page)
    assert_accessible(page)

    open_page(page, f"{url}/calendar/?view=week")
    expect(page.locator(".cal-days.cal-week section.cal-dayblock")).to_have_count(7)
    assert_accessible(page)

    open_page(page, f"{url}/calendar/?view=list")
    # The list holds the coming fortnight's days with activities, the cancelled date marked.
    assert {"Ungdomsaften", "Banko"} <= titles(page)
    expect(page.locator("#calendar .cal-item.is-cancelled .badge-cancelled")).to_have_count(1)
    assert_accessible(page)

    # An unknown filter value is named as such and left out.
    open_page(page, f"{url}/calendar/?view=month&date={month_with_regulars}&room=findes-ikke")
    expect(page.locator("details.cal-filters")).to_have_attribute("open", "")
    error = page.locator("#id_room-error")
    expect(error).to_be_visible()
    expect(error).not_to_be_empty()
    expect(page.locator("#id_room")).to_have_attribute("aria-invalid", "true")
    assert {title for _, _, title in REGULARS} <= titles(page)
    assert_accessible(page)

    activity = calendar_house["series_first"]
    open_page(page, f"{url}/calendar/activities/{activity.pk}/")
    expect(page.locator("h1")).to_have_text("Strikkeklub")
    expect(page.locator("#series-heading")).to_be_visible()
    expect(page.locator(".facts .tags li")).to_have_count(2)
    assert_accessible(page)

    open_page(page, f"{url}/calendar/?embed=1")
    assert html_lang(page) == language
    expect(page.locator("#calendar")).to_be_visible()
    assert_accessible(page)


def test_the_front_page_shows_now_this_week_and_cancelled(e2e, calendar_house, context, page):
    set_language(context, e2e.url, "da")
    open_page(page, f"{e2e.url}/")
    right_now = page.locator("section[aria-labelledby=now-heading]").inner_text()
    assert "Morgenyoga" in right_now
    assert (calendar_house["later"] is None) == ("Sangaften" not in right_now)
    this_week = page.locator("section[aria-labelledby=week-heading]")
    highlight = this_week.locator(".cal-highlights .cal-item", has_text="Ungdomsaften")
    expect(highlight.locator("a")).to_have_attribute(
        "href", f"/calendar/activities/{calendar_house['this_week'].pk}/"
    )
    expect(highlight.locator(".badge")).to_have_count(1)  # open to the whole city
    expect(this_week.locator(".is-cancelled")).to_contain_text("Banko")
    assert "Bestyrelsesmøde" not in page.content()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_front_page_is_accessible(e2e, calendar_house, context, page, language):
    set_language(context, e2e.url, language)
    open_page(page, f"{e2e.url}/")
    assert html_lang(page) == language
    right_now = page.locator("section[aria-labelledby=now-heading]")
    expect(right_now.locator(".cal-items > li.cal-item > a")).to_contain_text(["Morgenyoga"])
    assert "<li" not in right_now.inner_text()
    assert_accessible(page)


# 2. With JavaScript: htmx swaps only the calendar


def test_next_swaps_only_the_calendar_and_back_returns(e2e, calendar_house, context, page):
    set_language(context, e2e.url, "da")
    start_url = f"{e2e.url}/calendar/"
    today = timezone.localdate()
    following = next_month(today)
    open_page(page, start_url)
    expect(page.locator("#calendar-title")).to_have_text(month_title(today))
    assert "Lektiecafé" in titles(page)
    page.evaluate("window.__marker = 1")

    with page.expect_response(re.compile(r"/calendar/\?.*date=")) as answer:
        page.locator("nav.cal-nav a[rel=next]").click()
    assert answer.value.request.headers.get("hx-request") == "true"
    assert "<html" not in answer.value.text(), "htmx asked for the calendar region only"
    expect(page.locator("#calendar-title")).to_have_text(month_title(following))
    expect(page).to_have_url(re.compile(rf"date={following.isoformat()}"))
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"
    assert "Lektiecafé" not in titles(page)
    expect(page.locator("#calendar")).to_have_count(1)
    # The reader is told: the title follows, the new period is announced, focus is on its heading.
    expect(page).to_have_title(re.compile(re.escape(month_title(following))))
    expect(page.locator("#calendar-announcement")).to_contain_text(month_title(following))
    expect(page.locator("#calendar-title")).to_be_focused()

    page.go_back()
    expect(page).to_have_url(start_url)
    expect(page.locator("#calendar-title")).to_have_text(month_title(today))
    assert "Lektiecafé" in titles(page)
    assert page.evaluate("window.__marker") == 1, "going back reloaded the page"
    expect(page.locator("#calendar")).to_have_count(1)


def test_choosing_a_room_filters_without_reloading(e2e, calendar_house, context, page):
    set_language(context, e2e.url, "da")
    today = timezone.localdate()
    open_page(page, f"{e2e.url}/calendar/?date={first_of_month(today).isoformat()}")
    assert titles(page) > IN_THE_CAFE
    page.evaluate("window.__marker = 1")
    page.locator(".cal-filters summary").click()

    with page.expect_response(re.compile(r"room=cafeen")) as answer:
        page.locator("#id_room").select_option("cafeen")
    assert answer.value.request.headers.get("hx-request") == "true"
    expect(page).to_have_url(re.compile(r"[?&]room=cafeen(&|$)"))
    expect(page.locator("#calendar .cal-item")).to_have_count(len(IN_THE_CAFE))
    assert titles(page) == IN_THE_CAFE
    for meta in page.locator("#calendar .cal-item .cal-meta").all_inner_texts():
        assert meta.startswith("Caféen ·")
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"
    # The swapped-in form keeps the choice and names it in the summary.
    expect(page.locator("#id_room")).to_have_value("cafeen")
    expect(page.locator(".cal-filters summary")).to_contain_text("Caféen")


# 3. Without JavaScript: a plain form and plain links


def test_the_filters_and_periods_work_without_javascript(
    e2e, calendar_house, browser, browser_context_args
):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    try:
        set_language(context, e2e.url, "da")
        page = context.new_page()
        today = timezone.localdate()
        open_page(page, f"{e2e.url}/calendar/")
        assert page.evaluate("typeof window.htmx") == "undefined"
        page.locator(".cal-filters summary").click()
        page.locator("#id_room").select_option("cafeen")
        # Selecting alone changes nothing without JavaScript: the button sends the form.
        assert "room=" not in page.url
        with page.expect_navigation():
            page.get_by_role("button", name="Vis", exact=True).click()
        assert re.search(r"[?&]room=cafeen(&|$)", page.url)
        assert titles(page) == IN_THE_CAFE
        expect(page.locator("#calendar-title")).to_have_text(month_title(today))

        following = next_month(today)
        with page.expect_navigation():
            page.locator("nav.cal-nav a[rel=next]").click()
        assert f"date={following.isoformat()}" in page.url
        assert "room=cafeen" in page.url, "the filter is kept from one period to the next"
        expect(page.locator("#calendar-title")).to_have_text(month_title(following))
        # The café has nothing next month (the series is in the workshop).
        assert titles(page) == set()

        with page.expect_navigation():
            page.locator("nav.cal-nav a[rel=prev]").click()
        expect(page.locator("#calendar-title")).to_have_text(month_title(today))
        assert titles(page) == IN_THE_CAFE
    finally:
        context.close()


# 4. A phone reads the month as a list


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None
    return box


def test_the_month_is_a_list_on_a_narrow_screen(e2e, calendar_house, context, page):
    set_language(context, e2e.url, "da")
    today = timezone.localdate()
    third = first_of_month(today).replace(day=3)
    url = f"{e2e.url}/calendar/?date={third.isoformat()}"
    label = page.locator("td:has(.cal-title:text-is('Lektiecafé')) .cal-date")

    # On a wide screen the month is a table with the day's full date for screen readers only.
    open_page(page, url)
    expect(page.locator(".cal-month thead")).to_be_visible()
    assert _box(label)["width"] <= 1

    page.set_viewport_size({"width": 375, "height": 800})
    open_page(page, url)
    expect(page.locator(".cal-month thead")).to_be_hidden()
    expect(label).to_have_text(day_label(third))
    box = _box(label)
    assert box["width"] > 50 and box["height"] > 10, f"the date label is hidden: {box}"
    shown = page.evaluate(
        """() => [...document.querySelectorAll('.cal-month td')].map(td => ({
            empty: td.classList.contains('cal-empty'),
            shown: getComputedStyle(td).display !== 'none' && td.getClientRects().length > 0,
        }))"""
    )
    # Empty days are left out; days with activities are listed, the weeks' days
    # around the month too.
    assert all(not cell["shown"] for cell in shown if cell["empty"])
    busy = [cell for cell in shown if not cell["empty"]]
    assert len(busy) >= len(REGULARS)
    assert all(cell["shown"] for cell in busy)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)


# 5. Internal bookings


def test_members_see_their_actors_internal_booking_and_the_public_does_not(
    e2e, calendar_house, member, signed_in, context, page
):
    set_language(context, e2e.url, "da")
    day = timezone.localtime(calendar_house["internal"].start).date()
    url = f"{e2e.url}/calendar/?date={day.isoformat()}"

    open_page(page, url)
    content = page.content()
    assert "Bestyrelsesmøde" not in content
    assert "Personalemøde" not in content
    expect(page.locator(".badge-internal")).to_have_count(0)

    signed_in(member)
    open_page(page, url)
    item = page.locator("#calendar .cal-item", has_text="Bestyrelsesmøde")
    expect(item).to_have_count(1)
    expect(item.locator(".badge-internal")).to_have_text("Intern")
    expect(page.locator("#calendar .badge-internal")).to_have_count(1)
    # Another actor's internal meeting stays with that actor.
    assert "Personalemøde" not in page.content()
    assert_accessible(page)


# 6. An activity to one's own calendar


def test_an_activity_downloads_as_ics(e2e, calendar_house, context, page):
    set_language(context, e2e.url, "en")
    activity = calendar_house["series_first"]
    open_page(page, f"{e2e.url}/calendar/activities/{activity.pk}/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Add to my calendar").click()
    download = info.value
    assert download.suggested_filename == f"activity-{activity.pk}.ics"
    with open(download.path(), "rb") as ics:
        calendar = Calendar.from_ical(ics.read())
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    assert str(events[0]["SUMMARY"]) == "Strikkeklub"
    assert events[0].decoded("DTSTART") == activity.start
    assert str(events[0]["URL"]).endswith(f"/calendar/activities/{activity.pk}/")


# 7. The embeddable view, framed by another site


@pytest.fixture
def other_site(e2e):
    """Another site on this machine (127.0.0.1, while the live server is
    localhost) whose page frames the embeddable calendar. A real server: the
    browser refuses to frame a local address in a page it did not get from one."""
    pages = {}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def framing(src: str) -> str:
        pages["/"] = (
            '<!DOCTYPE html><html lang="da"><head><title>Kommunen</title></head><body>'
            f'<h1>Aktiviteter i kvarteret</h1><iframe src="{src}" title="Samhus"'
            ' width="1000" height="900"></iframe></body></html>'
        )
        return f"http://127.0.0.1:{server.server_port}/"

    yield framing
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_the_embedded_calendar_stays_in_its_frame(e2e, calendar_house, other_site, context, page):
    today = timezone.localdate()
    host = other_site(f"{e2e.url}/calendar/?embed=1&date={first_of_month(today)}")
    page.goto(host)
    calendar = page.frame_locator("iframe")
    expect(calendar.locator("#calendar-title")).to_have_text(month_title(today))
    frame = page.frame(url=re.compile(r"embed=1"))
    assert frame is not None
    # Only the calendar: no site header, menu or footer.
    expect(calendar.locator("header, footer, .site-header, .site-footer")).to_have_count(0)
    expect(calendar.locator("nav")).to_have_count(1)
    expect(calendar.locator("nav.cal-nav")).to_have_count(1)
    assert calendar.locator("base").get_attribute("target") == "_blank"

    # An activity opens on Samhus itself, in a new tab.
    activity = calendar_house["regulars"]["Lektiecafé"]
    with page.expect_popup() as popup_info:
        calendar.locator(".cal-item a", has_text="Lektiecafé").click()
    popup = popup_info.value
    popup.wait_for_load_state()
    assert popup.url == f"{e2e.url}/calendar/activities/{activity.pk}/"
    expect(popup.locator("header.site-header")).to_be_visible()
    popup.close()
    assert page.url == host

    # The calendar's own links stay in the frame.
    opened = []
    context.on("page", lambda new_page: opened.append(new_page))
    following = next_month(today)
    calendar.locator("nav.cal-nav a[rel=next]").click()
    expect(calendar.locator("#calendar-title")).to_have_text(month_title(following))
    assert f"date={following.isoformat()}" in frame.url
    assert "embed=1" in frame.url
    expect(calendar.locator("header, footer")).to_have_count(0)
    assert page.url == host
    assert opened == []
