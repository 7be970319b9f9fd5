"""The public directory (/actors/) and offer overview (/offers/): filters that
are shareable links, what is hidden (archived actors, paused offers), the
number of queries whatever the size of the house, and both languages."""

import datetime
import re
from dataclasses import dataclass
from http import HTTPStatus

import pytest
from django.utils import timezone

from actors.models import Actor, Language, Offer, TargetGroup, Theme
from centre.models import Centre
from tests.factories import ActorFactory, OfferFactory

pytestmark = pytest.mark.django_db

LEFT = datetime.date(2024, 6, 30)


def vocabulary(model, *slugs):
    return list(model.objects.filter(slug__in=slugs))


@dataclass
class Town:
    kvindeforum: Actor
    library: Actor
    jobcentre: Actor
    housing: Actor
    archived: Actor


@pytest.fixture
def town(actor):
    """Four actors in the house and one that has left, with their offers."""
    actor.strengths = "Somalisk kvindenetværk, madlavning til 100"
    actor.presence = Actor.Presence.REGULAR
    actor.save()
    library = ActorFactory(
        name="Biblioteket",
        slug="biblioteket",
        kind=Actor.Kind.LIBRARY,
        presence=Actor.Presence.BASED,
    )
    jobcentre = ActorFactory(
        name="Jobcentret",
        slug="jobcentret",
        kind=Actor.Kind.MUNICIPAL,
        presence=Actor.Presence.PARTNER,
    )
    housing = ActorFactory(
        name="Boligsocial Indsats",
        slug="boligsocial",
        kind=Actor.Kind.HOUSING_SOCIAL_PLAN,
        presence=Actor.Presence.BASED,
    )
    archived = ActorFactory(
        name="Gammel Klub",
        slug="gammel-klub",
        left_on=LEFT,
        strengths="madlavning",
    )
    OfferFactory(
        actor=actor,
        title="Kvindecafé",
        description="Kaffe og snak",
        target_groups=vocabulary(TargetGroup, "women"),
        themes=vocabulary(Theme, "community"),
        languages=vocabulary(Language, "so", "ar"),
    )
    OfferFactory(
        actor=actor,
        title="Fællesspisning",
        target_groups=vocabulary(TargetGroup, "women"),
        themes=vocabulary(Theme, "food"),
    )
    OfferFactory(
        actor=library,
        title="Lektiehjælp",
        description="Hjælp til matematik og dansk",
        target_groups=vocabulary(TargetGroup, "children", "youth"),
        themes=vocabulary(Theme, "learning"),
        languages=vocabulary(Language, "da"),
    )
    OfferFactory(
        actor=library,
        title="Sprogcafé for kvinder",
        is_active=False,
        target_groups=vocabulary(TargetGroup, "women"),
        themes=vocabulary(Theme, "learning"),
    )
    OfferFactory(
        actor=jobcentre,
        title="Jobvejledning",
        target_groups=vocabulary(TargetGroup, "adults"),
        themes=vocabulary(Theme, "employment"),
        languages=vocabulary(Language, "da", "en"),
    )
    OfferFactory(
        actor=archived,
        title="Gammelt tilbud",
        target_groups=vocabulary(TargetGroup, "women"),
        themes=vocabulary(Theme, "learning"),
        languages=vocabulary(Language, "da"),
    )
    return Town(actor, library, jobcentre, housing, archived)


def actors_listed(response) -> list[str]:
    assert response.status_code == HTTPStatus.OK
    return re.findall(r'<h2><a href="/actors/[^"]+/">([^<]+)</a></h2>', response.content.decode())


def offers_listed(response) -> list[str]:
    assert response.status_code == HTTPStatus.OK
    return re.findall(r'<h3 id="offer-\d+">([^<]+)</h3>', response.content.decode())


# --- the directory ------------------------------------------------------------------------


def test_directory_lists_current_actors_by_name(anonymous, town):
    assert actors_listed(anonymous.get("/actors/")) == [
        "Biblioteket",
        "Boligsocial Indsats",
        "Jobcentret",
        "Kvindeforum",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=library", ["Biblioteket"]),
        ("kind=association", ["Kvindeforum"]),
        ("sector=municipal", ["Biblioteket", "Jobcentret"]),
        ("sector=housing", ["Boligsocial Indsats"]),
        ("sector=regional", []),
        ("presence=based", ["Biblioteket", "Boligsocial Indsats"]),
        ("presence=partner", ["Jobcentret"]),
        # Only active offers count: the library's women's offer is paused.
        ("target=women", ["Kvindeforum"]),
        ("target=children", ["Biblioteket"]),
        ("target=seniors", []),
        ("q=BIBLIO", ["Biblioteket"]),
        ("q=madlavning", ["Kvindeforum"]),  # by what they are good at; Gammel Klub has left
        ("sector=municipal&presence=based", ["Biblioteket"]),
    ],
)
def test_directory_filters(anonymous, town, query, expected):
    assert actors_listed(anonymous.get(f"/actors/?{query}")) == expected


