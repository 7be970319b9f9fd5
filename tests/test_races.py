"""Check-then-write under real concurrency (PostgreSQL): several processes,
each on its own connection, released together on the same short name, vote,
answer, deal, seat or membership, over several rounds. Every one of them ends
in success or in the message a person gets when they come a moment later;
never a crash, and the data holds what it should (one facility per name, one
vote per rule, one deal per post...). Where a check is quick, ``hesitating``
slows it so that every contender passes it before any of them writes."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from actors import services as actor_services
from actors.models import Actor, Invitation, Membership, Offer
from bookings import services as booking_services
from bookings.models import Facility, Room
from centre import services as centre_services
from centre.models import ClosedDay, OpeningHours, User
from collaboration.council import meetings, rules, seats
from collaboration.digest import subscriptions
from collaboration.log import services as log_services
from collaboration.models import (
    CouncilMember,
    DigestSubscription,
    Form,
    HouseRule,
    Meeting,
    Participation,
    SharingPost,
)
from collaboration.sharing import services as sharing
from tests.conftest import hesitating, race
from tests.factories import (
    ActorFactory,
    CouncilMemberFactory,
    InvitationFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("english_messages")]

PROCESSES = 6
ROUNDS = 3


def refusal(obj) -> str:
    """The outcome of a contender that comes a moment after ``obj``'s twin was saved."""
    try:
        obj.validate_unique()
        obj.validate_constraints()
    except ValidationError as error:
        return "refused: " + " ".join(error.messages)
    raise AssertionError(f"{obj!r} is not refused")


def no_crash(outcomes: list[str]) -> None:
    crashed = [o for o in outcomes if o.startswith("crashed")]
    assert not crashed, crashed[0]


# --- short names ---------------------------------------------------------------------------


def test_facilities_named_alike_at_once_each_get_their_own_short_name(
    transactional_db, coordinator
):
    def one_round(round_: int) -> None:
        # Six names, one short name: "scene-0", then "scene-0-2" and on.
        names = [f"Scene {round_}{mark}" for mark in ("", "!", "?", ".", "*", "+")]

        def add(n: int) -> str:
            with hesitating(Facility, "full_clean"):
                item = actor_services.vocabulary_add(model=Facility, name=names[n], by=coordinator)
            return item.slug

        outcomes = race(add, PROCESSES)
        no_crash(outcomes)
        base = f"scene-{round_}"
        assert sorted(outcomes) == sorted([base] + [f"{base}-{n}" for n in range(2, 7)])
        saved = Facility.objects.filter(slug__startswith=base)
        assert sorted(saved.values_list("name", flat=True)) == sorted(names)

    for round_ in range(ROUNDS):
        one_round(round_)


def test_one_facility_name_added_at_once_is_added_once(transactional_db, coordinator):
    def one_round(round_: int) -> None:
        name = f"Lydanlæg {round_}"

        def add(n: int) -> str:
            with hesitating(Facility, "full_clean"):
                actor_services.vocabulary_add(model=Facility, name=name, by=coordinator)
            return "added"

        outcomes = race(add, PROCESSES)
        no_crash(outcomes)
        assert outcomes.count("added") == 1, outcomes
        twin = Facility(name=name, slug=f"other-{round_}")
        assert set(outcomes) - {"added"} == {refusal(twin)}
        assert Facility.objects.filter(name=name).count() == 1

    for round_ in range(ROUNDS):
        one_round(round_)


def test_the_facilities_page_sent_at_once_answers_each_without_an_error(
    transactional_db, coordinator
):
    url = reverse("bookings:facilities")

    def one_round(round_: int) -> None:
        # Three people type the same name; three more names give the same short name.
        names = [f"Projektor {round_}"] * 3 + [f"Projektor {round_}{m}" for m in "!?."]

        def send(n: int) -> str:
            client = Client()
            client.force_login(coordinator)
            with hesitating(Facility, "full_clean"):
                response = client.post(url, {"name": names[n]})
            if response.status_code == 200:
                errors = re.findall(
                    r'(?s)<ul class="errorlist"[^>]*>\s*<li>(.*?)</li>', response.content.decode()
                )
                return f"200 {errors}"
            return str(response.status_code)

        outcomes = race(send, PROCESSES)
        no_crash(outcomes)
        with translation.override("da"):  # the page's language
            twin = refusal(Facility(name=names[0], slug="x"))[len("refused: ") :]
        assert sorted(outcomes) == ["200 " + str([twin])] * 2 + ["302"] * 4, outcomes
        assert Facility.objects.filter(name__startswith=f"Projektor {round_}").count() == 4

    for round_ in range(ROUNDS):
        one_round(round_)


