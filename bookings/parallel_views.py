"""Coordinators' overview of parallel activities and target-group gaps (samvirke)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from . import parallel as selectors
from .filters import ParallelForm
from .permissions import can_see_parallel


@login_required
def parallel(request):
    if not can_see_parallel(request.user):
        raise PermissionDenied
    # ?weeks=N, 1 to 12; anything else is the default of four weeks.
    weeks = ParallelForm(request.GET, default=selectors.DEFAULT_WEEKS).value("weeks")
    first_day, last_day = selectors.default_period(weeks)
    days = selectors.parallel_pairs(first_day, last_day)
    return render(
        request,
        "bookings/parallel.html",
        {
            "weeks": weeks,
            "week_choices": range(1, ParallelForm.MAX_WEEKS + 1),
            "first_day": first_day,
            "last_day": last_day,
            "days": days,
            "pair_count": sum(len(day.pairs) for day in days),
            "gaps": selectors.gaps(first_day, last_day),
        },
    )
