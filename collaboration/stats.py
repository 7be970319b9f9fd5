"""The map of the house: figures drawn from the collaboration log.

Plain data for the pages in stats_views.py, from a fixed number of queries
whatever the size of the log: the participations (joined to their
collaboration) up to the end of the period, the actors, and for the ladder
the changes of form. What counts:

- A collaboration belongs to the period when it *started* in it, and counts
  once, in the form it has now (``Collaboration.form``). The form filter
  keeps the collaborations that have that form now.
- A *tie* is a pair of actors that took part in the same collaboration. A
  disputed participation makes no tie: the actor says it was not part of it.
  The collaboration itself still counts in the figures per form, and the
  ladder shows, per pair, how many of their collaborations one of the two
  disputed, so a dispute stays visible.
- *New ties per quarter*: pairs whose first collaboration (ever, within the
  form filter) started in that quarter.
- The *ladder* of a pair counts each of their collaborations once in every
  form it has had (its history of changes, and the form it has now).
- The *sector matrix* counts collaborations: a cell of two sectors counts the
  collaborations with actors of both; a cell on the diagonal those with two
  or more actors of that sector.
- The *disconnected*: current actors based in the house with no collaboration
  running in the six months up to the end of the period. A collaboration
  runs from its start to its end; one without an end is still running. The
  form filter does not apply here: any form connects.
"""

import datetime
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actors.models import Actor, Sector

from .models import Collaboration, Form, FormChange, Participation

SIX_MONTHS = relativedelta(months=6)
MAX_YEARS = 10
FIRST_YEAR, LAST_YEAR = 1900, 2999
# The page shows (and the network draws) the pairs that worked together most;
# the CSV file has them all.
MAX_PAIRS = 150

SECTOR_SHORT = {
    Sector.CIVIL_SOCIETY: gettext_lazy("Civil society"),
    Sector.HOUSING_SOCIAL: gettext_lazy("Housing-social"),
    Sector.MUNICIPAL: gettext_lazy("Municipal"),
    Sector.REGIONAL: gettext_lazy("Regional"),
    Sector.PRIVATE: gettext_lazy("Private"),
}


