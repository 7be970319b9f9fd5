"""Each role's home (/home/): where a person lands after signing in, what it
counts, that every number is a link to the page behind it, and that it reads
a fixed number of queries however much the house holds."""

import datetime
import time
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from actors.models import Actor, Offer
from bookings.models import Status, Visibility
from collaboration.models import DigestDelivery, HouseRule, Meeting, Participation
from homes import selectors
from tests.factories import (
    PASSWORD,
    ActorFactory,
    BookingFactory,
    MembershipFactory,
    OfferFactory,
    RoomFactory,
    UserFactory,
    add_totp,
    in_days,
    log_collaboration,
)

pytestmark = pytest.mark.django_db

HOME = "/home/"


def _page(client) -> str:
    response = client.get(HOME)
    assert response.status_code == HTTPStatus.OK
    return response.content.decode()


# --- landing --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["member", "council_member"])
def test_signing_in_lands_on_the_home(client, request, persona):
    user = request.getfixturevalue(persona)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == HOME


def test_a_coordinator_lands_on_the_home_after_the_second_factor(client):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    user = UserFactory(email="k@example.org", is_coordinator=True)
    secret = add_totp(user)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == HOME


def test_a_next_address_still_wins_over_the_home(client, member):
    response = client.post(
        reverse("account_login") + "?next=/calendar/",
        {"login": member.email, "password": PASSWORD, "next": "/calendar/"},
    )
    assert response["Location"] == "/calendar/"


def test_residents_keep_the_front_page_and_the_home_asks_to_sign_in(anonymous):
    assert anonymous.get("/").status_code == HTTPStatus.OK
    response = anonymous.get(HOME)
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))


def test_someone_without_a_role_is_told_how_to_get_one(client):
    client.force_login(UserFactory())
    html = _page(client)
    assert 'id="no-role-heading"' in html
    assert 'id="coordinator-heading"' not in html and 'id="member-heading"' not in html


# --- the coordinator ------------------------------------------------------------------


@pytest.fixture
def busy_house(room, small_room, actor, other_actor, booker, other_booker):
    """Two requests waiting, a parallel pair this week, a collaboration waiting
    and one disputed, a failed digest delivery and an actor based in the house
    with no collaboration."""
    from actors.models import TargetGroup

    youth = TargetGroup.objects.first()
    for hours in (3, 4):
        BookingFactory(
            room=small_room, actor=actor, start=in_days(2, hours + 8), status=Status.REQUESTED
        )
    for who, where in ((actor, room), (other_actor, small_room)):
        booking = BookingFactory(room=where, actor=who, start=in_days(1, 17))
        booking.target_groups.set([youth])
    log_collaboration(booker, actor, other_actor, title="Lektiecafé sammen")
    disputed = log_collaboration(booker, actor, other_actor, title="Sommerfest")
    disputed.participations.filter(actor=other_actor).update(status=Participation.Status.DISPUTED)
    DigestDelivery.objects.create(
        period=timezone.localdate(), recipient=booker, status=DigestDelivery.Status.FAILED
    )
    ActorFactory(name="Boligsocialt", presence=Actor.Presence.BASED)


def test_coordinator_numbers_are_counted_by_the_apps_own_rules(busy_house):
    home = selectors.coordinator_home()
    assert home.requests_waiting == 2
    assert home.parallel_pairs == 1
    assert home.collaborations_waiting == 1  # the disputed one has answered
    assert home.collaborations_disputed == 1
    assert home.digest_failed == 1
    assert home.disconnected == 1
    assert {home.busiest_room.name, home.quietest_room.name} == {"Multisalen", "Mødelokale 1"}


def test_every_coordinator_number_is_a_link(busy_house, coordinator_client):
    html = _page(coordinator_client)
    for href in (
        reverse("bookings:requests"),
        reverse("bookings:parallel") + "?weeks=1",
        reverse("collaboration:log") + "?status=pending",
        reverse("collaboration:log") + "?status=disputed",
        reverse("collaboration:digest-preview"),
        reverse("bookings:room-use") + "?period=month",
        reverse("collaboration:map") + "#disconnected-heading",
    ):
        assert f'href="{href}' in html, href
    assert 'class="figure-number">2<' in html  # two requests
    assert "bookinganmodninger venter" in html
    assert 'id="today-heading"' in html


def test_the_coordinators_home_says_the_digest_was_missed(coordinator_client):
    from centre.models import Centre

    now = timezone.localtime()
    # The scheduled moment was yesterday, long past the allowed delay, and nothing went out.
    Centre.objects.filter(pk=1).update(
        digest_weekday=(now.date() - datetime.timedelta(days=1)).weekday(),
        digest_time=datetime.time(0, 5),
    )
    home = selectors.coordinator_home()
    assert home.digest_missed is not None
    assert "blev ikke sendt" in _page(coordinator_client)


# --- the actor member -----------------------------------------------------------------


