"""The benchmark's season round (`manage.py bench`, the allocator's tests):
wishes, rooms and existing bookings made without randomness."""

from .allocator import RoomIn, Rules, Taken, WishIn


def standard_round(actors: int = 60, wishes_each: int = 4, room_count: int = 20):
    """The benchmark's round: ``actors`` x ``wishes_each`` wishes over
    ``room_count`` rooms, contested on purpose (weekday evenings), made
    without randomness."""
    facilities = ("kitchen", "projector", "sports-floor")
    rooms = [
        RoomIn(
            id=r + 1,
            capacity=10 + (r % 5) * 10,
            facilities=frozenset(facilities[: r % 4]),
        )
        for r in range(room_count)
    ]
    wishes = []
    for a in range(actors):
        for p in range(wishes_each):
            n = a * wishes_each + p
            wishes.append(
                WishIn(
                    id=n + 1,
                    actor_id=a + 1,
                    rank=1 + a % 4,
                    preference=p + 1,
                    weekday=(a + p) % 5,
                    start=(16 + (n % 5)) * 60,
                    length=60 + 30 * (n % 3),
                    people=5 + (n * 7) % 40,
                    room_id=None if n % 3 == 0 else 1 + (n * 11) % room_count,
                    facilities=frozenset(facilities[: n % 2]),
                )
            )
    hours = dict.fromkeys(range(7), (8 * 60, 22 * 60))
    return wishes, rooms, Rules(seed="bench", hours=hours, offpeak_share=0.25)


def standard_taken(rooms: list[RoomIn]) -> list[Taken]:
    """The benchmark's existing bookings: a weekly evening series in every
    room, on a weekday that changes from room to room."""
    return [
        Taken(
            id=1000 + n,
            units=room.occupies(),
            weekday=n % 5,
            start=(17 + n % 3) * 60,
            end=(18 + n % 3) * 60,
            label=f"Weekly {n}",
        )
        for n, room in enumerate(rooms)
    ]
