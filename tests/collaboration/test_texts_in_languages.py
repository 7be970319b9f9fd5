"""Texts in several languages beyond the calendar (issue #19, points 4-5):
offers, sharing posts and the house's own texts, each with its Danish
fallback; and the demo house's activities in English and Arabic with an
Arabic council member whose digest is in Arabic."""

import datetime
from http import HTTPStatus
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from actors.models import Offer
from bookings.models import AuditEntry, Booking, BookingSeries
from centre.models import Centre, User
from collaboration import digest
from collaboration.models import HouseRule, SharingPost
from collaboration.sharing import services as sharing
from tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


def test_an_offer_in_the_readers_language(actor_admin_client, actor, client):
    offer = OfferFactory(actor=actor, title="Lektiecafé", description="Hjælp til lektier")
    url = reverse("actors:offer-translations", args=[offer.pk])
    assert url in actor_admin_client.get(actor.get_absolute_url()).content.decode()
    response = actor_admin_client.post(
        url, {"title_en": "Homework café", "title_ar": "مقهى الواجبات", "description_en": ""}
    )
    assert response.status_code == HTTPStatus.FOUND
    offer.refresh_from_db()
    assert (offer.title_da, offer.title_en) == ("Lektiecafé", "Homework café")
    english = client.get("/offers/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Homework café" in english
    # No English description: the Danish one.
    assert "Hjælp til lektier" in english
    assert "مقهى الواجبات" in client.get("/offers/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "Homework café" not in client.get("/offers/", HTTP_ACCEPT_LANGUAGE="da").content.decode()


def test_a_reader_finds_an_offer_by_its_words_in_any_language(client, actor):
    OfferFactory(actor=actor, title="Lektiecafé", description="Hjælp til lektier")
    OfferFactory(actor=actor, title="Strikkeklub", title_ar="نادي الحياكة")
    english = client.get("/offers/?q=lektie", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Lektiecafé" in english
    assert (
        "Strikkeklub"
        in client.get("/offers/?q=الحياكة", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    )


def test_an_offers_translation_too_long_is_refused(actor_admin_client, actor):
    offer = OfferFactory(actor=actor, title="Lektiecafé")
    response = actor_admin_client.post(
        reverse("actors:offer-translations", args=[offer.pk]), {"title_ar": "x" * 151}
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert Offer.objects.get(pk=offer.pk).title_ar is None


def test_a_sharing_post_in_the_readers_language(actor_admin, actor_admin_client, actor):
    post = sharing.post_create(
        by=actor_admin,
        actor=actor,
        direction=SharingPost.Direction.OFFER,
        category=SharingPost.Category.EQUIPMENT,
        title="Projektor",
        description="Kan lånes.",
        expires_on=timezone.localdate() + datetime.timedelta(days=14),
    )
    detail = reverse("collaboration:sharing-detail", args=[post.pk])
    url = reverse("collaboration:sharing-translations", args=[post.pk])
    assert url in actor_admin_client.get(detail).content.decode()
    response = actor_admin_client.post(url, {"title_ar": "جهاز عرض", "description_ar": "للإعارة"})
    assert response.status_code == HTTPStatus.FOUND
    arabic = actor_admin_client.get(detail, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "جهاز عرض" in arabic and "للإعارة" in arabic
    english = actor_admin_client.get(detail, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Projektor" in english  # no English: the Danish one


def test_the_coordinator_writes_the_houses_texts_in_each_language(coordinator_client, client):
    form = coordinator_client.get(reverse("centre:centre-edit")).content.decode()
    assert 'name="screen_message_ar"' in form and 'lang="ar" dir="rtl"' in form
    response = coordinator_client.post(
        reverse("centre:centre-edit"),
        {
            "name": "Kvarterhuset",
            "kind": "housing_area",
            "tagline_da": "Beboernes hus",
            "tagline_ar": "بيت السكان",
            "opening_note_da": "Lukket i sommerferien",
            "opening_note_en": "Closed in the summer holidays",
            "screen_message_da": "Caféen holder lukket",
            "booking_window_days": 365,
            "weekly_quota_hours": 0,
            "cancellation_deadline_hours": 24,
            "digest_weekday": 0,
            "digest_time": "07:00",
            "screen_languages": ["ar", "da"],
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    centre = Centre.load()
    assert centre.screen_languages == "ar,da"
    assert centre.screen_language_list == ["da", "ar"]
    arabic = client.get("/", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "بيت السكان" in arabic and "Lukket i sommerferien" in arabic
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Beboernes hus" in english and "Closed in the summer holidays" in english
    screen = client.get("/screen/?partial=1&lang=ar").content.decode()
    assert "Caféen holder lukket" in screen  # no Arabic message: the Danish one


def test_the_demo_house_speaks_arabic_and_runs_twice_alike():
    call_command("demo", "--no-serve", stdout=StringIO())
    translated = set(
        BookingSeries.objects.exclude(title_ar=None).values_list("title_da", flat=True)
    )
    assert {"Kvindecafé", "Lektiecafé"} <= translated
    assert Booking.objects.filter(title_da="Fællesspisning med musik").exclude(title_ar=None)
    assert Booking.objects.exclude(feed_translated="").exists()
    entries = AuditEntry.objects.count()
    rows = Booking.objects.count()
    amina = User.objects.get(email="amina@samhus.test")
    assert amina.language == "ar"
    call_command("demo", "--no-serve", stdout=StringIO())
    assert (AuditEntry.objects.count(), Booking.objects.count()) == (entries, rows)

    # Amina sits on the council: her digest is in Arabic, its activities too.
    centre = Centre.load()
    mails = {m.to[0]: m for m in digest.build_all(digest.current_period(centre))}
    html = mails[amina.email].alternatives[0][0]
    assert 'lang="ar"' in html and 'dir="rtl"' in html
    with translation.override("ar"):
        arabic_titles = {
            b.title
            for b in Booking.objects.filter(title_ar__isnull=False)
            .filter(start__gte=timezone.now())
            .order_by("start")[:50]
        }
    assert any(title in html for title in arabic_titles)
    assert "مقهى النساء" in html or "مقهى الواجبات المدرسية" in html
    danish = mails["husraad@samhus.test"].alternatives[0][0]
    assert 'lang="da"' in danish and "مقهى النساء" not in danish


def test_a_house_rule_in_the_readers_language(coordinator_client, client):
    rule = HouseRule.objects.create(
        title="Ro efter kl. 22",
        text="Der er ro i huset efter kl. 22.",
        status=HouseRule.Status.ADOPTED,
    )
    url = reverse("collaboration:rule-translations", args=[rule.pk])
    detail = reverse("collaboration:rule", args=[rule.pk])
    assert url in coordinator_client.get(detail).content.decode()
    response = coordinator_client.post(url, {"title_ar": "الهدوء بعد الساعة 22", "text_en": ""})
    assert response.status_code == HTTPStatus.FOUND
    public = reverse("collaboration:house-rules")
    assert "الهدوء بعد الساعة 22" in client.get(public, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    english = client.get(public, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Ro efter kl. 22" in english and "Der er ro i huset" in english


def test_a_house_rule_is_proposed_in_several_languages(council_client, council_member):
    url = reverse("collaboration:rule-create")
    form = council_client.get(url, HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert 'name="title_ar"' in form and 'lang="ar" dir="rtl"' in form
    assert 'name="text_en"' in form and 'lang="en" dir="ltr"' in form
    assert 'name="title_da"' not in form  # the page's own language is the plain fields'
    response = council_client.post(
        url,
        {
            "title": "Ro efter kl. 22",
            "text": "Der er ro i huset efter kl. 22.",
            "title_en": " Quiet after 10 pm ",
            "text_en": "",
            "title_ar": "الهدوء بعد الساعة 22",
            "text_ar": "الهدوء في البيت بعد الساعة 22.",
        },
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert response.status_code == HTTPStatus.FOUND
    rule = HouseRule.objects.get()
    assert (rule.title_da, rule.title_en, rule.title_ar) == (
        "Ro efter kl. 22",
        "Quiet after 10 pm",
        "الهدوء بعد الساعة 22",
    )
    assert (rule.text_da, rule.text_en, rule.text_ar) == (
        "Der er ro i huset efter kl. 22.",
        None,
        "الهدوء في البيت بعد الساعة 22.",
    )
    # From an English page, the plain fields are English and Danish may be given.
    english = council_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'name="title_da"' in english and 'name="title_en"' not in english


@pytest.mark.parametrize(
    ("language", "bad", "message"),
    [
        ("da", {"title_en": "x" * 151}, "højst have 150 tegn"),
        ("da", {"title_ar": "a\x00b"}, "Null-tegn"),
        ("ar", {"text_en": "a\x00b"}, "غير مسموح"),
        ("ar", {"title_da": "x" * 151}, "150 حرف"),
    ],
    ids=["long-english-title", "nul-arabic-title", "nul-english-text", "long-danish-title"],
)
def test_a_refused_translation_of_a_proposal_is_said_on_the_form(
    council_client, language, bad, message
):
    response = council_client.post(
        reverse("collaboration:rule-create"),
        {"title": "Ryd op", "text": "Ryd op efter dig.", **bad},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.content.decode()
    assert not HouseRule.objects.exists()


def test_a_proposal_takes_translations_as_data_not_a_form(council_member):
    from collaboration import council

    with translation.override("da"):
        rule = council.rule_propose(
            by=council_member, title="Ryd op", text="Ryd op.", translations={"title_en": "Tidy"}
        )
        with pytest.raises(ValueError):
            council.rule_propose(
                by=council_member, title="Ryd op", text="Ryd op.", translations={"title_da": "X"}
            )
    assert (rule.title_da, rule.title_en, rule.text_en) == ("Ryd op", "Tidy", None)


def test_the_demo_runs_alike_again_from_another_language():
    """The demo writes its Danish texts in the Danish columns and finds them
    there again, whichever language calls it: no second copy of anything."""
    from collaboration.models import HouseRule

    call_command("demo", "--no-serve", stdout=StringIO())
    counts = (Booking.objects.count(), Offer.objects.count(), HouseRule.objects.count())
    with translation.override("en"):
        call_command("demo", "--no-serve", stdout=StringIO())
    assert (Booking.objects.count(), Offer.objects.count(), HouseRule.objects.count()) == counts
