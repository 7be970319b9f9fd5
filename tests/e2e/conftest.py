"""Shared fixtures for Samhus's real-browser tests.

The tests drive the Debian Chromium through pytest-playwright against
pytest-django's ``live_server``. Without Chromium they are skipped, unless
SAMHUS_REQUIRE_E2E=1 (CI sets it): then a missing browser is an error.
"""

import os

# Playwright's sync API runs an asyncio loop in the test thread; Django would
# otherwise refuse the ORM calls the tests make next to it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import datetime
import json
from pathlib import Path

import axe_playwright_python
import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from centre.models import Centre
from centre.services import public_holidays_fill
from tests.conftest import chromium_path
from tests.factories import open_weekdays, opening_hours

AXE_JS = Path(axe_playwright_python.__file__).parent / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LANGUAGES = ["da", "en"]
PHONE, DESKTOP = 360, 1280  # px: a small phone and a desktop
TAP = 44  # px

# Every control a finger may aim at, in the header, the page and the footer. A
# link inside a sentence is WCAG 2.5.5's "inline" exception and is left out.
TAP_TARGETS = """(scopes) => {
  const selector = ['a', 'button', 'summary', 'select', 'input:not([type=hidden])', 'textarea']
    .flatMap(tag => scopes.map(scope => scope + ' ' + tag)).join(',');
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    if (!el.checkVisibility() || (box.width === 0 && box.height === 0)) continue;
    if (el.tagName === 'A' && getComputedStyle(el).display === 'inline') {
      const sentence = el.closest('p');
      if (sentence && sentence.textContent.trim().length > el.textContent.trim().length + 2) continue;
    }
    if (box.width < 44 || box.height < 44) {
      small.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 40)}" `
        + `${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}"""


def _e2e_required() -> bool:
    return os.environ.get("SAMHUS_REQUIRE_E2E", "").strip() == "1"


def _no_chromium(reason: str) -> None:
    if _e2e_required():
        pytest.fail(f"{reason} SAMHUS_REQUIRE_E2E=1, so the browser tests may not be skipped.")
    pytest.skip(f"{reason} Install the Debian package 'chromium' to run the browser tests.")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch options, pointed at the system Chromium."""
    path = chromium_path()
    if path is None:
        _no_chromium("No Chromium found (looked in /usr/lib/chromium, /usr/bin and PATH).")
    return {**browser_type_launch_args, "executable_path": path}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A browser in Copenhagen that asks for Danish, like most of the house's visitors."""
    return {**browser_context_args, "locale": "da-DK", "timezone_id": "Europe/Copenhagen"}


@pytest.fixture(scope="session", autouse=True)
def _chromium_present():
    # Session-scoped and autouse, so it is decided before live_server and the test
    # database are set up: a machine without Chromium skips quickly, for one clear reason.
    if chromium_path() is None:
        _no_chromium("No Chromium found (looked in /usr/lib/chromium, /usr/bin and PATH).")


@pytest.fixture
def e2e(transactional_db, live_server):
    """The live server with a database its thread can see. Request it before personas."""
    return live_server


@pytest.fixture
def signed_in(e2e, context):
    """Put a signed-in session for ``user`` into the browser context, skipping the form."""

    def sign_in(user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": e2e.url}]
        )
        return user

    return sign_in


def set_language(context, url: str, language: str) -> None:
    """Choose the interface language the way the switcher's cookie does."""
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": url}])


def open_menu(page) -> None:
    """Open a signed-in person's menu (a <details> disclosure) by clicking it."""
    menu = page.locator("details.menu")
    if menu.get_attribute("open") is None:
        page.locator("summary.menu-button").click()
    page.wait_for_selector("details.menu[open] .menu-panel", state="visible")


def html_lang(page) -> str:
    return page.evaluate("document.documentElement.lang")


def _format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'no impact given'}): "
            f"{violation['help']}"
        )
        for node in violation.get("nodes", []):
            lines.append(f"    at {json.dumps(node.get('target'))}")
            summary = (node.get("failureSummary") or "").strip().replace("\n", " ")
            if summary:
                lines.append(f"       {summary}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Run axe-core's WCAG 2.1 A/AA rules on the current page; fail listing every violation."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the browser's debugging protocol, which the page's
        # Content-Security-Policy does not govern: a <script> tag would be refused.
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    violations = results["violations"]
    assert not violations, (
        f"axe found {len(violations)} accessibility violation(s) on {page.url}:\n"
        + _format_violations(violations)
    )


@pytest.fixture
def house_data(e2e):
    """A front page worth scanning: the house's details, a week of hours and the holidays."""
    Centre.objects.update_or_create(
        pk=1,
        defaults={
            "name": "Samhus Nørrebro",
            "tagline": "Et hus for hele kvarteret",
            "description": "Foreninger, beboere og frivillige mødes her.\n\nAlle er velkomne.",
            "address": "Husvej 12",
            "postcode": "2200",
            "city": "København N",
            "phone": "33 12 34 56",
            "email": "kontakt@samhus.example.org",
        },
    )
    open_weekdays()
    opening_hours([5], (datetime.time(10), datetime.time(14)))
    year = timezone.localdate().year
    public_holidays_fill(years=[year, year + 1])


def open_page(page, url: str, status: int = 200):
    """Go to a page and insist it answered itself: a redirect (to sign-in, to
    two-factor setup) would mean checking the wrong page."""
    response = page.goto(url)
    assert response is not None
    assert response.status == status, f"{url} answered {response.status}"
    assert response.url == url, f"{url} ended on {response.url}"
    return response


@pytest.fixture
def demo(e2e):
    """The demo house, loaded into the live server's database."""
    from io import StringIO

    from django.core.management import call_command

    call_command("demo", "--no-serve", "--force", stdout=StringIO())


def fits(page, width: int, scopes=("header", "main", "footer")) -> None:
    """The page does not scroll sideways at ``width`` and every tap target in
    ``scopes`` is at least 44 by 44 px."""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll}px wide at a {width}px viewport"
    small = page.evaluate(TAP_TARGETS, list(scopes))
    assert not small, f"tap targets under {TAP}x{TAP}px at {width}px on {page.url}: {small}"
