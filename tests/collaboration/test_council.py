"""The house council: seats, house rules with recorded votes, meetings. The rules
in collaboration/council/, and the pages for each role, allowed and refused."""

import datetime
from http import HTTPStatus

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from centre.models import Centre
from collaboration import council, permissions
from collaboration.council import demo as council_demo
from collaboration.models import CouncilMember, Decision, HouseRule, Meeting
from tests.factories import ActorFactory, CouncilMemberFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
SINCE = datetime.date(2025, 1, 1)


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def one_vote_per_actor(on: bool) -> None:
    centre = Centre.load()
    centre.one_vote_per_actor = on
    centre.save()


def seat(role=CouncilMember.Role.MEMBER, **fields) -> CouncilMember:
    return CouncilMemberFactory(role=role, **fields)


def fresh(user):
    """The same person without the permission answers cached on the object."""
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def chair(db):
    return seat(CouncilMember.Role.CHAIR, user__email="chair@example.org").user


@pytest.fixture
def substitute(db):
    return seat(CouncilMember.Role.SUBSTITUTE, user__email="substitute@example.org").user


@pytest.fixture
def proposed(council_member):
    return council.rule_propose(
        by=council_member,
        title="Ro efter kl. 22",
        text="Efter kl. 22 er der ro i huset.",
        proposed_on=days(-30),
    )


def vote(rule, by, for_=2, against=0, abstain=0, on=None, meeting=None):
    return council.rule_vote(
        by=by,
        rule=rule,
        votes_for=for_,
        votes_against=against,
        votes_abstain=abstain,
        voted_on=on or days(-1),
        meeting=meeting,
    )


def make_rule(title, status, by, **fields):
    """A rule in a given state, through the services."""
    rule = council.rule_propose(by=by, title=title, text=f"{title}.", proposed_on=days(-60))
    if status == HouseRule.Status.PROPOSED:
        return rule
    if status == HouseRule.Status.REJECTED:
        return vote(rule, by, for_=0, against=1, on=days(-20))
    rule = vote(rule, by, for_=1, on=days(-20))
    if status == HouseRule.Status.REPEALED:
        rule = council.rule_repeal(by=by, rule=rule, repealed_on=days(-2))
    return rule


# --- who may -----------------------------------------------------------------------


def test_the_roles_of_the_council(coordinator, chair, council_member, substitute, member):
    anonymous = AnonymousUser()
    former = seat(since=SINCE, until=days(-1)).user
    coming = seat(since=days(5)).user
    for user, propose, record in [
        (coordinator, True, True),
        (chair, True, True),
        (council_member, True, False),
        (substitute, True, False),
        (member, False, False),
        (former, False, False),
        (coming, False, False),
        (anonymous, False, False),
    ]:
        assert permissions.can_propose(user) is propose, user
        assert permissions.can_record_votes(user) is record, user
        assert permissions.can_edit_meetings(user) is record, user
        assert permissions.can_edit_seats(user) is (user == coordinator), user
        assert permissions.can_read_council(user) is (user != anonymous), user


# --- seats -------------------------------------------------------------------------


def seat_save(by, user, actor=None, role=CouncilMember.Role.MEMBER, since=SINCE, until=None, **kw):
    return council.seat_save(
        by=by, user=user, actor=actor, role=role, since=since, until=until, **kw
    )


def test_a_coordinator_gives_a_seat_and_ends_it(coordinator, member, actor):
    made = seat_save(coordinator, member, actor)
    assert (made.user, made.actor, made.role, made.until) == (
        member,
        actor,
        CouncilMember.Role.MEMBER,
        None,
    )
    ended = seat_save(coordinator, member, actor, seat=made, until=days(-1))
    assert ended.pk == made.pk
    assert not CouncilMember.objects.current().filter(user=member).exists()


@pytest.mark.parametrize("by", ["chair", "council_member", "member"])
def test_only_coordinators_edit_seats(by, request, other_member):
    with pytest.raises(ValidationError) as error, override("en"):
        seat_save(request.getfixturevalue(by), other_member)
    assert "Only coordinators" in messages_of(error.value)
    assert not CouncilMember.objects.filter(user=other_member).exists()


def test_a_seat_cannot_end_before_it_starts(coordinator, member):
    with pytest.raises(ValidationError) as error, override("en"):
        seat_save(coordinator, member, since=SINCE, until=SINCE - datetime.timedelta(days=1))
    assert error.value.message_dict["until"] == ["A seat cannot end before it starts."]
    assert not CouncilMember.objects.exists()


def test_a_seat_needs_a_person_a_role_and_a_start(coordinator):
    with pytest.raises(ValidationError) as error, override("en"):
        seat_save(coordinator, None, role="king", since=None)
    assert set(error.value.message_dict) == {"user", "role", "since"}
    assert not CouncilMember.objects.exists()


