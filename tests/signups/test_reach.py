"""Attendance becomes the house's reach: per month, age band, target group,
actor and form of collaboration, on the map's statistics, the summary for
the management, the public figures and the council's digest."""

import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from actors.models import TargetGroup
from collaboration import digest, stats
from collaboration.log import services as log_services
from collaboration.models import Form
from collaboration.stats.reach import reach
from signups import services
from tests.factories import BookingFactory, local

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]

FIRST, LAST = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)
PERIOD = stats.Filters(first=FIRST, last=LAST)
QUERY = {"from": FIRST.isoformat(), "to": LAST.isoformat()}


@pytest.fixture
def counted(room, actor, third_actor, member, coordinator):
    """Two dates of Kvindeforum's (one run together with Café Sumak) and one in another month."""
    youth = TargetGroup.objects.get_or_create(slug="youth", defaults={"name": "Young people"})[0]
    dates = [
        BookingFactory(room=room, actor=actor, booked_by=member, start=local(day, 17))
        for day in (
            datetime.date(2026, 2, 3),
            datetime.date(2026, 2, 10),
            datetime.date(2026, 3, 3),
        )
    ]
    dates[0].target_groups.add(youth)
    together = log_services.collaboration_log(
        by=coordinator,
        on_behalf_of=actor,
        actors=[actor, third_actor],
        title="Fællesspisning",
        form=Form.COORDINATION,
        started=datetime.date(2026, 1, 15),
    )
    together.bookings.add(dates[1])
    for booking, total in zip(dates, (12, 20, 7), strict=True):
        services.record_attendance(
            booking=booking, by=coordinator, total=total, children=3, seniors=2
        )
    return dates


def test_attendance_counts_per_month_band_target_actor_and_form(counted):
    figures = reach(PERIOD)
    assert (figures.participants, figures.dates, figures.average) == (39, 3, 13)
    assert dict(figures.months)["February 2026"] == 32
    assert dict(figures.months)["March 2026"] == 7
    assert figures.bands == {"children": 9, "young": 0, "adults": 0, "seniors": 6}
    assert figures.by_target == [("Young people", 12)]
    # The date run together counts for each of its actors.
    assert dict(figures.by_actor) == {"Kvindeforum": 39, "Café Sumak": 20}
    assert len(figures.by_form) == 1 and figures.by_form[0][1] == 20


def test_the_figures_appear_on_the_map_summary_public_page_and_digest(
    counted, coordinator_client, anonymous, actor
):
    for url, query in (
        (reverse("collaboration:map"), QUERY),
        (reverse("collaboration:summary"), QUERY),
        (reverse("collaboration:summary"), {**QUERY, "actor": actor.slug}),
        (reverse("collaboration:figures"), QUERY),
    ):
        client = anonymous if url.endswith("figures/") else coordinator_client
        page = client.get(url, query, HTTP_ACCEPT_LANGUAGE="en")
        assert page.status_code == HTTPStatus.OK
        text = page.content.decode()
        assert "Residents reached" in text and ">39<" in text, url
    public = anonymous.get(reverse("collaboration:figures"), QUERY).content.decode()
    assert "Café Sumak" not in public  # counts, not names, for everyone
    content = digest.gather(datetime.date(2026, 2, 16))
    assert content.reach.participants == 20  # the week before the period: 10 February
    assert not content.empty("collaborations")


def test_reach_runs_a_fixed_number_of_queries(
    counted, room, actor, member, coordinator, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        reach(PERIOD)
    for n in range(20):
        booking = BookingFactory(
            room=room, actor=actor, booked_by=member, start=local(datetime.date(2026, 4, 1 + n), 10)
        )
        services.record_attendance(booking=booking, by=coordinator, total=n)
    with django_assert_max_num_queries(6):
        assert reach(PERIOD).dates == 23
    assert timezone.now()
