"""The collaboration log in Chromium: axe-core in Danish and English on every
page of the log, and a quick log done with the keyboard-free click path."""

import datetime

import pytest
from playwright.sync_api import expect

from collaboration.log import services
from collaboration.models import Collaboration, Form
from tests.e2e.conftest import LANGUAGES, assert_accessible, open_page, set_language

pytestmark = pytest.mark.e2e


@pytest.fixture
def logged(e2e, member, other_member, actor, other_actor):
    return services.collaboration_log(
        by=member,
        on_behalf_of=actor,
        actors=[actor, other_actor],
        title="Fælles jobmesse",
        form=Form.JOINT_DELIVERY,
        started=datetime.date(2026, 9, 1),
        goals=[{"description": "Flere unge i job", "criterion": "10 ansættelser"}],
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_log_pages_are_accessible(
    e2e, logged, other_member, signed_in, context, page, language
):
    set_language(context, e2e.url, language)
    signed_in(other_member)  # the other actor: asked to confirm
    for path in [
        "/collaboration/",
        "/collaboration/new/",
        "/collaboration/quick/",
        f"/collaboration/{logged.pk}/",
        f"/collaboration/{logged.pk}/edit/",
    ]:
        open_page(page, e2e.url + path)
        assert_accessible(page)


def test_a_quick_log_in_a_few_clicks(e2e, member, other_actor, signed_in, context, page):
    set_language(context, e2e.url, "en")
    signed_in(member)
    open_page(page, e2e.url + "/collaboration/quick/")
    page.get_by_label("We referred residents to another actor (coordination)").check()
    page.get_by_label(other_actor.name).check()
    page.get_by_label("How many residents were referred").fill("4")
    page.get_by_role("button", name="Log it").click()
    expect(page.locator(".message-success")).to_contain_text("Referred 4 residents")
    collaboration = Collaboration.objects.get()
    assert (collaboration.form, collaboration.referrals) == (Form.COORDINATION, 4)


def test_the_other_actor_disputes_with_a_reason(
    e2e, logged, other_member, other_actor, signed_in, context, page
):
    set_language(context, e2e.url, "en")
    signed_in(other_member)
    open_page(page, f"{e2e.url}/collaboration/{logged.pk}/")
    page.get_by_label("What is wrong?").fill("Vi deltog kun i planlægningen")
    page.get_by_role("button", name=f"Dispute for {other_actor.name}").click()
    expect(page.locator(".participations")).to_contain_text("Vi deltog kun i planlægningen")
    assert_accessible(page)
