"""The ten pages the house uses most, in Chromium at a phone's 360 px and a
desktop's 1280 px, in Danish and English, on the demo house: the page never
scrolls sideways, every tap target is at least 44 by 44 px (links in lists and
tables and check boxes included), and axe finds nothing.

The ten: the front page; the calendar as a month, a week and a list; one
activity; the offers; the actors; the rooms (residents, not signed in); the
booking form and my bookings (a member of an actor, signed in)."""

import pytest

from centre.models import User
from tests.e2e.conftest import (
    DESKTOP,
    LANGUAGES,
    PHONE,
    assert_accessible,
    fits,
    html_lang,
    open_page,
    set_language,
)

pytestmark = pytest.mark.e2e

PUBLIC = [
    "/",
    "/calendar/?view=month",
    "/calendar/?view=week",
    "/calendar/?view=list",
    "activity",  # the first activity the list links to
    "/offers/",
    "/actors/",
    "/rooms/",
]
SIGNED_IN = ["/bookings/new/", "/bookings/mine/"]


def _check_pages(page, base: str, paths: list[str], language: str) -> list[str]:
    """Every problem on every page at both widths, so one run names them all."""
    problems = []
    for width in (PHONE, DESKTOP):
        page.set_viewport_size({"width": width, "height": 800})
        for path in paths:
            if path == "activity":
                open_page(page, base + "/calendar/?view=list")
                path = page.locator("main a[href*='/calendar/activities/']").first.get_attribute(
                    "href"
                )
            open_page(page, base + path)
            assert html_lang(page) == language
            for check, args in ((fits, (page, width)), (assert_accessible, (page,))):
                try:
                    check(*args)
                except AssertionError as problem:
                    problems.append(f"{width}px {path}: {problem}")
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_residents_pages_fit_a_phone_and_a_desktop(e2e, demo, context, page, language):
    set_language(context, e2e.url, language)
    problems = _check_pages(page, e2e.url, PUBLIC, language)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_bookers_pages_fit_a_phone_and_a_desktop(e2e, demo, signed_in, context, page, language):
    signed_in(User.objects.get(email="forening@samhus.test"))
    set_language(context, e2e.url, language)
    problems = _check_pages(page, e2e.url, SIGNED_IN, language)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_design_page_and_the_houses_form_fit_too(
    e2e, demo, coordinator, signed_in, context, page, language
):
    """Where a coordinator sees the components (/design/) and picks the house's
    colour and logo: the colour input, the file input and the stacked tables."""
    signed_in(coordinator)
    set_language(context, e2e.url, language)
    problems = _check_pages(page, e2e.url, ["/design/", "/house/edit/", "/house/"], language)
    assert not problems, "\n".join(problems)
    # On the phone the sample table is a stack of cards, each cell naming its column.
    page.set_viewport_size({"width": PHONE, "height": 800})
    open_page(page, e2e.url + "/design/")
    cell = page.locator("#sample-caption ~ tbody td[data-label]").first
    assert cell.evaluate("td => getComputedStyle(td).display") == "grid"
    assert cell.evaluate("td => getComputedStyle(td, '::before').content") != "none"


def test_arrows_turn_round_right_to_left(e2e, coordinator, signed_in, context, page):
    """An icon that points along the line of reading is mirrored in Arabic, and
    only there; a symmetric one never is."""
    signed_in(coordinator)
    for language, mirrored in (("en", False), ("ar", True)):
        set_language(context, e2e.url, language)
        open_page(page, e2e.url + "/design/")
        arrow = page.locator(".icon-directional").first.evaluate(
            "svg => getComputedStyle(svg).transform"
        )
        assert arrow.startswith("matrix(-1") is mirrored, (language, arrow)
        plain = page.locator("svg.icon:not(.icon-directional)").first.evaluate(
            "svg => getComputedStyle(svg).transform"
        )
        assert plain == "none"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_collaboration_log_and_map_fit_a_phone(
    e2e, demo, coordinator, signed_in, context, page, language
):
    """The coordinator's collaboration log, its summary and the map: their lists
    stack into cards on a phone (a matrix of numbers scrolls inside its box)."""
    signed_in(coordinator)
    set_language(context, e2e.url, language)
    paths = ["/collaboration/", "/collaboration/map/summary/", "/collaboration/map/"]
    problems = _check_pages(page, e2e.url, paths, language)
    assert not problems, "\n".join(problems)
    page.set_viewport_size({"width": PHONE, "height": 800})
    open_page(page, e2e.url + "/collaboration/")
    cell = page.locator("main table.table-stack td[data-label]").first
    assert cell.evaluate("td => getComputedStyle(td).display") == "grid"
