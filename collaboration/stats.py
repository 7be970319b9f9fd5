"""The map of the house: figures drawn from the collaboration log.

Plain data for the pages in stats_views.py, from a fixed number of queries
whatever the size of the log: the period's participations (joined to their
collaboration), the actors, the changes of form (for the ladder), the pairs
that worked together before the period (for the new ties) and the
disconnected (one aggregate query). What counts:

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
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations
from urllib.parse import urlencode

from dateutil.relativedelta import relativedelta
from django import forms
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
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

NOT_DISPUTED = (Participation.Status.CONFIRMED, Participation.Status.PENDING)


class _Collab:
    __slots__ = ("actors", "disputed", "form", "pk", "started", "title")

    def __init__(self, pk: int, form: str, started: datetime.date, title: str = ""):
        self.pk, self.form, self.started, self.title = pk, form, started, title
        self.actors: list[int] = []  # not disputed
        self.disputed: tuple[int, ...] = ()  # rare: a tuple, made only when needed


@dataclass(frozen=True)
class ActorInfo:
    pk: int
    name: str
    slug: str
    sector: Sector
    presence: str
    left_on: datetime.date | None

    @property
    def sector_label(self) -> str:
        return str(self.sector.label)


def _period(filters: Filters, actor_id: int | None = None) -> list[_Collab]:
    """The collaborations started in the period, in the form asked for, the
    earliest first, with their actors (those of one actor only, with titles,
    when ``actor_id``): two queries, so each date is read once, not once per actor."""
    collaborations = Collaboration.objects.filter(
        started__gte=filters.first, started__lte=filters.last
    )
    if filters.form:
        collaborations = collaborations.filter(form=filters.form)
    if actor_id is not None:
        collaborations = collaborations.filter(participations__actor_id=actor_id)
        rows = collaborations.order_by("started", "pk").values_list(
            "pk", "form", "started", "title"
        )
        out = {pk: _Collab(pk, form, started, title) for pk, form, started, title in rows}
    else:
        rows = collaborations.order_by("started", "pk").values_list("pk", "form", "started")
        out = {pk: _Collab(pk, form, started) for pk, form, started in rows}
    parts = Participation.objects.filter(collaboration__in=collaborations.order_by().values("pk"))
    disputed = Participation.Status.DISPUTED
    for pk, actor, status in parts.order_by().values_list("collaboration_id", "actor_id", "status"):
        collab = out[pk]
        if status == disputed:
            collab.disputed += (actor,)
        else:
            collab.actors.append(actor)
    for collab in out.values():
        collab.actors.sort()
    return list(out.values())


def _actors() -> dict[int, ActorInfo]:
    rows = Actor.objects.order_by().values_list("pk", "name", "slug", "kind", "presence", "left_on")
    return {
        pk: ActorInfo(pk, name, slug, Actor.SECTOR_OF_KIND[kind], presence, left)
        for pk, name, slug, kind, presence, left in rows
    }


def _form_history(filters: Filters) -> dict[int, set[str]]:
    """The other forms the period's collaborations have had before the one they
    have now (most have none): one query."""
    rows = FormChange.objects.filter(
        collaboration__started__gte=filters.first, collaboration__started__lte=filters.last
    ).exclude(form=F("collaboration__form"))
    if filters.form:
        rows = rows.filter(collaboration__form=filters.form)
    history: dict[int, set[str]] = defaultdict(set)
    for pk, form in rows.order_by().values_list("collaboration_id", "form"):
        history[pk].add(form)
    return history


def _ties_before(filters: Filters) -> set[tuple[int, int]]:
    """The pairs that had worked together before the period (in the form asked
    for), so the period's other pairs are new ties: one query of numbers only."""
    rows = Participation.objects.filter(
        collaboration__started__lt=filters.first, status__in=NOT_DISPUTED
    )
    if filters.form:
        rows = rows.filter(collaboration__form=filters.form)
    members: dict[int, list[int]] = defaultdict(list)
    for pk, actor in rows.order_by().values_list("collaboration_id", "actor_id"):
        members[pk].append(actor)
    ties: set[tuple[int, int]] = set()
    for ids in members.values():
        ties.update(combinations(sorted(ids), 2))
    return ties


