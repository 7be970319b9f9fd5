"""The sharing board (delebørs): its rules in the services, and its pages for each
role, allowed and refused."""

import datetime
import re
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override

from actors.models import Actor
from collaboration.models import (
    Collaboration,
    Form,
    Participation,
    SharingAnswer,
    SharingPost,
)
from collaboration.sharing import services as sharing
from tests.factories import ActorFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def make_post(by, actor, **fields):
    values = {
        "direction": SharingPost.Direction.OFFER,
        "category": SharingPost.Category.EQUIPMENT,
        "title": "Projektor til aftener",
        "description": "Kan lånes mandag til torsdag.",
        "expires_on": days(14),
        **fields,
    }
    return sharing.post_create(by=by, actor=actor, **values)


def expire(post, on=None):
    """Put a post past its date (the services refuse to create one)."""
    SharingPost.objects.filter(pk=post.pk).update(expires_on=on or days(-1))
    post.refresh_from_db()
    return post


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


@pytest.fixture
def post(member, actor):
    return make_post(member, actor)


# --- posting -----------------------------------------------------------------------


def test_a_member_posts_for_their_actor(member, actor):
    post = make_post(member, actor, title="  Lån vores kaffemaskine  ")
    assert post.actor == actor
    assert post.created_by == member
    assert post.status == SharingPost.Status.OPEN
    assert post.title == "Lån vores kaffemaskine"
    assert list(sharing.on_board()) == [post]


def test_a_member_cannot_post_for_another_actor(member, other_actor):
    with override("en"), pytest.raises(ValidationError) as error:
        make_post(member, other_actor)
    assert error.value.message_dict["actor"] == ["You can only post for an actor you belong to."]
    assert not SharingPost.objects.exists()


def test_a_person_without_an_actor_cannot_post(actor):
    with pytest.raises(ValidationError):
        make_post(UserFactory(), actor)
    assert not SharingPost.objects.exists()


def test_a_coordinator_posts_for_any_current_actor_but_not_one_that_left(coordinator, actor):
    assert make_post(coordinator, actor).actor == actor
    gone = ActorFactory(left_on=days(-10))
    with override("en"), pytest.raises(ValidationError) as error:
        make_post(coordinator, gone)
    assert "has left the house" in messages_of(error.value)
    assert SharingPost.objects.count() == 1


@pytest.mark.parametrize("offset", [0, 1, sharing.MAX_DAYS_AHEAD])
def test_a_post_is_shown_from_today_to_a_year_ahead(member, actor, offset):
    assert make_post(member, actor, expires_on=days(offset)).expires_on == days(offset)


def test_a_date_in_the_past_is_refused_with_a_clear_message(member, actor):
    with override("en"), pytest.raises(ValidationError) as error:
        make_post(member, actor, expires_on=days(-1))
    assert error.value.message_dict["expires_on"] == [
        "The post cannot end in the past. Choose today or a later date."
    ]
    assert not SharingPost.objects.exists()


def test_a_date_more_than_a_year_ahead_is_refused_naming_the_last_day(member, actor):
    with override("en"), pytest.raises(ValidationError) as error:
        make_post(member, actor, expires_on=days(sharing.MAX_DAYS_AHEAD + 1))
    with override("en"):
        latest = date_format(days(sharing.MAX_DAYS_AHEAD), "DATE_FORMAT")
    assert error.value.message_dict["expires_on"] == [
        f"A post is shown for at most a year. Choose a date no later than {latest}."
    ]
    assert not SharingPost.objects.exists()


def test_every_missing_field_is_named_and_nothing_is_saved(member, actor):
    with pytest.raises(ValidationError) as error:
        sharing.post_create(
            by=member,
            actor=actor,
            direction="lend",
            category="cars",
            title=" ",
            expires_on=None,
        )
    assert set(error.value.message_dict) == {"direction", "category", "title", "expires_on"}
    assert not SharingPost.objects.exists()


# --- answering -----------------------------------------------------------------------


def test_a_member_of_another_actor_answers(post, other_member, other_actor):
    answer = sharing.post_answer(
        by=other_member, post=post, actor=other_actor, message=" Vi vil gerne låne den. "
    )
    assert (answer.post, answer.actor, answer.user) == (post, other_actor, other_member)
    assert answer.message == "Vi vil gerne låne den."


def test_nobody_answers_their_own_actors_post(post, member, actor):
    with override("en"), pytest.raises(ValidationError) as error:
        sharing.post_answer(by=member, post=post, actor=actor, message="Os selv")
    assert error.value.message_dict["actor"] == ["An actor cannot answer its own post."]
    assert not SharingAnswer.objects.exists()


