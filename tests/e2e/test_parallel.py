"""Parallel activities in Chromium: axe-core in Danish and English on the
coordinators' page and on a booking's page with the notice."""

import datetime

import pytest

from actors.models import TargetGroup
from actors.vocabulary import TARGET_GROUPS, seed
from tests.e2e.conftest import LANGUAGES, assert_accessible, html_lang, open_page, set_language
from tests.factories import ActorFactory, BookingFactory, MembershipFactory, in_days

pytestmark = pytest.mark.e2e


def _activity(actor, days: int, hour: int, title: str, *slugs):
    start = in_days(days, hour)
    booking = BookingFactory(
        actor=actor, title=title, start=start, end=start + datetime.timedelta(hours=2)
    )
    booking.target_groups.set(TargetGroup.objects.filter(slug__in=slugs))
    return booking


@pytest.fixture
def parallel_house(e2e, house_data):
    # A transactional test database loses the migration's rows after the first test.
    seed(TargetGroup, TARGET_GROUPS)
    kvindeforum = ActorFactory(name="Kvindeforum", slug="kvindeforum")
    lektiecafe = ActorFactory(
        name="Lektiecaféen",
        slug="lektiecafeen",
        contact_name="Hanne Holm",
        contact_email="hanne@lektie.example.org",
        contact_phone="33 44 55 66",
        website="https://lektie.example.org",
    )
    basen = ActorFactory(name="Basen", slug="basen")
    mine = _activity(kvindeforum, 2, 10, "Kvindecafé", "women", "children")
    _activity(lektiecafe, 2, 15, "Lektiehjælp for mødre", "women")
    _activity(basen, 2, 17, "Familiefodbold", "children", "families")
    _activity(basen, 9, 17, "Ungdomsaften", "youth")
    return kvindeforum, mine


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_coordinators_page_is_accessible(
    e2e, parallel_house, coordinator, signed_in, context, page, language
):
    set_language(context, e2e.url, language)
    signed_in(coordinator)
    open_page(page, e2e.url + "/calendar/parallel/")
    assert html_lang(page) == language
    assert page.locator(".parallel-pair").count() == 2
    assert page.locator("table caption").count() == 1
    assert_accessible(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_booking_with_parallel_activities_is_accessible(
    e2e, parallel_house, signed_in, context, page, language
):
    kvindeforum, mine = parallel_house
    member = MembershipFactory(user__email="amina@example.org", actor=kvindeforum).user
    set_language(context, e2e.url, language)
    signed_in(member)
    open_page(page, f"{e2e.url}/bookings/{mine.pk}/")
    assert html_lang(page) == language
    notice = page.locator("#parallel")
    assert notice.locator("li").count() == 2
    assert notice.locator('a[href="mailto:hanne@lektie.example.org"]').count() == 1
    assert notice.locator('a[href="tel:33445566"]').count() == 1
    assert_accessible(page)