def test_actors_given_one_short_name_at_once_get_it_once(transactional_db, coordinator):
    def one_round(round_: int) -> None:
        slug = f"faellesskabet-{round_}"

        def create(n: int) -> str:
            with hesitating(Actor, "full_clean"):
                actor_services.actor_create(
                    by=coordinator,
                    name=f"Fællesskabet {round_}.{n}",
                    slug=slug,
                    kind=Actor.Kind.ASSOCIATION,
                )
            return "created"

        outcomes = race(create, PROCESSES)
        no_crash(outcomes)
        assert outcomes.count("created") == 1, outcomes
        assert set(outcomes) - {"created"} == {
            "refused: This short name is taken by another actor. Choose another."
        }
        assert Actor.objects.filter(slug=slug).count() == 1

    for round_ in range(ROUNDS):
        one_round(round_)


def test_rooms_given_one_short_name_at_once_get_it_once(transactional_db, coordinator):
    def one_round(round_: int) -> None:
        slug = f"salen-{round_}"

        def save(n: int) -> str:
            with hesitating(Room, "full_clean"):
                booking_services.room_save(
                    room=Room(), by=coordinator, name=f"Salen {n}", slug=slug, capacity=10
                )
            return "saved"

        outcomes = race(save, PROCESSES)
        no_crash(outcomes)
        assert outcomes.count("saved") == 1, outcomes
        assert set(outcomes) - {"saved"} == {refusal(Room(name="x", slug=slug, capacity=1))}
        assert Room.objects.filter(slug=slug).count() == 1

    for round_ in range(ROUNDS):
        one_round(round_)


def test_offers_given_one_title_at_once_get_it_once(transactional_db, actor_admin, actor):
    def one_round(round_: int) -> None:
        title = f"Lektiecafé {round_}"

        def save(n: int) -> str:
            with hesitating(Offer, "full_clean"):
                actor_services.offer_save(offer=Offer(actor=actor, title=title), by=actor_admin)
            return "saved"

        outcomes = race(save, PROCESSES)
        no_crash(outcomes)
        assert outcomes.count("saved") == 1, outcomes
        assert set(outcomes) - {"saved"} == {refusal(Offer(actor=actor, title=title))}
        assert Offer.objects.filter(actor=actor, title=title).count() == 1

    for round_ in range(ROUNDS):
        one_round(round_)


# --- the house -----------------------------------------------------------------------------


def test_one_closed_day_added_at_once_is_added_once(transactional_db):
    def one_round(round_: int) -> None:
        day = datetime.date(2031, 8, 1 + round_)

        def save(n: int) -> str:
            with hesitating(ClosedDay, "full_clean"):
                centre_services.closed_day_save(closed_day=ClosedDay(date=day, name=f"Lukket {n}"))
            return "saved"

        outcomes = race(save, PROCESSES)
        no_crash(outcomes)
        assert outcomes.count("saved") == 1, outcomes
        assert set(outcomes) - {"saved"} == {refusal(ClosedDay(date=day, name="x"))}
        assert ClosedDay.objects.filter(date=day).count() == 1

    for round_ in range(ROUNDS):
        one_round(round_)


def test_weeks_of_opening_hours_saved_at_once_leave_one_whole_week(transactional_db):
    weeks = [
        [(weekday, datetime.time(8 + n % 3), datetime.time(16 + n)) for weekday in range(5)]
        for n in range(PROCESSES)
    ]

    def one_round(_round: int) -> None:

        def replace(n: int) -> str:
            with hesitating(centre_services, "check_hours"):
                centre_services.opening_hours_replace(rows=weeks[n])
            return "saved"

        outcomes = race(replace, PROCESSES)
        no_crash(outcomes)
        assert outcomes == ["saved"] * PROCESSES
        saved = list(OpeningHours.objects.values_list("weekday", "opens", "closes"))
        assert sorted(saved) in [sorted(week) for week in weeks]

    for _round in range(ROUNDS):
        one_round(_round)


