import pytest

from signups.models import Sheet
from tests.factories import BookingFactory, in_days


@pytest.fixture
def activity(room, actor, member):
    """A public activity in three days, 17-19, in a room for 100."""
    return BookingFactory(
        room=room, actor=actor, booked_by=member, title="Strikkecafé", start=in_days(3, 17)
    )


@pytest.fixture
def sheet(activity) -> Sheet:
    """Four places for the activity, a waiting list, at most two people a sign-up."""
    return Sheet.objects.create(booking=activity, places=4, per_person=2, bring="Garn")
