"""Who may open and post to every page of the actors app.

Personas: anonymous, a plain member of Kvindeforum, an administrator of
Kvindeforum, a member of Basen, a council member and a coordinator. Pages a
person may not manage answer 404 (they do not reveal what exists); pages only
coordinators use answer 403; anonymous visitors are sent to sign in. Every
refused POST leaves the database as it was."""

import datetime
from dataclasses import dataclass
from http import HTTPStatus

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from actors.models import Actor, Invitation, Membership, Offer, Theme
from tests.factories import ActorFactory, InvitationFactory, MembershipFactory, OfferFactory

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "member", "admin", "other_member", "council", "coordinator"]
CLIENT_FIXTURE = {
    "anonymous": "anonymous",
    "member": "member_client",
    "admin": "actor_admin_client",
    "other_member": "other_member_client",
    "council": "council_client",
    "coordinator": "coordinator_client",
}
MANAGERS = {"admin", "coordinator"}


@dataclass
class House:
    actor: Actor
    archived: Actor
    offer: Offer
    target: Membership
    invitation: Invitation


@pytest.fixture
def house(actor, actor_admin, member, other_member, council_member, coordinator):
    """Kvindeforum with an offer, a member to act on and a waiting invitation;
    Gammel Klub, which has left the house."""
    archived = ActorFactory(
        name="Gammel Klub", slug="gammel-klub", left_on=datetime.date(2024, 6, 30)
    )
    return House(
        actor=actor,
        archived=archived,
        offer=OfferFactory(actor=actor, title="Strikkeklub"),
        target=MembershipFactory(user__email="target@example.org", actor=actor),
        invitation=InvitationFactory(actor=actor, email="waiting@example.org"),
    )


def client_of(request, persona):
    return request.getfixturevalue(CLIENT_FIXTURE[persona])


def assert_sent_to_login(response):
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))


# --- public pages ---------------------------------------------------------------

PUBLIC = {
    "actor-list": lambda h: reverse("actors:actor-list"),
    "actor-detail": lambda h: reverse("actors:actor-detail", args=[h.actor.slug]),
    "archived-actor-detail": lambda h: reverse("actors:actor-detail", args=[h.archived.slug]),
    "offer-list": lambda h: reverse("actors:offer-list"),
}


@pytest.mark.parametrize("url_name", PUBLIC)
@pytest.mark.parametrize("persona", PERSONAS)
def test_public_pages_open_for_everyone(request, house, persona, url_name):
    response = client_of(request, persona).get(PUBLIC[url_name](house))
    assert response.status_code == HTTPStatus.OK


def test_unknown_actor_is_404(anonymous, house):
    assert anonymous.get("/actors/findes-ikke/").status_code == HTTPStatus.NOT_FOUND


# --- pages an actor's administrators and coordinators open ------------------------------

MANAGE_PAGES = {
    "actor-edit": lambda h: reverse("actors:actor-edit", args=[h.actor.slug]),
    "member-list": lambda h: reverse("actors:member-list", args=[h.actor.slug]),
    "offer-create": lambda h: reverse("actors:offer-create", args=[h.actor.slug]),
    "offer-edit": lambda h: reverse("actors:offer-edit", args=[h.offer.pk]),
}


