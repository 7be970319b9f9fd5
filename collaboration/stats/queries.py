"""The map's queries: the period's collaborations with their actors' parts,
the actors, the other forms the collaborations have had, the pairs that
worked together before the period and the disconnected. Each reads numbers
and short strings only, in one query (what counts: see the package's
docstring)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, F, OuterRef, Q, Subquery

from actors.models import Actor, Sector

from ..models import Collaboration, FormChange, Participation
from .period import Filters

SIX_MONTHS = relativedelta(months=6)

NOT_DISPUTED = (Participation.Status.CONFIRMED, Participation.Status.PENDING)


class Collab:
    __slots__ = ("actors", "disputed", "form", "pending", "pk", "started", "title")

    def __init__(self, pk: int, form: str, started: datetime.date, title: str = ""):
        self.pk, self.form, self.started, self.title = pk, form, started, title
        self.actors: list[int] = []  # not disputed
        self.disputed: tuple[int, ...] = ()  # rare: a tuple, made only when needed
        self.pending: tuple[int, ...] = ()  # of ``actors``: those that have not answered


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


def period_collaborations(filters: Filters, actor_id: int | None = None) -> list[Collab]:
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
        out = {pk: Collab(pk, form, started, title) for pk, form, started, title in rows}
    else:
        rows = collaborations.order_by("started", "pk").values_list("pk", "form", "started")
        out = {pk: Collab(pk, form, started) for pk, form, started in rows}
    parts = Participation.objects.filter(collaboration__in=collaborations.order_by().values("pk"))
    disputed, pending = Participation.Status.DISPUTED, Participation.Status.PENDING
    for pk, actor, status in parts.order_by().values_list("collaboration_id", "actor_id", "status"):
        collab = out[pk]
        if status == disputed:
            collab.disputed += (actor,)
        else:
            collab.actors.append(actor)
            if status == pending:
                collab.pending += (actor,)
    for collab in out.values():
        collab.actors.sort()
    return list(out.values())


def actor_infos() -> dict[int, ActorInfo]:
    rows = Actor.objects.order_by().values_list("pk", "name", "slug", "kind", "presence", "left_on")
    return {
        pk: ActorInfo(pk, name, slug, Actor.SECTOR_OF_KIND[kind], presence, left)
        for pk, name, slug, kind, presence, left in rows
    }


def form_history(filters: Filters) -> dict[int, set[str]]:
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


def ties_before(filters: Filters) -> set[tuple[int, int]]:
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


def disconnected_rows(last: datetime.date, today: datetime.date):
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
