"""The figures of the map, from a fixed number of queries whatever the size
of the log (what counts: see the package's docstring)."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations

from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actors.models import Actor, Sector

from ..models import Form, OverallState, Participation, overall_state
from .period import Filters, month_label, month_of, month_short, quarter_label, quarter_of
from .queries import (
    SIX_MONTHS,
    ActorInfo,
    Collab,
    actor_infos,
    disconnected_rows,
    form_history,
    period_collaborations,
    ties_before,
)

FORMS = list(Form)
RANK = {form.value: form.rank for form in Form}
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


def activity_of(collabs) -> Counter:
    """Collaborations per actor (not disputed)."""
    return Counter(pk for c in collabs for pk in c.actors)


# --- Figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One line of a table of counts: a month or quarter, a count per form, the total."""

    label: str
    short_label: str
    day: datetime.date
    counts: tuple[int, ...]
    total: int


def _month_counts(collabs) -> Counter:
    """Collaborations per (year, month, form)."""
    return Counter((c.started.year, c.started.month, c.form) for c in collabs)


def _form_rows(month_counts: Counter, filters: Filters, quarterly: bool) -> list[Row]:
    steps = filters.quarters if quarterly else filters.months
    key = quarter_of if quarterly else month_of
    counts: Counter = Counter()
    for (year, month, form), n in month_counts.items():
        counts[(key(datetime.date(year, month, 1)), form)] += n
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
    def text(self) -> str:
        return ladder_text(self.forms_ever)

    @property
    def strongest(self) -> Form | None:
        """The most committed form any of their collaborations has now."""
        if not self.shared:
            return None
        return FORMS[max(RANK[c.form] for c in self.shared)]


def pair_stats(collabs, actors, history=None) -> list[Pair]:
    together: dict[tuple[int, int], list[Collab]] = defaultdict(list)
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
    period = period_collaborations(filters)
    actors = actor_infos()
    pairs = pair_stats(period, actors, form_history(filters))
    month_counts = _month_counts(period)
    months = _form_rows(month_counts, filters, quarterly=False)
    activity = activity_of(period)
    return HouseMap(
        filters=filters,
        total=len(period),
        actors_involved=len(activity),
        months=months,
        quarters=_form_rows(month_counts, filters, quarterly=True),
        form_totals=tuple(sum(row.counts[i] for row in months) for i in range(len(filters.forms))),
        matrix=_sector_matrix(period, actors),
        new_ties=_new_ties(pairs, ties_before(filters), filters),
        pairs=pairs,
        disconnected=[
            Disconnected(actors[pk], latest)
            for pk, latest in disconnected_rows(filters.last, today)
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
    period = period_collaborations(filters)
    kinds = dict(Actor.objects.order_by().values_list("pk", "kind"))
    quarters = _form_rows(_month_counts(period), filters, quarterly=True)
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
    state: OverallState  # every actor's part, not only this actor's


@dataclass(frozen=True)
class ActorSummary:
    actor: ActorInfo
    collaborations: list[ActorCollaboration]
    form_counts: tuple[int, ...]
    partners: list[tuple[ActorInfo, Pair]]
    sectors: list[tuple[str, int]]  # partner sectors and number of partners


def _state(collab: Collab, actors: dict[int, ActorInfo]) -> OverallState:
    status = Participation.Status
    return overall_state(
        [(actors[pk].name, status.DISPUTED) for pk in collab.disputed]
        + [(actors[pk].name, status.PENDING) for pk in collab.pending]
    )


def actor_summary(filters: Filters, actor: Actor) -> ActorSummary:
    """One actor's collaborations in the period, its partners and the forms used,
    for its management: four queries."""
    mine = period_collaborations(filters, actor_id=actor.pk)
    actors = actor_infos()
    rows = [
        ActorCollaboration(
            pk=c.pk,
            title=c.title,
            form=Form(c.form),
            started=c.started,
            partners=sorted(actors[pk].name for pk in [*c.actors, *c.disputed] if pk != actor.pk),
            state=_state(c, actors),
        )
        for c in reversed(mine)  # the latest first
    ]
    form_counts = Counter(c.form for c in mine)
    partners = []
    for pair in pair_stats(mine, actors, form_history(filters)):
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
