"""The allocator's properties (issue #18): no two granted wishes overlap in a
room; every refusal names a rule; the same input gives the same result; a
higher-ranked applicant never loses a contested slot to a lower-ranked one."""

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from seasons.allocator import (
    DecisionOut,
    Outcome,
    RoomIn,
    Rule,
    Rules,
    Taken,
    WishIn,
    allocate,
    overlaps,
)
from seasons.standard import standard_round, standard_taken

CONTEST = {Rule.RANK, Rule.PREFERENCE, Rule.HOURS, Rule.TIEBREAK}
FACILITIES = ("kitchen", "projector")


@st.composite
def rounds(draw):
    room_count = draw(st.integers(1, 4))
    rooms = [
        RoomIn(
            id=n + 1,
            capacity=draw(st.sampled_from([5, 10, 20, 40])),
            facilities=frozenset(draw(st.sets(st.sampled_from(FACILITIES)))),
        )
        for n in range(room_count)
    ]
    wishes = []
    for actor in range(1, draw(st.integers(1, 8)) + 1):
        rank = draw(st.integers(1, 4))
        for preference in range(1, draw(st.integers(1, 4)) + 1):
            wishes.append(
                WishIn(
                    id=len(wishes) + 1,
                    actor_id=actor,
                    rank=rank,
                    preference=preference,
                    weekday=draw(st.integers(0, 1)),
                    start=draw(st.sampled_from(range(14 * 60, 21 * 60, 30))),
                    length=draw(st.sampled_from([60, 90, 120])),
                    people=draw(st.sampled_from([3, 8, 15, 30, 50])),
                    room_id=draw(st.one_of(st.none(), st.integers(1, room_count))),
                    facilities=frozenset(draw(st.sets(st.sampled_from(FACILITIES), max_size=1))),
                )
            )
    hours = dict.fromkeys(range(7), (9 * 60, 22 * 60))
    share = draw(st.sampled_from([0.0, 0.0, 0.5]))
    rules = Rules(seed=draw(st.text(max_size=5)), hours=hours, offpeak_share=share)
    return wishes, rooms, rules


@settings(max_examples=50, deadline=None)
@given(rounds())
def test_no_two_placed_wishes_overlap_in_a_room(case):
    wishes, rooms, rules = case
    decisions = allocate(wishes, rooms, rules)
    assert overlaps(decisions, rooms) == []
    by_room = {}
    for d in decisions:
        if d.outcome is not Outcome.REFUSED:
            for other in by_room.get((d.room_id, d.weekday), []):
                assert other.end <= d.start or d.end <= other.start
            by_room.setdefault((d.room_id, d.weekday), []).append(d)


@settings(max_examples=50, deadline=None)
@given(rounds())
def test_every_wish_gets_one_decision_and_every_refusal_or_move_names_a_rule(case):
    wishes, rooms, rules = case
    decisions = allocate(wishes, rooms, rules)
    assert sorted(d.wish_id for d in decisions) == sorted(w.id for w in wishes)
    for d in decisions:
        if d.outcome is Outcome.GRANTED:
            assert d.rule is None
        else:
            assert isinstance(d.rule, Rule), d
        if d.rule in CONTEST:
            assert d.blocked_by is not None


@settings(max_examples=40, deadline=None)
@given(rounds())
def test_the_same_input_gives_the_same_result_in_any_order(case):
    wishes, rooms, rules = case
    first = allocate(wishes, rooms, rules)
    again = allocate(list(reversed(wishes)), list(reversed(rooms)), rules)
    assert first == again


@settings(max_examples=80, deadline=None)
@given(rounds())
def test_a_higher_rank_never_loses_a_contested_slot_to_a_lower_rank(case):
    wishes, rooms, rules = case
    decisions = {d.wish_id: d for d in allocate(wishes, rooms, rules)}
    wish = {w.id: w for w in wishes}
    for d in decisions.values():
        if d.rule in CONTEST:
            blocker = wish[d.blocked_by]
            assert blocker.rank <= wish[d.wish_id].rank
            if d.rule is not Rule.RANK:
                assert blocker.rank == wish[d.wish_id].rank
    # Wishes for the very same slot: the one granted it is of the best rank among those
    # that lost it to a contest.
    same_slot = {}
    for w in wishes:
        if w.room_id is not None:
            same_slot.setdefault((w.room_id, w.weekday, w.start, w.length), []).append(w)
    for group in same_slot.values():
        granted = [w for w in group if decisions[w.id].outcome is Outcome.GRANTED]
        lost = [w for w in group if decisions[w.id].rule in CONTEST]
        for winner in granted:
            assert all(winner.rank <= loser.rank for loser in lost)


