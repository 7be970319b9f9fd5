"""The map of the house: the figures on a small hand-made log (per form, across
sectors, new ties, the ladder, the disconnected), the network map's layout,
the pages and their CSV for each role, the public figures, and query counts
that do not grow with the log."""

import csv
import datetime
import io
from http import HTTPStatus

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from actors.models import Actor, Sector
from collaboration import stats
from collaboration.log import services
from collaboration.models import Form
from tests.factories import ActorFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

FIRST, LAST = datetime.date(2030, 1, 1), datetime.date(2030, 6, 30)
PERIOD = stats.Filters(first=FIRST, last=LAST)
QUERY = {"from": FIRST.isoformat(), "to": LAST.isoformat()}
TODAY = datetime.date(2030, 7, 1)
D = datetime.date


def log(by, actors, form, started, ended=None, title="Fælles møde"):
    return services.collaboration_log(
        by=by,
        on_behalf_of=actors[0],
        actors=actors,
        title=title,
        form=form,
        started=started,
        ended=ended,
    )


@pytest.fixture
def house(coordinator, actor):
    """Six months of 2030, plus one older collaboration:

    - Kvindeforum and Ungdomsklubben share knowledge four times (Q1, Q1, Q1, Q2);
    - Caféen and Helhedsplanen exchange resources (Q1, no end: still running);
    - Ungdomsklubben, Jobcentret and Helhedsplanen start as knowledge sharing
      in May and move to joint delivery;
    - Kvindeforum logs a coordination with Caféen, which Caféen disputes;
    - Strikkeklubben last worked with Kvindeforum in 2029; Skakklubben never did.
    """
    kind = Actor.Kind
    based = Actor.Presence.BASED
    actor.presence = based
    actor.save()
    a = {
        "kvindeforum": actor,
        "ungdom": ActorFactory(name="Ungdomsklubben", kind=kind.MUNICIPAL, presence=based),
        "job": ActorFactory(name="Jobcentret", kind=kind.MUNICIPAL, presence="partner"),
        "cafe": ActorFactory(name="Caféen", kind=kind.SOCIAL_ECONOMY, presence=based),
        "plan": ActorFactory(name="Helhedsplanen", kind=kind.HOUSING_SOCIAL_PLAN, presence=based),
        "strik": ActorFactory(name="Strikkeklubben", presence=based),
        "skak": ActorFactory(name="Skakklubben", presence=based),
        "gone": ActorFactory(name="Flyttet", presence=based, left_on=D(2030, 5, 1)),
    }
    by = coordinator
    for started in (D(2030, 1, 10), D(2030, 2, 15), D(2030, 3, 5), D(2030, 4, 20)):
        log(by, [a["kvindeforum"], a["ungdom"]], Form.KNOWLEDGE, started, started)
    log(by, [a["cafe"], a["plan"]], Form.RESOURCES, D(2030, 2, 1), title="Køkken mod rengøring")
    joint = log(by, [a["ungdom"], a["job"], a["plan"]], Form.KNOWLEDGE, D(2030, 5, 10))
    services.collaboration_update(
        by=by, collaboration=joint, form=Form.JOINT_DELIVERY, form_changed_on=D(2030, 5, 20)
    )
    log(by, [a["strik"], a["kvindeforum"]], Form.KNOWLEDGE, D(2029, 6, 1), D(2029, 7, 1))
    disputed = log(by, [a["kvindeforum"], a["cafe"]], Form.COORDINATION, D(2030, 3, 1))
    services.participation_answer(
        by=by,
        participation=disputed.participations.get(actor=a["cafe"]),
        confirm=False,
        note="Vi var ikke med",
    )
    return a


def pair_of(house_map, first, second):
    for pair in house_map.pairs:
        if {pair.a.name, pair.b.name} == {first, second}:
            return pair
    raise AssertionError(f"no pair {first} – {second}")


# The figures


def test_collaborations_per_form_per_month_and_quarter(house):
    result = stats.house_map(PERIOD, today=TODAY)
    assert result.total == 7  # the 2029 one is before the period
    # Counts in the form each has now: the May one is joint delivery.
    months = {row.day: row.counts for row in result.months}
    assert [row.day.month for row in result.months] == [1, 2, 3, 4, 5, 6]
    assert months[D(2030, 1, 1)] == (1, 0, 0, 0, 0)
    assert months[D(2030, 2, 1)] == (1, 0, 1, 0, 0)
    assert months[D(2030, 3, 1)] == (1, 1, 0, 0, 0)
    assert months[D(2030, 5, 1)] == (0, 0, 0, 1, 0)
    assert months[D(2030, 6, 1)] == (0, 0, 0, 0, 0)
    assert [(row.day, row.counts, row.total) for row in result.quarters] == [
        (D(2030, 1, 1), (3, 1, 1, 0, 0), 5),
        (D(2030, 4, 1), (1, 0, 0, 1, 0), 2),
    ]
    assert result.form_totals == (4, 1, 1, 1, 0)
    # The disputed part makes no tie, but Caféen takes part in the resource exchange.
    assert result.actors_involved == 5


