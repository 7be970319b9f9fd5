"""A season round (issue #18): applying while the window is open, the
proposal by the round's priorities, a coordinator's change with a reason and
its conflicts, publishing as weekly series with one result mail per
applicant, and the decisions as CSV."""

import csv
import datetime
import io
from http import HTTPStatus

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from actors.models import Actor, Membership
from bookings.models import BookingSeries, Status
from seasons import services
from seasons.models import Application, Decision, Round
from tests.conftest import hesitating, race, submitted
from tests.factories import (
    ClosedDayFactory,
    MembershipFactory,
    close_applications,
    decisions_by_title,
    season_round,
    wish,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


@pytest.fixture
def youth_booker(other_actor):
    return MembershipFactory(
        user__email="ung@example.org",
        user__language="en",
        actor=other_actor,
        role=Membership.Role.BOOKER,
    ).user


@pytest.fixture
def municipal(third_actor):
    third_actor.kind = Actor.Kind.MUNICIPAL
    third_actor.save()
    return third_actor


@pytest.fixture
def municipal_booker(municipal):
    return MembershipFactory(
        user__email="kommune@example.org", actor=municipal, role=Membership.Role.BOOKER
    ).user


@pytest.fixture
def contested(
    room, small_room, actor, other_actor, municipal, booker, youth_booker, municipal_booker
):
    """Three actors want Multisalen on Mondays at 17: Basen for young people,
    Kvindeforum (an association) and the municipality."""
    round_ = season_round([room, small_room], open_now=True)
    services.application_save(
        by=booker,
        round_=round_,
        actor=actor,
        wishes=[
            wish(title="Kvindecafé", room=room, people=20),
            wish(title="Syklub", room=room, weekday=2, preference=2),
        ],
    )
    services.application_save(
        by=youth_booker,
        round_=round_,
        actor=other_actor,
        wishes=[
            wish(target="youth", title="Ungeklub", room=room, people=30),
        ],
    )
    services.application_save(
        by=municipal_booker,
        round_=round_,
        actor=municipal,
        wishes=[
            wish(title="Jobcafé", room=room, minutes=120, people=40),
        ],
    )
    return close_applications(round_)


def test_the_proposal_puts_the_youth_association_first_and_says_why_for_the_others(
    contested, coordinator
):
    services.proposal_make(by=coordinator, round_=contested)
    decisions = decisions_by_title(contested)
    assert decisions["Ungeklub"].outcome == Decision.Outcome.GRANTED
    assert decisions["Ungeklub"].start_time == datetime.time(17)
    cafe, job = decisions["Kvindecafé"], decisions["Jobcafé"]
    assert cafe.outcome == Decision.Outcome.MOVED and cafe.rule == "rank"
    assert cafe.blocked_by == decisions["Ungeklub"].wish
    assert job.outcome in (Decision.Outcome.MOVED, Decision.Outcome.REFUSED) and job.rule == "rank"
    assert decisions["Syklub"].outcome == Decision.Outcome.GRANTED
    contested.refresh_from_db()
    assert contested.stage == Round.Stage.PROPOSED


def test_no_proposal_while_the_window_is_open(room, coordinator):
    round_ = season_round([room], open_now=True)
    with pytest.raises(ValidationError, match="still open"):
        services.proposal_make(by=coordinator, round_=round_)


def test_the_same_applications_give_the_same_proposal(contested, coordinator):
    def snapshot():
        services.proposal_make(by=coordinator, round_=contested)
        return sorted(
            Decision.objects.filter(wish__application__round=contested).values_list(
                "wish_id", "outcome", "room_id", "weekday", "start_time", "rule", "tiebreak"
            )
        )

    assert snapshot() == snapshot()


def test_an_applicant_cannot_apply_after_the_window_closes(contested, booker, actor):
    with pytest.raises(ValidationError, match="does not take applications"):
        services.application_save(by=booker, round_=contested, actor=actor, wishes=[wish()])


def test_an_outsider_cannot_apply_for_another_actor(room, other_booker, actor):
    round_ = season_round([room], open_now=True)
    with pytest.raises(ValidationError):
        services.application_save(by=other_booker, round_=round_, actor=actor, wishes=[wish()])


def test_a_coordinators_change_needs_a_reason_and_shows_the_conflict(contested, coordinator):
    from seasons.selectors import conflicts, decisions_of

    services.proposal_make(by=coordinator, round_=contested)
    cafe = decisions_by_title(contested)["Kvindecafé"]
    with pytest.raises(ValidationError):
        services.decision_change(
            by=coordinator,
            decision=cafe,
            outcome="granted",
            room=cafe.wish.room,
            weekday=0,
            start_time=datetime.time(17),
            reason=" ",
        )
    services.decision_change(
        by=coordinator,
        decision=cafe,
        outcome="granted",
        room=cafe.wish.room,
        weekday=0,
        start_time=datetime.time(17),
        reason="Aftalt med Basen",
    )
    decisions = decisions_of(contested)
    assert len(conflicts(decisions)) == 2
    with pytest.raises(ValidationError, match="share a room"):
        services.round_publish(by=coordinator, round_=contested)


def test_publishing_books_weekly_series_for_the_season_and_mails_each_applicant_once(
    contested, coordinator, room, django_capture_on_commit_callbacks
):
    closed = contested.season_start + datetime.timedelta(weeks=2)
    ClosedDayFactory(date=closed)
    # An application emptied before empty ones were refused: nothing to tell its sender.
    emptied = MembershipFactory(user__email="tom@example.org", role=Membership.Role.BOOKER)
    Application.objects.create(round=contested, actor=emptied.actor, submitted_by=emptied.user)
    services.proposal_make(by=coordinator, round_=contested)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.round_publish(by=coordinator, round_=contested)
    contested.refresh_from_db()
    assert contested.stage == Round.Stage.PUBLISHED
    youth = decisions_by_title(contested)["Ungeklub"].series
    assert youth.ends_on == contested.season_end
    dates = list(youth.occurrences.order_by("start"))
    assert len(dates) == 9  # ten Mondays, less the closed day
    assert all(b.status == Status.CONFIRMED for b in dates)
    assert closed not in {b.start.date() for b in dates}
    placed = Decision.objects.filter(wish__application__round=contested).exclude(outcome="refused")
    assert BookingSeries.objects.count() == placed.count()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "booker@example.org",
        "kommune@example.org",
        "ung@example.org",
    ]
    english = next(m for m in mail.outbox if m.to == ["ung@example.org"])
    assert "Granted" in english.body and "Ungeklub" in english.body
    danish = next(m for m in mail.outbox if m.to == ["booker@example.org"])
    assert "Flyttet" in danish.body and "højere prioritet" in danish.body