def test_a_youth_association_gets_the_contested_slot_and_the_others_are_moved_or_refused():
    room = RoomIn(id=1, capacity=30)
    hours = {0: (16 * 60, 19 * 60)}
    wishes = [
        WishIn(
            id=1, actor_id=10, rank=4, preference=1, weekday=0, start=17 * 60, length=60, room_id=1
        ),
        WishIn(
            id=2, actor_id=11, rank=1, preference=1, weekday=0, start=17 * 60, length=60, room_id=1
        ),
        WishIn(
            id=3, actor_id=12, rank=2, preference=1, weekday=0, start=17 * 60, length=120, room_id=1
        ),
    ]
    decisions = {d.wish_id: d for d in allocate(wishes, [room], Rules(hours=hours, max_shift=60))}
    assert decisions[2].outcome is Outcome.GRANTED
    assert decisions[3].outcome is Outcome.REFUSED  # two hours do not fit anywhere else
    assert (decisions[3].rule, decisions[3].blocked_by) == (Rule.RANK, 2)
    assert decisions[1].outcome is Outcome.MOVED
    assert (decisions[1].start, decisions[1].rule) == (16 * 60, Rule.RANK)


def test_within_a_rank_first_preferences_then_fewest_hours_then_the_recorded_tiebreak():
    room = RoomIn(id=1, capacity=30)
    slot = {"weekday": 0, "start": 17 * 60, "length": 60, "room_id": 1}
    wishes = [
        WishIn(id=1, actor_id=1, rank=2, preference=2, **slot),
        WishIn(id=2, actor_id=2, rank=2, preference=1, **slot),
    ]
    rules = Rules(hours={0: (17 * 60, 18 * 60)})
    decisions = {d.wish_id: d for d in allocate(wishes, [room], rules)}
    assert decisions[2].outcome is Outcome.GRANTED
    assert decisions[1].rule is Rule.PREFERENCE
    # Equal in all: the tie-break decides, and is recorded on both decisions.
    tied = [dataclasses.replace(w, preference=1) for w in wishes]
    decisions = allocate(tied, [room], rules)
    assert decisions[1].rule is Rule.TIEBREAK
    assert all(len(d.tiebreak) == 12 for d in decisions)
    assert decisions[0].tiebreak < decisions[1].tiebreak
    assert [d.order for d in decisions] == [1, 2]


def test_an_actor_with_fewer_hours_goes_first_within_a_rank_and_preference():
    rooms = [RoomIn(id=1, capacity=30), RoomIn(id=2, capacity=30)]
    rules = Rules(hours={0: (17 * 60, 18 * 60), 1: (17 * 60, 18 * 60)})
    wishes = [
        # Actor 1 holds an hour from its first wish; actor 2 has none.
        WishIn(
            id=1, actor_id=1, rank=2, preference=1, weekday=1, start=17 * 60, length=60, room_id=2
        ),
        WishIn(
            id=2, actor_id=1, rank=2, preference=2, weekday=0, start=17 * 60, length=60, room_id=1
        ),
        WishIn(
            id=3, actor_id=2, rank=2, preference=2, weekday=0, start=17 * 60, length=60, room_id=1
        ),
    ]
    decisions = {d.wish_id: d for d in allocate(wishes, rooms, rules)}
    assert decisions[3].room_id == 1 and decisions[3].outcome is Outcome.GRANTED
    assert decisions[2].rule is Rule.HOURS


def test_the_offpeak_share_moves_peak_wishes_off_peak():
    room = RoomIn(id=1, capacity=30)
    rules = Rules(hours={0: (12 * 60, 22 * 60)}, peak=(16 * 60, 20 * 60), offpeak_share=0.5)
    wishes = [
        WishIn(
            id=1, actor_id=1, rank=1, preference=1, weekday=0, start=16 * 60, length=60, room_id=1
        ),
        WishIn(
            id=2, actor_id=1, rank=1, preference=2, weekday=0, start=18 * 60, length=60, room_id=1
        ),
    ]
    decisions = {d.wish_id: d for d in allocate(wishes, [room], rules)}
    assert decisions[1].outcome is Outcome.GRANTED
    assert decisions[2].outcome is Outcome.MOVED and decisions[2].rule is Rule.OFFPEAK
    assert decisions[2].start >= 20 * 60