def test_the_form_filter_keeps_the_collaborations_in_that_form_now(house):
    filters = stats.Filters(first=FIRST, last=LAST, form=Form.JOINT_DELIVERY)
    result = stats.house_map(filters, today=TODAY)
    assert result.total == 1
    assert [row.counts for row in result.quarters] == [(0,), (1,)]
    assert result.forms == [Form.JOINT_DELIVERY]
    # The ladder still shows where that collaboration came from.
    assert pair_of(result, "Ungdomsklubben", "Jobcentret").ladder == (1, 0, 0, 1, 0)


def test_the_sector_matrix_counts_collaborations_across_sectors(house):
    matrix = stats.house_map(PERIOD, today=TODAY).matrix
    cell = {
        (row, column): matrix.values[i][j]
        for i, row in enumerate(matrix.sectors)
        for j, column in enumerate(matrix.sectors)
    }
    assert cell[(Sector.CIVIL_SOCIETY, Sector.MUNICIPAL)] == 4
    assert cell[(Sector.MUNICIPAL, Sector.CIVIL_SOCIETY)] == 4
    assert cell[(Sector.PRIVATE, Sector.HOUSING_SOCIAL)] == 1
    assert cell[(Sector.MUNICIPAL, Sector.HOUSING_SOCIAL)] == 1
    # Two municipal actors in one collaboration: on the diagonal.
    assert cell[(Sector.MUNICIPAL, Sector.MUNICIPAL)] == 1
    # One civil-society actor alone (the other disputed) is no cell at all.
    assert cell[(Sector.CIVIL_SOCIETY, Sector.CIVIL_SOCIETY)] == 0
    assert cell[(Sector.CIVIL_SOCIETY, Sector.PRIVATE)] == 0
    assert (matrix.crossing, matrix.total) == (6, 7)


def test_new_ties_per_quarter_count_first_collaborations_only(house):
    result = stats.house_map(PERIOD, today=TODAY)
    # Q1: Kvindeforum-Ungdomsklubben and Caféen-Helhedsplanen; their later
    # collaborations are no new ties. Q2: the three pairs of the May one.
    # Kvindeforum-Strikkeklubben is from 2029; the disputed pair is no tie.
    assert [(row.day, row.count) for row in result.new_ties] == [
        (D(2030, 1, 1), 2),
        (D(2030, 4, 1), 3),
    ]
    later = stats.Filters(first=D(2030, 4, 1), last=LAST)
    assert [row.count for row in stats.house_map(later, today=TODAY).new_ties] == [3]


def test_the_ladder_counts_the_forms_each_pair_has_used(house):
    result = stats.house_map(PERIOD, today=TODAY)
    women_youth = pair_of(result, "Kvindeforum", "Ungdomsklubben")
    assert women_youth.count == 4
    assert women_youth.ladder == (4, 0, 0, 0, 0)
    assert (women_youth.first, women_youth.latest) == (D(2030, 1, 10), D(2030, 4, 20))
    with translation.override("en"):
        assert women_youth.text == (
            "4× knowledge sharing; never coordination, resource exchange, joint delivery "
            "or co-creation"
        )
        # A change of form counts in both forms: the pair climbed the ladder.
        youth_job = pair_of(result, "Ungdomsklubben", "Jobcentret")
        assert youth_job.ladder == (1, 0, 0, 1, 0)
        assert youth_job.strongest == Form.JOINT_DELIVERY
        assert youth_job.text == "1× knowledge sharing, 1× joint delivery; never co-creation"


def test_a_disputed_part_is_marked_in_the_ladder_and_makes_no_tie(house):
    result = stats.house_map(PERIOD, today=TODAY)
    disputed = pair_of(result, "Kvindeforum", "Caféen")
    assert (disputed.count, disputed.disputed) == (0, 1)
    assert disputed in result.shown_pairs
    assert result.tie_count == 5
    network = stats.house_network(result)
    drawn = {frozenset((e.pair.a.name, e.pair.b.name)) for e in network.edges}
    assert frozenset(("Kvindeforum", "Caféen")) not in drawn
    assert frozenset(("Kvindeforum", "Ungdomsklubben")) in drawn


