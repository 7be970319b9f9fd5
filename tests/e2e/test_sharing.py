"""The sharing board in Chromium: axe-core on the board, the form and a post in
Danish and English, and the whole deal: one actor posts, another answers, the
poster marks it done and the resource exchange is logged for both."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from collaboration.models import Collaboration, Form, Participation, SharingPost
from collaboration.sharing import services as sharing
from tests.e2e.conftest import LANGUAGES, assert_accessible, html_lang, open_page, set_language
from tests.factories import ActorFactory, MembershipFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def people(e2e):
    """Two actors with a member each, and contact details to show."""
    cafe = ActorFactory(
        name="Café Fælles",
        slug="cafe-faelles",
        contact_email="cafe@example.org",
        contact_phone="33 11 22 33",
    )
    club = ActorFactory(name="Ungdomsklubben", slug="ungdomsklubben")
    return {
        "cafe": cafe,
        "club": club,
        "anna": MembershipFactory(actor=cafe, user__email="anna@example.org").user,
        "bo": MembershipFactory(actor=club, user__email="bo@example.org").user,
    }


def _some_posts(people):
    until = timezone.localdate() + datetime.timedelta(days=20)
    offer = sharing.post_create(
        by=people["anna"],
        actor=people["cafe"],
        direction="offer",
        category="room",
        title="Køkkenet om formiddagen",
        description="Mandag til onsdag 9–12.",
        expires_on=until,
    )
    sharing.post_create(
        by=people["bo"],
        actor=people["club"],
        direction="seek",
        category="volunteers",
        title="Frivillige til sommerfesten",
        description="",
        expires_on=until,
    )
    sharing.post_answer(
        by=people["bo"], post=offer, actor=people["club"], message="Vi vil gerne bage tirsdag."
    )
    return offer


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sharing_pages_are_accessible(e2e, people, signed_in, context, page, language):
    offer = _some_posts(people)
    set_language(context, e2e.url, language)
    signed_in(people["anna"])
    # The poster sees the post with its "mark as done" form; the board both ways.
    for path in [
        "/sharing/",
        "/sharing/?show=done",
        "/sharing/?category=room&direction=offer",
        "/sharing/new/",
        f"/sharing/{offer.pk}/",
    ]:
        open_page(page, e2e.url + path)
        assert html_lang(page) == language
        assert_accessible(page)
    # A form sent back with its errors.
    open_page(page, e2e.url + "/sharing/new/")
    page.locator("#id_expires_on").fill("2000-01-01")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".errorlist").first).to_be_visible()
    assert_accessible(page)
    # Another actor's member sees the answer form.
    context.clear_cookies()
    set_language(context, e2e.url, language)
    signed_in(people["bo"])
    open_page(page, f"{e2e.url}/sharing/{offer.pk}/")
    expect(page.locator("#id_message")).to_be_visible()
    assert_accessible(page)


def test_a_post_answered_and_done_becomes_a_resource_exchange(
    e2e, people, signed_in, context, page
):
    set_language(context, e2e.url, "en")
    signed_in(people["anna"])
    open_page(page, e2e.url + "/sharing/")
    page.get_by_role("link", name="Offer something").click()
    expect(page.get_by_label("We can lend, give or swap")).to_be_checked()
    page.get_by_label("What").select_option(label="Equipment")
    page.get_by_label("Title").fill("Popcornmaskine")
    page.get_by_label("Description").fill("Til fester og filmaftener.")
    until = timezone.localdate() + datetime.timedelta(days=10)
    page.get_by_label("Shown until").fill(until.isoformat())
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.locator("h1")).to_have_text("Popcornmaskine")
    # Written from an English page: the English column (Danish readers fall back to it).
    post = SharingPost.objects.get(title_en="Popcornmaskine")
    assert (post.actor, post.expires_on) == (people["cafe"], until)

    context.clear_cookies()
    set_language(context, e2e.url, "en")
    signed_in(people["bo"])
    open_page(page, e2e.url + "/sharing/")
    page.get_by_role("link", name="Popcornmaskine").click()
    expect(page.get_by_text("cafe@example.org")).to_be_visible()
    page.get_by_label("Message").fill("Må vi låne den fredag?")
    page.get_by_role("button", name="Send the answer").click()
    expect(page.get_by_text("Må vi låne den fredag?")).to_be_visible()
    expect(page.get_by_role("button", name="Mark as done")).to_have_count(0)

    context.clear_cookies()
    set_language(context, e2e.url, "en")
    signed_in(people["anna"])
    open_page(page, f"{e2e.url}/sharing/{post.pk}/")
    page.get_by_label("Done with").select_option(label="Ungdomsklubben")
    page.get_by_role("button", name="Mark as done").click()
    expect(page.locator("p.message-success")).to_contain_text("Done with Ungdomsklubben.")
    assert_accessible(page)

    collaboration = Collaboration.objects.get()
    assert collaboration.form == Form.RESOURCES
    assert collaboration.kind == Collaboration.Kind.SHARING_BOARD
    assert set(collaboration.actors.all()) == {people["cafe"], people["club"]}
    assert SharingPost.objects.get(pk=post.pk).collaboration == collaboration
    assert collaboration.participations.get(actor=people["club"]).status == (
        Participation.Status.PENDING
    )

    # The other actor finds the logged exchange from the post, waiting for its confirmation.
    context.clear_cookies()
    set_language(context, e2e.url, "en")
    signed_in(people["bo"])
    open_page(page, f"{e2e.url}/sharing/{post.pk}/")
    link = page.get_by_role("link", name="See the logged resource exchange")
    expect(link).to_have_attribute("href", f"/collaboration/{collaboration.pk}/")
    link.click()
    expect(page).to_have_url(f"{e2e.url}/collaboration/{collaboration.pk}/")
    expect(page.locator("h1")).to_have_text("Popcornmaskine")