def test_a_person_holds_one_seat_at_a_time(coordinator, council_member, other_actor):
    with pytest.raises(ValidationError) as error, override("en"):
        seat_save(coordinator, council_member, other_actor, since=days(10))
    assert "already has a seat" in messages_of(error.value)
    assert "with no end date" in messages_of(error.value)
    # Overlapping in the past counts too.
    with pytest.raises(ValidationError):
        seat_save(
            coordinator,
            council_member,
            other_actor,
            since=datetime.date(2024, 1, 1),
            until=datetime.date(2025, 1, 1),
        )
    assert CouncilMember.objects.filter(user=council_member).count() == 1
    # Once the first seat ends, a later one is fine; changing a seat is not a clash with itself.
    first = CouncilMember.objects.get(user=council_member)
    seat_save(coordinator, council_member, first.actor, seat=first, until=days(-1))
    second = seat_save(coordinator, council_member, other_actor, since=days(0))
    assert CouncilMember.objects.current().get(user=council_member) == second


def test_the_council_has_one_chair_at_a_time(coordinator, chair, member):
    with pytest.raises(ValidationError) as error, override("en"):
        seat_save(coordinator, member, role=CouncilMember.Role.CHAIR)
    assert "already has a chair" in error.value.message_dict["role"][0]
    assert not CouncilMember.objects.filter(user=member).exists()


def test_an_actor_has_one_voting_seat_when_one_vote_per_actor(
    coordinator, council_member, actor, member
):
    one_vote_per_actor(True)
    with pytest.raises(ValidationError) as error, override("en"):
        seat_save(coordinator, member, actor, role=CouncilMember.Role.MEMBER)
    assert "already has a voting representative" in error.value.message_dict["role"][0]
    assert not CouncilMember.objects.filter(user=member).exists()
    # As a substitute the second person may sit.
    assert seat_save(coordinator, member, actor, role=CouncilMember.Role.SUBSTITUTE).pk


def test_an_actor_may_have_several_voting_seats_without_the_setting(
    coordinator, council_member, actor, member
):
    one_vote_per_actor(False)
    assert seat_save(coordinator, member, actor, role=CouncilMember.Role.MEMBER).pk


def test_an_actor_that_has_left_gets_no_new_seat(coordinator, member):
    gone = ActorFactory(left_on=days(-3))
    with pytest.raises(ValidationError) as error, override("en"):
        seat_save(coordinator, member, gone)
    assert error.value.message_dict["actor"] == [f"{gone} has left the house."]
    assert not CouncilMember.objects.exists()


# --- proposing ---------------------------------------------------------------------


@pytest.mark.parametrize("by", ["coordinator", "chair", "council_member", "substitute"])
def test_council_members_and_coordinators_propose(by, request):
    user = request.getfixturevalue(by)
    rule = council.rule_propose(by=user, title="  Ryd op  ", text=" Ryd op efter dig. ")
    assert (rule.title, rule.text, rule.status) == ("Ryd op", "Ryd op efter dig.", "proposed")
    assert (rule.proposed_by, rule.proposed_on) == (user, timezone.localdate())


def test_others_cannot_propose(member, other_member):
    former = seat(since=SINCE, until=days(-1)).user
    for user in [member, former]:
        with pytest.raises(ValidationError) as error, override("en"):
            council.rule_propose(by=user, title="Ryd op", text="Ryd op efter dig.")
        assert "Only council members and coordinators" in messages_of(error.value)
    assert not HouseRule.objects.exists()


def test_a_proposal_needs_a_title_and_a_text(council_member):
    with pytest.raises(ValidationError) as error, override("en"):
        council.rule_propose(by=council_member, title="  ", text="")
    assert error.value.message_dict == {
        "title": ["Give the rule a short title."],
        "text": ["Write the rule as it should read."],
    }
    with pytest.raises(ValidationError):
        council.rule_propose(by=council_member, title="Ryd op", text="Ryd op.", proposed_on=days(1))
    assert not HouseRule.objects.exists()


# --- voting ------------------------------------------------------------------------


def test_more_for_than_against_adopts(proposed, chair):
    seat()
    rule = vote(proposed, chair, for_=2, against=1, abstain=0, on=days(-2))
    rule.refresh_from_db()
    assert rule.status == HouseRule.Status.ADOPTED
    assert (rule.votes_for, rule.votes_against, rule.votes_abstain) == (2, 1, 0)
    assert rule.voted_on == days(-2)


def test_a_tie_rejects(proposed, coordinator, chair):
    rule = vote(proposed, coordinator, for_=1, against=1, abstain=0)
    assert HouseRule.objects.get(pk=rule.pk).status == HouseRule.Status.REJECTED


def test_a_vote_at_a_meeting_becomes_its_decision(proposed, chair):
    meeting = Meeting.objects.create(date=days(-3), title="Husrådsmøde")
    with override("en"):
        rule = vote(proposed, chair, for_=2, on=days(-3), meeting=meeting)
    assert rule.meeting == meeting
    decision = Decision.objects.get()
    assert (decision.meeting, decision.rule) == (meeting, rule)
    assert decision.text.startswith("Adopted the house rule “Ro efter kl. 22”: 2 for")


