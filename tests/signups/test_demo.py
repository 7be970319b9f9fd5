"""The demo house has three months of head counts and sign-ups: they show on
the statistics, the summary and the digest; coming dates take sign-ups."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from centre.models import Centre
from collaboration import digest, stats
from collaboration.stats.reach import reach
from signups.models import KEEP_DAYS, Attendance, SignUp

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_messages")]


def test_the_demo_counts_three_months_and_takes_sign_ups(client):
    call_command("demo", "--no-serve", stdout=StringIO())
    today = timezone.localdate()
    firsts = Attendance.objects.order_by("booking__start").first().booking.start
    assert (today - timezone.localdate(firsts)).days >= 84
    assert Attendance.objects.count() >= 40
    # Personal data older than 30 days is gone; the counts stay.
    old = SignUp.objects.filter(
        booking__end__lt=timezone.now() - datetime.timedelta(days=KEEP_DAYS)
    )
    assert old.exists() and not old.exclude(name="").exists()
    assert SignUp.objects.filter(status=SignUp.Status.WAITING).exists()
    figures = reach(stats.default_filters())
    assert figures.participants > 400 and len([m for m in figures.months if m[1]]) >= 3
    assert {"Kvindeforum", "Basen"} <= {name for name, _count in figures.by_actor}
    assert client.get(reverse("collaboration:figures")).status_code == 200
    assert digest.gather(digest.current_period(Centre.load())).reach.dates > 0
