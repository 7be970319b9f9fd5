"""axe-core WCAG 2.1 A/AA scans of Samhus's pages in Danish and English, in Chromium."""

from http import HTTPStatus
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.conftest import LANGUAGES, assert_accessible, html_lang, open_page, set_language

pytestmark = pytest.mark.e2e

PUBLIC_PAGES = [
    "/",
    "/privacy/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
]
SIGNED_IN_PAGES = [
    ("member", "/accounts/profile/"),
    ("coordinator", "/house/"),
    ("coordinator", "/house/edit/"),
    ("coordinator", "/house/hours/"),
    ("coordinator", "/house/closed-days/new/"),
    ("coordinator", "/accounts/2fa/"),
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_is_accessible(e2e, house_data, context, page, language, path):
    set_language(context, e2e.url, language)
    open_page(page, e2e.url + path)
    assert html_lang(page) == language
    assert_accessible(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_not_found_page_is_accessible(e2e, house_data, context, page, language):
    set_language(context, e2e.url, language)
    open_page(page, e2e.url + "/does-not-exist/", status=HTTPStatus.NOT_FOUND)
    assert html_lang(page) == language
    assert page.get_by_role("heading", level=1).is_visible()
    assert_accessible(page)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("persona", "path"), SIGNED_IN_PAGES)
def test_signed_in_page_is_accessible(
    e2e, house_data, signed_in, context, page, request, language, persona, path
):
    signed_in(request.getfixturevalue(persona))
    set_language(context, e2e.url, language)
    open_page(page, e2e.url + path)
    assert html_lang(page) == language
    assert_accessible(page)


def _no_horizontal_scroll(page, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width}px wide at a {width}px viewport"


def test_front_page_fits_a_narrow_phone(e2e, house_data, context, page):
    page.set_viewport_size({"width": 320, "height": 720})
    set_language(context, e2e.url, "da")
    open_page(page, e2e.url + "/")
    _no_horizontal_scroll(page, 320)
    assert_accessible(page)


def test_house_page_fits_a_narrow_phone(e2e, house_data, signed_in, coordinator, context, page):
    signed_in(coordinator)
    page.set_viewport_size({"width": 320, "height": 720})
    set_language(context, e2e.url, "da")
    open_page(page, e2e.url + "/house/")
    _no_horizontal_scroll(page, 320)
    assert_accessible(page)


def test_skip_link_is_first_and_moves_to_main(e2e, house_data, context, page):
    set_language(context, e2e.url, "da")
    open_page(page, e2e.url + "/")

    page.keyboard.press("Tab")
    focused = page.evaluate(
        "({cls: document.activeElement.className, href: document.activeElement.getAttribute('href'),"
        " text: document.activeElement.textContent.trim()})"
    )
    assert focused == {"cls": "skip-link", "href": "#main", "text": "Gå til indholdet"}
    assert page.locator(".skip-link").is_visible(), "the skip link must show when focused"

    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main'")
    assert page.evaluate("location.hash") == "#main"
    # #main is scrolled to the top, or as close as a short page allows.
    assert page.evaluate(
        """() => {
            const top = document.getElementById('main').getBoundingClientRect().top;
            const atBottom = window.scrollY + window.innerHeight
                >= document.documentElement.scrollHeight - 1;
            return top <= 1 || (atBottom && top < window.innerHeight);
        }"""
    ), "focus moved to #main but it was not scrolled into view"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_demo_house_front_page_is_accessible(e2e, context, page, language):
    """The demo data itself (long Danish names, the real week) passes axe in both languages."""
    call_command("demo", "--no-serve", stdout=StringIO())
    set_language(context, e2e.url, language)
    page.goto(e2e.url + "/")
    assert html_lang(page) == language
    expect(page.get_by_role("heading", level=1)).to_have_text("Kvarterhuset på Motalavej")
    assert_accessible(page)