def test_the_vote_date_must_be_the_meetings(proposed, chair):
    meeting = Meeting.objects.create(date=days(-3))
    with pytest.raises(ValidationError) as error, override("en"):
        vote(proposed, chair, on=days(-2), meeting=meeting)
    assert "meeting" in error.value.message_dict
    assert_still_proposed(proposed)
    assert not Decision.objects.exists()


def assert_still_proposed(rule):
    rule = HouseRule.objects.get(pk=rule.pk)
    assert rule.status == HouseRule.Status.PROPOSED
    assert (rule.votes_for, rule.votes_against, rule.votes_abstain, rule.voted_on) == (
        None,
        None,
        None,
        None,
    )


@pytest.mark.parametrize("by", ["council_member", "substitute", "member"])
def test_only_coordinators_and_the_chair_record_votes(by, request, proposed, chair):
    with pytest.raises(ValidationError) as error, override("en"):
        vote(proposed, request.getfixturevalue(by))
    assert "Only coordinators and the council's chair" in messages_of(error.value)
    assert_still_proposed(proposed)


@pytest.mark.parametrize(
    ("counts", "field", "message"),
    [
        ((-1, 0, 0), "votes_for", "Enter a whole number of votes, 0 or more."),
        ((1, None, 0), "votes_against", "Enter a number of votes: 0 if nobody voted so."),
        ((1, 0, "2"), "votes_abstain", "Enter a whole number of votes, 0 or more."),
        ((0, 0, 0), "__all__", "No votes were entered. Record at least one vote."),
    ],
)
def test_bad_counts_are_refused(proposed, chair, counts, field, message):
    with pytest.raises(ValidationError) as error, override("en"):
        vote(proposed, chair, *counts)
    assert error.value.message_dict[field] == [message]
    assert_still_proposed(proposed)


def test_the_vote_date_is_not_in_the_future_nor_before_the_proposal(proposed, chair):
    with override("en"):
        with pytest.raises(ValidationError) as error:
            vote(proposed, chair, on=days(1))
        assert error.value.message_dict["voted_on"] == [
            "A vote cannot be recorded before it is held."
        ]
        with pytest.raises(ValidationError) as error:
            vote(proposed, chair, on=days(-31))
        assert "was proposed on" in error.value.message_dict["voted_on"][0]
        with pytest.raises(ValidationError) as error:
            council.rule_vote(
                by=chair,
                rule=proposed,
                votes_for=1,
                votes_against=0,
                votes_abstain=0,
                voted_on=None,
            )
        assert error.value.message_dict["voted_on"] == ["Choose the date the vote was held."]
    assert_still_proposed(proposed)


def test_a_decided_rule_cannot_be_voted_again(proposed, chair):
    vote(proposed, chair, for_=0, against=2)
    with pytest.raises(ValidationError) as error, override("en"):
        vote(proposed, chair, for_=2, against=0)
    assert "already been decided" in messages_of(error.value)
    rule = HouseRule.objects.get(pk=proposed.pk)
    assert (rule.status, rule.votes_for, rule.votes_against) == ("rejected", 0, 2)


def test_a_vote_may_not_hold_more_votes_than_voting_members(proposed, chair, substitute):
    # Voting on the day: the chair and the council member (proposed's author);
    # the substitute, a former and a coming seat do not count.
    seat(since=SINCE, until=days(-10))
    seat(since=days(0))
    one_vote_per_actor(False)
    assert council.voting_members(days(-1)) == 2
    with pytest.raises(ValidationError) as error, override("en"):
        vote(proposed, chair, for_=2, against=0, abstain=1)
    assert error.value.message_dict["__all__"] == [
        f"On {format_date(days(-1))} the council had only 2 voting members (the chair and the "
        "members; substitutes vote only in a member's place), but 3 votes were entered. "
        "Check the numbers."
    ]
    assert_still_proposed(proposed)
    # On a day the former seat was still held, three votes are fine.
    assert vote(proposed, chair, for_=2, against=0, abstain=1, on=days(-20)).status == "adopted"


def format_date(day):
    from django.utils.formats import date_format

    with override("en"):
        return date_format(day, "DATE_FORMAT")


def test_with_one_vote_per_actor_the_limit_is_the_actors(proposed, chair, actor):
    # council_member and a second member both represent `actor`; the chair another actor.
    seat(actor=actor)
    one_vote_per_actor(False)
    assert council.voting_members(days(-1)) == 3
    one_vote_per_actor(True)
    assert council.voting_members(days(-1)) == 2
    with pytest.raises(ValidationError) as error, override("en"):
        vote(proposed, chair, for_=3)
    assert "only 2 actors had a vote on the council (one vote per actor), but 3 votes" in (
        messages_of(error.value)
    )
    assert_still_proposed(proposed)
    assert vote(proposed, chair, for_=2).status == HouseRule.Status.ADOPTED


