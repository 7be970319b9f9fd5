"""The season's allocation (timefordeling), in pure Python: wishes and rooms
in, one decision per wish out. No database: `seasons.services.proposal`
reads the round into these dataclasses and writes the decisions back.

The order is the round's priority rules, then three steps within a rank:

1. rank (1 = children's and young people's activities of non-profit
   associations, 2 = other non-profit associations, 3 = public services,
   4 = others: the order of the Danish folkeoplysningslov);
2. the actor's own order of preference: every actor's first wish of a rank is
   placed before anyone's second;
3. among the wishes of one rank and preference, the actor with the fewest
   hours allocated so far in the round first;
4. a fair tie-break: a hash of the round's seed and the actor's id, the same
   for the same round, unrelated to names, ids' order or when they applied.
   Each decision records it, with its place in the order.

Each wish is placed where it asked (its room, or the smallest room with
what it needs, at its time); otherwise *moved*: the same time in another
room that fits, then its room (or another that fits) up to
``Rules.max_shift`` minutes earlier or later the same day, nearest first;
otherwise *refused*. Before any wish, two things hold their slots and are
never moved: the existing bookings of the season's rooms (``Taken``: a weekly
series or a repeated booking that occupies a weekday and time for enough of
the season, read by `seasons.services.rounds.taken_in`) and the cells a
coordinator changed in an earlier proposal (``pinned`` decisions, kept when
the proposal is made again). A wish they block is moved or refused by
``Rule.TAKEN`` (naming the booking) or ``Rule.PINNED`` (naming the wish).
Every decision that is not "granted as asked" names the
rule behind it (`Rule`) and, when another wish holds the slot, that wish and
why it came first. An off-peak share (ydertimer) keeps at most
``1 - offpeak_share`` of the hours an actor applied for in peak time: a peak
wish beyond that is moved off peak, or refused.

Complexity: with W wishes, R rooms, S candidate start times per wish
(``2 * max_shift / step + 1``) and k wishes already placed on one room's day,
sorting is O(W log W) and placing O(W * R * S * k), k counting the taken
slots and pinned cells on that day too; a candidate is checked against one
room's day only. The standard round (`seasons.standard`: 60 actors x 4
wishes x 20 rooms, a weekly booking in every room) takes well under a second
(`manage.py bench`).

Deterministic: no randomness, no dict or set order the result depends on;
the same input gives the same output (a property test checks it)."""

from __future__ import annotations

import enum
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field


class Outcome(enum.StrEnum):
    GRANTED = "granted"
    MOVED = "moved"
    REFUSED = "refused"


class Rule(enum.StrEnum):
    """Why a wish was not granted as asked (or won): every refusal names one."""

    RANK = "rank"  # a wish of a higher priority rank holds the slot
    PREFERENCE = "preference"  # same rank: the other actor's wish came earlier in its order
    HOURS = "hours"  # same rank and preference: the other actor had fewer hours
    TIEBREAK = "tiebreak"  # all equal: the recorded tie-break decided
    CAPACITY = "capacity"  # no room holds that many people
    FACILITIES = "facilities"  # no room has what the wish needs
    OPENING_HOURS = "opening_hours"  # the time is outside the house's hours
    OFFPEAK = "offpeak"  # the round's off-peak share
    FULL = "full"  # nothing free near the time in a room that fits
    TAKEN = "taken"  # an existing booking (outside the round) holds the slot
    PINNED = "pinned"  # a coordinator's changed cell holds the slot


@dataclass(frozen=True)
class RoomIn:
    id: int
    capacity: int
    facilities: frozenset[str] = frozenset()
    # The indivisible rooms it occupies (a hall of two parts occupies both).
    units: frozenset[int] = frozenset()

    def occupies(self) -> frozenset[int]:
        return self.units or frozenset({self.id})


@dataclass(frozen=True)
class WishIn:
    id: int
    actor_id: int
    rank: int  # 1 first
    preference: int  # 1 = the actor's first wish
    weekday: int  # 0 = Monday
    start: int  # minutes after midnight
    length: int  # minutes
    people: int = 1
    room_id: int | None = None  # None: any room with ``facilities``
    facilities: frozenset[str] = frozenset()

    @property
    def end(self) -> int:
        return self.start + self.length


@dataclass(frozen=True)
class Taken:
    """A slot an existing booking holds every week (or most weeks) of the
    season: the units it occupies, its weekday and minutes."""

    id: int  # the booking (or the first of its dates) that holds it
    units: frozenset[int]
    weekday: int
    start: int
    end: int
    label: str = ""


@dataclass(frozen=True)
class Rules:
    seed: str = ""
    # The house's hours per weekday as (opens, closes) minutes, or a tuple of
    # such intervals (09-12, 13-21); a day absent is closed.
    hours: dict[int, tuple] = field(default_factory=lambda: dict.fromkeys(range(7), (0, 24 * 60)))
    peak: tuple[int, int] = (16 * 60, 20 * 60)  # peak time, minutes
    offpeak_share: float = 0.0  # 0..1 of an actor's hours that must lie off peak
    max_shift: int = 120  # how far a wish may be moved in time, minutes
    step: int = 30


