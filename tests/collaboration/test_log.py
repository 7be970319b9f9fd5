"""The collaboration log: its rules, who may see and change what, and the pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from collaboration.log import services
from collaboration.models import Collaboration, Form, Goal, Participation
from tests.factories import ActorFactory, MembershipFactory, log_collaboration

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 2)


def log(by, mine, *others, **extra):
    return log_collaboration(by, mine, *others, **{"started": TODAY, **extra})


@pytest.fixture
def third_member():
    return MembershipFactory(
        user__email="third@example.org", actor=ActorFactory(name="Tredje")
    ).user


# The rules


def test_logging_confirms_the_loggers_part_and_asks_the_others(member, actor, other_actor):
    collaboration = log(
        member,
        actor,
        other_actor,
        goals=[{"description": "Flere unge", "criterion": "20 deltagere"}],
    )
    parts = {p.actor_id: p.status for p in collaboration.participations.all()}
    assert parts == {
        actor.pk: Participation.Status.CONFIRMED,
        other_actor.pk: Participation.Status.PENDING,
    }
    assert collaboration.lead == actor
    assert list(collaboration.form_changes.values_list("form", "on")) == [(Form.KNOWLEDGE, TODAY)]
    assert list(collaboration.goals.values_list("criterion", flat=True)) == ["20 deltagere"]


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"goals": [{"description": "Flere unge", "criterion": " "}]}, "goals"),
        ({"ended": TODAY - datetime.timedelta(days=1)}, "ended"),
        ({"form": "samarbejde"}, "form"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(member, actor, other_actor, extra, field):
    with pytest.raises(ValidationError) as refused:
        log(member, actor, other_actor, **extra)
    assert field in refused.value.message_dict
    assert not Collaboration.objects.exists()
    assert not Participation.objects.exists() and not Goal.objects.exists()


def test_a_collaboration_needs_two_actors(member, actor):
    with pytest.raises(ValidationError) as refused:
        log(member, actor)
    assert "actors" in refused.value.message_dict
    assert not Collaboration.objects.exists()


def test_a_member_logs_only_for_their_own_actor(member, actor, other_actor):
    with pytest.raises(ValidationError) as refused:
        log(member, other_actor, actor)
    assert "on_behalf_of" in refused.value.message_dict
    assert not Collaboration.objects.exists()


def test_the_lead_is_one_of_the_actors(member, actor, other_actor):
    with pytest.raises(ValidationError) as refused:
        log(member, actor, other_actor, lead=ActorFactory())
    assert "lead" in refused.value.message_dict


def test_a_change_of_form_is_kept_with_its_date(member, actor, other_actor):
    collaboration = log(member, actor, other_actor)
    services.collaboration_update(by=member, collaboration=collaboration, title="Same form")
    assert collaboration.form_changes.count() == 1
    later = TODAY + datetime.timedelta(days=40)
    services.collaboration_update(
        by=member, collaboration=collaboration, form=Form.JOINT_DELIVERY, form_changed_on=later
    )
    assert list(collaboration.form_changes.values_list("form", "on")) == [
        (Form.KNOWLEDGE, TODAY),
        (Form.JOINT_DELIVERY, later),
    ]
    collaboration.refresh_from_db()
    assert collaboration.form == Form.JOINT_DELIVERY


def test_the_other_actor_confirms_or_disputes_with_a_reason(
    member, other_member, actor, other_actor
):
    collaboration = log(member, actor, other_actor)
    theirs = collaboration.participations.get(actor=other_actor)
    with pytest.raises(ValidationError):
        services.participation_answer(by=other_member, participation=theirs, confirm=False, note="")
    services.participation_answer(
        by=other_member, participation=theirs, confirm=False, note="Vi var ikke med"
    )
    theirs.refresh_from_db()
    assert (theirs.status, theirs.note) == (Participation.Status.DISPUTED, "Vi var ikke med")
    assert Collaboration.objects.filter(pk=collaboration.pk).exists()  # kept, marked


def test_an_answer_given_meanwhile_is_not_overwritten_unseen(
    member, other_member, actor, other_actor
):
    collaboration = log(member, actor, other_actor)
    colleague = MembershipFactory(actor=other_actor).user
    # Both read the part while it waits; the colleague disputes it first.
    seen = collaboration.participations.get(actor=other_actor)
    services.participation_answer(
        by=colleague,
        participation=collaboration.participations.get(actor=other_actor),
        confirm=False,
        note="Vi var ikke med",
    )
    with translation.override("en"), pytest.raises(ValidationError, match="at the same moment"):
        services.participation_answer(by=other_member, participation=seen, confirm=True)
    seen.refresh_from_db()
    assert (seen.status, seen.note, seen.answered_by) == (
        Participation.Status.DISPUTED,
        "Vi var ikke med",
        colleague,
    )


def test_confirming_a_part_confirmed_meanwhile_is_the_same_outcome(
    member, other_member, actor, other_actor
):
    collaboration = log(member, actor, other_actor)
    colleague = MembershipFactory(actor=other_actor).user
    seen = collaboration.participations.get(actor=other_actor)
    services.participation_answer(
        by=colleague,
        participation=collaboration.participations.get(actor=other_actor),
        confirm=True,
    )
    services.participation_answer(by=other_member, participation=seen, confirm=True)
    seen.refresh_from_db()
    assert (seen.status, seen.answered_by) == (Participation.Status.CONFIRMED, colleague)


def test_only_the_actors_people_answer_for_it(member, third_member, actor, other_actor):
    collaboration = log(member, actor, other_actor)
    theirs = collaboration.participations.get(actor=other_actor)
    with pytest.raises(ValidationError):
        services.participation_answer(by=third_member, participation=theirs, confirm=True)
    theirs.refresh_from_db()
    assert theirs.status == Participation.Status.PENDING


def test_a_goal_is_judged_with_its_date(member, actor, other_actor):
    collaboration = log(
        member,
        actor,
        other_actor,
        goals=[{"description": "Jobmesse", "criterion": "10 ansættelser"}],
    )
    goal = collaboration.goals.get()
    services.goal_judge(by=member, goal=goal, status=Goal.Status.PARTLY, on=TODAY)
    goal.refresh_from_db()
    assert (goal.status, goal.judged_on) == (Goal.Status.PARTLY, TODAY)


# The pages


@pytest.mark.parametrize(
    "name", ["collaboration:log", "collaboration:create", "collaboration:quick"]
)
def test_the_log_needs_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_members_see_their_actors_collaborations_only(
    member_client, member, third_member, actor, other_actor
):
    # Titles no generated person's name can contain (the page names the reader).
    ours = log(member, actor, other_actor, title="Vores fællesprojekt")
    hidden = log(
        third_member,
        third_member.memberships.get().actor,
        other_actor,
        title="Andres fællesprojekt",
    )
    page = member_client.get(reverse("collaboration:log")).content.decode()
    assert "Vores fællesprojekt" in page and "Andres fællesprojekt" not in page
    assert member_client.get(reverse("collaboration:detail", args=[ours.pk])).status_code == 200
    assert member_client.get(reverse("collaboration:detail", args=[hidden.pk])).status_code == 404
    assert member_client.get(reverse("collaboration:edit", args=[hidden.pk])).status_code == 404


def test_a_coordinator_sees_and_changes_all(coordinator_client, third_member, other_actor):
    theirs = log(third_member, third_member.memberships.get().actor, other_actor, title="Andres")
    assert (
        coordinator_client.get(reverse("collaboration:detail", args=[theirs.pk])).status_code == 200
    )
    response = coordinator_client.post(
        reverse("collaboration:edit", args=[theirs.pk]),
        {
            "title": "Andres",
            "form": Form.CO_CREATION,
            "lead": theirs.lead_id,
            "started": TODAY.isoformat(),
            "phase": "idea",
        },
    )
    assert response.status_code == 302
    assert theirs.form_changes.count() == 2


def test_logging_from_the_page_with_a_goal(member_client, actor, other_actor):
    response = member_client.post(
        reverse("collaboration:create"),
        {
            "on_behalf_of": actor.pk,
            "title": "Jobmesse",
            "form": Form.JOINT_DELIVERY,
            "others": [other_actor.pk],
            "started": TODAY.isoformat(),
            "phase": "implementation",
            "goals-TOTAL_FORMS": 2,
            "goals-INITIAL_FORMS": 0,
            "goals-0-description": "Flere i job",
            "goals-0-criterion": "10 ansættelser",
            "goals-0-status": "not_yet",
            "goals-1-description": "",
            "goals-1-criterion": "",
            "goals-1-status": "not_yet",
        },
    )
    collaboration = Collaboration.objects.get()
    assert response.status_code == 302 and response["Location"] == collaboration.get_absolute_url()
    assert collaboration.goals.get().criterion == "10 ansættelser"


def test_a_page_with_one_actor_or_a_goal_without_criterion_explains_and_saves_nothing(
    member_client, actor, other_actor
):
    member_client.cookies["django_language"] = "en"
    alone = member_client.post(
        reverse("collaboration:create"),
        {
            "on_behalf_of": actor.pk,
            "title": "Alene",
            "form": Form.KNOWLEDGE,
            "started": TODAY.isoformat(),
            "phase": "idea",
            "goals-TOTAL_FORMS": 1,
            "goals-INITIAL_FORMS": 0,
            "goals-0-description": "",
            "goals-0-criterion": "",
            "goals-0-status": "not_yet",
        },
    )
    assert alone.status_code == 200
    assert "at least two actors" in alone.content.decode()
    no_criterion = member_client.post(
        reverse("collaboration:create"),
        {
            "on_behalf_of": actor.pk,
            "title": "Mål",
            "form": Form.KNOWLEDGE,
            "others": [other_actor.pk],
            "started": TODAY.isoformat(),
            "phase": "idea",
            "goals-TOTAL_FORMS": 1,
            "goals-INITIAL_FORMS": 0,
            "goals-0-description": "Et mål",
            "goals-0-criterion": "",
            "goals-0-status": "not_yet",
        },
    )
    assert "A goal needs a success criterion." in no_criterion.content.decode()
    assert not Collaboration.objects.exists()


def test_a_member_cannot_log_for_another_actor_through_the_page(member_client, actor, other_actor):
    response = member_client.post(
        reverse("collaboration:create"),
        {
            "on_behalf_of": other_actor.pk,
            "title": "Snyd",
            "form": Form.KNOWLEDGE,
            "others": [actor.pk],
            "started": TODAY.isoformat(),
            "phase": "idea",
            "goals-TOTAL_FORMS": 0,
            "goals-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert not Collaboration.objects.exists()


@pytest.mark.parametrize(
    ("kind", "form", "extra"),
    [
        ("meeting", Form.KNOWLEDGE, {"what": "Husmøde"}),
        ("referral", Form.COORDINATION, {"referrals": 3}),
        ("lending", Form.RESOURCES, {"what": "Borde og stole"}),
    ],
)
def test_the_quick_log(member_client, actor, other_actor, kind, form, extra):
    response = member_client.post(
        reverse("collaboration:quick"),
        {
            "kind": kind,
            "on_behalf_of": actor.pk,
            "others": [other_actor.pk],
            "day": TODAY.isoformat(),
            **extra,
        },
    )
    assert response.status_code == 302
    collaboration = Collaboration.objects.get()
    assert (collaboration.form, collaboration.kind) == (form, kind)
    assert set(collaboration.actors.all()) == {actor, other_actor}
    if kind == "referral":
        assert collaboration.referrals == 3


def test_a_referral_without_a_number_is_refused(member_client, actor, other_actor):
    member_client.cookies["django_language"] = "en"
    response = member_client.post(
        reverse("collaboration:quick"),
        {
            "kind": "referral",
            "on_behalf_of": actor.pk,
            "others": [other_actor.pk],
            "day": TODAY.isoformat(),
        },
    )
    assert "Give the number of residents referred." in response.content.decode()
    assert not Collaboration.objects.exists()


def test_someone_without_an_actor_cannot_log(client, django_user_model):
    from tests.factories import UserFactory

    client.force_login(UserFactory(email="resident@example.org"))
    assert client.get(reverse("collaboration:create")).status_code == 404
    assert client.get(reverse("collaboration:quick")).status_code == 404
    assert client.get(reverse("collaboration:log")).status_code == 200


def test_confirming_and_disputing_from_the_page(member, other_member, actor, other_actor):
    from django.test import Client

    collaboration = log(member, actor, other_actor)
    client = Client()
    client.force_login(other_member)
    assert (
        reverse("collaboration:answer", args=[collaboration.pk])
        in client.get(collaboration.get_absolute_url()).content.decode()
    )
    client.post(
        reverse("collaboration:answer", args=[collaboration.pk]),
        {"actor": other_actor.pk, "confirm": "no", "note": "Forkert dato"},
    )
    part = collaboration.participations.get(actor=other_actor)
    assert (part.status, part.note) == ("disputed", "Forkert dato")
    # The logger may not answer for the other actor.
    outsider = Client()
    outsider.force_login(member)
    outsider.post(
        reverse("collaboration:answer", args=[collaboration.pk]),
        {"actor": other_actor.pk, "confirm": "yes"},
    )
    part.refresh_from_db()
    assert part.status == "disputed"


@pytest.mark.parametrize("count", [3, 30])
def test_the_log_runs_a_fixed_number_of_queries(
    member_client, member, actor, other_actor, count, django_assert_max_num_queries
):
    for n in range(count):
        log(
            member,
            actor,
            other_actor,
            title=f"Møde {n}",
            started=timezone.localdate() - datetime.timedelta(days=n),
        )
    with django_assert_max_num_queries(12):
        assert member_client.get(reverse("collaboration:log")).status_code == 200


def test_a_collaboration_links_its_offers_and_bookings(member_client, actor, other_actor):
    from actors.models import Offer
    from tests.factories import BookingFactory, RoomFactory

    offer = Offer.objects.create(actor=actor, title="Lektiehjælp")
    booking = BookingFactory(actor=actor, room=RoomFactory(name="Caféen"), title="Lektiecafé")
    response = member_client.post(
        reverse("collaboration:create"),
        {
            "on_behalf_of": actor.pk,
            "title": "Lektier sammen",
            "form": Form.JOINT_DELIVERY,
            "others": [other_actor.pk],
            "started": TODAY.isoformat(),
            "phase": "implementation",
            "offers": [offer.pk],
            "bookings": [booking.pk],
            "goals-TOTAL_FORMS": 0,
            "goals-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    collaboration = Collaboration.objects.get()
    assert list(collaboration.offers.all()) == [offer]
    assert list(collaboration.bookings.all()) == [booking]
    page = member_client.get(collaboration.get_absolute_url()).content.decode()
    assert "Lektiehjælp" in page and "Lektiecafé" in page


def test_the_offers_to_link_are_sorted_by_the_title_the_reader_sees(actor):
    from actors.models import Actor
    from collaboration.log.forms import CollaborationForm
    from tests.factories import OfferFactory

    OfferFactory(actor=actor, title="Bordtennis")
    OfferFactory(actor=actor, title="Aftensmad", title_en="Zucchini club")
    OfferFactory(actor=actor, title="Cykelværksted", title_en="Art club")
    mine = Actor.objects.filter(pk=actor.pk)
    with translation.override("en"):
        form = CollaborationForm(user_actors=mine, all_actors=Actor.objects.all())
        titles = [offer.title for offer in form.fields["offers"].queryset]
    assert titles == ["Art club", "Bordtennis", "Zucchini club"]


def test_the_bookings_to_link_are_the_actors_from_92_local_days_back_to_92_ahead(
    member, actor, other_actor
):
    from actors.models import Actor
    from collaboration.log.forms import CollaborationForm
    from tests.factories import BookingFactory, in_days

    def booking(days, hour, of=actor):
        start = in_days(days, hour)
        return BookingFactory(actor=of, start=start, end=start + datetime.timedelta(hours=1))

    inside = [booking(-92, 0), booking(0, 12), booking(92, 22)]
    booking(-93, 22)
    booking(93, 0)
    booking(0, 14, of=other_actor)
    form = CollaborationForm(
        user_actors=Actor.objects.filter(pk=actor.pk), all_actors=Actor.objects.all()
    )
    assert list(form.fields["bookings"].queryset) == inside
