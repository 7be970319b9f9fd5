"""The last place, asked for by 20 processes at the same moment on
PostgreSQL, each on its own connection: exactly one gets it, every other
one goes on the waiting list (or is told the date is full), none crashes."""

import pytest

from signups import services
from signups.models import Sheet, SignUp
from tests.conftest import hesitating, race
from tests.factories import BookingFactory, in_days

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("english_messages")]

CONTENDERS = 20


@pytest.mark.parametrize("waiting_list", [True, False])
def test_twenty_people_asking_for_the_last_place_at_once_get_exactly_one(
    transactional_db, room, actor, member, waiting_list
):
    booking = BookingFactory(room=room, actor=actor, booked_by=member, start=in_days(2, 17))
    Sheet.objects.create(booking=booking, places=3, waiting_list=waiting_list)
    services.add_at_desk(booking=booking, by=member, name="Først", phone="1", people=2)

    def ask(n: int) -> str:
        # The count of free places pauses, so every contender has read it
        # before any of them writes: only the lock on the sheet keeps them apart.
        with hesitating(services, "_taken", seconds=0.05):
            signup = services.sign_up(
                booking=booking, name=f"P{n}", email=f"p{n}@example.org", people=1
            )
        return signup.status

    outcomes = race(ask, processes=CONTENDERS)
    assert not [o for o in outcomes if o.startswith("crashed")], outcomes
    assert outcomes.count(SignUp.Status.HELD) == 1
    if waiting_list:
        assert outcomes.count(SignUp.Status.WAITING) == CONTENDERS - 1
    else:
        assert outcomes.count("refused: This date is full, and it keeps no waiting list.") == (
            CONTENDERS - 1
        )
    held = SignUp.objects.filter(status=SignUp.Status.HELD).count()
    confirmed_people = sum(
        SignUp.objects.filter(status=SignUp.Status.CONFIRMED).values_list("people", flat=True)
    )
    assert held + confirmed_people == 3