def test_without_one_vote_per_actor_each_member_votes(proposed, chair, actor):
    seat(actor=actor)
    one_vote_per_actor(False)
    assert vote(proposed, chair, for_=2, against=1).status == HouseRule.Status.ADOPTED


def test_seats_without_an_actor_count_on_their_own(chair):
    seat(actor=None)
    seat(actor=None)
    assert council.voting_members(one_vote_per_actor=True) == 3


# --- repealing ---------------------------------------------------------------------


def test_an_adopted_rule_is_repealed(proposed, chair):
    vote(proposed, chair, on=days(-10))
    meeting = Meeting.objects.create(date=days(-1))
    rule = council.rule_repeal(by=chair, rule=proposed, repealed_on=days(-1), meeting=meeting)
    rule.refresh_from_db()
    assert (rule.status, rule.repealed_on) == (HouseRule.Status.REPEALED, days(-1))
    assert Decision.objects.get(meeting=meeting).rule == rule


def test_only_an_adopted_rule_is_repealed(proposed, chair):
    with pytest.raises(ValidationError) as error, override("en"):
        council.rule_repeal(by=chair, rule=proposed, repealed_on=days(0))
    assert messages_of(error.value) == "Only an adopted rule can be repealed."
    vote(proposed, chair, for_=0, against=1)
    with pytest.raises(ValidationError):
        council.rule_repeal(by=chair, rule=proposed, repealed_on=days(0))
    assert HouseRule.objects.get().status == HouseRule.Status.REJECTED


def test_a_repeal_date_is_after_adoption_and_not_in_the_future(proposed, chair, council_member):
    vote(proposed, chair, on=days(-10))
    with override("en"):
        for day, message in [
            (days(-11), "it cannot be repealed before that"),
            (days(1), "A rule cannot be repealed in the future."),
            (None, "Choose the date the rule was repealed."),
        ]:
            with pytest.raises(ValidationError) as error:
                council.rule_repeal(by=chair, rule=proposed, repealed_on=day)
            assert message in error.value.message_dict["repealed_on"][0]
        with pytest.raises(ValidationError) as error:
            council.rule_repeal(by=council_member, rule=proposed, repealed_on=days(0))
        assert "Only coordinators and the council's chair" in messages_of(error.value)
    rule = HouseRule.objects.get()
    assert (rule.status, rule.repealed_on) == (HouseRule.Status.ADOPTED, None)


# --- meetings ----------------------------------------------------------------------


def test_a_meeting_with_agenda_minutes_and_decisions(chair, proposed):
    meeting = council.meeting_save(
        by=chair,
        date=days(-1),
        title=" Husrådsmøde ",
        agenda="1. Regler",
        minutes="Vi vedtog reglen.",
        publish_minutes=True,
        decisions=[
            {"text": "Reglen om ro vedtages.", "rule": proposed},
            {"text": "", "rule": None},
        ],
    )
    assert (meeting.title, meeting.minutes_published_on) == ("Husrådsmøde", timezone.localdate())
    decision = meeting.decisions.get()
    assert (decision.text, decision.rule) == ("Reglen om ro vedtages.", proposed)
    # Change one decision, add another, delete nothing; then delete the first.
    council.meeting_save(
        by=chair,
        meeting=meeting,
        date=meeting.date,
        title=meeting.title,
        minutes=meeting.minutes,
        decisions=[
            {"id": decision.pk, "text": "Ændret.", "rule": None},
            {"text": "Næste møde i juni.", "rule": None},
        ],
    )
    assert sorted(meeting.decisions.values_list("text", flat=True)) == [
        "Næste møde i juni.",
        "Ændret.",
    ]
    council.meeting_save(
        by=chair,
        meeting=meeting,
        date=meeting.date,
        minutes=meeting.minutes,
        decisions=[{"id": decision.pk, "text": "Ændret.", "rule": None, "delete": True}],
    )
    assert list(meeting.decisions.values_list("text", flat=True)) == ["Næste møde i juni."]
    # Published once: the date stays.
    Meeting.objects.filter(pk=meeting.pk).update(minutes_published_on=days(-1))
    meeting.refresh_from_db()
    council.meeting_save(
        by=chair, meeting=meeting, date=meeting.date, minutes="Rettet.", publish_minutes=True
    )
    assert Meeting.objects.get().minutes_published_on == days(-1)


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"date": None}, "date", "Choose the date of the meeting."),
        ({"publish_minutes": True}, "minutes", "Write the minutes before you publish them."),
        (
            {"date": days(3), "minutes": "Referat", "publish_minutes": True},
            "publish_minutes",
            "The meeting has not been held yet: publish the minutes after it.",
        ),
    ],
)
def test_bad_meetings_are_refused(chair, fields, field, message):
    with pytest.raises(ValidationError) as error, override("en"):
        council.meeting_save(by=chair, **{"date": days(-1), **fields})
    assert error.value.message_dict[field] == [message]
    assert not Meeting.objects.exists()