# --- the council ---------------------------------------------------------------------------


@pytest.fixture
def voting_council(transactional_db, coordinator):
    for _ in range(5):
        CouncilMemberFactory(since=datetime.date(2025, 1, 1))
    return coordinator


def test_votes_recorded_at_once_on_one_rule_are_recorded_once(voting_council):
    today = timezone.localdate()
    meeting = Meeting.objects.create(date=today, title="Husmøde")

    def one_round(round_: int) -> None:
        rule = rules.rule_propose(by=voting_council, title=f"Regel {round_}", text="Ryd op.")

        def vote(n: int) -> str:
            rules.rule_vote(
                by=voting_council,
                rule=rule,
                votes_for=n % 4,
                votes_against=1,
                votes_abstain=0,
                voted_on=today,
                meeting=meeting,
            )
            return f"voted {n}"

        outcomes = race(vote, PROCESSES)
        no_crash(outcomes)
        won = [o for o in outcomes if o.startswith("voted")]
        assert len(won) == 1, outcomes
        rule.refresh_from_db()
        status = rule.get_status_display().lower()
        assert set(outcomes) - set(won) == {
            f"refused: This rule has already been decided ({status}): it cannot be voted on again."
        }
        winner = int(won[0].split()[1])
        assert (rule.votes_for, rule.votes_against) == (winner % 4, 1)
        assert rule.decisions.count() == 1

    for round_ in range(ROUNDS):
        one_round(round_)


def test_a_meeting_moved_while_votes_are_recorded_at_it_keeps_their_date(voting_council):
    today = timezone.localdate()

    def one_round(round_: int) -> None:
        held = today - datetime.timedelta(days=10 + round_)
        meeting = Meeting.objects.create(date=held, title=f"Møde {round_}")
        proposed = [
            rules.rule_propose(
                by=voting_council,
                title=f"Regel {round_}.{n}",
                text="Luk vinduerne.",
                proposed_on=held,
            )
            for n in range(PROCESSES)
        ]

        def act(n: int) -> str:
            if n % 2:
                meetings.meeting_save(
                    by=voting_council, meeting=meeting, date=held - datetime.timedelta(days=n)
                )
                return "moved"
            rules.rule_vote(
                by=voting_council,
                rule=proposed[n],
                votes_for=2,
                votes_against=1,
                votes_abstain=0,
                voted_on=held,
                meeting=meeting,
            )
            return "voted"

        outcomes = race(act, PROCESSES)
        no_crash(outcomes)
        meeting.refresh_from_db()
        assert all(o in ("moved", "voted") or o.startswith("refused: ") for o in outcomes)
        voted = HouseRule.objects.filter(meeting=meeting)
        assert set(voted.values_list("voted_on", flat=True)) <= {meeting.date}
        assert voted.count() == outcomes.count("voted")
        if outcomes.count("voted"):
            assert meeting.date == held and outcomes.count("moved") == 0

    for round_ in range(ROUNDS):
        one_round(round_)


def test_seats_given_at_once_leave_one_chair_and_one_seat_a_person(transactional_db, coordinator):
    since = datetime.date(2026, 1, 1)

    def one_round(_round: int) -> None:
        CouncilMember.objects.all().delete()
        people = [UserFactory() for _ in range(PROCESSES)]
        same = UserFactory()

        def chair(n: int) -> str:
            seats.seat_save(
                by=coordinator,
                user=people[n],
                actor=None,
                role=CouncilMember.Role.CHAIR,
                since=since,
            )
            return "chair"

        outcomes = race(chair, PROCESSES)
        no_crash(outcomes)
        assert outcomes.count("chair") == 1, outcomes
        assert all("already has a chair" in o for o in outcomes if o != "chair")
        assert CouncilMember.objects.filter(role=CouncilMember.Role.CHAIR).count() == 1

        def member(n: int) -> str:
            seats.seat_save(
                by=coordinator,
                user=same,
                actor=None,
                role=CouncilMember.Role.MEMBER,
                since=since,
            )
            return "seated"

        outcomes = race(member, PROCESSES)
        no_crash(outcomes)
        assert outcomes.count("seated") == 1, outcomes
        assert all("already has a seat" in o for o in outcomes if o != "seated")
        assert CouncilMember.objects.filter(user=same).count() == 1

    for _round in range(ROUNDS):
        one_round(_round)


