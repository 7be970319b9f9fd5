"""A round from application to published series: an actor's wishes, the
proposal (seasons.allocator), a coordinator's change to one cell, and
publishing every placed wish as a weekly series in one transaction."""

import datetime
import math
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actors.models import Actor
from actors.selectors import acts_for
from bookings import services as bookings
from bookings.models import Booking, Room, Status
from bookings.permissions import BOOKING_ROLES
from centre import links
from centre.outbox import enqueue_on_commit
from centre.roles import is_coordinator
from centre.selectors import house_rules

from .. import allocator
from ..models import Application, Decision, Priority, Round, Wish

NON_PROFIT = {
    Actor.Kind.ASSOCIATION,
    Actor.Kind.RESIDENT_DEMOCRACY,
    Actor.Kind.NGO,
}
PUBLIC = {
    Actor.Kind.MUNICIPAL,
    Actor.Kind.LIBRARY,
    Actor.Kind.REGIONAL,
    Actor.Kind.HOUSING_SOCIAL_PLAN,
}
YOUTH_GROUPS = {"children", "youth"}


def rank_of(actor: Actor, target_slug: str, *, youth_first: bool = True) -> int:
    """The round's priority rank of a wish (Priority): non-profit associations'
    activities for children and young people, other non-profit, public, others."""
    if actor.kind in NON_PROFIT:
        if youth_first and target_slug in YOUTH_GROUPS:
            return Priority.YOUTH
        return Priority.NON_PROFIT
    if actor.kind in PUBLIC:
        return Priority.PUBLIC
    return Priority.OTHER


def minutes_of(moment: datetime.time) -> int:
    return moment.hour * 60 + moment.minute