def test_bad_decisions_are_refused_and_nothing_changes(chair, proposed):
    meeting = council.meeting_save(
        by=chair,
        date=days(-1),
        minutes="Referat",
        publish_minutes=True,
        decisions=[{"text": "Første", "rule": None}],
    )
    first = meeting.decisions.get()
    with override("en"):
        for decisions, message in [
            ([{"text": " ", "rule": proposed}], "Write the decision about “Ro efter kl. 22”."),
            ([{"id": first.pk, "text": "", "rule": None}], "A decision cannot be empty"),
            ([{"id": 99999, "text": "Andet", "rule": None}], "changed elsewhere"),
        ]:
            with pytest.raises(ValidationError) as error:
                council.meeting_save(
                    by=chair,
                    meeting=meeting,
                    date=days(-2),
                    title="Nyt",
                    minutes="Nyt referat",
                    decisions=decisions,
                )
            assert message in messages_of(error.value)
        with pytest.raises(ValidationError) as error:
            council.meeting_save(by=chair, meeting=meeting, date=days(-1), minutes="")
        assert error.value.message_dict["minutes"] == [
            "The minutes are published: they cannot be emptied."
        ]
    meeting.refresh_from_db()
    assert (meeting.date, meeting.title, meeting.minutes) == (days(-1), "", "Referat")
    assert list(meeting.decisions.values_list("text", flat=True)) == ["Første"]


def test_a_meeting_with_votes_keeps_its_date(chair, proposed):
    meeting = Meeting.objects.create(date=days(-3))
    vote(proposed, chair, on=days(-3), meeting=meeting)
    with pytest.raises(ValidationError) as error, override("en"):
        council.meeting_save(by=chair, meeting=meeting, date=days(-2))
    assert "its date cannot change" in error.value.message_dict["date"][0]
    assert Meeting.objects.get().date == days(-3)


@pytest.mark.parametrize("by", ["council_member", "member"])
def test_only_coordinators_and_the_chair_edit_meetings(by, request):
    with pytest.raises(ValidationError):
        council.meeting_save(by=request.getfixturevalue(by), date=days(7), agenda="1. Velkommen")
    assert not Meeting.objects.exists()


# --- the pages: who may ------------------------------------------------------------


@pytest.fixture
def meeting(db):
    return Meeting.objects.create(date=days(-7), title="Husrådsmøde", agenda="1. Velkommen")


def test_the_council_pages_need_a_sign_in(anonymous, proposed, meeting, coordinator):
    seat_pk = CouncilMember.objects.first().pk
    for url in [
        reverse("collaboration:council"),
        reverse("collaboration:council-member-create"),
        reverse("collaboration:council-member-edit", args=[seat_pk]),
        reverse("collaboration:rule-create"),
        reverse("collaboration:rule", args=[proposed.pk]),
        reverse("collaboration:meeting-create"),
        reverse("collaboration:meeting", args=[meeting.pk]),
        reverse("collaboration:meeting-edit", args=[meeting.pk]),
    ]:
        response = anonymous.get(url)
        assert response.status_code == HTTPStatus.FOUND, url
        assert response["Location"].startswith(reverse("account_login")), url
    for name in ["rule-vote", "rule-repeal"]:
        response = anonymous.post(
            reverse(f"collaboration:{name}", args=[proposed.pk]),
            {"votes_for": 1, "votes_against": 0, "votes_abstain": 0, "voted_on": days(0)},
        )
        assert response.status_code == HTTPStatus.FOUND
        assert response["Location"].startswith(reverse("account_login"))
    response = anonymous.post(reverse("collaboration:rule-create"), {"title": "X", "text": "Y"})
    assert response.status_code == HTTPStatus.FOUND
    assert HouseRule.objects.get() == proposed
    assert_still_proposed(proposed)


def test_any_signed_in_user_reads_the_council(proposed, meeting, chair, actor):
    nobody = UserFactory()  # no actor, no seat
    client = client_for(nobody)
    page = client.get(reverse("collaboration:council"), **EN)
    assert page.status_code == HTTPStatus.OK
    text = page.content.decode()
    assert str(fresh(chair)) in text and actor.name in text
    assert "Ro efter kl. 22" in text and "Husrådsmøde" in text
    assert "Today 2 votes can be cast on the council." in text
    for link in ["council-member-create", "rule-create", "meeting-create"]:
        assert reverse(f"collaboration:{link}") not in text
    rule_page = client.get(reverse("collaboration:rule", args=[proposed.pk]), **EN)
    assert rule_page.status_code == HTTPStatus.OK
    assert 'name="votes_for"' not in rule_page.content.decode()
    assert client.get(reverse("collaboration:meeting", args=[meeting.pk])).status_code == 200


