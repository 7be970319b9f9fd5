"""The directory, the offer overview and the actors' own pages in Chromium:
axe-core in Danish and English, on the demo house's data, for each role."""

from http import HTTPStatus

import pytest
from playwright.sync_api import expect

from actors.models import Actor, Invitation, Offer
from centre.models import User
from tests.e2e.conftest import LANGUAGES, assert_accessible, html_lang, open_page, set_language

pytestmark = pytest.mark.e2e

PUBLIC = [
    "/actors/",
    "/actors/?sector=municipal&target=youth",
    "/actors/kvindeforum/",
    "/offers/",
    "/offers/?language=ar&theme=advice",
]
COORDINATOR = [
    "/actors/new/",
    "/actors/kvindeforum/edit/",
    "/actors/kvindeforum/members/",
    "/actors/kvindeforum/offers/new/",
    "/offers/lists/",
]


# One test per language walks all pages: the demo house loads once per test.
@pytest.mark.parametrize("language", LANGUAGES)
def test_public_actor_pages_are_accessible(e2e, demo, context, page, language):
    set_language(context, e2e.url, language)
    for path in PUBLIC:
        open_page(page, e2e.url + path)
        assert html_lang(page) == language
        assert_accessible(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_management_pages_are_accessible(
    e2e, demo, coordinator, signed_in, context, page, language
):
    signed_in(coordinator)
    set_language(context, e2e.url, language)
    for path in COORDINATOR:
        open_page(page, e2e.url + path)
        assert html_lang(page) == language
        assert_accessible(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_offer_form_and_my_actors_are_accessible(
    e2e, demo, signed_in, coordinator, context, page, language
):
    set_language(context, e2e.url, language)
    signed_in(User.objects.get(email="forening@samhus.test"))
    open_page(page, e2e.url + "/my-actors/")
    assert_accessible(page)
    context.clear_cookies()
    set_language(context, e2e.url, language)
    signed_in(coordinator)
    offer = Offer.objects.get(title="Kvindecafé")
    open_page(page, f"{e2e.url}/offers/{offer.pk}/edit/")
    assert_accessible(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_invitation_pages_are_accessible(e2e, demo, signed_in, context, page, language):
    member = User.objects.get(email="forening@samhus.test")
    invitation = Invitation.objects.create(
        actor=Actor.objects.get(slug="basen"), email=member.email, role="member"
    )
    set_language(context, e2e.url, language)
    signed_in(member)
    open_page(page, e2e.url + invitation.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("button").filter(has_text="Basen").click()
    expect(page).to_have_url(e2e.url + "/actors/basen/")
    # Used once: the link now explains itself, with 410.
    open_page(page, e2e.url + invitation.get_absolute_url(), status=HTTPStatus.GONE)
    assert_accessible(page)


def test_actor_pages_fit_a_narrow_phone(e2e, demo, coordinator, signed_in, context, page):
    page.set_viewport_size({"width": 320, "height": 720})
    signed_in(coordinator)
    set_language(context, e2e.url, "da")
    for path in ["/offers/", "/actors/", "/actors/kvindeforum/", "/actors/kvindeforum/members/"]:
        open_page(page, e2e.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{path} is {width}px wide at 320px"
        assert_accessible(page)


def test_filtering_offers_works_without_javascript(e2e, demo, browser):
    context = browser.new_context(java_script_enabled=False, locale="da-DK")
    page = context.new_page()
    page.goto(e2e.url + "/offers/")
    page.get_by_label("Målgruppe").select_option(label="Kvinder")
    page.get_by_role("button", name="Vis").click()
    expect(page).to_have_url(e2e.url + "/offers/?q=&target=women&theme=&language=&actor=")
    titles = page.locator(".offer h3").all_inner_texts()
    assert "Kvindecafé" in titles
    assert "Fodbold i hallen" not in titles
    context.close()