def test_the_disconnected_are_based_in_the_house_without_a_collaboration_in_six_months(house):
    result = stats.house_map(PERIOD, today=TODAY)
    listed = {row.actor.name: row.last_collaboration for row in result.disconnected}
    # Skakklubben never collaborated; Strikkeklubben's ended in 2029. Caféen's
    # resource exchange has no end, so it still runs; Jobcentret is not based
    # in the house; Flyttet has left.
    assert listed == {"Skakklubben": None, "Strikkeklubben": D(2029, 6, 1)}
    assert result.disconnected_since == D(2029, 12, 30)


def test_a_disputed_part_does_not_connect(coordinator):
    lonely = ActorFactory(name="Ensom", presence=Actor.Presence.BASED)
    other = ActorFactory(name="Anden")
    collaboration = log(coordinator, [other, lonely], Form.KNOWLEDGE, D(2030, 6, 1))
    assert "Ensom" not in {r.actor.name for r in stats.house_map(PERIOD, today=TODAY).disconnected}
    services.participation_answer(
        by=coordinator,
        participation=collaboration.participations.get(actor=lonely),
        confirm=False,
        note="Ikke os",
    )
    assert "Ensom" in {r.actor.name for r in stats.house_map(PERIOD, today=TODAY).disconnected}


def test_the_public_figures_count_without_names(house):
    figures = stats.public_figures(PERIOD)
    assert figures.total == 7
    assert figures.actors_involved == 5
    assert figures.crossing == 6
    assert figures.form_totals == (4, 1, 1, 1, 0)


def test_an_actors_summary_lists_its_collaborations_and_partners(house):
    summary = stats.actor_summary(PERIOD, house["kvindeforum"])
    assert len(summary.collaborations) == 5  # four with the youth club, one disputed
    assert summary.form_counts == (4, 1, 0, 0, 0)
    assert [partner.name for partner, _pair in summary.partners] == ["Ungdomsklubben"]
    disputed = [row for row in summary.collaborations if row.form == Form.COORDINATION]
    assert disputed[0].partners == ["Caféen"]


# Period and form filter


def test_the_default_period_is_the_last_twelve_months():
    filters, form = stats.parse_filters({}, today=D(2030, 3, 14))
    assert (filters.first, filters.last, filters.form) == (D(2029, 4, 1), D(2030, 3, 14), "")
    assert len(filters.months) == 12
    assert not form.errors


def test_the_filters_are_read_and_wrong_ones_explained():
    filters, _form = stats.parse_filters(
        {"from": "2030-01-01", "to": "2030-06-30", "form": "samordne"}
    )
    assert filters == stats.Filters(FIRST, LAST, Form.JOINT_DELIVERY)
    assert [q.month for q in filters.quarters] == [1, 4]
    for wrong in (
        {"from": "2030-06-01", "to": "2030-01-01"},
        {"from": "2001-01-01", "to": "2030-01-01"},
        {"form": "samarbejde"},
        {"from": "i går"},
    ):
        filters, form = stats.parse_filters(wrong, today=TODAY)
        assert form.errors, wrong
        assert filters == stats.default_filters(TODAY)


# The network map


def test_the_network_layout_is_the_same_for_the_same_input(house):
    def svg():
        network = stats.network_for(PERIOD)
        return network, render_to_string(
            "collaboration/_network.html", {"network": network, "legend": {}}
        )

    first_network, first = svg()
    _again, second = svg()
    assert first == second
    assert first.count("<line") == 5 and "Kvindeforum" in first
    for node in first_network.nodes:
        assert stats.MARGIN <= node.x <= stats.WIDTH - stats.MARGIN
        assert stats.MARGIN <= node.y <= stats.HEIGHT - stats.MARGIN
    # The order the edges come in does not move anything.
    edges = [(1, 2, 1.0), (2, 3, 2.0), (3, 4, 1.0), (1, 4, 1.0)]
    assert stats.layout([4, 3, 2, 1], edges) == stats.layout([1, 2, 3, 4], edges[::-1])


