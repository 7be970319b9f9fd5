"""The house council in Chromium: axe-core on the council page, a rule, a meeting,
the forms and the public house rules in Danish and English, and a vote recorded
through the page, refused when it holds more votes than the council has members."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from collaboration import council
from collaboration.models import CouncilMember, HouseRule, Meeting
from tests.e2e.conftest import LANGUAGES, assert_accessible, html_lang, open_page, set_language
from tests.factories import ActorFactory, CouncilMemberFactory

pytestmark = pytest.mark.e2e


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def house(e2e, coordinator):
    """A chair, a member and a substitute; a coordinator; rules in each state; two meetings."""
    since = datetime.date(2025, 1, 1)
    chair = CouncilMemberFactory(
        role=CouncilMember.Role.CHAIR,
        since=since,
        user__name="Hanne Holm",
        actor=ActorFactory(name="Beboerdemokratiet", slug="beboerdemokratiet"),
    ).user
    CouncilMemberFactory(
        since=since, user__name="Ali Said", actor=ActorFactory(name="Café Fælles", slug="cafe")
    )
    CouncilMemberFactory(
        role=CouncilMember.Role.SUBSTITUTE,
        since=since,
        until=days(-10),
        user__name="Bo Berg",
        actor=ActorFactory(name="Ungdomsklubben", slug="ungdomsklubben"),
    )
    held = Meeting.objects.create(
        date=days(-7),
        title="Husrådsmøde",
        agenda="1. Velkommen\n2. Køkkenet",
        minutes="Reglen om køkkenet blev vedtaget.",
        minutes_published_on=days(-6),
    )
    coming = council.meeting_save(by=chair, date=days(14), agenda="1. Sommerfesten")
    adopted = council.rule_propose(
        by=chair,
        title="Køkkenet gøres rent efter brug",
        text="Den, der har brugt køkkenet, gør rent.",
        proposed_on=days(-30),
    )
    council.rule_vote(
        by=chair,
        rule=adopted,
        votes_for=2,
        votes_against=0,
        votes_abstain=0,
        voted_on=held.date,
        meeting=held,
    )
    proposed = council.rule_propose(
        by=chair, title="Ro efter kl. 22", text="Efter kl. 22 er der ro i huset."
    )
    rejected = council.rule_propose(
        by=chair, title="Ingen cykler i gangen", text="Nej.", proposed_on=days(-30)
    )
    council.rule_vote(
        by=chair, rule=rejected, votes_for=0, votes_against=2, votes_abstain=0, voted_on=days(-7)
    )
    return {
        "chair": chair,
        "coordinator": coordinator,
        "held": held,
        "coming": coming,
        "adopted": adopted,
        "proposed": proposed,
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_council_pages_are_accessible(e2e, house, signed_in, context, page, language):
    set_language(context, e2e.url, language)
    # The public house rules, with nobody signed in.
    open_page(page, e2e.url + "/house-rules/")
    assert html_lang(page) == language
    expect(page.locator("main")).to_contain_text("Køkkenet gøres rent efter brug")
    expect(page.locator("main")).not_to_contain_text("Ro efter kl. 22")
    assert_accessible(page)

    # A coordinator sees every form.
    signed_in(house["coordinator"])
    for path in [
        "/council/",
        f"/council/rules/{house['proposed'].pk}/",
        f"/council/rules/{house['adopted'].pk}/",
        f"/council/meetings/{house['held'].pk}/",
        f"/council/meetings/{house['coming'].pk}/",
        "/council/members/new/",
        f"/council/members/{CouncilMember.objects.first().pk}/edit/",
        "/council/rules/new/",
        "/council/meetings/new/",
        f"/council/meetings/{house['held'].pk}/edit/",
        "/house-rules/",
    ]:
        open_page(page, e2e.url + path)
        assert html_lang(page) == language
        assert_accessible(page)

    # A vote with more votes than voting members comes back with its error.
    open_page(page, f"{e2e.url}/council/rules/{house['proposed'].pk}/")
    page.locator("#id_votes_for").fill("3")
    page.locator("#id_votes_against").fill("0")
    page.locator("#id_votes_abstain").fill("0")
    page.locator("#vote-heading + p + form button[type=submit]").click()
    expect(page.locator(".form-errors")).to_be_visible()
    assert_accessible(page)
    assert HouseRule.objects.get(pk=house["proposed"].pk).status == HouseRule.Status.PROPOSED


def test_the_chair_records_a_vote_and_the_rule_goes_public(e2e, house, signed_in, context, page):
    set_language(context, e2e.url, "en")
    signed_in(house["chair"])
    open_page(page, f"{e2e.url}/council/rules/{house['proposed'].pk}/")
    page.get_by_label("Votes for").fill("2")
    page.get_by_label("Votes against").fill("0")
    page.get_by_label("Abstentions").fill("0")
    page.get_by_role("button", name="Record the vote").click()
    expect(page.locator(".messages")).to_contain_text("the rule is adopted")
    context.clear_cookies()
    set_language(context, e2e.url, "en")
    open_page(page, e2e.url + "/house-rules/")
    expect(page.locator("main")).to_contain_text("Ro efter kl. 22")
