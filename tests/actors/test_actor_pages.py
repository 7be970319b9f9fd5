"""Creating and editing actors and offers, logos, and managing members: the
refusals a person meets (in their language) and that nothing half-happens."""

import datetime
import re
from http import HTTPStatus
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from actors import services
from actors.models import Actor, Language, Membership, Offer, TargetGroup, Theme
from centre.models import User
from tests.conftest import png
from tests.factories import MembershipFactory, OfferFactory

pytestmark = pytest.mark.django_db


def actor_data(**overrides):
    return {
        "name": "Lektiehjælpen",
        "slug": "lektiehjaelpen",
        "kind": Actor.Kind.ASSOCIATION,
        "presence": Actor.Presence.REGULAR,
        **overrides,
    }


def edit_data(actor, **overrides):
    return actor_data(**{"name": actor.name, "slug": actor.slug, "kind": actor.kind, **overrides})


def actors_listed(response) -> list[str]:
    return re.findall(r'<h2><a href="/actors/[^"]+/">([^<]+)</a></h2>', response.content.decode())


def offers_listed(response) -> list[str]:
    return re.findall(r'<h3 id="offer-\d+">([^<]+)</h3>', response.content.decode())


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- creating actors ---------------------------------------------------------------------------


def test_coordinator_creates_an_actor(coordinator_client):
    danish, somali = Language.objects.filter(slug__in=["da", "so"]).order_by("slug")
    response = coordinator_client.post(
        reverse("actors:actor-create"),
        actor_data(
            strengths="lektier, matematik",
            joined_on="2025-01-15",
            languages=[danish.pk, somali.pk],
        ),
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/actors/lektiehjaelpen/"
    created = Actor.objects.get(slug="lektiehjaelpen")
    assert created.joined_on == datetime.date(2025, 1, 15)
    assert set(created.languages.values_list("slug", flat=True)) == {"da", "so"}
    assert "Lektiehjælpen er kommet ind i huset." in messages_of(response)


def test_duplicate_name_is_refused_in_danish(coordinator_client, actor):
    response = coordinator_client.post(
        reverse("actors:actor-create"),
        actor_data(name="Kvindeforum", slug="kvindeforum-2"),
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert response.status_code == HTTPStatus.OK
    assert "Der er allerede en aktør med dette navn i huset." in response.content.decode()
    assert list(Actor.objects.values_list("slug", flat=True)) == ["kvindeforum"]


def test_duplicate_slug_is_refused_in_danish(coordinator_client, actor):
    response = coordinator_client.post(
        reverse("actors:actor-create"),
        actor_data(name="Kvindeforum Nord", slug="kvindeforum"),
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert "Det korte navn bruges allerede af en anden aktør. Vælg et andet." in content
    assert not Actor.objects.filter(name="Kvindeforum Nord").exists()


def test_duplicate_name_is_refused_in_english(coordinator_client, actor):
    response = coordinator_client.post(
        reverse("actors:actor-create"),
        actor_data(name="Kvindeforum", slug="kvindeforum-2"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "An actor with this name is already in the house." in response.content.decode()
    assert Actor.objects.count() == 1


def test_a_short_name_taken_while_the_form_is_sent_is_refused_in_danish(coordinator_client):
    original = Actor.full_clean

    def someone_else_saves_it_meanwhile(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if kwargs.get("validate_unique", True):  # the service's check, just before it saves
            Actor.objects.create(name="Lektiecaféen", slug=self.slug, kind=self.kind)

    with mock.patch.object(Actor, "full_clean", someone_else_saves_it_meanwhile):
        response = coordinator_client.post(
            reverse("actors:actor-create"), actor_data(), HTTP_ACCEPT_LANGUAGE="da"
        )
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert "Det korte navn bruges allerede af en anden aktør. Vælg et andet." in content
    assert not Actor.objects.filter(name="Lektiehjælpen").exists()


@pytest.mark.parametrize("slug", ["new", "my"])
def test_reserved_slug_is_refused(coordinator_client, slug):
    response = coordinator_client.post(
        reverse("actors:actor-create"), actor_data(slug=slug), HTTP_ACCEPT_LANGUAGE="da"
    )
    assert response.status_code == HTTPStatus.OK
    assert f"“{slug}” er reserveret af Samhus" in response.content.decode()
    assert not Actor.objects.exists()


def test_invalid_slug_is_refused(coordinator_client):
    response = coordinator_client.post(
        reverse("actors:actor-create"), actor_data(slug="ikke gyldig!"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == HTTPStatus.OK
    assert "letters, numbers, underscores or hyphens" in response.content.decode()
    assert not Actor.objects.exists()


def test_leaving_before_joining_is_refused(coordinator_client):
    response = coordinator_client.post(
        reverse("actors:actor-create"),
        actor_data(joined_on="2025-05-01", left_on="2025-04-01"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == HTTPStatus.OK
    assert "An actor cannot leave before it joined." in response.content.decode()
    assert not Actor.objects.exists()


# --- editing actors ---------------------------------------------------------------------------


def test_admin_edits_the_page(actor_admin_client, actor):
    response = actor_admin_client.post(
        reverse("actors:actor-edit", args=[actor.slug]),
        edit_data(actor, description="Vi mødes hver onsdag", website="https://kvindeforum.dk"),
    )
    assert response.status_code == HTTPStatus.FOUND
    actor.refresh_from_db()
    assert actor.description == "Vi mødes hver onsdag"
    assert actor.website == "https://kvindeforum.dk"


def test_admin_cannot_archive_through_the_form(actor_admin_client, actor):
    response = actor_admin_client.post(
        reverse("actors:actor-edit", args=[actor.slug]),
        edit_data(actor, left_on="2020-01-01", joined_on="2019-01-01"),
    )
    assert response.status_code == HTTPStatus.FOUND
    actor.refresh_from_db()
    assert (actor.left_on, actor.joined_on) == (None, None)
    form = actor_admin_client.get(reverse("actors:actor-edit", args=[actor.slug])).content.decode()
    assert 'name="left_on"' not in form


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "Basen", "Der er allerede en aktør med dette navn i huset."),
        ("slug", "basen", "Det korte navn bruges allerede af en anden aktør."),
        ("slug", "new", "“new” er reserveret af Samhus"),
    ],
)
def test_refused_edit_changes_nothing(
    actor_admin_client, actor, other_actor, field, value, message
):
    response = actor_admin_client.post(
        reverse("actors:actor-edit", args=[actor.slug]),
        edit_data(actor, **{field: value}),
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert message in content
    # The page is still about Kvindeforum: its title and the way back.
    assert "<title>Redigér Kvindeforum ·" in content
    assert "<h1>Redigér Kvindeforum</h1>" in content
    assert 'href="/actors/kvindeforum/">Annullér</a>' in content
    actor.refresh_from_db()
    assert (actor.name, actor.slug) == ("Kvindeforum", "kvindeforum")


def test_renaming_the_slug_moves_the_page(coordinator_client, actor):
    response = coordinator_client.post(
        reverse("actors:actor-edit", args=[actor.slug]), edit_data(actor, slug="kvinder")
    )
    assert response["Location"] == "/actors/kvinder/"
    assert coordinator_client.get("/actors/kvinder/").status_code == HTTPStatus.OK
    assert coordinator_client.get("/actors/kvindeforum/").status_code == HTTPStatus.NOT_FOUND


# --- logos ---------------------------------------------------------------------------------------


def post_logo(client, actor, upload, language="en"):
    return client.post(
        reverse("actors:actor-edit", args=[actor.slug]),
        {**edit_data(actor), "logo": upload},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_small_png_logo_is_saved(actor_admin_client, actor, media):
    response = post_logo(actor_admin_client, actor, png(120, 80))
    assert response.status_code == HTTPStatus.FOUND
    actor.refresh_from_db()
    assert actor.logo.name.startswith("actors/logos/")
    assert (media / actor.logo.name).is_file()
    assert (actor.logo.width, actor.logo.height) == (120, 80)
    page = actor_admin_client.get(actor.get_absolute_url()).content.decode()
    assert f'src="{actor.logo.url}"' in page


def test_oversized_logo_is_refused(actor_admin_client, actor, media):
    upload = png(1200, 1200, noise=True)
    assert upload.size > 1024 * 1024
    response = post_logo(actor_admin_client, actor, upload, language="da")
    assert response.status_code == HTTPStatus.OK
    assert "Billedet er for stort" in response.content.decode()
    actor.refresh_from_db()
    assert not actor.logo
    assert not any(media.rglob("*.png"))


def test_oversized_logo_message_in_english(actor_admin_client, actor, media):
    response = post_logo(actor_admin_client, actor, png(1200, 1200, noise=True))
    assert "The limit is 1 MB." in response.content.decode()


def test_too_wide_logo_is_refused(actor_admin_client, actor, media):
    response = post_logo(actor_admin_client, actor, png(2100, 20))
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert "2100 × 20 pixels" in content
    assert "At most 2000 × 2000 pixels" in content
    actor.refresh_from_db()
    assert not actor.logo


def test_a_file_that_is_not_an_image_is_refused(actor_admin_client, actor, media):
    fake = SimpleUploadedFile("logo.png", b"%PDF-1.4 not a picture", content_type="image/png")
    response = post_logo(actor_admin_client, actor, fake)
    assert response.status_code == HTTPStatus.OK
    assert "Upload a valid image" in response.content.decode()
    actor.refresh_from_db()
    assert not actor.logo


def test_svg_logo_is_refused(actor_admin_client, actor, media):
    svg = SimpleUploadedFile(
        "logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', content_type="image/svg+xml"
    )
    response = post_logo(actor_admin_client, actor, svg)
    assert response.status_code == HTTPStatus.OK
    actor.refresh_from_db()
    assert not actor.logo


def test_refused_logo_keeps_the_old_one(actor_admin_client, actor, media):
    post_logo(actor_admin_client, actor, png(50, 50))
    actor.refresh_from_db()
    old = actor.logo.name
    post_logo(actor_admin_client, actor, png(3000, 10))
    actor.refresh_from_db()
    assert actor.logo.name == old


# --- offers ----------------------------------------------------------------------------------------


def test_admin_adds_an_offer(actor_admin_client, actor):
    community = Theme.objects.get(slug="community")
    women = TargetGroup.objects.get(slug="women")
    response = actor_admin_client.post(
        reverse("actors:offer-create", args=[actor.slug]),
        {
            "title": "Strikkeklub",
            "themes": [community.pk],
            "target_groups": [women.pk],
            "is_active": "on",
            "when": "Mandag 10–12",
        },
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == actor.get_absolute_url()
    offer = Offer.objects.get(actor=actor, title="Strikkeklub")
    assert list(offer.themes.all()) == [community]
    assert list(offer.target_groups.all()) == [women]
    assert offer.when == "Mandag 10–12"


def test_offer_title_must_be_new_for_the_actor(actor_admin_client, actor):
    OfferFactory(actor=actor, title="Strikkeklub")
    response = actor_admin_client.post(
        reverse("actors:offer-create", args=[actor.slug]),
        {"title": "Strikkeklub", "is_active": "on"},
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Aktøren har allerede et tilbud med denne titel." in response.content.decode()
    assert Offer.objects.filter(actor=actor).count() == 1


def test_renaming_an_offer_to_a_used_title_is_refused(actor_admin_client, actor):
    OfferFactory(actor=actor, title="Strikkeklub")
    other = OfferFactory(actor=actor, title="Madklub")
    response = actor_admin_client.post(
        reverse("actors:offer-edit", args=[other.pk]),
        {"title": "Strikkeklub", "is_active": "on"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "This actor already has an offer with this title." in response.content.decode()
    other.refresh_from_db()
    assert other.title == "Madklub"


def test_another_actor_may_use_the_same_title(coordinator_client, actor, other_actor):
    OfferFactory(actor=actor, title="Lektiecafé")
    response = coordinator_client.post(
        reverse("actors:offer-create", args=[other_actor.slug]),
        {"title": "Lektiecafé", "is_active": "on"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Offer.objects.filter(title="Lektiecafé").count() == 2


def test_pausing_an_offer_hides_it(actor_admin_client, actor):
    offer = OfferFactory(actor=actor, title="Strikkeklub")
    response = actor_admin_client.post(
        reverse("actors:offer-edit", args=[offer.pk]), {"title": "Strikkeklub"}
    )
    assert response.status_code == HTTPStatus.FOUND
    offer.refresh_from_db()
    assert offer.is_active is False
    assert "Strikkeklub" not in offers_listed(actor_admin_client.get("/offers/"))
    assert "Strikkeklub" not in offers_listed(actor_admin_client.get(actor.get_absolute_url()))


def test_admin_cannot_move_an_offer_to_another_actor(actor_admin_client, actor, other_actor):
    offer = OfferFactory(actor=actor, title="Strikkeklub")
    actor_admin_client.post(
        reverse("actors:offer-edit", args=[offer.pk]),
        {"title": "Strikkeklub", "is_active": "on", "actor": other_actor.pk},
    )
    offer.refresh_from_db()
    assert offer.actor == actor


# --- members -----------------------------------------------------------------------------------------


def test_last_admin_cannot_remove_themself(actor_admin_client, actor, actor_admin):
    membership = Membership.objects.get(user=actor_admin, actor=actor)
    response = actor_admin_client.post(
        reverse("actors:member-remove", args=[membership.pk]), HTTP_ACCEPT_LANGUAGE="da"
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert (
        "Kvindeforum skal have mindst én administrator. Gør en anden til administrator først."
        in messages_of(response)
    )


def test_last_admin_cannot_step_down(actor_admin_client, actor, actor_admin):
    membership = Membership.objects.get(user=actor_admin, actor=actor)
    response = actor_admin_client.post(
        reverse("actors:member-role", args=[membership.pk]),
        {"role": Membership.Role.MEMBER},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == HTTPStatus.FOUND
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN
    assert any("needs at least one administrator" in m for m in messages_of(response))


def test_admin_steps_down_once_someone_else_is_admin(
    actor_admin_client, actor, actor_admin, member
):
    their = Membership.objects.get(user=member, actor=actor)
    actor_admin_client.post(reverse("actors:member-role", args=[their.pk]), {"role": "admin"})
    mine = Membership.objects.get(user=actor_admin, actor=actor)
    response = actor_admin_client.post(reverse("actors:member-remove", args=[mine.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert not Membership.objects.filter(pk=mine.pk).exists()
    # No longer an administrator: the members page is gone for them.
    members = actor_admin_client.get(reverse("actors:member-list", args=[actor.slug]))
    assert members.status_code == HTTPStatus.NOT_FOUND


def test_coordinator_may_remove_the_last_admin(coordinator_client, actor, actor_admin):
    membership = Membership.objects.get(user=actor_admin, actor=actor)
    response = coordinator_client.post(reverse("actors:member-remove", args=[membership.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert not Membership.objects.filter(actor=actor, role=Membership.Role.ADMIN).exists()


def test_removing_a_member_keeps_the_account(actor_admin_client, actor, member):
    membership = Membership.objects.get(user=member, actor=actor)
    response = actor_admin_client.post(
        reverse("actors:member-remove", args=[membership.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == HTTPStatus.FOUND
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=member.pk, is_active=True).exists()
    assert any("no longer acts for Kvindeforum" in m for m in messages_of(response))


def test_unknown_role_is_refused(actor_admin_client, actor, member):
    membership = Membership.objects.get(user=member, actor=actor)
    response = actor_admin_client.post(
        reverse("actors:member-role", args=[membership.pk]), {"role": "owner"}
    )
    assert response.status_code == HTTPStatus.FOUND
    membership.refresh_from_db()
    assert membership.role == Membership.Role.MEMBER


def test_service_refuses_unknown_role(coordinator, actor, member):
    membership = Membership.objects.get(user=member, actor=actor)
    with translation.override("en"), pytest.raises(ValidationError, match="roles in the list"):
        services.membership_change_role(membership=membership, role="owner", by=coordinator)
    membership.refresh_from_db()
    assert membership.role == Membership.Role.MEMBER


def test_an_administrator_demoted_meanwhile_changes_no_member(actor, actor_admin, member):
    admin = Membership.objects.get(user=actor_admin, actor=actor)
    other = MembershipFactory(actor=actor, role=Membership.Role.ADMIN)
    # The other administrator demotes this one while their own page is open.
    services.membership_change_role(membership=admin, role=Membership.Role.MEMBER, by=other.user)
    membership = Membership.objects.get(user=member, actor=actor)
    with translation.override("en"), pytest.raises(ValidationError, match="no longer an admin"):
        services.membership_remove(membership=membership, by=actor_admin)
    with translation.override("en"), pytest.raises(ValidationError, match="no longer an admin"):
        services.membership_change_role(
            membership=other, role=Membership.Role.MEMBER, by=actor_admin
        )
    assert Membership.objects.filter(actor=actor, role=Membership.Role.ADMIN).get() == other


def test_a_member_removed_meanwhile_is_removed_once(actor_admin, actor, member, coordinator):
    membership = Membership.objects.get(user=member, actor=actor)
    services.membership_remove(membership=membership, by=coordinator)
    services.membership_remove(membership=membership, by=actor_admin)  # the other tab
    with translation.override("en"), pytest.raises(ValidationError, match="no longer a member"):
        services.membership_change_role(
            membership=membership, role=Membership.Role.BOOKER, by=actor_admin
        )
    assert not Membership.objects.filter(user=member).exists()


def test_members_page_lists_members(actor_admin_client, actor, member):
    MembershipFactory(actor=actor, user__email="booker@example.org", role="booker")
    content = actor_admin_client.get(
        reverse("actors:member-list", args=[actor.slug])
    ).content.decode()
    for email in ("admin@example.org", "member@example.org", "booker@example.org"):
        assert email in content


# --- leaving and coming back ----------------------------------------------------------------------


def test_coordinator_archives_and_restores(coordinator_client, actor, member):
    url = reverse("actors:actor-archive", args=[actor.slug])
    # First it says what will happen, and does nothing.
    asked = coordinator_client.post(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "leaves the house?" in asked and "1 member keeps" in asked
    assert "0 coming bookings stay booked" in asked
    actor.refresh_from_db()
    assert actor.left_on is None
    response = coordinator_client.post(url, {"confirm": "1"})
    assert response.status_code == HTTPStatus.FOUND
    actor.refresh_from_db()
    assert actor.left_on == timezone.localdate()
    assert "Kvindeforum" not in actors_listed(coordinator_client.get("/actors/"))
    # History is kept: the membership is still there.
    assert Membership.objects.filter(actor=actor, user=member).exists()

    again = coordinator_client.post(
        reverse("actors:actor-archive", args=[actor.slug]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Kvindeforum has already left the house." in messages_of(again)

    coordinator_client.post(reverse("actors:actor-restore", args=[actor.slug]))
    actor.refresh_from_db()
    assert actor.left_on is None
    assert "Kvindeforum" in actors_listed(coordinator_client.get("/actors/"))


def test_archiving_keeps_the_dates_in_order(coordinator, actor):
    actor.joined_on = timezone.localdate() + datetime.timedelta(days=10)
    actor.save()
    services.actor_archive(actor=actor, by=coordinator)
    actor.refresh_from_db()
    assert actor.joined_on == actor.left_on == timezone.localdate()


# --- vocabulary ------------------------------------------------------------------------------------


def test_coordinator_adds_to_a_list(coordinator_client):
    url = reverse("actors:vocabulary")
    for name in ("Havebrug", "Havebrug!"):
        response = coordinator_client.post(url, {"kind": "theme", "name": name})
        assert response.status_code == HTTPStatus.FOUND
    added = Theme.objects.filter(name__startswith="Havebrug").order_by("slug")
    assert list(added.values_list("slug", flat=True)) == ["havebrug", "havebrug-2"]
    # Added names show as written on the offers' forms.
    assert "Havebrug!" in coordinator_client.get(url).content.decode()


def test_a_name_already_in_a_list_is_refused(coordinator_client):
    url = reverse("actors:vocabulary")
    coordinator_client.post(url, {"kind": "target", "name": "Bedsteforældre"})
    response = coordinator_client.post(url, {"kind": "target", "name": "Bedsteforældre"})
    assert response.status_code == HTTPStatus.OK
    assert TargetGroup.objects.filter(name="Bedsteforældre").count() == 1