def test_the_network_sizes_colours_and_styles(house):
    network = stats.network_for(PERIOD)
    nodes = {node.actor.name: node for node in network.nodes}
    # Ungdomsklubben and Kvindeforum (counting the one Caféen disputes): five
    # collaborations each, the largest; Caféen one, as it disputes the other.
    assert nodes["Ungdomsklubben"].count == nodes["Kvindeforum"].count == 5
    assert nodes["Caféen"].count == 1
    assert nodes["Ungdomsklubben"].r == max(n.r for n in network.nodes) > nodes["Caféen"].r
    assert nodes["Ungdomsklubben"].shape == "diamond"  # municipal
    assert nodes["Kvindeforum"].shape == "circle" and not nodes["Kvindeforum"].points
    edges = {frozenset((e.pair.a.name, e.pair.b.name)): e for e in network.edges}
    strongest = edges[frozenset(("Kvindeforum", "Ungdomsklubben"))]
    weakest = edges[frozenset(("Caféen", "Helhedsplanen"))]
    assert strongest.width > weakest.width
    assert strongest.form == Form.KNOWLEDGE and strongest.dash
    assert edges[frozenset(("Ungdomsklubben", "Jobcentret"))].form == Form.JOINT_DELIVERY


def test_a_big_house_draws_the_pairs_that_worked_together_most(coordinator, settings):
    actors = [ActorFactory(name=f"Aktør {n:02d}") for n in range(20)]
    for i, a in enumerate(actors):
        for b in actors[i + 1 :]:
            log(coordinator, [a, b], Form.KNOWLEDGE, D(2030, 2, 1))
    result = stats.house_map(PERIOD, today=TODAY)
    assert result.tie_count == 190
    network = stats.house_network(result)
    assert len(network.edges) == stats.MAX_PAIRS and network.cut
    assert len(result.shown_pairs) == stats.MAX_PAIRS and result.pairs_cut


# The pages, for each role


@pytest.mark.parametrize(
    "name", ["collaboration:map", "collaboration:map-csv", "collaboration:summary"]
)
def test_the_map_needs_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    "name", ["collaboration:map", "collaboration:map-csv", "collaboration:summary"]
)
def test_someone_without_a_role_in_the_house_is_refused(client, name):
    client.force_login(UserFactory())
    assert client.get(reverse(name)).status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize(
    "name", ["collaboration:map", "collaboration:map-csv", "collaboration:summary"]
)
def test_members_and_council_members_are_let_in(member_client, council_client, name):
    assert member_client.get(reverse(name)).status_code == HTTPStatus.OK
    assert council_client.get(reverse(name)).status_code == HTTPStatus.OK


def test_a_member_sees_the_whole_house_on_the_map(member_client, house):
    response = member_client.get(reverse("collaboration:map"), QUERY)
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    for text in ("Ungdomsklubben – Jobcentret", "Skakklubben", 'role="img"', "<caption"):
        assert text in page
    # Names of actors, never titles of collaborations.
    assert "Køkken mod rengøring" not in page


def test_the_map_page_shows_every_section(coordinator_client, house, settings):
    coordinator_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = coordinator_client.get(reverse("collaboration:map"), QUERY)
    page = response.content.decode()
    for heading in (
        'id="months-heading"',
        'id="quarters-heading"',
        'id="sectors-heading"',
        'id="ties-heading"',
        'id="ladder-heading"',
        'id="network-heading"',
        'id="disconnected-heading"',
        'id="network-title"',
        'id="nodes-caption"',
    ):
        assert heading in page
    assert page.count("<svg") >= 5
    assert "4× knowledge sharing; never coordination" in page
    assert "1 disputed" in page