def time_of(minutes: int) -> datetime.time:
    return datetime.time(minutes // 60, minutes % 60)


def _locked(round_: Round) -> Round:
    """The round as it is now, locked until the transaction ends: a proposal
    being made (which locks it too) and an application never interleave."""
    return Round.objects.select_for_update().get(pk=round_.pk)


def _check_applicant(by, actor: Actor, round_: Round) -> None:
    if not acts_for(by, actor, BOOKING_ROLES):
        raise ValidationError(_("Only the actor's administrators and bookers apply for it."))
    if not round_.is_open() and not is_coordinator(by):
        raise ValidationError(_("The round does not take applications now."))
    if round_.stage != Round.Stage.OPEN:
        # The decisions belong to the wishes: changing these would drop them.
        raise ValidationError(
            _("The proposal is made: change its decisions rather than the applications.")
        )


@transaction.atomic
def application_save(*, by, round_: Round, actor: Actor, wishes: list[dict]) -> Application:
    """Replace the actor's wishes in the round with ``wishes`` (dicts of Wish's
    fields; ``facilities`` a list). Their order of preference is renumbered 1, 2, …
    in the order given by each wish's ``preference``. An application has at
    least one wish (`application_withdraw` takes one back)."""
    round_ = _locked(round_)
    _check_applicant(by, actor, round_)
    if not wishes:
        raise ValidationError(_("Add at least one wish."))
    application, _created = Application.objects.select_for_update().get_or_create(
        round=round_, actor=actor, defaults={"submitted_by": by}
    )
    application.submitted_by = by
    application.save()
    rooms = set(round_.rooms.values_list("pk", flat=True))
    application.wishes.all().delete()
    ordered = sorted(wishes, key=lambda w: w.get("preference") or 999)
    for number, fields in enumerate(ordered, start=1):
        facilities = fields.pop("facilities", [])
        fields.pop("preference", None)
        wish = Wish(application=application, preference=number, **fields)
        if wish.room_id is not None and wish.room_id not in rooms:
            raise ValidationError({"room": _("That room is not part of this round.")})
        wish.full_clean(exclude=["application"])
        wish.save()
        wish.facilities.set(facilities)
    return application


@transaction.atomic
def application_withdraw(*, by, round_: Round, actor: Actor) -> None:
    """Take the actor's application in the round back, with its wishes."""
    round_ = _locked(round_)
    _check_applicant(by, actor, round_)
    Application.objects.filter(round=round_, actor=actor).delete()


def rules_of(round_: Round) -> allocator.Rules:
    _centre, hours = house_rules()
    by_day: dict[int, list[tuple[int, int]]] = {}
    for interval in hours:
        by_day.setdefault(interval.weekday, []).append(
            (minutes_of(interval.opens), minutes_of(interval.closes))
        )
    return allocator.Rules(
        seed=f"round-{round_.pk}",
        hours={day: tuple(sorted(spans)) for day, spans in by_day.items()},
        peak=(minutes_of(round_.peak_start), minutes_of(round_.peak_end)),
        offpeak_share=round_.offpeak_share / 100,
    )


def round_input(round_: Round):
    """The round as the allocator's dataclasses: wishes, rooms, rules."""
    rooms = []
    for room in round_.rooms.prefetch_related("facilities", "parts"):
        rooms.append(
            allocator.RoomIn(
                id=room.pk,
                capacity=room.capacity,
                facilities=frozenset(f.slug for f in room.facilities.all()),
                units=frozenset(room.units()),
            )
        )
    wishes = []
    for wish in (
        Wish.objects.filter(application__round=round_)
        .select_related("application__actor", "target_group")
        .prefetch_related("facilities")
    ):
        wishes.append(
            allocator.WishIn(
                id=wish.pk,
                actor_id=wish.application.actor_id,
                rank=rank_of(
                    wish.application.actor, wish.target_group.slug, youth_first=round_.youth_first
                ),
                preference=wish.preference,
                weekday=wish.weekday,
                start=minutes_of(wish.start_time),
                length=wish.minutes,
                people=wish.people,
                room_id=wish.room_id,
                facilities=frozenset(f.slug for f in wish.facilities.all()),
            )
        )
    return wishes, rooms, rules_of(round_)


# An existing booking holds a weekly slot when it (or bookings at the same
# room, weekday and time) falls on at least this share of the season's dates
# of that weekday, and on two of them at least: a weekly series does, a
# one-off does not (publishing books a series' free dates and leaves a date
# a one-off holds out, as for any series).
TAKEN_SHARE = 0.25


def _weekday_count(first: datetime.date, last: datetime.date, weekday: int) -> int:
    if last < first:
        return 0
    start = first + datetime.timedelta(days=(weekday - first.weekday()) % 7)
    return 0 if start > last else (last - start).days // 7 + 1


def taken_in(round_: Round, *, with_units: bool = False):
    """The slots existing bookings (confirmed or waiting for approval) hold in
    the round's rooms for enough of the season (TAKEN_SHARE), as the
    allocator's fixed occupations: one per room, weekday and time (and, with
    ``with_units``, the units each room occupies)."""
    round_units = set()
    units_of = {}
    for room in Room.objects.prefetch_related("parts__parts"):
        units_of[room.pk] = frozenset(room.units())
    for room_id in round_.rooms.values_list("pk", flat=True):
        round_units |= units_of.get(room_id, frozenset({room_id}))
    near = [pk for pk, units in units_of.items() if units & round_units]
    zone = timezone.get_current_timezone()
    begin = datetime.datetime.combine(round_.season_start, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        round_.season_end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    groups: dict[tuple, list] = defaultdict(list)
    for pk, room_id, start, stop in (
        Booking.objects.filter(
            room_id__in=near,
            status__in=[Status.CONFIRMED, Status.REQUESTED],
            start__lt=end,
            end__gt=begin,
        )
        .order_by("start", "pk")
        .values_list("pk", "room_id", "start", "end")
    ):
        start, stop = timezone.localtime(start, zone), timezone.localtime(stop, zone)
        until = minutes_of(stop.time()) if stop.date() == start.date() else 24 * 60
        key = (room_id, start.weekday(), minutes_of(start.time()), until)
        groups[key].append((start.date(), pk))
    taken = []
    for (room_id, weekday, start, until), dates in sorted(groups.items()):
        season = _weekday_count(round_.season_start, round_.season_end, weekday)
        needed = min(season, max(2, math.ceil(TAKEN_SHARE * season)))
        if len({day for day, _pk in dates}) >= max(needed, 1):
            taken.append(
                allocator.Taken(
                    id=dates[0][1],
                    units=units_of[room_id],
                    weekday=weekday,
                    start=start,
                    end=until,
                )
            )
    return (taken, units_of) if with_units else taken


def _pinned_of(changed: list[Decision]) -> list[allocator.DecisionOut]:
    return [
        allocator.DecisionOut(
            wish_id=d.wish_id,
            outcome=allocator.Outcome(d.outcome),
            room_id=d.room_id,
            weekday=d.weekday,
            start=minutes_of(d.start_time) if d.start_time else None,
        )
        for d in changed
    ]


@transaction.atomic
def proposal_make(*, by, round_: Round) -> list[Decision]:
    """Samhus's proposal from the applications, replacing any earlier one but
    for the coordinator's changed cells: those stay as they are (with their
    reasons) and are placed first, before the existing bookings' slots
    (`taken_in`) and every other wish."""
    if not is_coordinator(by):
        raise ValidationError(_("Only coordinators allocate a round."))
    round_ = _locked(round_)
    if round_.stage == Round.Stage.PUBLISHED:
        raise ValidationError(_("The round is published: its decisions stand."))
    if not round_.has_closed():
        raise ValidationError(_("Applications are still open: allocate once the window closes."))
    wishes, rooms, rules = round_input(round_)
    decisions = Decision.objects.filter(wish__application__round=round_)
    changed = list(decisions.filter(rule="coordinator").order_by("order", "pk"))
    decisions.exclude(pk__in=[d.pk for d in changed]).delete()
    for number, decision in enumerate(changed, start=1):
        decision.order = number
    Decision.objects.bulk_update(changed, ["order"])
    outs = allocator.allocate(wishes, rooms, rules, taken_in(round_), _pinned_of(changed))
    made = Decision.objects.bulk_create(
        Decision(
            wish_id=out.wish_id,
            outcome=str(out.outcome),
            room_id=out.room_id,
            weekday=out.weekday,
            start_time=time_of(out.start) if out.start is not None else None,
            rule=str(out.rule or ""),
            blocked_by_id=out.blocked_by,
            taken_by_id=out.taken_by,
            order=out.order + len(changed),
            tiebreak=out.tiebreak,
        )
        for out in outs
    )
    round_.stage = Round.Stage.PROPOSED
    round_.proposed_at = timezone.now()
    round_.save(update_fields=["stage", "proposed_at"])
    return made


@transaction.atomic
def decision_change(
    *, by, decision: Decision, outcome: str, room=None, weekday=None, start_time=None, reason: str
) -> Decision:
    """A coordinator's change to one cell of the proposal, with the reason."""
    if not is_coordinator(by):
        raise ValidationError(_("Only coordinators change the proposal."))
    if decision.wish.application.round.stage != Round.Stage.PROPOSED:
        raise ValidationError(_("Only a proposal that is not published can be changed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why: the applicant is told.")})
    decision.outcome = outcome
    if outcome == Decision.Outcome.REFUSED:
        decision.room, decision.weekday, decision.start_time = None, None, None
    else:
        if room is None or weekday is None or start_time is None:
            raise ValidationError(_("A granted or moved wish needs a room, a day and a time."))
        if not decision.wish.application.round.rooms.filter(pk=room.pk).exists():
            raise ValidationError({"room": _("That room is not part of this round.")})
        decision.room, decision.weekday, decision.start_time = room, weekday, start_time
    decision.rule = "coordinator"
    decision.blocked_by = None
    decision.taken_by = None
    decision.reason = reason.strip()
    decision.changed_by = by
    decision.changed_at = timezone.now()
    decision.full_clean(exclude=["wish", "series", "blocked_by", "taken_by"])
    decision.save()
    return decision


def first_date(round_: Round, weekday: int) -> datetime.date:
    start = max(round_.season_start, timezone.localdate() + datetime.timedelta(days=1))
    return start + datetime.timedelta(days=(weekday - start.weekday()) % 7)


@transaction.atomic
def round_publish(*, by, round_: Round) -> list[Decision]:
    """Every granted or moved wish becomes a weekly series until the season's
    last day (the house's rules and closed days applied as for any series);
    all or nothing. Each applicant is mailed the result once it commits."""
    from ..selectors import conflicts, taken_clashes
    from ..tasks import send_result

    if not is_coordinator(by):
        raise ValidationError(_("Only coordinators publish a round."))
    round_ = _locked(round_)
    if round_.stage != Round.Stage.PROPOSED:
        raise ValidationError(_("Make the proposal first; a round is published once."))
    decisions = list(
        Decision.objects.filter(wish__application__round=round_)
        .select_related("wish__application__actor", "wish__target_group", "room")
        .order_by("order", "pk")
    )
    if conflicts(decisions):
        raise ValidationError(_("Two decisions share a room at the same time: change one first."))
    if taken := taken_clashes(round_, decisions):
        # A coordinator's change put a wish on a slot an existing booking
        # holds: publishing would book a series without most of its dates.
        raise ValidationError(
            [
                _(
                    "%(wish)s lies on a slot an existing booking holds (%(booking)s): change it first."
                )
                % {"wish": decision.wish.title, "booking": decision.clash}
                for decision in decisions
                if decision.pk in taken
            ]
        )
    problems = []
    for decision in decisions:
        if decision.outcome == Decision.Outcome.REFUSED:
            continue
        wish = decision.wish
        try:
            with transaction.atomic():
                decision.series = bookings.series_request(
                    by=by,
                    room=decision.room,
                    actor=wish.application.actor,
                    title=wish.title,
                    rule="FREQ=WEEKLY",
                    first_day=first_date(round_, decision.weekday),
                    start_time=decision.start_time,
                    end_time=decision.end_time,
                    until=round_.season_end,
                    book_rest=True,
                    target_groups=[wish.target_group],
                    expected_participants=wish.people,
                )
        except ValidationError as error:
            problems.append(f"{wish.application.actor}, {wish.title}: {' '.join(error.messages)}")
            continue
        decision.save(update_fields=["series"])
    if problems:
        raise ValidationError(problems)
    round_.stage = Round.Stage.PUBLISHED
    round_.published_at = timezone.now()
    round_.published_by = by
    round_.save(update_fields=["stage", "published_at", "published_by"])
    # Applications with wishes: one emptied before empty ones were refused has nothing to tell.
    applying = round_.applications.filter(wishes__isnull=False).distinct()
    for application_id in applying.values_list("pk", flat=True):
        enqueue_on_commit(send_result, application_id, base_url=links.current_base_url())
    return decisions
