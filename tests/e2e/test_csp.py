"""The Content-Security-Policy holds in Chromium: no page the house uses, the
htmx calendar, the lobby screen and the embeddable calendar included, does
anything the policy refuses."""

import pytest

from tests.e2e.conftest import open_page

pytestmark = pytest.mark.e2e

RECORD = (
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation',"
    " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
)


def violations(page) -> list[str]:
    return page.evaluate("window.__csp")


def test_pages_break_no_rule_of_the_policy(e2e, demo, page):
    page.add_init_script(RECORD)
    for path in [
        "/",
        "/calendar/",
        "/calendar/?view=list",
        "/calendar/?embed=1",
        "/screen/",
        "/rooms/",
        "/actors/",
        "/offers/",
        "/accounts/login/",
        "/house-rules/",
        "/collaboration/figures/",
        "/privacy/",
    ]:
        open_page(page, e2e.url + path)
        page.wait_for_timeout(200)
        assert violations(page) == [], path
    # htmx swaps the calendar under the policy.
    open_page(page, e2e.url + "/calendar/")
    page.locator("nav.cal-nav a[rel=next]").click()
    page.wait_for_timeout(500)
    assert "date=" in page.url
    assert violations(page) == []


def test_the_houses_own_colour_is_applied_within_the_policy(e2e, house_data, page):
    """The one inline <style>, the house's colour, carries the nonce: Chromium
    applies it to the header and the buttons and reports nothing."""
    from centre.models import Centre
    from tests.e2e.conftest import assert_accessible

    Centre.objects.filter(pk=1).update(brand_colour="#6b2c91")
    page.add_init_script(RECORD)
    for path in ["/", "/calendar/?view=list", "/rooms/"]:
        open_page(page, e2e.url + path)
        page.wait_for_timeout(100)
        assert violations(page) == [], path
        header = page.evaluate(
            "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
        )
        assert header == "rgb(107, 44, 145)", path
        assert_accessible(page)
