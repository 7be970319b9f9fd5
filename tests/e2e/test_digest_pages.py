"""The digest's pages in Chromium: axe-core in Danish and English on a
person's choices, the coordinators' preview and the unsubscribe page."""

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from centre.models import Centre
from collaboration import digest
from collaboration.models import DigestSubscription
from tests.e2e.conftest import LANGUAGES, assert_accessible, open_page, set_language
from tests.factories import CouncilMemberFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def chair(e2e, member):
    EmailAddress.objects.update_or_create(
        user=member, email=member.email, defaults={"verified": True, "primary": True}
    )
    CouncilMemberFactory(user=member, role="chair")
    return member


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_digest_pages_are_accessible(
    e2e, chair, coordinator, signed_in, context, page, language
):
    set_language(context, e2e.url, language)
    token = digest.unsubscribe_token(chair)
    open_page(page, f"{e2e.url}/digest/unsubscribe/{token}/")
    assert_accessible(page)
    open_page(page, f"{e2e.url}/digest/unsubscribe/not-a-token/", status=400)
    assert_accessible(page)
    signed_in(chair)
    open_page(page, f"{e2e.url}/digest/")
    assert_accessible(page)
    # The archive of sent issues and one issue as it went out.
    period = digest.current_period(Centre.load())
    digest.archive.keep(digest.Builder(period, base_url=e2e.url).rendered(language))
    open_page(page, f"{e2e.url}/home/digest/archive/")
    assert_accessible(page)
    page.locator("main ul a").first.click()
    expect(page.locator("h1")).to_be_visible()
    assert_accessible(page)
    signed_in(coordinator)
    open_page(page, f"{e2e.url}/digest/preview/")
    assert_accessible(page)


def test_unsubscribing_from_the_link_without_signing_in(e2e, chair, context, page):
    set_language(context, e2e.url, "en")
    open_page(page, f"{e2e.url}/digest/unsubscribe/{digest.unsubscribe_token(chair)}/")
    page.get_by_role("button", name="Stop the digest").click()
    expect(page.locator(".message-success")).to_contain_text(chair.email)
    assert DigestSubscription.objects.get(user=chair).subscribed is False
    assert_accessible(page)