def test_wrong_filters_answer_400_with_the_message_and_what_was_asked(coordinator_client, house):
    response = coordinator_client.get(
        reverse("collaboration:map"),
        {"from": "2030-06-01", "to": "2030-01-01"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    page = response.content.decode()
    assert 'role="alert"' in page
    assert "The end of the period cannot be before its start." in page
    assert 'value="2030-06-01"' in page and 'value="2030-01-01"' in page


def test_the_csv_has_every_section(coordinator_client, house):
    response = coordinator_client.get(reverse("collaboration:map-csv"), QUERY)
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("text/csv")
    assert "collaboration-map-2030-01-01_2030-06-30.csv" in response["Content-Disposition"]
    # In Danish, as Danish Excel reads it: a semicolon between fields (centre.csv_export).
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    flat = {cell for row in rows for cell in row}
    assert {"Kvindeforum", "Skakklubben", "2030-01-01"} <= flat
    ladder = [r for r in rows if r[:1] == ["Kvindeforum"] and r[2:3] == ["Ungdomsklubben"]]
    assert ladder and ladder[0][4:10] == ["4", "4", "0", "0", "0", "0"]
    quarters = [r for r in rows if r[1:2] == ["2030-04-01"] and len(r) == 8]
    assert quarters[-1][2:] == ["1", "0", "0", "1", "0", "2"]  # after the months


def test_the_house_summary_prints_on_one_page(member_client, house):
    response = member_client.get(reverse("collaboration:summary"), QUERY)
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "css/print-summary.css" in page
    assert "Kvindeforum – Ungdomsklubben" in page
    assert "Køkken mod rengøring" not in page


def test_an_actors_summary_is_for_its_own_people_and_coordinators(
    client, coordinator_client, house
):
    member = MembershipFactory(actor=house["cafe"]).user
    client.force_login(member)
    own = client.get(reverse("collaboration:summary"), {**QUERY, "actor": house["cafe"].slug})
    assert own.status_code == HTTPStatus.OK
    assert "Køkken mod rengøring" in own.content.decode()
    assert "Helhedsplanen" in own.content.decode()
    others = {**QUERY, "actor": house["kvindeforum"].slug}
    assert client.get(reverse("collaboration:summary"), others).status_code == 404
    unknown = {**QUERY, "actor": "findes-ikke"}
    assert client.get(reverse("collaboration:summary"), unknown).status_code == 404
    seen = coordinator_client.get(reverse("collaboration:summary"), others)
    assert seen.status_code == HTTPStatus.OK
    assert "Fælles møde" in seen.content.decode()


def test_the_public_figures_show_no_names_and_no_titles(client, house):
    response = client.get(reverse("collaboration:figures"), QUERY)
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert "<caption" in page and 'role="img"' in page
    for actor in house.values():
        assert actor.name not in page
    for title in ("Køkken mod rengøring", "Fælles møde"):
        assert title not in page
    assert response.context["figures"].total == 7


# Queries: the same number whatever the size of the log


def grow(coordinator, actors, n):
    """n collaborations among the given actors, in every form, over the period
    and the two months before it."""
    forms = list(Form)
    for i in range(n):
        members = [actors[i % len(actors)], actors[(i * 7 + 1) % len(actors)]]
        if i % 3 == 0:
            members.append(actors[(i * 3 + 2) % len(actors)])
        log(
            coordinator, members, forms[i % 5], FIRST + datetime.timedelta(days=(i * 13) % 240 - 60)
        )


def count_queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


@pytest.mark.parametrize("path", ["collaboration:map", "collaboration:map-csv"])
def test_the_map_runs_a_fixed_number_of_queries(
    coordinator, coordinator_client, django_assert_max_num_queries, path
):
    actors = [ActorFactory(presence=Actor.Presence.BASED) for _n in range(12)]
    grow(coordinator, actors, 5)
    coordinator_client.get(reverse(path), QUERY)  # the session is loaded once
    small = count_queries(lambda: coordinator_client.get(reverse(path), QUERY))
    grow(coordinator, actors, 45)
    with django_assert_max_num_queries(small):
        response = coordinator_client.get(reverse(path), QUERY)
    assert response.status_code == HTTPStatus.OK
    # Session, user, two-factor, roles (2), the figures (6), the house, the
    # residents reached (one query while nothing was counted).
    assert small <= 13


def test_the_network_map_runs_three_queries(coordinator, django_assert_num_queries):
    actors = [ActorFactory() for _n in range(12)]
    grow(coordinator, actors, 5)
    # The period's collaborations, their actors' parts, the actors.
    with django_assert_num_queries(3):
        small = stats.network_for(PERIOD)
    grow(coordinator, actors, 45)
    with django_assert_num_queries(3):
        large = stats.network_for(PERIOD)
    assert len(large.edges) > len(small.edges)


def test_the_summary_and_figures_run_a_fixed_number_of_queries(
    coordinator, coordinator_client, client, django_assert_max_num_queries
):
    actors = [ActorFactory() for _n in range(12)]
    grow(coordinator, actors, 5)
    summary = reverse("collaboration:summary")
    mine = {**QUERY, "actor": actors[0].slug}
    coordinator_client.get(summary, QUERY)
    counts = [
        count_queries(lambda: coordinator_client.get(summary, QUERY)),
        count_queries(lambda: coordinator_client.get(summary, mine)),
        count_queries(lambda: client.get(reverse("collaboration:figures"), QUERY)),
    ]
    grow(coordinator, actors, 45)
    with django_assert_max_num_queries(counts[0]):
        coordinator_client.get(summary, QUERY)
    with django_assert_max_num_queries(counts[1]):
        coordinator_client.get(summary, mine)
    with django_assert_max_num_queries(counts[2]):
        client.get(reverse("collaboration:figures"), QUERY)
    # The collaborations, their actors, the sectors, the house, the residents reached.
    assert counts[2] <= 5
