"""Room use in Chromium on the demo house: a coordinator reads the page in
Danish and English, axe-core finds nothing, the week view and the CSV link work."""

import pytest
from playwright.sync_api import expect

from centre.models import User
from tests.e2e.conftest import LANGUAGES, assert_accessible, html_lang, open_page, set_language

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_coordinator_reads_room_use(e2e, demo, coordinator, signed_in, context, page, language):
    set_language(context, e2e.url, language)
    signed_in(coordinator)
    open_page(page, e2e.url + "/house/room-use/")
    assert html_lang(page) == language
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # Every chart is an image with a name, and the figures are in tables beside it.
    charts = page.locator("svg[role='img']")
    assert charts.count() >= 1
    for index in range(charts.count()):
        labelled_by = charts.nth(index).get_attribute("aria-labelledby").split()
        assert page.locator(f"[id='{labelled_by[0]}']").text_content().strip()
    assert page.locator("table caption").count() >= 2
    expect(page.locator("table").get_by_role("link", name="Multisalen")).to_be_visible()
    assert_accessible(page)

    # The week view, reached through the form, and its CSV link for the same week.
    page.locator("#period").select_option("week")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**period=week**")
    assert_accessible(page)
    csv_link = page.locator("a[href*='room-use.csv']")
    href = csv_link.get_attribute("href")
    assert "period=week" in href
    with page.expect_download() as download_info:
        csv_link.click()
    download = download_info.value
    assert download.suggested_filename.startswith("room-use-week-")
    assert download.suggested_filename.endswith(".csv")


def test_a_member_is_refused(e2e, demo, signed_in, context, page):
    set_language(context, e2e.url, "en")
    signed_in(User.objects.get(email="forening@samhus.test"))
    open_page(page, e2e.url + "/house/room-use/", status=403)