# --- collaborations and the sharing board --------------------------------------------------


def test_a_part_answered_at_once_keeps_the_answer_that_was_given(
    transactional_db, member, actor, other_actor
):
    people = [MembershipFactory(actor=other_actor).user for _ in range(PROCESSES)]

    def one_round(round_: int) -> None:
        collaboration = log_services.collaboration_log(
            by=member,
            on_behalf_of=actor,
            title=f"Fællesspisning {round_}",
            form=Form.KNOWLEDGE,
            actors=[actor, other_actor],
        )
        # As the page does: each reads the part, then answers.
        theirs = collaboration.participations.get(actor=other_actor)

        def answer(n: int) -> str:
            confirm = n % 2 == 0
            log_services.participation_answer(
                by=people[n], participation=theirs, confirm=confirm, note=f"Note {n}"
            )
            return "confirmed" if confirm else f"disputed {n}"

        outcomes = race(answer, PROCESSES)
        no_crash(outcomes)
        theirs.refresh_from_db()
        given = [o for o in outcomes if not o.startswith("refused")]
        refused = [o for o in outcomes if o.startswith("refused")]
        assert all("at the same moment" in o for o in refused), refused
        if theirs.status == Participation.Status.CONFIRMED:
            # Confirming twice is the same outcome; no dispute went through unseen.
            assert given and set(given) == {"confirmed"}, outcomes
        else:
            assert theirs.status == Participation.Status.DISPUTED
            assert given == [f"disputed {theirs.note.split()[1]}"], outcomes

    for round_ in range(ROUNDS):
        one_round(round_)


def test_a_post_marked_done_at_once_makes_one_deal(transactional_db, member, actor):
    partners = [ActorFactory() for _ in range(PROCESSES)]

    def one_round(round_: int) -> None:
        post = sharing.post_create(
            by=member,
            actor=actor,
            direction="offer",
            category="equipment",
            title=f"Borde {round_}",
            expires_on=timezone.localdate(),
        )

        def done(n: int) -> str:
            sharing.post_done(by=member, post=post, with_actor=partners[n])
            return f"done {n}"

        outcomes = race(done, PROCESSES)
        no_crash(outcomes)
        won = [o for o in outcomes if o.startswith("done")]
        assert len(won) == 1, outcomes
        assert set(outcomes) - set(won) == {"refused: This post is already closed."}
        post.refresh_from_db()
        assert post.status == SharingPost.Status.DONE
        assert post.done_with == partners[int(won[0].split()[1])]
        # One resource exchange, between the two: the losers logged nothing.
        assert set(post.collaboration.participations.values_list("actor", flat=True)) == {
            actor.pk,
            post.done_with_id,
        }
        assert actor.participations.filter(collaboration__title=post.title).count() == 1

    for round_ in range(ROUNDS):
        one_round(round_)


# --- people --------------------------------------------------------------------------------


def test_an_invitation_accepted_at_once_gives_one_membership(transactional_db, actor):
    def one_round(round_: int) -> None:
        invitation = InvitationFactory(actor=actor, email=f"ny{round_}@example.org")
        people = [UserFactory() for _ in range(PROCESSES)]
        same = UserFactory()
        twice = InvitationFactory(actor=actor, email=same.email)

        def accept(n: int) -> str:
            actor_services.invitation_accept(invitation=invitation, user=people[n])
            return f"joined {n}"

        outcomes = race(accept, PROCESSES)
        no_crash(outcomes)
        won = [o for o in outcomes if o.startswith("joined")]
        assert len(won) == 1, outcomes
        assert set(outcomes) - set(won) == {
            "refused: This invitation has already been used. Sign in to continue."
        }
        members = Membership.objects.filter(actor=actor, user__in=people)
        assert list(members.values_list("user", flat=True)) == [people[int(won[0].split()[1])].pk]

        outcomes = race(
            lambda n: actor_services.invitation_accept(invitation=twice, user=same) and "joined",
            PROCESSES,
        )
        no_crash(outcomes)
        assert outcomes.count("joined") == 1, outcomes
        assert Membership.objects.filter(actor=actor, user=same).count() == 1

    for round_ in range(ROUNDS):
        one_round(round_)


