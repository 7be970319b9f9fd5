"""What the season's pages read: the proposal's grid and its conflicts, why
each decision is what it is, the decisions as CSV rows, and fair use per actor."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from actors.selectors import actor_ids_for
from bookings.models import Booking, Status, Visibility
from centre.roles import is_coordinator

from .models import WEEKDAYS, Application, Decision, Priority, Round

RULE_TEXTS = {
    "rank": lambda d: (
        _("A wish of a higher priority holds the slot (%(rank)s).")
        % {"rank": Priority(d.blocker_rank).label if d.blocker_rank else ""}
    ),
    "preference": lambda d: _(
        "Another actor of the same priority asked for the slot as an earlier preference."
    ),
    "hours": lambda d: _(
        "Another actor of the same priority and preference had fewer hours allocated so far."
    ),
    "tiebreak": lambda d: (
        _(
            "Another actor was equal in priority, preference and hours; the round's recorded"
            " tie-break (%(tiebreak)s) decided."
        )
        % {"tiebreak": d.tiebreak}
    ),
    "capacity": lambda d: _("No room in the round holds that many people."),
    "facilities": lambda d: _("No room in the round has what the wish needs."),
    "opening_hours": lambda d: _("The house is not open then."),
    "offpeak": lambda d: _(
        "The round places a share of each actor's hours outside peak time (ydertimer)."
    ),
    "full": lambda d: _("Every room that fits is taken near that time."),
    "taken": lambda d: (
        _("Taken by an existing booking: %(title)s.") % {"title": taken_label(d.taken_by)}
    ),
    "pinned": lambda d: _("The coordinator placed another wish in the slot."),
}


def taken_label(booking) -> str:
    """What an applicant is told of the booking that holds a slot: a public
    activity's title and actor; an internal booking's actor only."""
    if booking is None:
        return _("a booking that no longer exists")
    if booking.visibility == Visibility.PUBLIC:
        return f"{booking.title} ({booking.actor.name})"
    return _("an internal booking of %(actor)s") % {"actor": booking.actor.name}


def explain(decision: Decision) -> str:
    """Why a decision is what it is, in the active language."""
    if decision.rule == "coordinator":
        return _("Changed by the coordinator: %(reason)s") % {"reason": decision.reason}
    text = RULE_TEXTS.get(decision.rule)
    if text is None:
        return "" if decision.outcome == Decision.Outcome.GRANTED else decision.reason
    decision.blocker_rank = getattr(decision, "blocker_rank", None)
    return text(decision)


def decisions_of(round_: Round):
    from .services.rounds import rank_of

    decisions = list(
        Decision.objects.filter(wish__application__round=round_)
        .select_related(
            "wish__application__actor",
            "wish__target_group",
            "wish__room",
            "room",
            "blocked_by__application__actor",
            "blocked_by__target_group",
            "changed_by",
            "taken_by__actor",
        )
        .order_by("order", "pk")
    )
    for decision in decisions:
        blocker = decision.blocked_by
        decision.blocker_rank = (
            rank_of(
                blocker.application.actor,
                blocker.target_group.slug,
                youth_first=round_.youth_first,
            )
            if blocker
            else None
        )
        decision.why = explain(decision)
    return decisions


def _minutes(moment: datetime.time) -> int:
    return moment.hour * 60 + moment.minute


def conflicts(decisions) -> set[int]:
    """The ids of placed decisions that share a room with another at the same time."""
    by_slot = defaultdict(list)
    for decision in decisions:
        if decision.outcome != Decision.Outcome.REFUSED and decision.room_id:
            by_slot[(decision.room_id, decision.weekday)].append(decision)
    clashing = set()
    for placed in by_slot.values():
        for i, one in enumerate(placed):
            start = _minutes(one.start_time)
            end = start + one.wish.minutes
            for other in placed[i + 1 :]:
                other_start = _minutes(other.start_time)
                if other_start < end and other_start + other.wish.minutes > start:
                    clashing |= {one.pk, other.pk}
    return clashing


def taken_clashes(round_: Round, decisions) -> dict[int, object]:
    """The placed decisions that share a room's unit, weekday and time with a
    slot an existing booking holds (`services.rounds.taken_in`), by pk, with
    that booking (each such decision gets ``clash``, the booking as applicants
    are told of it): a coordinator's change can make one; publishing would
    leave those dates out of the series."""
    from .services.rounds import minutes_of, taken_in

    taken, units_of = taken_in(round_, with_units=True)
    found = {}
    for decision in decisions:
        if decision.outcome == Decision.Outcome.REFUSED or decision.room_id is None:
            continue
        start = minutes_of(decision.start_time)
        end = start + decision.wish.minutes
        units = units_of.get(decision.room_id, frozenset({decision.room_id}))
        for slot in taken:
            if (
                slot.weekday == decision.weekday
                and slot.units & units
                and slot.start < end
                and start < slot.end
            ):
                found[decision.pk] = slot.id
                break
    if not found:
        return {}
    bookings = Booking.objects.select_related("actor").in_bulk(set(found.values()))
    for decision in decisions:
        if decision.pk in found:
            decision.clash = taken_label(bookings.get(found[decision.pk]))
    return {pk: bookings.get(booking) for pk, booking in found.items()}


@dataclass
class GridRow:
    room: object
    days: list = field(default_factory=list)  # one list of decisions per weekday


def grid(round_: Round, decisions) -> tuple[list[GridRow], list]:
    """Rows per room, a cell per weekday holding its decisions by time; and the refused."""
    rows = {room.pk: GridRow(room, [[] for _day in WEEKDAYS]) for room in round_.rooms.all()}
    refused = []
    for decision in sorted(decisions, key=lambda d: (d.start_time or datetime.time.min, d.pk)):
        if decision.outcome == Decision.Outcome.REFUSED or decision.room_id not in rows:
            refused.append(decision)
        else:
            rows[decision.room_id].days[decision.weekday].append(decision)
    return list(rows.values()), refused


def applications_for(user, round_: Round):
    """The applications a person may see: their own actors'; a coordinator all."""
    applications = Application.objects.filter(round=round_).select_related("actor")
    if is_coordinator(user):
        return applications
    return applications.filter(actor_id__in=actor_ids_for(user))


