"""The map of the house in Chromium on the demo house: axe-core in Danish and
English on the map, the summaries and the public figures; the CSV download;
the summary on paper; and who is let in."""

import pytest
from playwright.sync_api import expect

from centre.models import User
from tests.e2e.conftest import LANGUAGES, assert_accessible, html_lang, open_page, set_language

pytestmark = pytest.mark.e2e


def charts_are_named(page) -> None:
    """Every chart is an image with a name, and tables with captions stand beside them."""
    charts = page.locator("svg[role='img']")
    assert charts.count() >= 1
    for index in range(charts.count()):
        labelled_by = charts.nth(index).get_attribute("aria-labelledby").split()
        assert page.locator(f"[id='{labelled_by[0]}']").text_content().strip()
    assert page.locator("table caption").count() >= charts.count()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_coordinator_reads_the_map(e2e, demo, coordinator, signed_in, context, page, language):
    set_language(context, e2e.url, language)
    signed_in(coordinator)
    open_page(page, e2e.url + "/collaboration/map/")
    assert html_lang(page) == language
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    charts_are_named(page)
    network = page.locator("svg[aria-labelledby='network-title']")
    expect(network).to_be_visible()
    assert network.locator("line").count() >= 1
    assert_accessible(page)

    # Three years through the filter form: the same page, more figures.
    page.locator("#filter-from").fill("2023-12-01")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**from=2023-12-01**")
    charts_are_named(page)
    assert_accessible(page)

    for path in ["/collaboration/map/summary/", "/collaboration/map/summary/?actor=kvindeforum"]:
        open_page(page, e2e.url + path)
        assert html_lang(page) == language
        assert_accessible(page)


def test_the_csv_downloads_with_the_filters(e2e, demo, coordinator, signed_in, context, page):
    set_language(context, e2e.url, "en")
    signed_in(coordinator)
    open_page(page, e2e.url + "/collaboration/map/?from=2025-01-01&to=2025-12-31&form=videndele")
    link = page.locator("a[href*='map.csv']")
    assert "form=videndele" in link.get_attribute("href")
    with page.expect_download() as download_info:
        link.click()
    name = download_info.value.suggested_filename
    assert name == "collaboration-map-2025-01-01_2025-12-31_videndele.csv"


def test_the_summary_prints_without_menus_or_form(e2e, demo, coordinator, signed_in, context, page):
    set_language(context, e2e.url, "da")
    signed_in(coordinator)
    open_page(page, e2e.url + "/collaboration/map/summary/")
    expect(page.locator(".site-header")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("form.filters")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_member_sees_the_map_and_only_its_own_summary(
    e2e, demo, signed_in, context, page, language
):
    set_language(context, e2e.url, language)
    signed_in(User.objects.get(email="forening@samhus.test"))  # Kvindeforum
    open_page(page, e2e.url + "/collaboration/map/")
    assert_accessible(page)
    open_page(page, e2e.url + "/collaboration/map/summary/?actor=kvindeforum")
    assert_accessible(page)
    open_page(page, e2e.url + "/collaboration/map/summary/?actor=cafe-sumak", status=404)


@pytest.mark.parametrize("language", LANGUAGES)
def test_everyone_sees_the_figures_and_only_the_figures(e2e, demo, context, page, language):
    set_language(context, e2e.url, language)
    open_page(page, e2e.url + "/collaboration/figures/")
    assert html_lang(page) == language
    charts_are_named(page)
    assert "Kvindeforum" not in page.locator("main").text_content()
    assert_accessible(page)
    page.goto(e2e.url + "/collaboration/map/")
    assert "/accounts/login/" in page.url