def test_the_standard_round_allocates_without_overlap():
    wishes, rooms, rules = standard_round()
    assert len(wishes) == 240 and len(rooms) == 20
    decisions = allocate(wishes, rooms, rules)
    assert overlaps(decisions, rooms) == []
    taken = standard_taken(rooms)
    decisions = allocate(wishes, rooms, rules, taken)
    assert overlaps(decisions, rooms) == [] and not clashes_with_taken(decisions, rooms, taken)
    assert any(d.rule is Rule.TAKEN for d in decisions)


def clashes_with_taken(decisions, rooms, taken) -> list:
    by_id = {room.id: room for room in rooms}
    return [
        (d.wish_id, slot.id)
        for d in decisions
        if d.outcome is not Outcome.REFUSED
        for slot in taken
        if slot.weekday == d.weekday
        and slot.units & by_id[d.room_id].occupies()
        and slot.start < d.end
        and d.start < slot.end
    ]


@st.composite
def rounds_with_bookings(draw):
    wishes, rooms, rules = draw(rounds())
    taken = [
        Taken(
            id=1000 + n,
            units=draw(st.sampled_from(rooms)).occupies(),
            weekday=draw(st.integers(0, 1)),
            start=(start := draw(st.sampled_from(range(14 * 60, 21 * 60, 30)))),
            end=start + draw(st.sampled_from([30, 60, 120])),
            label=f"Booking {n}",
        )
        for n in range(draw(st.integers(0, 4)))
    ]
    return wishes, rooms, rules, taken


@settings(max_examples=60, deadline=None)
@given(rounds_with_bookings())
def test_no_placed_wish_overlaps_an_existing_weekly_booking(case):
    wishes, rooms, rules, taken = case
    decisions = allocate(wishes, rooms, rules, taken)
    assert sorted(d.wish_id for d in decisions) == sorted(w.id for w in wishes)
    assert overlaps(decisions, rooms) == []
    assert clashes_with_taken(decisions, rooms, taken) == []
    ids = {slot.id for slot in taken}
    for d in decisions:
        if d.rule is Rule.TAKEN:
            assert d.taken_by in ids and d.blocked_by is None
        else:
            assert d.taken_by is None
    assert decisions == allocate(list(reversed(wishes)), rooms, rules, list(reversed(taken)))


@settings(max_examples=60, deadline=None)
@given(rounds_with_bookings(), st.data())
def test_pinned_cells_stay_and_nothing_is_placed_over_them(case, data):
    wishes, rooms, rules, taken = case
    first = allocate(wishes, rooms, rules, taken)
    pinned = [d for d in first if data.draw(st.booleans())]
    again = allocate(wishes, rooms, rules, taken, pinned)
    pinned_ids = {d.wish_id for d in pinned}
    assert sorted(d.wish_id for d in again) == sorted(
        w.id for w in wishes if w.id not in pinned_ids
    )
    assert overlaps([*pinned, *again], rooms) == []
    for d in again:
        if d.rule is Rule.PINNED:
            assert d.blocked_by in pinned_ids


def test_an_existing_booking_moves_the_wish_and_is_named():
    room = RoomIn(id=1, capacity=30)
    rules = Rules(hours={0: (16 * 60, 20 * 60)}, max_shift=60)
    yoga = Taken(id=7, units=room.occupies(), weekday=0, start=17 * 60, end=18 * 60, label="Yoga")
    wish = WishIn(
        id=1, actor_id=1, rank=1, preference=1, weekday=0, start=17 * 60, length=60, room_id=1
    )
    (decision,) = allocate([wish], [room], rules, [yoga])
    assert (decision.outcome, decision.rule, decision.taken_by) == (Outcome.MOVED, Rule.TAKEN, 7)
    assert decision.start in (16 * 60, 18 * 60)
    # A coordinator's cell over the slot wins over every rank.
    pinned = DecisionOut(wish_id=2, outcome=Outcome.MOVED, room_id=1, weekday=0, start=18 * 60)
    other = WishIn(id=2, actor_id=2, rank=4, preference=1, weekday=0, start=19 * 60, length=60)
    decisions = allocate([wish, other], [room], rules, [yoga], [pinned])
    assert [(d.wish_id, d.start, d.rule) for d in decisions] == [(1, 16 * 60, Rule.TAKEN)]