def test_nobody_answers_for_an_actor_they_do_not_belong_to(post, member, other_actor):
    with pytest.raises(ValidationError) as error:
        sharing.post_answer(by=member, post=post, actor=other_actor, message="Hej")
    assert "actor" in error.value.message_dict
    assert not SharingAnswer.objects.exists()


def test_an_answer_needs_a_message(post, other_member, other_actor):
    with pytest.raises(ValidationError) as error:
        sharing.post_answer(by=other_member, post=post, actor=other_actor, message="  ")
    assert "message" in error.value.message_dict
    assert not SharingAnswer.objects.exists()


@pytest.mark.parametrize("close", ["expire", "done", "withdraw"])
def test_a_closed_or_expired_post_takes_no_answers(post, member, other_member, other_actor, close):
    if close == "expire":
        expire(post)
    elif close == "done":
        sharing.post_done(by=member, post=post, with_actor=ActorFactory())
    else:
        sharing.post_withdraw(by=member, post=post)
    with override("en"), pytest.raises(ValidationError) as error:
        sharing.post_answer(by=other_member, post=post, actor=other_actor, message="Hej")
    assert "takes no more answers" in messages_of(error.value)
    assert not SharingAnswer.objects.exists()


# --- done and withdrawn ------------------------------------------------------------


def test_done_logs_one_resource_exchange_between_the_two_actors(post, member, actor, other_actor):
    post = sharing.post_done(by=member, post=post, with_actor=other_actor)
    collaboration = Collaboration.objects.get()
    assert post.status == SharingPost.Status.DONE
    assert post.done_with == other_actor
    assert post.collaboration == collaboration
    assert collaboration.form == Form.RESOURCES
    assert collaboration.kind == Collaboration.Kind.SHARING_BOARD
    assert collaboration.title == post.title
    assert collaboration.logged_by == member
    assert collaboration.lead == actor
    assert "Kan lånes mandag til torsdag." in collaboration.description
    statuses = dict(collaboration.participations.values_list("actor_id", "status"))
    # The poster's part is confirmed; the other actor confirms or disputes theirs.
    assert statuses == {
        actor.pk: Participation.Status.CONFIRMED,
        other_actor.pk: Participation.Status.PENDING,
    }
    assert SharingPost.objects.get(pk=post.pk).collaboration == collaboration


def test_a_coordinator_may_mark_any_post_done(post, coordinator, other_actor):
    sharing.post_done(by=coordinator, post=post, with_actor=other_actor)
    assert Collaboration.objects.get().logged_by == coordinator


def test_a_member_of_another_actor_cannot_mark_done(post, other_member, other_actor):
    with pytest.raises(ValidationError):
        sharing.post_done(by=other_member, post=post, with_actor=other_actor)
    post.refresh_from_db()
    assert post.status == SharingPost.Status.OPEN
    assert not Collaboration.objects.exists()


def test_done_needs_another_actor(post, member, actor):
    with override("en"), pytest.raises(ValidationError) as error:
        sharing.post_done(by=member, post=post, with_actor=actor)
    assert error.value.message_dict["with_actor"] == [
        "Choose another actor than the one that posted."
    ]
    with pytest.raises(ValidationError):
        sharing.post_done(by=member, post=post, with_actor=None)
    with pytest.raises(ValidationError):
        sharing.post_done(by=member, post=post, with_actor=ActorFactory(left_on=days(-1)))
    post.refresh_from_db()
    assert post.status == SharingPost.Status.OPEN
    assert not Collaboration.objects.exists()


def test_a_post_is_done_once(post, member, other_actor):
    sharing.post_done(by=member, post=post, with_actor=other_actor)
    with pytest.raises(ValidationError):
        sharing.post_done(by=member, post=post, with_actor=ActorFactory())
    with pytest.raises(ValidationError):
        sharing.post_withdraw(by=member, post=post)
    assert Collaboration.objects.count() == 1
    assert SharingPost.objects.get().status == SharingPost.Status.DONE


def test_an_expired_post_can_still_be_marked_done(post, member, other_actor):
    sharing.post_done(by=member, post=expire(post), with_actor=other_actor)
    assert Collaboration.objects.count() == 1