def test_directory_lists_an_actor_once_for_several_offers(anonymous, town):
    # Kvindeforum has two active offers for women.
    response = anonymous.get("/actors/?target=women", HTTP_ACCEPT_LANGUAGE="en")
    assert actors_listed(response) == ["Kvindeforum"]
    assert "1 actor" in response.content.decode()


def test_unknown_filter_values_do_not_break_the_directory(anonymous, town):
    response = anonymous.get("/actors/?kind=spaceship&target=nobody&page=99")
    assert response.status_code == HTTPStatus.OK


def test_directory_filter_is_a_shareable_link(anonymous, town):
    content = anonymous.get("/actors/?sector=municipal&q=bib&target=children").content.decode()
    assert re.search(r'<option value="municipal" selected>', content)
    assert re.search(r'<option value="children" selected>', content)
    assert re.search(r'name="q" value="bib"', content)
    assert '<form method="get"' in content


def test_directory_pages_keep_the_filter(anonymous):
    Actor.objects.bulk_create(
        [
            Actor(name=f"Forening {i:02}", slug=f"forening-{i:02}", kind=Actor.Kind.NGO)
            for i in range(55)
        ]
    )
    response = anonymous.get("/actors/?kind=ngo")
    assert len(actors_listed(response)) == 50
    assert "kind=ngo&amp;page=2" in response.content.decode()
    assert len(actors_listed(anonymous.get("/actors/?kind=ngo&page=2"))) == 5


def test_archived_actor_is_hidden_but_its_page_stays(anonymous, town):
    assert "Gammel Klub" not in anonymous.get("/actors/").content.decode()
    response = anonymous.get(town.archived.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert "Gammel Klub" in content
    assert "Left the house on" in content
    response = anonymous.get(town.archived.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="da")
    assert "Forlod huset" in response.content.decode()


def test_current_actor_has_no_left_note(anonymous, town):
    response = anonymous.get(town.library.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "Left the house on" not in response.content.decode()


def test_actor_leaving_in_the_future_is_still_listed(anonymous, town):
    town.housing.left_on = datetime.date.today() + datetime.timedelta(days=30)
    town.housing.save()
    assert "Boligsocial Indsats" in actors_listed(anonymous.get("/actors/"))


def test_actor_page_shows_active_offers_only(anonymous, town):
    assert offers_listed(anonymous.get(town.library.get_absolute_url())) == ["Lektiehjælp"]


# --- offers ----------------------------------------------------------------------------------


def test_offers_lists_active_offers_of_current_actors(anonymous, town):
    assert offers_listed(anonymous.get("/offers/")) == [
        "Fællesspisning",
        "Jobvejledning",
        "Kvindecafé",
        "Lektiehjælp",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("target=women", ["Fællesspisning", "Kvindecafé"]),
        ("target=youth", ["Lektiehjælp"]),
        ("theme=learning", ["Lektiehjælp"]),
        ("theme=employment", ["Jobvejledning"]),
        ("language=da", ["Jobvejledning", "Lektiehjælp"]),
        ("language=so", ["Kvindecafé"]),
        ("actor=kvindeforum", ["Fællesspisning", "Kvindecafé"]),
        ("actor=biblioteket", ["Lektiehjælp"]),
        ("q=matematik", ["Lektiehjælp"]),  # the description
        ("q=jobvej", ["Jobvejledning"]),  # the title
        ("q=kvindeforum", ["Fællesspisning", "Kvindecafé"]),  # the actor's name
        ("target=women&theme=food", ["Fællesspisning"]),
        ("target=women&language=da", []),
    ],
)
def test_offer_filters(anonymous, town, query, expected):
    assert offers_listed(anonymous.get(f"/offers/?{query}")) == expected


def test_offer_filter_is_a_shareable_link(anonymous, town):
    content = anonymous.get("/offers/?target=women&theme=food&actor=kvindeforum&q=spis")
    content = content.content.decode()
    assert '<option value="women" selected>' in content
    assert '<option value="food" selected>' in content
    assert '<option value="kvindeforum" selected>' in content
    assert 'name="q" value="spis"' in content


def test_offers_show_their_actor_and_details(anonymous, town):
    content = anonymous.get("/offers/?actor=kvindeforum", HTTP_ACCEPT_LANGUAGE="en").content
    content = content.decode()
    assert '<a href="/actors/kvindeforum/">Kvindeforum</a>' in content
    assert "Arabic, Somali" in content
    assert "Women" in content


def test_archived_actor_is_not_a_filter_choice(anonymous, town):
    content = anonymous.get("/offers/").content.decode()
    assert 'value="gammel-klub"' not in content
    assert "Gammelt tilbud" not in content


def test_actor_choice_follows_the_calendar(anonymous, monkeypatch):
    # A long-running server must drop an actor from the choices once it has left,
    # not only after a restart.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    leaving = ActorFactory(name="Snart Væk", slug="snart-vaek", left_on=tomorrow)
    OfferFactory(actor=leaving, title="Sidste sommer")
    content = anonymous.get("/offers/").content.decode()
    assert 'value="snart-vaek"' in content
    assert "Sidste sommer" in offers_listed(anonymous.get("/offers/"))

    day_after = tomorrow + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day_after)
    response = anonymous.get("/offers/")
    assert "Sidste sommer" not in offers_listed(response)
    assert 'value="snart-vaek"' not in response.content.decode()
    assert "Snart Væk" not in actors_listed(anonymous.get("/actors/"))