def _disconnected_rows(last: datetime.date, today: datetime.date):
    """Current actors based in the house with no collaboration running in the
    six months up to ``last``, with the start of their latest one: one query."""
    since = last - SIX_MONTHS
    theirs = Participation.objects.filter(
        actor=OuterRef("pk"), status__in=NOT_DISPUTED, collaboration__started__lte=last
    )
    running = theirs.filter(
        Q(collaboration__ended__isnull=True) | Q(collaboration__ended__gte=since)
    )
    return (
        Actor.objects.filter(presence=Actor.Presence.BASED)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
        .annotate(
            running=Exists(running),
            latest=Subquery(
                theirs.order_by("-collaboration__started").values("collaboration__started")[:1]
            ),
        )
        .filter(running=False)
        .order_by("name")
        .values_list("pk", "latest")
    )


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


class Pair:
    """Two actors and the period's collaborations they had together (neither
    disputing its part), and how many of theirs one of the two disputed."""

    __slots__ = ("_ever", "_history", "a", "b", "count", "disputed", "shared")

    def __init__(self, a: ActorInfo, b: ActorInfo, shared: list, disputed: int, history):
        self.a, self.b, self.shared, self.disputed = a, b, shared, disputed
        self.count = len(shared)
        self._history = history
        self._ever: dict[str, int] | None = None

    @property
    def first(self) -> datetime.date | None:
        return self.shared[0].started if self.shared else None  # shared is in date order

    @property
    def latest(self) -> datetime.date | None:
        return self.shared[-1].started if self.shared else None

    @property
    def forms_ever(self) -> dict[str, int]:
        """Per form, the collaborations that have had it (the ladder)."""
        if self._ever is None:
            ever: Counter = Counter()
            history = self._history
            for collab in self.shared:
                ever[collab.form] += 1
                for form in history.get(collab.pk, ()):
                    ever[form] += 1
            self._ever = dict(ever)
        return self._ever

    @property
    def ladder(self) -> tuple[int, ...]:
        return tuple(self.forms_ever.get(form.value, 0) for form in Form)

    @property
    def ladder_cells(self) -> str:
        """The ladder as table cells: numbers only, so nothing to escape."""
        return mark_safe("".join(f"<td>{n}</td>" for n in self.ladder))

    @property
    def text(self) -> str:
        return ladder_text(self.forms_ever)

    @property
    def strongest(self) -> Form | None:
        """The most committed form any of their collaborations has now."""
        return max((Form(c.form) for c in self.shared), key=lambda f: f.rank, default=None)

    @property
    def crosses_sectors(self) -> bool:
        return self.a.sector != self.b.sector


def _pair_stats(collabs, actors, history=None) -> list[Pair]:
    together: dict[tuple[int, int], list[_Collab]] = defaultdict(list)
    disputed: Counter = Counter()
    for collab in collabs:
        for pair in combinations(collab.actors, 2):
            together[pair].append(collab)
        if collab.disputed:
            for pair in combinations(sorted([*collab.actors, *collab.disputed]), 2):
                if pair[0] in collab.disputed or pair[1] in collab.disputed:
                    disputed[pair] += 1
    history = history or {}
    out = [
        Pair(actors[a], actors[b], together.get((a, b), []), disputed[(a, b)], history)
        for a, b in together.keys() | disputed.keys()
    ]
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
    sector_of = {pk: index[actor.sector] for pk, actor in actors.items()}
    cells = [[0] * len(sectors) for _s in sectors]
    crossing = 0
    for collab in collabs:
        per_sector: dict[int, int] = {}
        for pk in collab.actors:
            i = sector_of[pk]
            per_sector[i] = per_sector.get(i, 0) + 1
        if len(per_sector) > 1:
            crossing += 1
        for i in per_sector:
            for j in per_sector:
                if i != j or per_sector[i] > 1:
                    cells[i][j] += 1
    return SectorMatrix(sectors, tuple(tuple(row) for row in cells), crossing, len(collabs))


@dataclass(frozen=True)
class NewTies:
    label: str
    day: datetime.date
    count: int


def _new_ties(pairs: list[Pair], before: set, filters: Filters) -> list[NewTies]:
    counts = Counter(
        quarter_of(p.first) for p in pairs if p.count and (p.a.pk, p.b.pk) not in before
    )
    return [NewTies(quarter_label(q), q, counts[q]) for q in filters.quarters]