def test_the_links_follow_the_roles(coordinator, chair, council_member):
    url = reverse("collaboration:council")
    page = client_for(coordinator).get(url).content.decode()
    for link in ["council-member-create", "rule-create", "meeting-create"]:
        assert reverse(f"collaboration:{link}") in page
    page = client_for(chair).get(url).content.decode()
    assert reverse("collaboration:council-member-create") not in page
    assert reverse("collaboration:meeting-create") in page
    page = client_for(council_member).get(url).content.decode()
    assert reverse("collaboration:rule-create") in page
    assert reverse("collaboration:meeting-create") not in page


@pytest.mark.parametrize("who", ["member", "council_member", "chair"])
def test_only_coordinators_open_the_seat_pages(who, request, chair, other_member):
    client = client_for(request.getfixturevalue(who))
    existing = CouncilMember.objects.get(user=chair)
    assert client.get(reverse("collaboration:council-member-create")).status_code == 403
    url = reverse("collaboration:council-member-edit", args=[existing.pk])
    assert client.get(url).status_code == 403
    data = {"user": other_member.pk, "role": "member", "since": "2025-01-01"}
    assert client.post(reverse("collaboration:council-member-create"), data).status_code == 403
    assert not CouncilMember.objects.filter(user=other_member).exists()


def test_a_coordinator_adds_and_changes_a_seat(coordinator_client, other_member, other_actor):
    url = reverse("collaboration:council-member-create")
    assert coordinator_client.get(url).status_code == HTTPStatus.OK
    data = {
        "user": other_member.pk,
        "actor": other_actor.pk,
        "role": "member",
        "since": "2025-02-01",
        "until": "",
    }
    response = coordinator_client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND
    made = CouncilMember.objects.get(user=other_member)
    assert (made.actor, made.since) == (other_actor, datetime.date(2025, 2, 1))
    edit = reverse("collaboration:council-member-edit", args=[made.pk])
    assert coordinator_client.get(edit).status_code == HTTPStatus.OK
    response = coordinator_client.post(edit, {**data, "role": "substitute", "until": "2025-12-31"})
    assert response.status_code == HTTPStatus.FOUND
    made.refresh_from_db()
    assert (made.role, made.until) == ("substitute", datetime.date(2025, 12, 31))


def test_a_bad_seat_gets_a_clear_message_and_saves_nothing(
    coordinator_client, council_member, other_actor
):
    url = reverse("collaboration:council-member-create")
    data = {
        "user": council_member.pk,
        "actor": other_actor.pk,
        "role": "member",
        "since": "2025-06-01",
        "until": "",
    }
    response = coordinator_client.post(url, data, **EN)
    assert response.status_code == HTTPStatus.OK
    assert "already has a seat" in response.content.decode()
    response = coordinator_client.post(url, {**data, "until": "2025-05-01"}, **EN)
    assert "A seat cannot end before it starts." in response.content.decode()
    response = coordinator_client.post(url, {**data, "user": "", "since": "soon"}, **EN)
    text = response.content.decode()
    assert "Choose the person who holds the seat." in text
    assert "Enter a valid date." in text
    assert CouncilMember.objects.count() == 1


def test_the_seat_edit_page_404s_for_an_unknown_seat(coordinator_client):
    url = reverse("collaboration:council-member-edit", args=[999])
    assert coordinator_client.get(url).status_code == HTTPStatus.NOT_FOUND


def test_proposing_through_the_page(council_client, member_client):
    url = reverse("collaboration:rule-create")
    assert member_client.get(url).status_code == HTTPStatus.FORBIDDEN
    assert member_client.post(url, {"title": "X", "text": "Y"}).status_code == 403
    assert council_client.get(url).status_code == HTTPStatus.OK
    response = council_client.post(url, {"title": "", "text": ""}, **EN)
    assert "Give the rule a short title." in response.content.decode()
    assert not HouseRule.objects.exists()
    response = council_client.post(url, {"title": "Ryd op", "text": "Ryd op efter dig."})
    rule = HouseRule.objects.get()
    assert response["Location"] == reverse("collaboration:rule", args=[rule.pk])


def vote_data(**extra):
    return {
        "votes_for": "2",
        "votes_against": "0",
        "votes_abstain": "0",
        "voted_on": days(-1).isoformat(),
        "meeting": "",
        **extra,
    }


@pytest.mark.parametrize("who", ["member", "council_member", "substitute"])
def test_others_cannot_record_votes_or_repeal(who, request, proposed, chair):
    client = client_for(request.getfixturevalue(who))
    url = reverse("collaboration:rule-vote", args=[proposed.pk])
    assert client.post(url, vote_data()).status_code == HTTPStatus.FORBIDDEN
    assert_still_proposed(proposed)
    vote(proposed, chair)
    url = reverse("collaboration:rule-repeal", args=[proposed.pk])
    assert client.post(url, {"repealed_on": days(0).isoformat()}).status_code == 403
    assert HouseRule.objects.get().status == HouseRule.Status.ADOPTED