def test_member_home_shows_my_actors_things_only(
    room, actor, other_actor, booker, other_booker, booker_client
):
    BookingFactory(room=room, actor=actor, title="Kvindecafé", start=in_days(3, 10))
    BookingFactory(
        room=room, actor=actor, title="Ønsket", start=in_days(4, 10), status=Status.REQUESTED
    )
    BookingFactory(room=room, actor=other_actor, title="Basens aften", start=in_days(3, 14))
    log_collaboration(other_booker, other_actor, actor, title="Fælles udflugt")
    old = OfferFactory(actor=actor, title="Strikkeklub")
    Offer.objects.filter(pk=old.pk).update(updated=timezone.now() - datetime.timedelta(days=200))
    OfferFactory(actor=actor, title="Ny lektiecafé")
    OfferFactory(actor=other_actor, title="Andres tilbud")
    Offer.objects.filter(actor=other_actor).update(
        updated=timezone.now() - datetime.timedelta(days=400)
    )

    home = selectors.member_home(booker)
    assert [b.title for b in home.next_bookings] == ["Kvindecafé", "Ønsket"]
    assert home.requests_waiting == 1
    assert [p.collaboration.title for p in home.answers_waiting] == ["Fælles udflugt"]
    assert [o.title for o in home.stale_offers] == ["Strikkeklub"]
    assert home.can_book

    html = _page(booker_client)
    assert "Basens aften" not in html and "Andres tilbud" not in html
    assert f'href="{reverse("actors:offer-edit", args=[old.pk])}"' in html
    assert f'href="{reverse("bookings:booking-create")}"' in html  # book a room


def test_a_member_who_may_not_book_is_not_offered_to(member_client):
    assert f'href="{reverse("bookings:booking-create")}"' not in _page(member_client)


# --- the council member ---------------------------------------------------------------


def test_council_home_has_the_digest_the_meeting_and_the_rules(council_member, council_client):
    today = timezone.localdate()
    Meeting.objects.create(date=today - datetime.timedelta(days=3), title="Forrige møde")
    coming = Meeting.objects.create(date=today + datetime.timedelta(days=9), title="Husrådsmøde")
    Meeting.objects.create(date=today + datetime.timedelta(days=40), title="Senere møde")
    rule = HouseRule.objects.create(title="Ro efter 22", text="Ro i huset efter kl. 22.")
    HouseRule.objects.create(
        title="Vedtaget", text="…", status=HouseRule.Status.ADOPTED, voted_on=today
    )
    DigestDelivery.objects.create(
        period=today - datetime.timedelta(days=2),
        recipient=council_member,
        status=DigestDelivery.Status.SENT,
        sent_at=timezone.now(),
    )

    home = selectors.council_home()
    assert home.next_meeting == coming
    assert home.rules_to_vote == [rule]
    assert home.latest_digest == today - datetime.timedelta(days=2)

    html = _page(council_client)
    assert f'href="{coming.get_absolute_url()}"' in html
    assert f'href="{reverse("collaboration:rule", args=[rule.pk])}"' in html
    assert f'href="{reverse("homes:digest")}"' in html
    assert council_client.get(reverse("homes:digest")).status_code == HTTPStatus.OK


def test_the_latest_digest_reads_on_the_web(council_member, council_client, room, actor):
    today = timezone.localdate()
    BookingFactory(room=room, actor=actor, title="Fællesspisning", start=in_days(1, 18))
    DigestDelivery.objects.create(
        period=today, recipient=council_member, status=DigestDelivery.Status.SENT
    )
    html = council_client.get(reverse("homes:digest")).content.decode()
    assert "Fællesspisning" in html
    # A council member's digest has no coordinators' sections.
    assert reverse("bookings:requests") not in html


def test_no_digest_yet(council_client):
    response = council_client.get(reverse("homes:digest"))
    assert response.status_code == HTTPStatus.OK
    assert response.context["period"] is None and response.context["sections"] == []


# --- a person with several roles ------------------------------------------------------


def test_a_coordinator_who_is_also_a_member_sees_both_parts(coordinator, actor, client):
    MembershipFactory(user=coordinator, actor=actor)
    client.force_login(coordinator)
    html = _page(client)
    assert 'id="coordinator-heading"' in html and 'id="member-heading"' in html
    assert 'id="council-heading"' not in html


# --- bounded queries ------------------------------------------------------------------


def _grow(n: int, *, room, actor, other_actor, booker, council_member, first: int = 0):
    """n more of everything each home counts or lists; ``first`` is the first
    two hours after 06:00 this round books (two confirmed bookings never overlap)."""
    today = timezone.localdate()
    for i in range(first, first + n):
        extra = RoomFactory()
        BookingFactory(room=extra, actor=actor, start=in_days(1 + i % 5, 9))
        BookingFactory(room=room, actor=actor, start=in_days(1, 6 + i), status=Status.REQUESTED)
        BookingFactory(
            room=room, actor=actor, start=in_days(2, 6 + 2 * i), visibility=Visibility.INTERNAL
        )
        log_collaboration(booker, actor, other_actor, title=f"Samarbejde {i}")
        OfferFactory(actor=actor)
        ActorFactory(presence=Actor.Presence.BASED)
        Meeting.objects.create(date=today + datetime.timedelta(days=i + 1))
        HouseRule.objects.create(title=f"Regel {i}", text="…")
        DigestDelivery.objects.create(
            period=today - datetime.timedelta(days=7 * i),
            recipient=UserFactory(),
            status=DigestDelivery.Status.SENT,
        )
    Offer.objects.update(updated=timezone.now() - datetime.timedelta(days=365))


@pytest.mark.parametrize("persona", ["coordinator", "booker", "council_member"])
def test_each_home_reads_a_fixed_number_of_queries(
    client,
    request,
    persona,
    room,
    actor,
    other_actor,
    booker,
    other_booker,
    council_member,
    django_assert_num_queries,
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    people = {
        "room": room,
        "actor": actor,
        "other_actor": other_actor,
        "booker": booker,
        "council_member": council_member,
    }
    _grow(1, **people)
    client.get(HOME)  # the session and the caches warm
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(HOME).status_code == HTTPStatus.OK
    _grow(8, **people, first=1)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(HOME).status_code == HTTPStatus.OK