@dataclass(frozen=True)
class Disconnected:
    actor: ActorInfo
    last_collaboration: datetime.date | None


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

    @cached_property
    def tie_count(self) -> int:
        return sum(1 for p in self.pairs if p.count)


def house_map(filters: Filters, today: datetime.date | None = None) -> HouseMap:
    """Everything on the map page and in its CSV file: six queries."""
    today = today or timezone.localdate()
    period = _period(filters)
    actors = _actors()
    pairs = _pair_stats(period, actors, _form_history(filters))
    months = _form_rows(period, filters, quarterly=False)
    activity = activity_of(period)
    return HouseMap(
        filters=filters,
        total=len(period),
        actors_involved=len(activity),
        months=months,
        quarters=_form_rows(period, filters, quarterly=True),
        form_totals=tuple(sum(row.counts[i] for row in months) for i in range(len(filters.forms))),
        matrix=_sector_matrix(period, actors),
        new_ties=_new_ties(pairs, _ties_before(filters), filters),
        pairs=pairs,
        disconnected=[
            Disconnected(actors[pk], latest)
            for pk, latest in _disconnected_rows(filters.last, today)
        ],
        disconnected_since=filters.last - SIX_MONTHS,
        activity=activity,
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
    """Counts only, for everyone: no names, no titles. Three queries."""
    period = _period(filters)
    kinds = dict(Actor.objects.order_by().values_list("pk", "kind"))
    quarters = _form_rows(period, filters, quarterly=True)
    crossing = sum(
        1 for c in period if len({Actor.SECTOR_OF_KIND[kinds[pk]] for pk in c.actors}) > 1
    )
    return PublicFigures(
        filters=filters,
        total=len(period),
        actors_involved=len(activity_of(period)),
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
    mine = _period(filters, actor_id=actor.pk)
    actors = _actors()
    rows = [
        ActorCollaboration(
            pk=c.pk,
            title=c.title,
            form=Form(c.form),
            started=c.started,
            partners=sorted(actors[pk].name for pk in [*c.actors, *c.disputed] if pk != actor.pk),
            disputed=actor.pk in c.disputed,
        )
        for c in reversed(mine)  # the latest first
    ]
    form_counts = Counter(c.form for c in mine)
    partners = []
    for pair in _pair_stats(mine, actors, _form_history(filters)):
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

    @property
    def svg_shapes(self) -> str:
        """The lines, shapes and names inside the map's <svg>. Written here, not
        in a template loop, as a few hundred elements render many times faster so.
        Numbers are plain floats (a dot whatever the language); names are escaped."""
        out = ['<g fill="none" stroke-linecap="round">']
        for e in self.edges:
            dash = f' stroke-dasharray="{e.dash}"' if e.dash else ""
            out.append(
                f'<line x1="{e.x1}" y1="{e.y1}" x2="{e.x2}" y2="{e.y2}" stroke="{e.stroke}" '
                f'stroke-width="{e.width}"{dash}/>'
            )
        out.append('</g><g stroke="#ffffff" stroke-width="1.5">')
        for n in self.nodes:
            if n.points:
                out.append(f'<polygon points="{n.points}" fill="{n.fill}"/>')
            else:
                out.append(f'<circle cx="{n.x}" cy="{n.y}" r="{n.r}" fill="{n.fill}"/>')
        out.append(
            '</g><g fill="#1b1b1f" stroke="#ffffff" stroke-width="3" paint-order="stroke" '
            'stroke-linejoin="round">'
        )
        for n in self.nodes:
            if n.label:
                out.append(
                    f'<text x="{n.label_x}" y="{n.y}" text-anchor="{n.anchor}" '
                    f'dominant-baseline="middle">{escape(n.label)}</text>'
                )
        out.append("</g>")
        return mark_safe("\n".join(out))


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
    positions = nx.spring_layout(graph, seed=LAYOUT_SEED, weight="weight", iterations=50)
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
    """The network map alone: three queries (collaborations, their actors, the actors)."""
    period = _period(filters)
    actors = _actors()
    pairs = [p for p in _pair_stats(period, actors) if p.count]
    return network(pairs, activity_of(period), len(pairs))


def house_network(house: HouseMap) -> Network:
    """The network map from figures already loaded for the map page: no query."""
    return network(house.pairs, house.activity, house.tie_count)