CSV_HEADER = [
    "order",
    "actor",
    "activity",
    "target_group",
    "preference",
    "asked_room",
    "asked_weekday",
    "asked_start",
    "minutes",
    "outcome",
    "room",
    "weekday",
    "start",
    "rule",
    "why",
    "tiebreak",
    "changed_by",
    "changed_at",
]


def csv_rows(round_: Round):
    yield CSV_HEADER
    for d in decisions_of(round_):
        wish = d.wish
        yield [
            d.order,
            wish.application.actor.name,
            wish.title,
            wish.target_group.slug,
            wish.preference,
            wish.room.name if wish.room else "",
            wish.weekday,
            wish.start_time.strftime("%H:%M"),
            wish.minutes,
            d.outcome,
            d.room.name if d.room else "",
            "" if d.weekday is None else d.weekday,
            d.start_time.strftime("%H:%M") if d.start_time else "",
            d.rule,
            d.why,
            d.tiebreak,
            d.changed_by.email if d.changed_by else "",
            d.changed_at.isoformat() if d.changed_at else "",
        ]


@dataclass
class FairUse:
    actor: object
    allocated: float = 0.0
    used: float = 0.0
    released_in_time: float = 0.0
    released_late: float = 0.0
    no_shows: int = 0


def fair_use(round_: Round) -> list[FairUse]:
    """Per actor, over the dates of the round's series: hours allocated (every
    date booked), used (confirmed dates past, without a no-show), released in
    time, released late, and no-shows."""
    rows: dict[int, FairUse] = {}
    now = timezone.now()
    dates = (
        Booking.objects.filter(series__season_decision__wish__application__round=round_)
        .filter(Q(status=Status.CONFIRMED) | Q(status=Status.CANCELLED))
        .select_related("actor")
        .values_list(
            "actor_id", "actor__name", "start", "end", "status", "cancelled_late", "no_show"
        )
    )
    for actor_id, name, start, end, status, late, no_show in dates:
        row = rows.setdefault(actor_id, FairUse(actor=name))
        hours = (end - start).total_seconds() / 3600
        row.allocated += hours
        if status == Status.CANCELLED:
            if late:
                row.released_late += hours
            else:
                row.released_in_time += hours
        elif no_show:
            row.no_shows += 1
        elif end <= now:
            row.used += hours
    return sorted(rows.values(), key=lambda r: r.actor)


def past_dates(round_: Round, limit: int = 50):
    """The round's dates that have begun, newest first, without a no-show yet:
    where a coordinator records one."""
    return (
        Booking.objects.filter(
            series__season_decision__wish__application__round=round_,
            status=Status.CONFIRMED,
            start__lte=timezone.now(),
            no_show__isnull=True,
        )
        .select_related("actor", "room")
        .order_by("-start")[:limit]
    )
