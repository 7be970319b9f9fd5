"""The demo's collaboration history: three years in all five forms, the
report's examples, and nothing added when the demo runs again. And the
benchmark's bulk collaborations, built on a handful of actors."""

import datetime
import random
from collections import Counter
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import timezone

from actors.models import Actor
from bench.management.commands.bench_data import add_collaborations
from collaboration import demo
from collaboration.models import (
    Collaboration,
    Form,
    FormChange,
    Goal,
    Participation,
    SharingPost,
)
from tests.factories import ActorFactory, UserFactory

pytestmark = pytest.mark.django_db


def load_demo():
    call_command("demo", "--no-serve", "--force", stdout=StringIO())


@pytest.fixture
def demo_house():
    load_demo()


def actors_of(title):
    return set(
        Collaboration.objects.get(title=title).participations.values_list("actor__slug", flat=True)
    )


def test_the_history_covers_three_years_in_all_five_forms(demo_house):
    assert set(Collaboration.objects.values_list("form", flat=True)) == set(Form.values)
    assert not Collaboration.objects.annotate(n=Count("participations")).filter(n__lt=2).exists()
    days = sorted(Collaboration.objects.values_list("started", flat=True))
    today = timezone.localdate()
    assert (days[-1] - days[0]).days >= 2.5 * 365
    assert days[0] >= today - datetime.timedelta(days=3 * 366)
    assert days[-1] <= today
    # Each of the three years has its share.
    for year in range(3):
        since = today - datetime.timedelta(days=365 * (year + 1))
        until = today - datetime.timedelta(days=365 * year)
        in_year = Collaboration.objects.filter(started__gt=since, started__lte=until)
        assert in_year.count() >= 5, year


def test_the_reports_three_examples_are_there(demo_house):
    assert {"cafe-sumak", "kvarterhusledelsen"} <= actors_of(demo.CAFE_KITCHEN)
    assert Collaboration.objects.get(title=demo.CAFE_KITCHEN).form == Form.RESOURCES
    assert {"basen", "uu", "en-faelles-indsats"} == actors_of(demo.YOUTH_EDUCATION)
    assert {"erhvervsnetvaerket", "jobcentret"} <= actors_of(demo.JOB_FAIR)
    fair = Collaboration.objects.get(title=demo.JOB_FAIR)
    assert fair.form == Form.JOINT_DELIVERY
    assert fair.lead.kind == Actor.Kind.BUSINESS


def test_forms_move_up_the_ladder_with_their_dates(demo_house):
    youth = Collaboration.objects.get(title=demo.YOUTH_EDUCATION)
    history = list(youth.form_changes.values_list("form", "on"))
    assert [form for form, _on in history] == [
        Form.KNOWLEDGE,
        Form.COORDINATION,
        Form.JOINT_DELIVERY,
    ]
    assert history[0][1] == youth.started
    assert [on for _form, on in history] == sorted(on for _form, on in history)
    assert youth.form == Form.JOINT_DELIVERY
    moved = Collaboration.objects.annotate(n=Count("form_changes")).filter(n__gt=1)
    assert moved.count() >= 3
    for collaboration in Collaboration.objects.all():
        assert collaboration.form_changes.last().form == collaboration.form


def test_participations_goals_and_quick_logs(demo_house):
    disputed = Participation.objects.get(status=Participation.Status.DISPUTED)
    assert disputed.note
    assert disputed.answered_by is not None
    assert Participation.objects.filter(status=Participation.Status.PENDING).count() >= 2
    assert Participation.objects.filter(status=Participation.Status.CONFIRMED).count() > 50
    assert set(Goal.objects.values_list("status", flat=True)) == set(Goal.Status.values)
    assert not Goal.objects.filter(criterion="").exists()
    kinds = set(Collaboration.objects.values_list("kind", flat=True))
    assert {"meeting", "referral", "lending", "sharing"} <= kinds
    referrals = Collaboration.objects.filter(kind=Collaboration.Kind.REFERRAL)
    assert referrals.exists()
    assert not referrals.filter(referrals__isnull=True).exists()
    assert Collaboration.objects.filter(residents_co_create=True).exists()


def test_the_sharing_board_and_the_disconnected(demo_house):
    today = timezone.localdate()
    open_posts = SharingPost.objects.filter(status=SharingPost.Status.OPEN)
    assert open_posts.count() >= 2
    assert not open_posts.filter(expires_on__lt=today).exists()
    done = SharingPost.objects.get(status=SharingPost.Status.DONE)
    assert done.collaboration.form == Form.RESOURCES
    assert {done.actor_id, done.done_with_id} == set(
        done.collaboration.participations.values_list("actor_id", flat=True)
    )
    # Based in the house, and in no collaboration running in the last six months.
    cutoff = today - datetime.timedelta(days=183)
    recent = Collaboration.objects.filter(
        Q(started__gte=cutoff) | Q(ended__isnull=True) | Q(ended__gte=cutoff)
    )
    active = set(
        Participation.objects.filter(collaboration__in=recent).values_list("actor", flat=True)
    )
    based = Actor.objects.filter(presence=Actor.Presence.BASED)
    disconnected = set(based.exclude(pk__in=active).values_list("slug", flat=True))
    assert disconnected == {"basen"}


def test_running_the_demo_again_adds_nothing(demo_house):
    models = [*apps.get_app_config("collaboration").get_models(), Actor]

    def snapshot():
        return {model._meta.label: sorted(map(repr, model.objects.values())) for model in models}

    first = snapshot()
    assert first["collaboration.Collaboration"]
    load_demo()
    assert snapshot() == first


def test_the_history_titles_are_unique():
    # Reruns recognise an entry by its title.
    titles = [entry.title for entry in demo.HISTORY]
    assert len(titles) == len(set(titles))


# The benchmark's bulk collaborations (the whole dataset takes too long for a test).


def test_bench_collaborations_are_written_in_bulk(django_assert_max_num_queries):
    actors = ActorFactory.create_batch(6)
    by = UserFactory()
    today = timezone.localdate()
    with django_assert_max_num_queries(60):  # in bulk: one row each would be > 900
        made = add_collaborations(actors, 300, random.Random(6), today=today, by=by)
    assert made == Collaboration.objects.count() == 300
    assert set(Collaboration.objects.values_list("form", flat=True)) == set(Form.values)
    sizes = Collaboration.objects.annotate(n=Count("participations")).values_list("n", flat=True)
    assert min(sizes) >= 2
    assert max(sizes) <= 4
    statuses = Counter(Participation.objects.values_list("status", flat=True))
    assert statuses["confirmed"] > statuses["pending"] > 0
    assert statuses["disputed"] > 0
    assert not Participation.objects.filter(status="disputed", note="").exists()
    # Each starts with its first form; some move up, and end in the form they hold.
    assert FormChange.objects.count() > Collaboration.objects.count()
    for collaboration in Collaboration.objects.prefetch_related("form_changes"):
        changes = list(collaboration.form_changes.all())
        assert changes[0].on == collaboration.started
        assert changes[-1].form == collaboration.form
        ranks = [Form(change.form).rank for change in changes]
        assert ranks == sorted(ranks)
        assert collaboration.lead_id in {actor.pk for actor in actors}
    days = Collaboration.objects.values_list("started", flat=True)
    assert min(days) >= today - datetime.timedelta(days=3 * 365)
    assert max(days) <= today
    assert Goal.objects.exists()
    assert not Goal.objects.filter(criterion="").exists()