def test_applications_stay_as_they_are_once_the_proposal_is_made(
    contested, coordinator, booker, actor
):
    services.proposal_make(by=coordinator, round_=contested)
    before = decisions_by_title(contested)
    for change in (
        lambda: services.application_save(
            by=coordinator, round_=contested, actor=actor, wishes=[wish(title="Ny", room=None)]
        ),
        lambda: services.application_withdraw(by=coordinator, round_=contested, actor=actor),
    ):
        with pytest.raises(ValidationError) as refused:
            change()
        assert refused.value.messages == [
            "The proposal is made: change its decisions rather than the applications."
        ]
    assert decisions_by_title(contested).keys() == before.keys()


def test_publishing_is_all_or_nothing(contested, coordinator, room, monkeypatch):
    services.proposal_make(by=coordinator, round_=contested)
    room.capacity = 5  # the groups no longer fit: every series of the room is refused
    room.save()
    with pytest.raises(ValidationError):
        services.round_publish(by=coordinator, round_=contested)
    assert BookingSeries.objects.count() == 0
    assert Round.objects.get(pk=contested.pk).stage == Round.Stage.PROPOSED


def test_the_pages_of_a_round(contested, coordinator_client, coordinator):
    services.proposal_make(by=coordinator, round_=contested)
    page = coordinator_client.get(reverse("seasons:proposal", args=[contested.pk]))
    assert page.status_code == HTTPStatus.OK
    assert "Ungeklub" in page.content.decode()
    cafe = decisions_by_title(contested)["Kvindecafé"]
    response = coordinator_client.post(
        reverse("seasons:decision-edit", args=[cafe.pk]),
        {"outcome": "refused", "reason": "Ingen plads"},
    )
    assert response.status_code == HTTPStatus.FOUND
    cafe.refresh_from_db()
    assert (cafe.outcome, cafe.reason, cafe.changed_by) == ("refused", "Ingen plads", coordinator)
    response = coordinator_client.post(reverse("seasons:publish", args=[contested.pk]))
    assert response.status_code == HTTPStatus.FOUND
    rows = list(
        csv.reader(
            io.StringIO(
                coordinator_client.get(
                    reverse("seasons:decisions-csv", args=[contested.pk])
                ).content.decode("utf-8-sig")
            ),
            delimiter=";",  # in Danish, as Danish Excel reads it (centre.csv_export)
        )
    )
    assert rows[0][0] == "order" and len(rows) == 5
    refused = next(row for row in rows if row[2] == "Kvindecafé")
    assert refused[9] == "refused" and "Ingen plads" in refused[14]
    assert refused[16] == coordinator.email


def test_an_applicant_sees_only_their_own_applications(contested, youth_booker):
    from django.test import Client

    client = Client()
    client.force_login(youth_booker)
    page = client.get(reverse("seasons:round-detail", args=[contested.pk])).content.decode()
    assert "Ungeklub" in page
    assert "Kvindecafé" not in page and "Jobcafé" not in page