# --- Period and form ----------------------------------------------------------------


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def quarter_of(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _steps(first: datetime.date, last: datetime.date, months: int) -> list[datetime.date]:
    out, day = [], first
    while day <= last:
        out.append(day)
        day += relativedelta(months=months)
    return out


def month_label(month: datetime.date) -> str:
    return capfirst(date_format(month, "F Y"))


def month_short(month: datetime.date) -> str:
    return date_format(month, "M Y")


def quarter_label(quarter: datetime.date) -> str:
    return _("Q%(quarter)s %(year)s") % {
        "quarter": (quarter.month - 1) // 3 + 1,
        "year": quarter.year,
    }


@dataclass(frozen=True)
class Filters:
    first: datetime.date
    last: datetime.date
    form: str = ""  # a Form value, or "" for all five

    @property
    def forms(self) -> list[Form]:
        return [Form(self.form)] if self.form else list(Form)

    @property
    def form_label(self) -> str:
        return str(Form(self.form).label) if self.form else _("All five forms")

    @property
    def months(self) -> list[datetime.date]:
        return _steps(month_of(self.first), self.last, 1)

    @property
    def quarters(self) -> list[datetime.date]:
        return _steps(quarter_of(self.first), self.last, 3)

    @property
    def query(self) -> str:
        params = {"from": self.first.isoformat(), "to": self.last.isoformat()}
        if self.form:
            params["form"] = self.form
        return urlencode(params)

    @property
    def slug(self) -> str:
        return f"{self.first.isoformat()}_{self.last.isoformat()}" + (
            f"_{self.form}" if self.form else ""
        )

    def wants(self, form: str) -> bool:
        return not self.form or form == self.form

    def holds(self, day: datetime.date) -> bool:
        return self.first <= day <= self.last


def default_filters(today: datetime.date | None = None) -> Filters:
    """The last twelve months: from the first of the month eleven months ago to today."""
    today = today or timezone.localdate()
    return Filters(first=month_of(today) - relativedelta(months=11), last=today)


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FilterForm(forms.Form):
    """Period (``from``, ``to``) and form, from the query string."""

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        # "from" is a Python keyword, so the fields are added here.
        self.fields["from"] = forms.DateField(label=_("From"), required=False, widget=_date_input())
        self.fields["to"] = forms.DateField(label=_("To"), required=False, widget=_date_input())
        self.fields["form"] = forms.ChoiceField(
            label=_("Form of collaboration"),
            required=False,
            choices=[("", _("All five forms")), *Form.choices],
        )

    def clean(self):
        data = super().clean()
        last = data.get("to") or self.today
        first = data.get("from") or month_of(last) - relativedelta(months=11)
        for name, day in (("from", first), ("to", last)):
            if not FIRST_YEAR <= day.year <= LAST_YEAR:
                self.add_error(name, _("Choose a date between 1900 and 2999."))
        if first > last:
            self.add_error("to", _("The end of the period cannot be before its start."))
        elif first + relativedelta(years=MAX_YEARS) <= last:
            self.add_error("to", _("Choose a period of at most ten years."))
        data["first"], data["last"] = first, last
        return data


def parse_filters(params, today: datetime.date | None = None) -> tuple[Filters, FilterForm]:
    """The filters asked for, or the last twelve months in all forms when the
    query string is empty or wrong (the form then carries the errors)."""
    keys = {key: params.get(key, "") for key in ("from", "to", "form") if key in params}
    form = FilterForm(keys or None, today=today)
    if keys and form.is_valid():
        data = form.cleaned_data
        return Filters(first=data["first"], last=data["last"], form=data["form"] or ""), form
    return default_filters(today), form


# --- Loading ------------------------------------------------------------------------------


@dataclass
class _Collab:
    pk: int
    form: str
    started: datetime.date
    ended: datetime.date | None
    actors: list[int] = field(default_factory=list)  # not disputed
    disputed: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class ActorInfo:
    pk: int
    name: str
    slug: str
    sector: Sector
    presence: str
    joined_on: datetime.date | None
    left_on: datetime.date | None

    @property
    def sector_label(self) -> str:
        return str(self.sector.label)

    def current(self, today: datetime.date) -> bool:
        return self.left_on is None or self.left_on > today


def _collaborations(last: datetime.date) -> dict[int, _Collab]:
    """Every collaboration started by ``last`` with its actors: one query."""
    rows = (
        Participation.objects.filter(collaboration__started__lte=last)
        .order_by()
        .values_list(
            "collaboration_id", "actor_id", "status", "collaboration__form",
            "collaboration__started", "collaboration__ended",
        )
    )  # fmt: skip
    out: dict[int, _Collab] = {}
    disputed = Participation.Status.DISPUTED
    for pk, actor_id, status, form, started, ended in rows:
        collab = out.get(pk)
        if collab is None:
            collab = out[pk] = _Collab(pk, form, started, ended)
        (collab.disputed if status == disputed else collab.actors).append(actor_id)
    for collab in out.values():
        collab.actors.sort()
    return out


def _actors() -> dict[int, ActorInfo]:
    rows = Actor.objects.order_by().values_list(
        "pk", "name", "slug", "kind", "presence", "joined_on", "left_on"
    )
    return {
        pk: ActorInfo(pk, name, slug, Actor.SECTOR_OF_KIND[kind], presence, joined, left)
        for pk, name, slug, kind, presence, joined, left in rows
    }


def _form_history(filters: Filters) -> dict[int, set[str]]:
    """The forms each collaboration of the period has had: one query."""
    rows = FormChange.objects.filter(
        collaboration__started__gte=filters.first, collaboration__started__lte=filters.last
    )
    if filters.form:
        rows = rows.filter(collaboration__form=filters.form)
    history: dict[int, set[str]] = defaultdict(set)
    for pk, form in rows.order_by().values_list("collaboration_id", "form"):
        history[pk].add(form)
    return history


def _pairs(ids: list[int]):
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            yield (a, b) if a < b else (b, a)


# --- Figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of a table of counts: a month or quarter, a count per form, the total."""

    label: str
    short_label: str
    day: datetime.date
    counts: tuple[int, ...]
    total: int


def _form_rows(collabs, filters: Filters, quarterly: bool) -> list[Row]:
    steps = filters.quarters if quarterly else filters.months
    key = quarter_of if quarterly else month_of
    counts: Counter = Counter((key(c.started), c.form) for c in collabs)
    rows = []
    for step in steps:
        values = tuple(counts[(step, form.value)] for form in filters.forms)
        label = quarter_label(step) if quarterly else month_label(step)
        short = label if quarterly else month_short(step)
        rows.append(Row(label, short, step, values, sum(values)))
    return rows


def ladder_text(counts: dict[str, int]) -> str:
    """E.g. "4 times knowledge sharing; never joint delivery or co-creation": the
    forms used, least committed first, then the rungs above the highest used."""
    used = [(form, counts[form.value]) for form in Form if counts.get(form.value)]
    if not used:
        return ""
    text = ", ".join(
        _("%(count)s× %(form)s") % {"count": n, "form": str(form.label).lower()} for form, n in used
    )
    top = max(form.rank for form, _n in used)
    never = [str(form.label).lower() for form in Form if form.rank > top]
    if never:
        text += "; " + _("never %(forms)s") % {"forms": get_text_list(never, _("or"))}
    return text


@dataclass(frozen=True)
class Pair:
    a: ActorInfo
    b: ActorInfo
    count: int  # collaborations together (neither disputed)
    forms_now: dict[str, int]  # per current form
    forms_ever: dict[str, int]  # per form ever had (the ladder)
    first: datetime.date | None
    latest: datetime.date | None
    disputed: int  # collaborations of the two where one of them disputed its part

    @property
    def ladder(self) -> tuple[int, ...]:
        return tuple(self.forms_ever.get(form.value, 0) for form in Form)

    @property
    def text(self) -> str:
        return ladder_text(self.forms_ever)

    @property
    def strongest(self) -> Form | None:
        used = [Form(form) for form, n in self.forms_now.items() if n]
        return max(used, key=lambda form: form.rank) if used else None

    @property
    def crosses_sectors(self) -> bool:
        return self.a.sector != self.b.sector


def _pair_stats(collabs, actors, history=None) -> list[Pair]:
    together: dict[tuple[int, int], list[_Collab]] = defaultdict(list)
    disputed: Counter = Counter()
    for collab in collabs:
        for pair in _pairs(collab.actors):
            together[pair].append(collab)
        if collab.disputed:
            for pair in _pairs(sorted(collab.actors + collab.disputed)):
                if pair[0] in collab.disputed or pair[1] in collab.disputed:
                    disputed[pair] += 1
    out = []
    for key in together.keys() | disputed.keys():
        shared = together.get(key, [])
        ever: Counter = Counter()
        for collab in shared:
            for form in (history or {}).get(collab.pk, set()) | {collab.form}:
                ever[form] += 1
        starts = [collab.started for collab in shared]
        out.append(
            Pair(
                a=actors[key[0]],
                b=actors[key[1]],
                count=len(shared),
                forms_now=dict(Counter(collab.form for collab in shared)),
                forms_ever=dict(ever),
                first=min(starts, default=None),
                latest=max(starts, default=None),
                disputed=disputed[key],
            )
        )
    out.sort(key=lambda p: (-p.count, -p.disputed, p.a.name, p.b.name))
    return out


@dataclass(frozen=True)
class SectorMatrix:
    sectors: tuple[Sector, ...]
    values: tuple[tuple[int, ...], ...]
    crossing: int  # collaborations with actors of two or more sectors
    total: int

    @property
    def share(self) -> float | None:
        return self.crossing / self.total * 100 if self.total else None

    @property
    def rows(self):
        return [(sector, self.values[i]) for i, sector in enumerate(self.sectors)]


def _sector_matrix(collabs, actors) -> SectorMatrix:
    sectors = tuple(Sector)
    index = {sector: i for i, sector in enumerate(sectors)}
    cells = [[0] * len(sectors) for _s in sectors]
    crossing = 0
    for collab in collabs:
        per_sector = Counter(actors[pk].sector for pk in collab.actors)
        present = sorted(index[sector] for sector in per_sector)
        if len(present) > 1:
            crossing += 1
        for i in present:
            for j in present:
                if i != j or per_sector[sectors[i]] > 1:
                    cells[i][j] += 1
    return SectorMatrix(sectors, tuple(tuple(row) for row in cells), crossing, len(collabs))


@dataclass(frozen=True)
class NewTies:
    label: str
    day: datetime.date
    count: int


def _new_ties(history_collabs, filters: Filters) -> list[NewTies]:
    first_start: dict[tuple[int, int], datetime.date] = {}
    for collab in history_collabs:
        for pair in _pairs(collab.actors):
            if pair not in first_start or collab.started < first_start[pair]:
                first_start[pair] = collab.started
    counts = Counter(quarter_of(day) for day in first_start.values() if filters.holds(day))
    return [NewTies(quarter_label(q), q, counts[q]) for q in filters.quarters]


@dataclass(frozen=True)
class Disconnected:
    actor: ActorInfo
    last_collaboration: datetime.date | None


def _disconnected(all_collabs, actors, last: datetime.date, today) -> list[Disconnected]:
    since = last - SIX_MONTHS
    connected: set[int] = set()
    latest: dict[int, datetime.date] = {}
    for collab in all_collabs:
        if collab.ended is None or collab.ended >= since:
            connected.update(collab.actors)
        for pk in collab.actors:
            if pk not in latest or collab.started > latest[pk]:
                latest[pk] = collab.started
    return [
        Disconnected(actor, latest.get(actor.pk))
        for actor in sorted(actors.values(), key=lambda a: a.name)
        if actor.presence == Actor.Presence.BASED
        and actor.current(today)
        and actor.pk not in connected
    ]


@dataclass(frozen=True)
class HouseMap:
    filters: Filters
    total: int
    actors_involved: int
    months: list[Row]
    quarters: list[Row]
    form_totals: tuple[int, ...]
    matrix: SectorMatrix
    new_ties: list[NewTies]
    pairs: list[Pair]  # all of them; the page shows the first MAX_PAIRS
    disconnected: list[Disconnected]
    disconnected_since: datetime.date
    activity: Counter  # collaborations per actor in the period

    @property
    def forms(self) -> list[Form]:
        return self.filters.forms

    @property
    def shown_pairs(self) -> list[Pair]:
        return self.pairs[:MAX_PAIRS]

    @property
    def pairs_cut(self) -> bool:
        return len(self.pairs) > MAX_PAIRS

    @property
    def tie_count(self) -> int:
        return sum(1 for p in self.pairs if p.count)

    @property
    def crossing_ties(self) -> int:
        return sum(1 for p in self.pairs if p.count and p.crosses_sectors)


def house_map(filters: Filters, today: datetime.date | None = None) -> HouseMap:
    """Everything on the map page and in its CSV file: three queries."""
    today = today or timezone.localdate()
    everything = _collaborations(filters.last)
    actors = _actors()
    history = _form_history(filters)
    wanted = [c for c in everything.values() if filters.wants(c.form)]
    period = [c for c in wanted if c.started >= filters.first]
    months = _form_rows(period, filters, quarterly=False)
    return HouseMap(
        filters=filters,
        total=len(period),
        actors_involved=len({pk for c in period for pk in c.actors}),
        months=months,
        quarters=_form_rows(period, filters, quarterly=True),
        form_totals=tuple(sum(row.counts[i] for row in months) for i in range(len(filters.forms))),
        matrix=_sector_matrix(period, actors),
        new_ties=_new_ties(wanted, filters),
        pairs=_pair_stats(period, actors, history),
        disconnected=_disconnected(everything.values(), actors, filters.last, today),
        disconnected_since=filters.last - SIX_MONTHS,
        activity=activity_of(period),
    )


@dataclass(frozen=True)
class PublicFigures:
    filters: Filters
    total: int
    actors_involved: int
    crossing: int
    quarters: list[Row]
    form_totals: tuple[int, ...]


def public_figures(filters: Filters) -> PublicFigures:
    """Counts only, for everyone: no names, no titles. Two queries."""
    everything = _collaborations(filters.last)
    sectors = dict(Actor.objects.order_by().values_list("pk", "kind"))
    period = [
        c for c in everything.values() if filters.wants(c.form) and c.started >= filters.first
    ]
    quarters = _form_rows(period, filters, quarterly=True)
    crossing = sum(
        1 for c in period if len({Actor.SECTOR_OF_KIND[sectors[pk]] for pk in c.actors}) > 1
    )
    return PublicFigures(
        filters=filters,
        total=len(period),
        actors_involved=len({pk for c in period for pk in c.actors}),
        crossing=crossing,
        quarters=quarters,
        form_totals=tuple(
            sum(row.counts[i] for row in quarters) for i in range(len(filters.forms))
        ),
    )


# --- One actor's summary --------------------------------------------------------------------


@dataclass(frozen=True)
class ActorCollaboration:
    pk: int
    title: str
    form: Form
    started: datetime.date
    ended: datetime.date | None
    partners: list[str]
    disputed: bool


@dataclass(frozen=True)
class ActorSummary:
    actor: ActorInfo
    collaborations: list[ActorCollaboration]
    form_counts: tuple[int, ...]
    partners: list[tuple[ActorInfo, Pair]]
    sectors: list[tuple[str, int]]  # partner sectors and number of partners


def actor_summary(filters: Filters, actor: Actor) -> ActorSummary:
    """One actor's collaborations in the period, its partners and the forms used,
    for its management: four queries."""
    everything = _collaborations(filters.last)
    actors = _actors()
    history = _form_history(filters)
    titles = dict(
        Collaboration.objects.filter(
            participations__actor=actor, started__gte=filters.first, started__lte=filters.last
        )
        .order_by()
        .values_list("pk", "title")
    )
    mine = [
        c
        for c in everything.values()
        if c.pk in titles and filters.wants(c.form) and c.started >= filters.first
    ]
    mine.sort(key=lambda c: (c.started, c.pk), reverse=True)
    rows = [
        ActorCollaboration(
            pk=c.pk,
            title=titles[c.pk],
            form=Form(c.form),
            started=c.started,
            ended=c.ended,
            partners=sorted(actors[pk].name for pk in c.actors + c.disputed if pk != actor.pk),
            disputed=actor.pk in c.disputed,
        )
        for c in mine
    ]
    form_counts = Counter(c.form for c in mine)
    partners = []
    for pair in _pair_stats(mine, actors, history):
        if pair.count and actor.pk in (pair.a.pk, pair.b.pk):
            partners.append((pair.b if pair.a.pk == actor.pk else pair.a, pair))
    sectors = Counter(partner.sector for partner, _pair in partners)
    return ActorSummary(
        actor=actors[actor.pk],
        collaborations=rows,
        form_counts=tuple(form_counts[form.value] for form in filters.forms),
        partners=partners,
        sectors=[(str(s.label), sectors[s]) for s in Sector if sectors[s]],
    )


# --- The network map --------------------------------------------------------------------------

WIDTH, HEIGHT, MARGIN = 760, 560, 48
LAYOUT_SEED = 1729
LABEL_ALL_UP_TO = 40  # more nodes than this: only the busiest get a name on the map
LABELLED_BUSIEST = 20

# Sector: colour (3:1 or more against white) and shape, so colour is never the only cue.
SECTOR_STYLE = {
    Sector.CIVIL_SOCIETY: ("#0b4f8a", "circle"),
    Sector.HOUSING_SOCIAL: ("#a14600", "square"),
    Sector.MUNICIPAL: ("#1d6b35", "diamond"),
    Sector.REGIONAL: ("#6a3d9a", "triangle"),
    Sector.PRIVATE: ("#4a4f57", "hexagon"),
}
# Form of the most committed collaboration of a tie: colour and dash pattern.
FORM_STYLE = {
    Form.KNOWLEDGE: ("#6b7079", "2 4"),
    Form.COORDINATION: ("#6b7079", "8 4"),
    Form.RESOURCES: ("#4a4f57", "14 4 3 4"),
    Form.JOINT_DELIVERY: ("#1b1b1f", ""),
    Form.CO_CREATION: ("#8a3b00", ""),
}


def shape_points(shape: str, x: float, y: float, r: float) -> str:
    """The points of a polygon node (SVG ``points``); "" for a circle."""
    corners = {"square": (4, 45), "diamond": (4, 0), "triangle": (3, -90), "hexagon": (6, 0)}
    if shape not in corners:
        return ""
    sides, turn = corners[shape]
    size = r * (1.25 if shape == "triangle" else 1.1)
    points = []
    for k in range(sides):
        angle = math.radians(turn + 360 * k / sides)
        points.append(f"{x + size * math.cos(angle):.1f},{y + size * math.sin(angle):.1f}")
    return " ".join(points)


@dataclass(frozen=True)
class Node:
    actor: ActorInfo
    count: int
    x: float
    y: float
    r: float
    fill: str
    shape: str
    points: str
    label: str  # "" when not written on the map
    label_x: float
    anchor: str


@dataclass(frozen=True)
class Edge:
    pair: Pair
    form: Form
    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    stroke: str
    dash: str


@dataclass(frozen=True)
class Network:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    ties: int  # all ties in the period; more than len(edges) when cut at MAX_PAIRS
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def node_table(self) -> list[Node]:
        return sorted(self.nodes, key=lambda n: (-n.count, n.actor.name))

    @property
    def edge_table(self) -> list[Edge]:
        return sorted(self.edges, key=lambda e: (-e.pair.count, e.pair.a.name, e.pair.b.name))

    @property
    def cut(self) -> bool:
        return self.ties > len(self.edges)


def layout(node_ids: list[int], weighted_edges: list[tuple[int, int, float]]) -> dict:
    """Positions in the SVG's coordinates, the same for the same input: the
    spring layout with a fixed seed, nodes and edges in a fixed order."""
    import networkx as nx

    if not node_ids:
        return {}
    if len(node_ids) == 1:
        return {node_ids[0]: (WIDTH / 2, HEIGHT / 2)}
    graph = nx.Graph()
    graph.add_nodes_from(sorted(node_ids))
    graph.add_weighted_edges_from(sorted(weighted_edges))
    positions = nx.spring_layout(graph, seed=LAYOUT_SEED, weight="weight", iterations=80)
    xs = [float(p[0]) for p in positions.values()]
    ys = [float(p[1]) for p in positions.values()]

    def scale(value, low, high, size):
        if high - low < 1e-9:
            return size / 2
        return round(MARGIN + (value - low) / (high - low) * (size - 2 * MARGIN), 1)

    return {
        node: (
            scale(float(p[0]), min(xs), max(xs), WIDTH),
            scale(float(p[1]), min(ys), max(ys), HEIGHT),
        )
        for node, p in positions.items()
    }


def network(pairs: list[Pair], activity: Counter, ties: int) -> Network:
    """The network map from the pairs the page shows (the most active first)."""
    shown = [p for p in pairs if p.count][:MAX_PAIRS]
    ids = sorted({p.a.pk for p in shown} | {p.b.pk for p in shown})
    actors = {p.a.pk: p.a for p in shown} | {p.b.pk: p.b for p in shown}
    positions = layout(ids, [(p.a.pk, p.b.pk, math.sqrt(p.count)) for p in shown])
    top_activity = max((activity[pk] for pk in ids), default=1) or 1
    busiest = sorted(ids, key=lambda pk: (-activity[pk], actors[pk].name))[:LABELLED_BUSIEST]
    labelled = set(ids) if len(ids) <= LABEL_ALL_UP_TO else set(busiest)
    nodes = []
    for pk in ids:
        actor, (x, y) = actors[pk], positions[pk]
        r = round(5 + 11 * math.sqrt(activity[pk] / top_activity), 1)
        fill, shape = SECTOR_STYLE[actor.sector]
        left = x > WIDTH * 0.7
        nodes.append(
            Node(
                actor=actor, count=activity[pk], x=x, y=y, r=r, fill=fill, shape=shape,
                points=shape_points(shape, x, y, r),
                label=_shorten(actor.name, 22) if pk in labelled else "",
                label_x=round(x - r - 4, 1) if left else round(x + r + 4, 1),
                anchor="end" if left else "start",
            )
        )  # fmt: skip
    # Big nodes first, so small ones stay visible on top of them.
    nodes.sort(key=lambda n: (-n.r, n.actor.name))
    top_count = max((p.count for p in shown), default=1)
    edges = []
    for p in sorted(shown, key=lambda p: (p.count, p.a.name, p.b.name)):
        form = p.strongest
        stroke, dash = FORM_STYLE[form]
        width = 1.5 if top_count == 1 else round(1.5 + 5.5 * (p.count - 1) / (top_count - 1), 1)
        (x1, y1), (x2, y2) = positions[p.a.pk], positions[p.b.pk]
        edges.append(Edge(p, form, x1, y1, x2, y2, width, stroke, dash))
    return Network(tuple(nodes), tuple(edges), ties)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def activity_of(collabs) -> Counter:
    """Collaborations per actor (not disputed)."""
    return Counter(pk for c in collabs for pk in c.actors)


def network_for(filters: Filters) -> Network:
    """The network map alone: two queries (participations, actors)."""
    everything = _collaborations(filters.last)
    actors = _actors()
    period = [
        c for c in everything.values() if filters.wants(c.form) and c.started >= filters.first
    ]
    pairs = [p for p in _pair_stats(period, actors) if p.count]
    return network(pairs, activity_of(period), len(pairs))


def house_network(house: HouseMap) -> Network:
    """The network map from figures already loaded for the map page: no query."""
    return network(house.pairs, house.activity, house.tie_count)