def test_done_and_its_log_are_one_transaction(post, member, other_actor, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(SharingPost, "save", broken_save)
    with pytest.raises(RuntimeError):
        sharing.post_done(by=member, post=post, with_actor=other_actor)
    assert not Collaboration.objects.exists()
    assert not Participation.objects.exists()


def test_the_poster_withdraws_and_nobody_else(post, member, other_member):
    with pytest.raises(ValidationError):
        sharing.post_withdraw(by=other_member, post=post)
    assert SharingPost.objects.get().status == SharingPost.Status.OPEN
    sharing.post_withdraw(by=member, post=post)
    assert SharingPost.objects.get().status == SharingPost.Status.WITHDRAWN
    assert not Collaboration.objects.exists()


def test_the_board_shows_open_posts_until_their_date(member, actor, other_actor):
    today = make_post(member, actor, title="I dag", expires_on=days(0))
    expire(make_post(member, actor, title="I går"))
    sharing.post_done(by=member, post=make_post(member, actor, title="Ude"), with_actor=other_actor)
    sharing.post_withdraw(by=member, post=make_post(member, actor, title="Trukket"))
    assert list(sharing.on_board()) == [today]
    assert not sharing.on_board(today=days(1)).exists()


# --- the pages: who may ---------------------------------------------------------------


def test_the_board_needs_a_sign_in(anonymous, post):
    for url in [
        reverse("collaboration:sharing"),
        reverse("collaboration:sharing-create"),
        reverse("collaboration:sharing-detail", args=[post.pk]),
    ]:
        response = anonymous.get(url)
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith(reverse("account_login"))
    for name in ["sharing-answer", "sharing-done", "sharing-withdraw"]:
        response = anonymous.post(reverse(f"collaboration:{name}", args=[post.pk]))
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith(reverse("account_login"))
    assert not SharingAnswer.objects.exists()
    assert SharingPost.objects.get().status == SharingPost.Status.OPEN


def test_the_actions_take_post_only(member_client, post):
    for name in ["sharing-answer", "sharing-done", "sharing-withdraw"]:
        response = member_client.get(reverse(f"collaboration:{name}", args=[post.pk]))
        assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_someone_without_an_actor_reads_the_board_but_cannot_post_or_answer(post):
    client = client_for(UserFactory())
    board = client.get(reverse("collaboration:sharing"), **EN).content.decode()
    assert post.title in board
    assert "Offer something" not in board
    assert client.get(reverse("collaboration:sharing-create")).status_code == HTTPStatus.FORBIDDEN
    detail = client.get(reverse("collaboration:sharing-detail", args=[post.pk]), **EN)
    assert "To answer, you need to act for an actor in the house." in detail.content.decode()
    assert 'name="message"' not in detail.content.decode()


# --- the board -------------------------------------------------------------------------


def test_the_board_has_offered_and_sought_and_hides_expired_and_done(
    member, actor, other_member, other_actor
):
    make_post(member, actor, title="Lån vores projektor")
    make_post(
        other_member,
        other_actor,
        title="Søger frivillige",
        direction="seek",
        category=SharingPost.Category.VOLUNTEERS,
    )
    expire(make_post(member, actor, title="Gammel bordtennisplade"))
    sharing.post_done(
        by=member, post=make_post(member, actor, title="Kaffemaskine"), with_actor=other_actor
    )
    sharing.post_withdraw(by=member, post=make_post(member, actor, title="Trukket tilbage"))
    page = client_for(other_member).get(reverse("collaboration:sharing"), **EN).content.decode()
    offered, sought = page.index('id="column-offer">Offered'), page.index('id="column-seek">Sought')
    assert offered < page.index("Lån vores projektor") < sought
    assert sought < page.index("Søger frivillige")
    for hidden in ["Gammel bordtennisplade", "Kaffemaskine", "Trukket tilbage"]:
        assert hidden not in page
    assert "?show=done" in page

    done = client_for(other_member).get(reverse("collaboration:sharing") + "?show=done", **EN)
    done = done.content.decode()
    assert "Kaffemaskine" in done
    assert f"Done with {other_actor.name}" in done
    for hidden in ["Lån vores projektor", "Gammel bordtennisplade", "Trukket tilbage"]:
        assert hidden not in done


def test_the_board_filters_by_category_and_direction(member, actor, member_client):
    make_post(member, actor, title="Lokale tirsdag", category=SharingPost.Category.ROOM)
    make_post(member, actor, title="Boremaskine", category=SharingPost.Category.EQUIPMENT)
    make_post(
        member, actor, title="Sponsor søges", direction="seek", category=SharingPost.Category.MONEY
    )
    url = reverse("collaboration:sharing")
    rooms = member_client.get(url + "?category=room", **EN).content.decode()
    assert "Lokale tirsdag" in rooms
    assert "Boremaskine" not in rooms and "Sponsor søges" not in rooms
    sought = member_client.get(url + "?direction=seek", **EN).content.decode()
    assert "Sponsor søges" in sought
    assert "Lokale tirsdag" not in sought and "Boremaskine" not in sought
    assert 'id="column-offer"' not in sought


def test_the_board_runs_the_same_queries_for_3_and_30_posts(
    member, actor, member_client, other_member, other_actor, django_assert_max_num_queries
):
    url = reverse("collaboration:sharing")

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert member_client.get(url).status_code == HTTPStatus.OK
        return len(queries)

    def add_posts(n):
        for i in range(n):
            post = make_post(member, actor, title=f"Ting {i}", direction=["offer", "seek"][i % 2])
            sharing.post_answer(by=other_member, post=post, actor=other_actor, message="Ja tak")

    add_posts(3)
    count_queries()  # the first request of a session pays for setting it up
    small = count_queries()
    add_posts(27)
    assert count_queries() == small
    with django_assert_max_num_queries(10):
        member_client.get(url)


# --- creating through the form -------------------------------------------------------


def form_data(actor, **extra):
    return {
        "actor": actor.pk,
        "direction": "offer",
        "category": "equipment",
        "title": "Højtalere",
        "description": "Til fester",
        "expires_on": days(30).isoformat(),
        **extra,
    }


def test_a_member_posts_through_the_form(member_client, actor):
    url = reverse("collaboration:sharing-create")
    page = member_client.get(url + "?direction=seek", **EN).content.decode()
    assert re.search(r'<input[^>]*value="seek"[^>]*checked', page)
    assert not re.search(r'<input[^>]*value="offer"[^>]*checked', page)
    response = member_client.post(url, form_data(actor))
    post = SharingPost.objects.get()
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("collaboration:sharing-detail", args=[post.pk])
    assert (post.actor, post.title, post.expires_on) == (actor, "Højtalere", days(30))


def test_the_form_offers_only_the_members_actors(member_client, actor, other_actor):
    page = member_client.get(reverse("collaboration:sharing-create")).content.decode()
    assert actor.name in page and other_actor.name not in page
    response = member_client.post(reverse("collaboration:sharing-create"), form_data(other_actor))
    assert response.status_code == HTTPStatus.OK
    assert not SharingPost.objects.exists()


def test_a_bad_date_in_the_form_is_explained_and_nothing_is_saved(member_client, actor):
    response = member_client.post(
        reverse("collaboration:sharing-create"),
        form_data(actor, expires_on=days(-3).isoformat()),
        **EN,
    )
    assert response.status_code == HTTPStatus.OK
    assert "The post cannot end in the past. Choose today or a later date." in (
        response.content.decode()
    )
    assert not SharingPost.objects.exists()


# --- the post, answers, done and withdraw through the pages -------------------------------


def test_another_member_reads_the_post_with_contact_and_answers(post, actor, other_member):
    Actor.objects.filter(pk=actor.pk).update(contact_email="kvinder@example.org")
    client = client_for(other_member)
    url = reverse("collaboration:sharing-detail", args=[post.pk])
    page = client.get(url, **EN).content.decode()
    assert post.title in page and "kvinder@example.org" in page
    assert "Answer this post" in page
    assert "Mark as done" not in page and "Withdraw the post" not in page
    response = client.post(
        reverse("collaboration:sharing-answer", args=[post.pk]),
        {"actor": other_member.memberships.get().actor_id, "message": "Vi låner gerne"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == url + "#answers"
    answer = SharingAnswer.objects.get()
    assert (answer.actor.name, answer.user) == ("Basen", other_member)
    assert "Vi låner gerne" in client.get(url).content.decode()


def test_the_poster_cannot_answer_for_their_own_actor(post, member_client, actor):
    response = member_client.post(
        reverse("collaboration:sharing-answer", args=[post.pk]),
        {"actor": actor.pk, "message": "Os selv"},
    )
    assert response.status_code == HTTPStatus.OK
    assert not SharingAnswer.objects.exists()


def test_an_empty_answer_is_explained_on_the_post(post, other_member, other_actor):
    response = client_for(other_member).post(
        reverse("collaboration:sharing-answer", args=[post.pk]),
        {"actor": other_actor.pk, "message": ""},
        **EN,
    )
    assert response.status_code == HTTPStatus.OK
    assert "This field is required." in response.content.decode()
    assert not SharingAnswer.objects.exists()


def test_an_expired_post_is_readable_but_takes_no_answer(post, other_member, other_actor):
    expire(post)
    client = client_for(other_member)
    page = client.get(reverse("collaboration:sharing-detail", args=[post.pk]), **EN)
    assert "Past its date" in page.content.decode()
    assert 'name="message"' not in page.content.decode()
    response = client.post(
        reverse("collaboration:sharing-answer", args=[post.pk]),
        {"actor": other_actor.pk, "message": "For sent?"},
    )
    assert response.status_code == HTTPStatus.FOUND
    assert not SharingAnswer.objects.exists()


def test_the_poster_marks_done_with_an_answering_actor(
    post, member, member_client, other_member, other_actor
):
    sharing.post_answer(by=other_member, post=post, actor=other_actor, message="Ja tak")
    detail = reverse("collaboration:sharing-detail", args=[post.pk])
    page = member_client.get(detail, **EN).content.decode()
    assert '<optgroup label="Answered the post">' in page
    assert page.index("Answered the post") < page.index(f'value="{other_actor.pk}"')
    response = member_client.post(
        reverse("collaboration:sharing-done", args=[post.pk]), {"with_actor": other_actor.pk}
    )
    assert response.status_code == HTTPStatus.FOUND
    collaboration = Collaboration.objects.get()
    assert set(collaboration.actors.all()) == {post.actor, other_actor}
    assert SharingPost.objects.get().collaboration == collaboration
    # The other actor's people see the post as done, with the way to the logged exchange.
    page = client_for(other_member).get(detail, **EN).content.decode()
    assert f"Done with {other_actor.name}." in page
    assert collaboration.get_absolute_url() in page


def test_the_poster_may_mark_done_with_an_actor_that_did_not_answer(post, member_client):
    third = ActorFactory(name="Ungdomsklubben")
    page = member_client.get(reverse("collaboration:sharing-detail", args=[post.pk]), **EN)
    assert "Other actors in the house" in page.content.decode()
    member_client.post(
        reverse("collaboration:sharing-done", args=[post.pk]), {"with_actor": third.pk}
    )
    assert SharingPost.objects.get().done_with == third


def test_done_with_nobody_is_explained_and_nothing_is_logged(post, member_client, actor):
    for data in [{}, {"with_actor": actor.pk}, {"with_actor": 99999}]:
        response = member_client.post(reverse("collaboration:sharing-done", args=[post.pk]), data)
        assert response.status_code == HTTPStatus.OK
        assert 'class="errorlist' in response.content.decode()
    assert not Collaboration.objects.exists()
    assert SharingPost.objects.get().status == SharingPost.Status.OPEN


def test_another_member_cannot_mark_done_or_withdraw(post, other_member, other_actor):
    client = client_for(other_member)
    done = client.post(
        reverse("collaboration:sharing-done", args=[post.pk]), {"with_actor": other_actor.pk}
    )
    withdraw = client.post(reverse("collaboration:sharing-withdraw", args=[post.pk]))
    assert done.status_code == HTTPStatus.NOT_FOUND
    assert withdraw.status_code == HTTPStatus.NOT_FOUND
    assert not Collaboration.objects.exists()
    assert SharingPost.objects.get().status == SharingPost.Status.OPEN


def test_a_coordinator_marks_done_through_the_page(post, coordinator_client, other_actor):
    response = coordinator_client.post(
        reverse("collaboration:sharing-done", args=[post.pk]), {"with_actor": other_actor.pk}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert Collaboration.objects.count() == 1


def test_the_poster_withdraws_and_the_post_is_gone_for_others(post, member_client, other_member):
    response = member_client.post(reverse("collaboration:sharing-withdraw", args=[post.pk]))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("collaboration:sharing")
    assert SharingPost.objects.get().status == SharingPost.Status.WITHDRAWN
    detail = reverse("collaboration:sharing-detail", args=[post.pk])
    assert client_for(other_member).get(detail).status_code == HTTPStatus.NOT_FOUND
    assert member_client.get(detail).status_code == HTTPStatus.OK
    again = member_client.post(reverse("collaboration:sharing-withdraw", args=[post.pk]))
    assert again.status_code == HTTPStatus.FOUND
    assert not Collaboration.objects.exists()


def test_the_post_page_runs_the_same_queries_for_2_and_20_answers(post, member, member_client):
    url = reverse("collaboration:sharing-detail", args=[post.pk])

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert member_client.get(url).status_code == HTTPStatus.OK
        return len(queries)

    def add_answers(n):
        for _ in range(n):
            membership = MembershipFactory()
            sharing.post_answer(
                by=membership.user, post=post, actor=membership.actor, message="Ja tak"
            )

    add_answers(2)
    count_queries()  # the first request of a session pays for setting it up
    small = count_queries()
    add_answers(18)
    assert count_queries() == small