def test_applying_through_the_form(room, booker, actor):
    from django.test import Client

    round_ = season_round([room], open_now=True)
    client = Client()
    client.force_login(booker)
    url = reverse("seasons:application-edit", args=[round_.pk, actor.slug])
    assert client.get(url).status_code == HTTPStatus.OK
    group = wish()["target_group"]
    response = client.post(
        url,
        {
            "wishes-TOTAL_FORMS": 2,
            "wishes-INITIAL_FORMS": 0,
            "wishes-0-title": "Strik",
            "wishes-0-room": room.pk,
            "wishes-0-weekday": 1,
            "wishes-0-start_time": "10:00",
            "wishes-0-minutes": 90,
            "wishes-0-people": 8,
            "wishes-0-target_group": group.pk,
            "wishes-0-preference": 2,
            "wishes-1-title": "Yoga",
            "wishes-1-room": "",
            "wishes-1-weekday": 3,
            "wishes-1-start_time": "18:00",
            "wishes-1-minutes": 60,
            "wishes-1-people": 12,
            "wishes-1-target_group": group.pk,
            "wishes-1-preference": 1,
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.content.decode()
    application = round_.applications.get()
    assert [w.title for w in application.wishes.all()] == ["Yoga", "Strik"]
    assert client.get(url).status_code == HTTPStatus.OK


def test_the_application_sent_back_keeps_every_wish_it_shows(room, booker, actor):
    """The form shows the saved wishes. Sent back as it is, with one wish
    changed or one deleted, it keeps all the others; with every wish deleted
    the application is withdrawn; an empty first one is refused."""
    from django.test import Client

    round_ = season_round([room], open_now=True)
    services.application_save(
        by=booker,
        round_=round_,
        actor=actor,
        wishes=[
            wish(title="Strik", room=room, preference=1),
            wish(title="Yoga", weekday=3, preference=2),
        ],
    )
    client = Client()
    client.force_login(booker)
    url = reverse("seasons:application-edit", args=[round_.pk, actor.slug])

    def send(**changes):
        data = submitted(client.get(url).content.decode())
        data.update({name: [value] for name, value in changes.items()})
        return client.post(url, data)

    def wishes():
        application = round_.applications.first()
        if application is None:
            return None
        return [(w.title, w.people) for w in application.wishes.order_by("preference")]

    assert send().status_code == HTTPStatus.FOUND
    assert wishes() == [("Strik", 10), ("Yoga", 10)]
    assert send(**{"wishes-1-people": "25"}).status_code == HTTPStatus.FOUND
    assert wishes() == [("Strik", 10), ("Yoga", 25)]
    assert send(**{"wishes-0-DELETE": "on"}).status_code == HTTPStatus.FOUND
    assert wishes() == [("Yoga", 25)]

    response = send(**{"wishes-0-DELETE": "on"})
    assert response.status_code == HTTPStatus.FOUND
    assert wishes() is None
    # In Danish, the house's language.
    assert "Jeres ansøgning er trukket tilbage." in client.get(response.url).content.decode()

    response = send()
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Tilføj mindst ét ønske." in response.content.decode()
    assert wishes() is None


@pytest.mark.postgres
def test_one_application_saved_at_once_by_its_bookers_is_one_whole_application(
    transactional_db, room, actor
):
    """Four bookers of one actor save its application again at the same
    moment, each in its own process: one application, holding one of the four
    sets of wishes whole, and nobody gets an error."""
    round_ = season_round([room], open_now=True)
    bookers = [MembershipFactory(actor=actor, role=Membership.Role.BOOKER).user for _ in range(4)]
    sets = [
        [wish(title=f"Ønske {n}-{k}", room=room, weekday=k, preference=k + 1) for k in range(3)]
        for n in range(4)
    ]

    def save(n: int) -> str:
        services.application_save(by=bookers[n], round_=round_, actor=actor, wishes=sets[n])
        return f"saved {n}"

    save(0)  # the application exists: each of them replaces its wishes

    def save_slowly(n: int) -> str:
        # Each pauses once it holds the application, before it replaces the wishes.
        with hesitating(Application, "save"):
            return save(n)

    outcomes = race(save_slowly, 4)
    assert sorted(outcomes) == [f"saved {n}" for n in range(4)], outcomes
    application = round_.applications.get()
    titles = sorted(application.wishes.values_list("title", flat=True))
    last = titles[0].split()[1].split("-")[0]
    assert titles == [f"Ønske {last}-{k}" for k in range(3)]
    assert application.submitted_by == bookers[int(last)]


def test_the_round_pages_run_a_bounded_number_of_queries(
    contested, coordinator, coordinator_client, django_assert_max_num_queries
):
    services.proposal_make(by=coordinator, round_=contested)
    for name in ("seasons:round-detail", "seasons:proposal", "seasons:decisions-csv"):
        with django_assert_max_num_queries(16):
            response = coordinator_client.get(reverse(name, args=[contested.pk]))
        assert response.status_code == HTTPStatus.OK
    with django_assert_max_num_queries(10):
        assert coordinator_client.get(reverse("seasons:round-list")).status_code == HTTPStatus.OK