def test_the_chair_records_a_vote_through_the_page(chair, proposed, meeting):
    client = client_for(chair)
    page = client.get(reverse("collaboration:rule", args=[proposed.pk]), **EN).content.decode()
    assert 'name="votes_for"' in page
    assert "Today the council has 2 voting members." in page
    response = client.post(
        reverse("collaboration:rule-vote", args=[proposed.pk]),
        vote_data(voted_on=meeting.date.isoformat(), meeting=meeting.pk),
        **EN,
    )
    assert response["Location"] == reverse("collaboration:rule", args=[proposed.pk])
    rule = HouseRule.objects.get()
    assert (rule.status, rule.meeting, rule.votes_for) == ("adopted", meeting, 2)
    page = client.get(reverse("collaboration:meeting", args=[meeting.pk]), **EN).content.decode()
    assert "Adopted the house rule" in page
    assert reverse("collaboration:rule", args=[rule.pk]) in page


def test_a_vote_with_too_many_votes_is_refused_on_the_page(chair, proposed):
    client = client_for(chair)
    url = reverse("collaboration:rule-vote", args=[proposed.pk])
    response = client.post(url, vote_data(votes_for="3"), **EN)
    assert response.status_code == HTTPStatus.OK
    assert "but 3 votes were entered" in response.content.decode()
    response = client.post(url, vote_data(votes_for="-1", votes_against="x"), **EN)
    text = response.content.decode()
    # By each of the two fields, and in the error summary at the top.
    assert text.count("Enter a whole number of votes, 0 or more.") == 4
    assert_still_proposed(proposed)


def test_a_decided_rule_shows_no_vote_form_and_refuses_a_vote(chair, proposed):
    vote(proposed, chair, for_=0, against=2)
    client = client_for(chair)
    page = client.get(reverse("collaboration:rule", args=[proposed.pk]), **EN).content.decode()
    assert 'name="votes_for"' not in page and 'name="repealed_on"' not in page
    response = client.post(
        reverse("collaboration:rule-vote", args=[proposed.pk]), vote_data(), follow=True, **EN
    )
    assert "already been decided" in response.content.decode()
    assert HouseRule.objects.get().status == HouseRule.Status.REJECTED


def test_a_coordinator_repeals_through_the_page(coordinator_client, chair, proposed):
    vote(proposed, chair, on=days(-5))
    url = reverse("collaboration:rule-repeal", args=[proposed.pk])
    response = coordinator_client.post(url, {"repealed_on": days(-6).isoformat()}, **EN)
    assert "it cannot be repealed before that" in response.content.decode()
    assert HouseRule.objects.get().status == HouseRule.Status.ADOPTED
    response = coordinator_client.post(url, {"repealed_on": days(0).isoformat()})
    assert response.status_code == HTTPStatus.FOUND
    assert HouseRule.objects.get().status == HouseRule.Status.REPEALED
    response = coordinator_client.post(url, {"repealed_on": days(0).isoformat()}, follow=True, **EN)
    assert "Only an adopted rule can be repealed." in response.content.decode()


def test_votes_and_repeals_take_post_only(coordinator_client, proposed):
    for name in ["rule-vote", "rule-repeal"]:
        url = reverse(f"collaboration:{name}", args=[proposed.pk])
        assert coordinator_client.get(url).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def meeting_data(**extra):
    return {
        "date": days(-1).isoformat(),
        "title": "Husrådsmøde maj",
        "agenda": "1. Velkommen",
        "minutes": "",
        "decisions-TOTAL_FORMS": "2",
        "decisions-INITIAL_FORMS": "0",
        "decisions-MIN_NUM_FORMS": "0",
        "decisions-MAX_NUM_FORMS": "1000",
        "decisions-0-id": "",
        "decisions-0-text": "",
        "decisions-0-rule": "",
        "decisions-1-id": "",
        "decisions-1-text": "",
        "decisions-1-rule": "",
        **extra,
    }


