"""Issue #14, item 5: every list of collaborations shows each entry's overall
state (every actor's part, not only the reader's), counts every actor
involved, and a member sees what waits for their own answer first."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from collaboration import stats
from collaboration.log import services
from collaboration.models import Participation, overall_state
from tests.factories import ActorFactory, MembershipFactory, log_collaboration

pytestmark = pytest.mark.django_db

PENDING, CONFIRMED, DISPUTED = (
    Participation.Status.PENDING,
    Participation.Status.CONFIRMED,
    Participation.Status.DISPUTED,
)


def answer(user, collaboration, actor, confirm=True, note=""):
    return services.participation_answer(
        by=user,
        participation=collaboration.participations.get(actor=actor),
        confirm=confirm,
        note=note,
    )


@pytest.fixture
def third_member(third_actor):
    return MembershipFactory(user__email="third@example.org", actor=third_actor).user


def state_cell(page: str, title: str) -> str:
    """The last cell of ``title``'s row in the log's table."""
    row = page.split(f">{title}</a></th>", 1)[1].split("</tr>", 1)[0]
    return re.split(r"<td[^>]*>", row)[-1]


def actors_cell(page: str, title: str) -> str:
    row = page.split(f">{title}</a></th>", 1)[1].split("</tr>", 1)[0]
    return re.split(r"<td[^>]*>", row)[4].split("</td>")[0]


# --- the one rule ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "english", "danish", "kind"),
    [
        ([("A", CONFIRMED), ("B", CONFIRMED)], "Confirmed by all", "Bekræftet af alle", CONFIRMED),
        (
            [("A", CONFIRMED), ("Café", PENDING), ("Basen", PENDING)],
            "Waiting for Basen, Café",
            "Afventer Basen, Café",
            PENDING,
        ),
        (
            [("A", CONFIRMED), ("Basen", DISPUTED)],
            "Disputed by Basen",
            "Bestridt af Basen",
            DISPUTED,
        ),
        (
            [("A", CONFIRMED), ("Basen", DISPUTED), ("Café", PENDING)],
            "Disputed by Basen; waiting for Café",
            "Bestridt af Basen; afventer Café",
            DISPUTED,
        ),
    ],
)
def test_the_overall_state_in_words(parts, english, danish, kind):
    state = overall_state(parts)
    assert state.kind == kind
    with translation.override("en"):
        assert str(state) == english
    with translation.override("da"):
        assert str(state) == danish


# --- the log --------------------------------------------------------------------------------


def test_the_log_shows_every_actors_part_not_only_the_readers(
    member,
    other_member,
    third_member,
    actor,
    other_actor,
    third_actor,
    member_client,
    other_member_client,
):
    for client in (member_client, other_member_client):
        client.cookies["django_language"] = "en"
    collaboration = log_collaboration(member, actor, other_actor, third_actor, title="Husmøde")
    answer(other_member, collaboration, other_actor)
    # The logger's own part and Basen's are confirmed; Café Sumak has not answered.
    page = member_client.get(reverse("collaboration:log")).content.decode()
    assert "Waiting for Café Sumak" in state_cell(page, "Husmøde")
    page = other_member_client.get(reverse("collaboration:log")).content.decode()
    assert "Waiting for Café Sumak" in state_cell(page, "Husmøde")
    answer(third_member, collaboration, third_actor, confirm=False, note="Vi var der ikke")
    for client in (member_client, other_member_client):
        page = client.get(reverse("collaboration:log")).content.decode()
        assert "Disputed by Café Sumak" in state_cell(page, "Husmøde")
    answer(third_member, collaboration, third_actor, confirm=True)
    page = member_client.get(reverse("collaboration:log")).content.decode()
    assert "Confirmed by all" in state_cell(page, "Husmøde")


def test_the_actors_column_counts_every_actor_involved(
    member, other_member, actor, other_actor, third_actor, other_member_client
):
    log_collaboration(member, actor, other_actor, third_actor, title="Tre")
    log_collaboration(member, actor, other_actor, title="To")
    # Read by a partner: their own part is one of three, the logger's actor included.
    page = other_member_client.get(reverse("collaboration:log")).content.decode()
    assert actors_cell(page, "Tre") == "3"
    assert actors_cell(page, "To") == "2"


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        ("pending", {"Venter"}),
        ("disputed", {"Bestridt"}),
        ("confirmed", {"Bekræftet"}),
        ("", {"Venter", "Bestridt", "Bekræftet"}),
    ],
)
def test_the_state_filter_reads_every_actors_part(
    member, other_member, actor, other_actor, member_client, status, shown
):
    waiting = log_collaboration(member, actor, other_actor, title="Venter")
    disputed = log_collaboration(member, actor, other_actor, title="Bestridt")
    confirmed = log_collaboration(member, actor, other_actor, title="Bekræftet")
    answer(other_member, disputed, other_actor, confirm=False, note="Forkert")
    answer(other_member, confirmed, other_actor)
    # The reader's own part is confirmed in all three: the filter reads the others'.
    response = member_client.get(reverse("collaboration:log"), {"status": status})
    titles = {c.title for c in response.context["collaborations"]}
    assert titles == shown
    assert waiting.participations.get(actor=actor).status == CONFIRMED


def test_a_member_sees_what_waits_for_their_answer_with_a_count(
    member, other_member, actor, other_actor, third_actor, other_member_client, member_client
):
    other_member_client.cookies["django_language"] = "en"
    for title in ("Første", "Anden"):
        log_collaboration(member, actor, other_actor, third_actor, title=title)
    page = other_member_client.get(reverse("collaboration:log")).content.decode()
    card = page.split('id="waiting-heading"', 1)[1].split("</section>", 1)[0]
    assert '<span class="badge">2</span>' in card
    assert "in 2 collaborations" in card
    assert "Første" in card and "Anden" in card and "for Basen" in card
    # Above the log's filters and table.
    assert page.index('id="waiting-heading"') < page.index('role="search"')
    # The logger's part is confirmed: nothing waits for them.
    assert (
        'id="waiting-heading"'
        not in member_client.get(reverse("collaboration:log")).content.decode()
    )


def test_the_entry_shows_its_state_and_who_disputed_it_and_why(
    member, other_member, actor, other_actor, member_client
):
    member_client.cookies["django_language"] = "en"
    collaboration = log_collaboration(member, actor, other_actor)
    answer(other_member, collaboration, other_actor, confirm=False, note="Vi holdt ikke mødet")
    page = member_client.get(collaboration.get_absolute_url()).content.decode()
    assert "Disputed by Basen" in page
    assert "Vi holdt ikke mødet" in page
    assert f"Disputed by {other_member.name}" in page


def test_an_actors_summary_shows_each_collaborations_overall_state(
    member, other_member, actor, other_actor, third_actor
):
    waiting = log_collaboration(member, actor, other_actor, third_actor, title="Venter")
    answer(other_member, waiting, other_actor)
    disputed = log_collaboration(member, actor, other_actor, title="Bestridt")
    answer(other_member, disputed, other_actor, confirm=False, note="Forkert")
    today = timezone.localdate()
    filters = stats.Filters(first=today - datetime.timedelta(days=30), last=today)
    rows = {row.title: row.state for row in stats.actor_summary(filters, actor).collaborations}
    with translation.override("en"):
        assert str(rows["Venter"]) == "Waiting for Café Sumak"
        assert str(rows["Bestridt"]) == "Disputed by Basen"


# --- bounded queries ------------------------------------------------------------------------


def _fill(member, actor, count):
    partners = [ActorFactory() for _ in range(3)]
    for n in range(count):
        collaboration = log_collaboration(
            member,
            actor,
            *partners,
            title=f"Møde {n}",
            started=timezone.localdate() - datetime.timedelta(days=n),
        )
        for partner in partners[: n % 3]:
            theirs = collaboration.participations.get(actor=partner)
            theirs.status = DISPUTED if n % 2 else CONFIRMED
            theirs.save()
    # Partners named the reader's actor too: items waiting for the reader.
    for n in range(count):
        log_collaboration(
            MembershipFactory(actor=partners[0]).user, partners[0], actor, title=f"Spørg {n}"
        )


@pytest.mark.parametrize("status", ["", "pending", "disputed", "confirmed"])
def test_the_log_list_runs_the_same_queries_for_few_or_many_entries(
    member, actor, member_client, status
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = member_client.get(reverse("collaboration:log"), {"status": status})
        assert response.status_code == 200
        return len(captured)

    queries()  # the house's row is made on the first page
    _fill(member, actor, 2)
    few = queries()
    _fill(member, actor, 20)
    assert queries() == few
    assert few <= 12