@pytest.mark.parametrize("url_name", MANAGE_PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_manage_pages(request, house, persona, url_name):
    response = client_of(request, persona).get(MANAGE_PAGES[url_name](house))
    if persona == "anonymous":
        assert_sent_to_login(response)
    elif persona in MANAGERS:
        assert response.status_code == HTTPStatus.OK
        assert house.actor.name in response.content.decode()
    else:
        assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("url_name", ["actor-edit", "member-list", "offer-create"])
def test_admin_of_an_archived_actor_manages_nothing(house, url_name):
    MembershipFactory(user=house.target.user, actor=house.archived, role=Membership.Role.ADMIN)
    client = Client()
    client.force_login(house.target.user)
    response = client.get(reverse(f"actors:{url_name}", args=[house.archived.slug]))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_missing_objects_are_404_for_coordinators(coordinator_client, house):
    for url in (
        reverse("actors:actor-edit", args=["findes-ikke"]),
        reverse("actors:offer-edit", args=[99999]),
        reverse("actors:member-role", args=[99999]),
        reverse("actors:member-remove", args=[99999]),
        reverse("actors:invitation-revoke", args=[99999]),
    ):
        method = coordinator_client.get if "edit" in url else coordinator_client.post
        assert method(url).status_code == HTTPStatus.NOT_FOUND, url


# --- pages only coordinators open ------------------------------------------------------

COORDINATOR_PAGES = {
    "actor-create": lambda h: reverse("actors:actor-create"),
    "vocabulary": lambda h: reverse("actors:vocabulary"),
}


@pytest.mark.parametrize("url_name", COORDINATOR_PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_coordinator_pages(request, house, persona, url_name):
    response = client_of(request, persona).get(COORDINATOR_PAGES[url_name](house))
    if persona == "anonymous":
        assert_sent_to_login(response)
    elif persona == "coordinator":
        assert response.status_code == HTTPStatus.OK
    else:
        assert response.status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize("persona", PERSONAS)
def test_my_actors_needs_a_login(request, house, persona):
    response = client_of(request, persona).get(reverse("actors:my-actors"))
    if persona == "anonymous":
        assert_sent_to_login(response)
    else:
        assert response.status_code == HTTPStatus.OK


def test_my_actors_lists_the_persons_roles(actor_admin_client, house):
    content = actor_admin_client.get(reverse("actors:my-actors"), HTTP_ACCEPT_LANGUAGE="en")
    content = content.content.decode()
    assert "Kvindeforum" in content
    assert "Administrator" in content
    assert "Basen" not in content


@pytest.mark.parametrize("persona", PERSONAS)
def test_invitation_link_answers_everyone(request, house, persona):
    url = house.invitation.get_absolute_url()
    response = client_of(request, persona).get(url)
    if persona == "anonymous":
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"] == reverse("account_signup")
    else:
        assert response.status_code == HTTPStatus.OK
        assert "waiting@example.org" in response.content.decode()


POST_ONLY = ["actor-archive", "actor-restore", "member-role", "member-remove", "invitation-revoke"]


@pytest.mark.parametrize("name", POST_ONLY)
def test_actions_refuse_get(coordinator_client, house, name):
    args = {
        "actor-archive": [house.actor.slug],
        "actor-restore": [house.archived.slug],
        "member-role": [house.target.pk],
        "member-remove": [house.target.pk],
        "invitation-revoke": [house.invitation.pk],
    }[name]
    response = coordinator_client.get(reverse(f"actors:{name}", args=args))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


# --- posts -----------------------------------------------------------------------------------


def _actor_post(**overrides):
    return {
        "name": "Kvindeforum",
        "slug": "kvindeforum",
        "kind": Actor.Kind.ASSOCIATION,
        "presence": Actor.Presence.REGULAR,
        **overrides,
    }


@dataclass
class Action:
    url: object  # House -> str
    data: object  # House -> dict
    state: object  # House -> anything comparable; must change when the action succeeds
    who: set  # personas that may do it; the others are refused with `refused`
    refused: HTTPStatus


def _actor_name(h):
    return Actor.objects.get(pk=h.actor.pk).name


ACTIONS = {
    "actor-edit": Action(
        url=lambda h: reverse("actors:actor-edit", args=[h.actor.slug]),
        data=lambda h: _actor_post(name="Overtaget"),
        state=_actor_name,
        who=MANAGERS,
        refused=HTTPStatus.NOT_FOUND,
    ),
    "member-list (invite)": Action(
        url=lambda h: reverse("actors:member-list", args=[h.actor.slug]),
        data=lambda h: {"email": "ny@example.org", "role": Membership.Role.ADMIN},
        state=lambda h: sorted(h.actor.invitations.values_list("email", flat=True)),
        who=MANAGERS,
        refused=HTTPStatus.NOT_FOUND,
    ),
    "offer-create": Action(
        url=lambda h: reverse("actors:offer-create", args=[h.actor.slug]),
        data=lambda h: {"title": "Madklub", "is_active": "on"},
        state=lambda h: sorted(h.actor.offers.values_list("title", flat=True)),
        who=MANAGERS,
        refused=HTTPStatus.NOT_FOUND,
    ),
    "offer-edit": Action(
        url=lambda h: reverse("actors:offer-edit", args=[h.offer.pk]),
        data=lambda h: {"title": "Overtaget tilbud", "is_active": "on"},
        state=lambda h: Offer.objects.get(pk=h.offer.pk).title,
        who=MANAGERS,
        refused=HTTPStatus.NOT_FOUND,
    ),
    "member-role": Action(
        url=lambda h: reverse("actors:member-role", args=[h.target.pk]),
        data=lambda h: {"role": Membership.Role.ADMIN},
        state=lambda h: Membership.objects.get(pk=h.target.pk).role,
        who=MANAGERS,
        refused=HTTPStatus.NOT_FOUND,
    ),
    "member-remove": Action(
        url=lambda h: reverse("actors:member-remove", args=[h.target.pk]),
        data=lambda h: {},
        state=lambda h: Membership.objects.filter(pk=h.target.pk).exists(),
        who=MANAGERS,
        refused=HTTPStatus.NOT_FOUND,
    ),
    "invitation-revoke": Action(
        url=lambda h: reverse("actors:invitation-revoke", args=[h.invitation.pk]),
        data=lambda h: {},
        state=lambda h: Invitation.objects.get(pk=h.invitation.pk).revoked_at is None,
        who=MANAGERS,
        refused=HTTPStatus.NOT_FOUND,
    ),
    "actor-create": Action(
        url=lambda h: reverse("actors:actor-create"),
        data=lambda h: _actor_post(name="Lektiehjælpen", slug="lektiehjaelpen"),
        state=lambda h: sorted(Actor.objects.values_list("slug", flat=True)),
        who={"coordinator"},
        refused=HTTPStatus.FORBIDDEN,
    ),
    "actor-archive": Action(
        url=lambda h: reverse("actors:actor-archive", args=[h.actor.slug]),
        data=lambda h: {"confirm": "1"},
        state=lambda h: Actor.objects.get(pk=h.actor.pk).left_on,
        who={"coordinator"},
        refused=HTTPStatus.FORBIDDEN,
    ),
    "actor-restore": Action(
        url=lambda h: reverse("actors:actor-restore", args=[h.archived.slug]),
        data=lambda h: {},
        state=lambda h: Actor.objects.get(pk=h.archived.pk).left_on,
        who={"coordinator"},
        refused=HTTPStatus.FORBIDDEN,
    ),
    "vocabulary": Action(
        url=lambda h: reverse("actors:vocabulary"),
        data=lambda h: {"kind": "theme", "name": "Havebrug"},
        state=lambda h: sorted(Theme.objects.values_list("name", flat=True)),
        who={"coordinator"},
        refused=HTTPStatus.FORBIDDEN,
    ),
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_posts(request, house, persona, action, django_capture_on_commit_callbacks):
    spec = ACTIONS[action]
    client = client_of(request, persona)
    before = spec.state(house)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(spec.url(house), spec.data(house))
    after = spec.state(house)
    if persona == "anonymous":
        assert_sent_to_login(response)
        assert after == before
    elif persona in spec.who:
        assert response.status_code == HTTPStatus.FOUND, response.content.decode()[:2000]
        assert after != before
    else:
        assert response.status_code == spec.refused
        assert after == before
        assert mail.outbox == []