def test_paused_offer_is_hidden_everywhere(anonymous, town):
    for url in ("/offers/", "/offers/?target=women", "/offers/?q=sprog", "/actors/biblioteket/"):
        assert "Sprogcafé for kvinder" not in anonymous.get(url).content.decode(), url


# --- query bounds ------------------------------------------------------------------------------

QUERY_BOUND = 10


def fill_house(n: int) -> None:
    """n actors, each with one or two offers described with target groups,
    themes and languages."""
    groups = list(TargetGroup.objects.all())
    themes = list(Theme.objects.all())
    languages = list(Language.objects.all())
    actors = Actor.objects.bulk_create(
        [
            Actor(
                name=f"Aktør {i:04}",
                slug=f"aktoer-{i:04}",
                kind=Actor.Kind.values[i % 12],
                presence=Actor.Presence.values[i % 4],
                description="Et fællesskab i huset",
            )
            for i in range(n)
        ]
    )
    offers = Offer.objects.bulk_create(
        [
            Offer(actor=actor, title=f"Tilbud {j}", description="Hver tirsdag", when="15–17")
            for i, actor in enumerate(actors)
            for j in range(1 + i % 2)
        ]
    )
    Actor.languages.through.objects.bulk_create(
        [
            Actor.languages.through(actor=actor, language=languages[(i + k) % len(languages)])
            for i, actor in enumerate(actors)
            for k in range(2)
        ]
    )
    Offer.target_groups.through.objects.bulk_create(
        [
            Offer.target_groups.through(offer=offer, targetgroup=groups[(i + k) % len(groups)])
            for i, offer in enumerate(offers)
            for k in range(2)
        ]
    )
    Offer.themes.through.objects.bulk_create(
        [
            Offer.themes.through(offer=offer, theme=themes[i % len(themes)])
            for i, offer in enumerate(offers)
        ]
    )
    Offer.languages.through.objects.bulk_create(
        [
            Offer.languages.through(offer=offer, language=languages[(i + k) % len(languages)])
            for i, offer in enumerate(offers)
            for k in range(2)
        ]
    )


@pytest.mark.parametrize("n", [10, 500])
def test_directory_and_offers_query_bound(anonymous, n, django_assert_max_num_queries):
    Centre.load()  # the house's row exists in every installation
    fill_house(n)
    with django_assert_max_num_queries(QUERY_BOUND):
        directory = anonymous.get("/actors/")
    with django_assert_max_num_queries(QUERY_BOUND):
        offers = anonymous.get("/offers/")
    assert len(actors_listed(directory)) == min(n, 50)
    assert len(offers_listed(offers)) == min(Offer.objects.count(), 50)
    assert "Et fællesskab i huset" in directory.content.decode()
    assert "Hver tirsdag" in offers.content.decode()


# --- languages ---------------------------------------------------------------------------------


def test_directory_in_danish(anonymous, town):
    content = anonymous.get("/actors/", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert '<html lang="da"' in content
    assert "Hvem er i huset" in content
    assert "4 aktører" in content
    assert "Bibliotek" in content


def test_directory_in_english(anonymous, town):
    content = anonymous.get("/actors/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en"' in content
    assert "Who is in the house" in content
    assert "4 actors" in content
    assert "Library" in content
    assert "Based in the house" in content
    assert "Filter actors" in content


def test_offers_in_danish(anonymous, town):
    content = anonymous.get("/offers/?target=women", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert '<html lang="da"' in content
    assert "Tilbud i huset" in content
    assert "Kvinder" in content


def test_offers_in_english(anonymous, town):
    content = anonymous.get("/offers/?target=women", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en"' in content
    assert "Offers in the house" in content
    assert "2 offers" in content
    assert "Women" in content
    assert "Community" in content


def test_empty_results_say_so(anonymous, town):
    content = anonymous.get("/offers/?target=seniors", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No offers match these filters." in content
    content = anonymous.get("/actors/?q=zzz", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "Ingen aktører passer til filtrene." in content