def test_invitations_of_one_person_accepted_at_once_give_one_membership(transactional_db, actor):
    def one_round(_round: int) -> None:
        person = UserFactory()
        links = [InvitationFactory(actor=actor, email=person.email) for _ in range(PROCESSES)]

        def accept(n: int) -> str:
            actor_services.invitation_accept(invitation=links[n], user=person)
            return "joined"

        outcomes = race(accept, PROCESSES)
        no_crash(outcomes)
        assert outcomes == ["joined"] * PROCESSES
        assert Membership.objects.filter(actor=actor, user=person).count() == 1

    for _round in range(ROUNDS):
        one_round(_round)


def test_one_address_invited_at_once_has_one_pending_link(transactional_db, actor_admin, actor):
    def one_round(round_: int) -> None:
        email = f"inviteret{round_}@example.org"

        def invite(n: int) -> str:
            actor_services.invitation_create(
                actor=actor, email=email, role=Membership.Role.MEMBER, by=actor_admin
            )
            return "invited"

        outcomes = race(invite, PROCESSES)
        no_crash(outcomes)
        assert outcomes == ["invited"] * PROCESSES
        assert Invitation.objects.filter(email=email).count() == PROCESSES
        assert Invitation.objects.pending().filter(email=email).count() == 1

    # One invitation first, so the contenders find the mail's modules loaded.
    actor_services.invitation_create(
        actor=actor, email="first@example.org", role=Membership.Role.MEMBER, by=actor_admin
    )
    for round_ in range(ROUNDS):
        one_round(round_)


def test_administrators_demoting_each_other_at_once_leave_one(transactional_db, actor):
    def one_round(_round: int) -> None:
        Membership.objects.filter(actor=actor).delete()
        first, second = (
            MembershipFactory(actor=actor, role=Membership.Role.ADMIN) for _ in range(2)
        )

        def demote(n: int) -> str:
            by, other = (first, second) if n % 2 else (second, first)
            actor_services.membership_change_role(
                membership=other, role=Membership.Role.MEMBER, by=by.user
            )
            return "demoted"

        outcomes = race(demote, PROCESSES)
        no_crash(outcomes)
        assert Membership.objects.filter(actor=actor, role=Membership.Role.ADMIN).count() == 1
        assert "demoted" in outcomes
        assert all(
            o == "demoted" or "needs at least one administrator" in o or "no longer" in o
            for o in outcomes
        ), outcomes

    for _round in range(ROUNDS):
        one_round(_round)


def test_a_digest_subscription_made_at_once_is_made_once(transactional_db):
    def one_round(_round: int) -> None:
        person = UserFactory()

        def choose(n: int) -> str:
            if n % 2:
                subscriptions.unsubscribe(person)
                return "unsubscribed"
            return f"read {subscriptions.subscription_for(person).pk}"

        outcomes = race(choose, PROCESSES)
        no_crash(outcomes)
        assert DigestSubscription.objects.filter(user=person).count() == 1
        pk = DigestSubscription.objects.get(user=person).pk
        assert {o for o in outcomes if o.startswith("read")} == {f"read {pk}"}

    for _round in range(ROUNDS):
        one_round(_round)


# --- accounts ------------------------------------------------------------------------------


def test_one_address_signed_up_at_once_gets_one_account(transactional_db):
    def one_round(round_: int) -> None:
        email = f"dobbeltklik{round_}@example.org"
        form = {
            "email": email,
            "password1": "et-langt-kodeord-42",
            "password2": "et-langt-kodeord-42",
        }

        def sign_up(n: int) -> str:
            # A double click, or two tabs: each its own browser and address.
            response = Client(REMOTE_ADDR=f"10.0.{round_}.{n}").post(
                reverse("account_signup"), form
            )
            return f"{response.status_code} {response.get('Location', '')}"

        outcomes = race(sign_up, PROCESSES)
        no_crash(outcomes)
        assert outcomes == [f"302 {reverse('account_email_verification_sent')}"] * PROCESSES
        assert User.objects.filter(email=email).count() == 1

    # One sign-up first, so the contenders find its modules and templates loaded.
    Client().post(
        reverse("account_signup"),
        {
            "email": "first@example.org",
            "password1": "et-langt-kodeord-42",
            "password2": "et-langt-kodeord-42",
        },
    )
    for round_ in range(ROUNDS):
        one_round(round_)