@dataclass(frozen=True)
class DecisionOut:
    wish_id: int
    outcome: Outcome
    room_id: int | None = None
    weekday: int | None = None
    start: int | None = None
    length: int | None = None
    rule: Rule | None = None  # None only for a wish granted as asked without contest
    blocked_by: int | None = None  # the wish holding the slot it asked for
    taken_by: int | None = None  # the Taken (existing booking) holding it
    order: int = 0  # its place in the order of placing, from 1
    tiebreak: str = ""

    @property
    def end(self) -> int | None:
        return None if self.start is None else self.start + (self.length or 0)


def tiebreak(seed: str, actor_id: int) -> str:
    """The recorded tie-break of an actor in a round: 12 hex digits."""
    return hashlib.sha256(f"{seed}:{actor_id}".encode()).hexdigest()[:12]


def _in_peak(rules: Rules, start: int, end: int) -> bool:
    return start < rules.peak[1] and end > rules.peak[0]


def allocate(
    wishes: list[WishIn],
    rooms: list[RoomIn],
    rules: Rules,
    taken: list[Taken] = (),
    pinned: list[DecisionOut] = (),
) -> list[DecisionOut]:
    """One decision per wish not ``pinned``, in the order the wishes were
    placed. ``taken`` slots and ``pinned`` decisions (a coordinator's, kept
    as they are) are placed first; a pinned wish's hours count for its actor."""
    rooms = sorted(rooms, key=lambda r: r.id)
    by_id = {room.id: room for room in rooms}
    # unit -> weekday -> [(start, end, wish or Taken)] of what holds the unit
    placed: dict[int, dict[int, list[tuple[int, int, WishIn | Taken]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for slot in sorted(taken, key=lambda t: (t.weekday, t.start, t.end, t.id)):
        for unit in slot.units:
            placed[unit][slot.weekday].append((slot.start, slot.end, slot))
    minutes: dict[int, int] = defaultdict(int)  # actor -> minutes allocated so far
    peak_minutes: dict[int, int] = defaultdict(int)
    applied: dict[int, int] = defaultdict(int)
    for wish in wishes:
        applied[wish.actor_id] += wish.length
    wish_by_id = {wish.id: wish for wish in wishes}
    pinned_ids = set()
    for decision in sorted(pinned, key=lambda d: d.wish_id):
        wish = wish_by_id.get(decision.wish_id)
        if wish is None:
            continue
        pinned_ids.add(wish.id)
        if decision.outcome is Outcome.REFUSED or decision.room_id not in by_id:
            continue
        end = decision.start + wish.length
        for unit in by_id[decision.room_id].occupies():
            placed[unit][decision.weekday].append((decision.start, end, _Pinned(wish)))
        minutes[wish.actor_id] += wish.length
        if _in_peak(rules, decision.start, end):
            peak_minutes[wish.actor_id] += wish.length
    wishes = [wish for wish in wishes if wish.id not in pinned_ids]
    ties = {wish.actor_id: tiebreak(rules.seed, wish.actor_id) for wish in wishes}

    def holder(room: RoomIn, weekday: int, start: int, end: int):
        for unit in sorted(room.occupies()):
            for other_start, other_end, other in placed[unit][weekday]:
                if other_start < end and other_end > start:
                    return other
        return None

    def fits(room: RoomIn, wish: WishIn) -> bool:
        return room.capacity >= wish.people and wish.facilities <= room.facilities

    decisions: list[DecisionOut] = []
    # Within a (rank, preference) level the hours an actor has at the level's
    # start decide; each actor has one wish per level, so that is the same as
    # recomputing after every grant, and it keeps the sort O(W log W).
    levels: dict[tuple[int, int], list[WishIn]] = defaultdict(list)
    for wish in sorted(wishes, key=lambda w: (w.rank, w.preference, w.id)):
        levels[(wish.rank, wish.preference)].append(wish)
    hours_then: dict[int, int] = {}  # wish id -> its actor's minutes when its level began

    def why_first(winner, loser: WishIn) -> Rule:
        if isinstance(winner, Taken):
            return Rule.TAKEN
        if isinstance(winner, _Pinned):
            return Rule.PINNED
        if winner.rank != loser.rank:
            return Rule.RANK
        if winner.preference != loser.preference:
            return Rule.PREFERENCE
        if hours_then[winner.id] != hours_then[loser.id]:
            return Rule.HOURS
        return Rule.TIEBREAK

    def peak_left(actor: int) -> float:
        return applied[actor] * (1 - rules.offpeak_share) - peak_minutes[actor]

    for key in sorted(levels):
        level = sorted(levels[key], key=lambda w: (minutes[w.actor_id], ties[w.actor_id], w.id))
        for wish in level:
            hours_then[wish.id] = minutes[wish.actor_id]
        for wish in level:
            made = _place(
                wish,
                rooms,
                by_id,
                rules,
                order=len(decisions) + 1,
                tie=ties[wish.actor_id],
                holder=holder,
                fits=fits,
                why_first=why_first,
                peak_left=peak_left,
            )
            decisions.append(made)
            if made.outcome is not Outcome.REFUSED:
                for unit in by_id[made.room_id].occupies():
                    placed[unit][made.weekday].append((made.start, made.end, wish))
                minutes[wish.actor_id] += wish.length
                if _in_peak(rules, made.start, made.end):
                    peak_minutes[wish.actor_id] += wish.length
    return decisions


@dataclass(frozen=True)
class _Pinned:
    """A coordinator's cell holding a slot (blocks like a wish, wins always)."""

    wish: WishIn

    @property
    def id(self) -> int:
        return self.wish.id


def _blame(blocker) -> dict:
    if blocker is None:
        return {}
    if isinstance(blocker, Taken):
        return {"taken_by": blocker.id}
    return {"blocked_by": blocker.id}


def _place(wish, rooms, by_id, rules, *, order, tie, holder, fits, why_first, peak_left):
    common = {"wish_id": wish.id, "order": order, "tiebreak": tie, "length": wish.length}
    # Smallest room that fits first, so big rooms stay for big groups.
    fitting = sorted((room for room in rooms if fits(room, wish)), key=lambda r: (r.capacity, r.id))
    if not fitting:
        too_many = not any(room.capacity >= wish.people for room in rooms)
        rule = Rule.CAPACITY if too_many else Rule.FACILITIES
        return DecisionOut(outcome=Outcome.REFUSED, rule=rule, **common)
    asked = by_id.get(wish.room_id) if wish.room_id is not None else None
    if wish.room_id is None:
        as_asked = fitting  # any room with what it needs is what it asked for
    else:
        as_asked = [asked] if asked is not None and fits(asked, wish) else []
    others = [room for room in fitting if room not in as_asked]
    intervals = rules.hours.get(wish.weekday, ())
    if intervals and isinstance(intervals[0], int):
        intervals = (intervals,)

    def open_then(start: int) -> bool:
        return any(opens <= start and start + wish.length <= closes for opens, closes in intervals)

    def allowed(start: int) -> bool:
        if not rules.offpeak_share or not _in_peak(rules, start, start + wish.length):
            return True
        return peak_left(wish.actor_id) >= wish.length

    blocker = None
    if not open_then(wish.start):
        reason = Rule.OPENING_HOURS
    elif not allowed(wish.start):
        reason = Rule.OFFPEAK
    elif not as_asked:
        reason = Rule.CAPACITY if asked is None or asked.capacity < wish.people else Rule.FACILITIES
    else:
        for room in as_asked:
            holding = holder(room, wish.weekday, wish.start, wish.end)
            if holding is None:
                return DecisionOut(
                    outcome=Outcome.GRANTED,
                    room_id=room.id,
                    weekday=wish.weekday,
                    start=wish.start,
                    **common,
                )
            blocker = blocker or holding
        reason = why_first(blocker, wish)
    # Moved: the same time in another room, then other times nearest first.
    candidates = [(room, wish.start) for room in others]
    for distance in range(rules.step, rules.max_shift + 1, rules.step):
        for start in (wish.start - distance, wish.start + distance):
            candidates += [(room, start) for room in [*as_asked, *others]]
    for room, start in candidates:
        free = holder(room, wish.weekday, start, start + wish.length) is None
        if open_then(start) and allowed(start) and free:
            return DecisionOut(
                outcome=Outcome.MOVED,
                room_id=room.id,
                weekday=wish.weekday,
                start=start,
                rule=reason,
                **_blame(blocker),
                **common,
            )
    return DecisionOut(outcome=Outcome.REFUSED, rule=reason, **_blame(blocker), **common)


def overlaps(decisions: list[DecisionOut], rooms: list[RoomIn]) -> list[tuple[int, int]]:
    """Pairs of placed decisions (wish ids) that share a room unit at the same
    time: none in a proposal; the coordinator's changes may make some."""
    by_id = {room.id: room for room in rooms}
    seen: dict[tuple[int, int], list[DecisionOut]] = defaultdict(list)
    pairs = []
    for decision in decisions:
        if decision.outcome is Outcome.REFUSED or decision.room_id not in by_id:
            continue
        for unit in sorted(by_id[decision.room_id].occupies()):
            for other in seen[(unit, decision.weekday)]:
                if other.start < decision.end and other.end > decision.start:
                    pairs.append((other.wish_id, decision.wish_id))
            seen[(unit, decision.weekday)].append(decision)
    return sorted(set(pairs))
