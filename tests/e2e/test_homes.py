"""Each role's home and the navigation in Chromium, at a phone's 360 px and a
desktop's 1280 px, in Danish and English: the page never scrolls sideways, a
signed-in header is at most 100 px tall on the phone, every tap target is at
least 44 by 44 px (links in lists included), and axe finds nothing, with the
menu closed and open. One browser for the run; each test a fresh context."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actors.models import Membership, Offer
from bookings.models import Status
from collaboration.models import DigestDelivery, HouseRule, Meeting
from tests.e2e.conftest import (
    DESKTOP,
    LANGUAGES,
    PHONE,
    assert_accessible,
    fits,
    html_lang,
    open_menu,
    open_page,
    set_language,
)
from tests.factories import (
    BookingFactory,
    MembershipFactory,
    OfferFactory,
    RoomFactory,
    in_days,
    log_collaboration,
)

pytestmark = pytest.mark.e2e

HEADER_LIMIT = 100  # px, a signed-in header on a phone


@pytest.fixture
def homes_world(house_data, coordinator, booker, council_member, actor, other_actor, other_booker):
    """Something to count on every home: requests, bookings, a collaboration to
    confirm, an offer untouched for a year, a meeting, a rule and a digest sent.
    The house's name is the demo's, long enough to wrap on a phone."""
    from centre.models import Centre

    Centre.objects.filter(pk=1).update(name="Kvarterhuset på Motalavej")
    room = RoomFactory(name="Multisalen", slug="multisalen")
    BookingFactory(room=room, actor=actor, title="Kvindecafé", start=in_days(1, 10))
    BookingFactory(
        room=room, actor=actor, title="Sommerfest", start=in_days(3, 14), status=Status.REQUESTED
    )
    log_collaboration(other_booker, other_actor, actor, title="Fælles lektiecafé")
    offer = OfferFactory(actor=actor, title="Strikkeklub")
    Offer.objects.filter(pk=offer.pk).update(updated=timezone.now() - datetime.timedelta(days=400))
    Meeting.objects.create(date=timezone.localdate() + datetime.timedelta(days=6), title="Husråd")
    HouseRule.objects.create(title="Ro efter kl. 22", text="Der er ro i huset efter kl. 22.")
    DigestDelivery.objects.create(
        period=timezone.localdate(),
        recipient=council_member,
        status=DigestDelivery.Status.SENT,
        sent_at=timezone.now(),
    )
    # The council member also acts for an actor, as the chair in the demo does.
    MembershipFactory(user=council_member, actor=actor, role=Membership.Role.ADMIN)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("persona", ["coordinator", "booker", "council_member"])
def test_each_roles_home_on_a_phone_and_a_desktop(
    e2e, homes_world, signed_in, context, page, request, persona, language
):
    signed_in(request.getfixturevalue(persona))
    set_language(context, e2e.url, language)
    for width in (PHONE, DESKTOP):
        page.set_viewport_size({"width": width, "height": 800})
        open_page(page, e2e.url + "/home/")
        assert html_lang(page) == language
        header = page.evaluate("document.querySelector('.site-header').offsetHeight")
        if width == PHONE:
            assert header <= HEADER_LIMIT, f"the header is {header}px tall at {width}px"
        fits(page, width)
        assert_accessible(page)

        open_menu(page)
        panel = page.locator(".menu-panel")
        my_home = "Mit hjem" if language == "da" else "My home"
        expect(panel.get_by_role("link", name=my_home, exact=True)).to_be_visible()
        fits(page, width)
        assert_accessible(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_residents_see_at_most_five_items_and_no_menu(e2e, house_data, context, page, language):
    set_language(context, e2e.url, language)
    for width in (PHONE, DESKTOP):
        page.set_viewport_size({"width": width, "height": 800})
        open_page(page, e2e.url + "/")
        assert page.locator(".site-nav a").count() <= 5
        assert page.locator("details.menu").count() == 0
        assert page.evaluate(
            "[...document.querySelectorAll('.site-nav a, .site-header a')]"
            ".every(a => getComputedStyle(a).textDecorationLine === 'none')"
        ), "navigation items are not underlined"
        fits(page, width, scopes=["header"])  # the front page itself is another issue's
        assert_accessible(page)


def test_the_menu_opens_without_javascript(e2e, house_data, booker, browser):
    context = browser.new_context(java_script_enabled=False, locale="da-DK")
    try:
        signed_in_page = context.new_page()
        from django.conf import settings
        from django.test import Client

        client = Client()
        client.force_login(booker)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": e2e.url,
                }
            ]
        )
        signed_in_page.goto(e2e.url + "/home/")
        expect(
            signed_in_page.get_by_role("link", name="Mine aktørers bookinger", exact=True)
        ).to_be_hidden()
        signed_in_page.locator("summary.menu-button").click()
        expect(
            signed_in_page.get_by_role("link", name="Mine aktørers bookinger", exact=True)
        ).to_be_visible()
    finally:
        context.close()


# --- the error summary ------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_form_with_errors_shows_the_summary_with_the_focus(
    e2e, house_data, signed_in, coordinator, context, page, language
):
    signed_in(coordinator)
    set_language(context, e2e.url, language)
    page.set_viewport_size({"width": PHONE, "height": 740})
    open_page(page, e2e.url + "/house/closed-days/new/")
    page.locator("#id_date").fill("1925-06-01")
    page.locator("#id_name").fill("")
    # The server's checks, not the browser's: as an older browser would send it.
    page.evaluate("document.querySelector('main form').noValidate = true")
    page.locator("main form button[type=submit]").first.click()

    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    assert (
        page.evaluate("document.querySelector('.error-summary').getBoundingClientRect().top") < 740
    )
    links = summary.locator("a")
    expect(links).to_have_count(2)
    links.first.click()
    expect(page.locator("#id_date")).to_be_focused()
    fits(page, PHONE, scopes=[".error-summary"])
    assert_accessible(page)


def test_the_summary_has_the_focus_without_javascript(e2e, house_data, browser):
    context = browser.new_context(java_script_enabled=False, locale="da-DK")
    try:
        page = context.new_page()
        page.goto(e2e.url + "/accounts/signup/")
        page.locator("#id_email").fill("ikke-en-adresse@x")
        page.locator("#id_password1").fill("et-langt-kodeord-1")
        page.locator("#id_password2").fill("et-andet-kodeord-2")
        page.locator("main form button[type=submit]").first.click()
        expect(page.locator(".error-summary")).to_be_focused()
        expect(page.locator(".error-summary a[href='#id_email']")).to_be_visible()
    finally:
        context.close()
