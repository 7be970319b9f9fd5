"""A text in several languages is edited where its reader saw it, and lists
are sorted by what the reader sees (centre.shown): an English reader who
corrects a Danish-only title corrects it for everyone."""

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import translation

from actors.models import Offer
from bookings import services
from bookings.models import Booking
from centre.shown import shown_column
from collaboration.council.rules import adopted_rules
from collaboration.models import Decision, HouseRule, Meeting
from tests.factories import BookingFactory, OfferFactory, weekly_series

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def offer_data(offer, **changes):
    return {"title": offer.title, "description": offer.description, "is_active": "on", **changes}


def test_the_shown_column_follows_the_readers_fallback(actor):
    booking = BookingFactory(actor=actor, title="Zumba", title_ar="زومبا")
    for language, column in [("da", "title_da"), ("en", "title_da"), ("ar", "title_ar")]:
        with translation.override(language):
            assert shown_column(booking, "title") == column
    with translation.override("en"):
        # Nothing written yet: the writer's own language.
        assert shown_column(Booking(), "title") == "title_en"
        assert shown_column(booking, "description") == "description_en"


def test_an_english_reader_corrects_a_danish_only_activity_for_everyone(booker, actor, room):
    """(A date with its own English title has that one changed: test_translations.)"""
    booking = BookingFactory(actor=actor, room=room, booked_by=booker, title="Zumbaa")
    with translation.override("en"):
        services.booking_update(
            booking=booking, by=booker, title="Zumba", description="Music and dance"
        )
    booking.refresh_from_db()
    assert (booking.title_da, booking.title_en) == ("Zumba", None)
    # The activity had no description: it is written in its writer's language.
    assert (booking.description_da, booking.description_en) == (None, "Music and dance")
    for language in ("da", "en", "ar"):
        with translation.override(language):
            shown = Booking.objects.get(pk=booking.pk)
            assert (shown.title, shown.description) == ("Zumba", "Music and dance")


def test_an_offers_own_form_writes_where_the_reader_saw_it(actor_admin_client, actor):
    danish_only = OfferFactory(actor=actor, title="Lektiecafe", description="Hjælp")
    translated = OfferFactory(actor=actor, title="Strikkeklub", title_en="Knitting")
    url = reverse("actors:offer-edit", args=[danish_only.pk])
    response = actor_admin_client.post(url, offer_data(danish_only, title="Lektiecafé"), **ENGLISH)
    assert response.status_code == HTTPStatus.FOUND
    danish_only.refresh_from_db()
    assert (danish_only.title_da, danish_only.title_en) == ("Lektiecafé", None)
    assert danish_only.description_da == "Hjælp"

    url = reverse("actors:offer-edit", args=[translated.pk])
    response = actor_admin_client.post(
        url, offer_data(translated, title="Knitting club"), **ENGLISH
    )
    assert response.status_code == HTTPStatus.FOUND
    translated.refresh_from_db()
    assert (translated.title_da, translated.title_en) == ("Strikkeklub", "Knitting club")


def test_a_refused_offer_form_changes_nothing_in_any_language(actor_admin_client, actor):
    OfferFactory(actor=actor, title="Strikkeklub")
    offer = OfferFactory(actor=actor, title="Lektiecafé")
    url = reverse("actors:offer-edit", args=[offer.pk])
    # The actor's other offer already has that title.
    response = actor_admin_client.post(url, offer_data(offer, title="Strikkeklub"), **ENGLISH)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    offer.refresh_from_db()
    assert (offer.title_da, offer.title_en) == ("Lektiecafé", None)


def test_a_new_offer_is_written_in_its_writers_language(actor_admin_client, actor):
    url = reverse("actors:offer-create", args=[actor.slug])
    response = actor_admin_client.post(
        url, {"title": "Homework café", "description": "", "is_active": "on"}, **ENGLISH
    )
    assert response.status_code == HTTPStatus.FOUND
    offer = Offer.objects.get(actor=actor)
    assert (offer.title_en, offer.title_da) == ("Homework café", None)
    with translation.override("da"):
        # A Danish reader falls back to the only text there is.
        assert Offer.objects.get(pk=offer.pk).title == "Homework café"


def test_offers_are_sorted_by_the_title_the_reader_sees(actor):
    OfferFactory(actor=actor, title="Bordtennis")
    OfferFactory(actor=actor, title="Aftensmad", title_en="Zucchini club")
    OfferFactory(actor=actor, title="Cykelværksted", title_en="Art club")
    with translation.override("en"):
        assert [o.title for o in Offer.objects.all()] == ["Art club", "Bordtennis", "Zucchini club"]
    with translation.override("da"):
        assert [o.title for o in Offer.objects.all()] == [
            "Aftensmad",
            "Bordtennis",
            "Cykelværksted",
        ]


def test_house_rules_are_sorted_by_the_title_the_reader_sees():
    adopted = HouseRule.Status.ADOPTED
    HouseRule.objects.create(title="Oprydning", text="…", status=adopted)
    HouseRule.objects.create(title="Affald", title_en="Waste", text="…", status=adopted)
    with translation.override("en"):
        assert [rule.title for rule in adopted_rules()] == ["Oprydning", "Waste"]
        assert [rule.title for rule in HouseRule.objects.all()] == ["Oprydning", "Waste"]


def test_ordering_by_a_relation_follows_the_title_the_reader_sees(actor):
    """``order_by("rule")`` sorts by the related rule's ordering, as it did
    with a plain "title": the shown title of the rule, not a column of the
    model ordered."""
    meeting = Meeting.objects.create(date=datetime.date(2026, 11, 2))
    waste = HouseRule.objects.create(title="Affald", title_en="Waste", text="…")
    tidy = HouseRule.objects.create(title="Oprydning", text="…")
    for rule in (waste, tidy):
        Decision.objects.create(meeting=meeting, text=rule.title, rule=rule)
    with translation.override("en"):
        assert [d.rule_id for d in Decision.objects.order_by("rule")] == [tidy.pk, waste.pk]
    with translation.override("da"):
        assert [d.rule_id for d in Decision.objects.order_by("rule")] == [waste.pk, tidy.pk]
    OfferFactory(actor=actor, title="Bordtennis")
    with translation.override("en"):
        assert list(type(actor).objects.filter(pk=actor.pk).order_by("offers")) == [actor]


def test_renaming_a_series_from_a_date_renames_the_series_too(booker, actor, room):
    series = weekly_series(booker, room, actor, weeks=4, title="Kvindecafe")
    dates = list(series.occurrences.order_by("start"))
    with translation.override("en"):
        services.booking_update(booking=dates[1], by=booker, scope="following", title="Kvindecafé")
    series.refresh_from_db()
    # Its page and my bookings name it as its dates from now on, in Danish for everyone.
    assert (series.title_da, series.title_en) == ("Kvindecafé", None)
    assert [d.title_da for d in series.occurrences.order_by("start")][:2] == [
        "Kvindecafe",
        "Kvindecafé",
    ]
    # One date alone leaves the series its name.
    services.booking_update(booking=dates[0], by=booker, title="Kvindecafé med tolk")
    series.refresh_from_db()
    assert series.title_da == "Kvindecafé"