@pytest.mark.parametrize("who", ["member", "council_member"])
def test_others_cannot_edit_meetings(who, request, meeting):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("collaboration:meeting-create")).status_code == 403
    assert client.post(reverse("collaboration:meeting-create"), meeting_data()).status_code == 403
    edit = reverse("collaboration:meeting-edit", args=[meeting.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, meeting_data(title="Ændret")).status_code == 403
    assert Meeting.objects.get().title == "Husrådsmøde"


def test_the_chair_plans_a_meeting_and_publishes_the_minutes(chair, proposed):
    client = client_for(chair)
    url = reverse("collaboration:meeting-create")
    assert client.get(url).status_code == HTTPStatus.OK
    response = client.post(
        url,
        meeting_data(**{"decisions-0-text": "Forslaget drøftes", "decisions-0-rule": proposed.pk}),
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("collaboration:meeting", args=[meeting.pk])
    assert meeting.decisions.get().rule == proposed
    assert meeting.minutes_published_on is None
    edit = reverse("collaboration:meeting-edit", args=[meeting.pk])
    decision = meeting.decisions.get()
    page = client.get(edit).content.decode()
    assert "Forslaget drøftes" in page
    data = meeting_data(
        **{
            "minutes": "Vi drøftede forslaget.",
            "publish_minutes": "on",
            "decisions-TOTAL_FORMS": "3",
            "decisions-INITIAL_FORMS": "1",
            "decisions-0-id": decision.pk,
            "decisions-0-text": "Forslaget drøftes videre",
            "decisions-0-rule": proposed.pk,
            "decisions-2-id": "",
            "decisions-2-text": "",
            "decisions-2-rule": "",
        }
    )
    assert client.post(edit, data).status_code == HTTPStatus.FOUND
    meeting.refresh_from_db()
    assert meeting.minutes_published_on == timezone.localdate()
    assert meeting.decisions.get().text == "Forslaget drøftes videre"


def test_a_bad_meeting_gets_a_clear_message_and_saves_nothing(chair):
    client = client_for(chair)
    url = reverse("collaboration:meeting-create")
    response = client.post(url, meeting_data(date="", publish_minutes="on"), **EN)
    text = response.content.decode()
    assert response.status_code == HTTPStatus.OK
    assert "This field is required." in text
    response = client.post(url, meeting_data(publish_minutes="on"), **EN)
    assert "Write the minutes before you publish them." in response.content.decode()
    assert not Meeting.objects.exists()


def test_unpublished_minutes_are_for_the_editors(chair, meeting, member):
    Meeting.objects.filter(pk=meeting.pk).update(minutes="Hemmeligt udkast")
    url = reverse("collaboration:meeting", args=[meeting.pk])
    page = client_for(member).get(url, **EN).content.decode()
    assert "Hemmeligt udkast" not in page
    assert "The minutes are not published yet." in page
    page = client_for(chair).get(url, **EN).content.decode()
    assert "Hemmeligt udkast" in page and "Draft" in page
    Meeting.objects.filter(pk=meeting.pk).update(minutes_published_on=days(0))
    assert "Hemmeligt udkast" in client_for(member).get(url).content.decode()


# --- the public house rules --------------------------------------------------------


def test_the_house_rules_are_public_and_only_the_adopted_ones(anonymous, chair):
    for title, status in [
        ("Vedtaget regel", HouseRule.Status.ADOPTED),
        ("Foreslået regel", HouseRule.Status.PROPOSED),
        ("Forkastet regel", HouseRule.Status.REJECTED),
        ("Ophævet regel", HouseRule.Status.REPEALED),
    ]:
        make_rule(title, status, chair)
    response = anonymous.get(reverse("collaboration:house-rules"), **EN)
    assert response.status_code == HTTPStatus.OK
    text = response.content.decode()
    assert "Vedtaget regel" in text
    assert f"Adopted {format_date(days(-20))}" in text
    for hidden in ["Foreslået regel", "Forkastet regel", "Ophævet regel"]:
        assert hidden not in text


def test_the_house_rules_page_without_rules(anonymous):
    response = anonymous.get(reverse("collaboration:house-rules"), **EN)
    assert "has not adopted any house rules yet" in response.content.decode()


# --- speed -------------------------------------------------------------------------


def test_the_council_page_runs_the_same_queries_for_few_and_many(
    coordinator, django_assert_max_num_queries
):
    client = client_for(coordinator)
    url = reverse("collaboration:council")

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == HTTPStatus.OK
        return len(queries)

    def add(n, start):
        for i in range(start, start + n):
            member = MembershipFactory().user
            seat(user=member, since=SINCE, until=None if i % 2 else days(-1))
            rule = council.rule_propose(
                by=coordinator, title=f"Regel {i}", text="Tekst", proposed_on=days(-30)
            )
            if i % 2:
                vote(rule, coordinator, for_=1, on=days(-30))
            Meeting.objects.create(date=days(i - 3), title=f"Møde {i}")

    add(3, 0)
    count_queries()  # the first request of a session pays for setting it up
    small = count_queries()
    add(30, 3)
    assert count_queries() == small
    with django_assert_max_num_queries(10):
        client.get(url)


# --- the demo ------------------------------------------------------------------------


def test_the_council_demo_is_idempotent():
    from actors import demo as actors_demo

    actors_demo.load()
    council_demo.load()

    def snapshot():
        return (
            list(CouncilMember.objects.values_list("user__email", "role", "since")),
            list(HouseRule.objects.values_list("title", "status", "votes_for", "voted_on")),
            list(Meeting.objects.values_list("date", "minutes_published_on")),
            list(Decision.objects.values_list("meeting__date", "rule__title", "text")),
        )

    first = snapshot()
    council_demo.load()
    assert snapshot() == first
    assert len(first[0]) == 3
    statuses = sorted(status for _title, status, *_rest in first[1])
    assert statuses == ["adopted", "adopted", "proposed"]
    assert len(first[2]) == 2
    for rule in HouseRule.objects.filter(status=HouseRule.Status.ADOPTED):
        assert rule.decisions.filter(meeting=rule.meeting).exists()
        assert rule.votes_for + rule.votes_against + rule.votes_abstain <= 3
