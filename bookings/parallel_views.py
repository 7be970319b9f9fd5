"""Coordinators' overview of parallel activities and target-group gaps (samvirke)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from . import parallel as selectors
from .permissions import can_see_parallel

MAX_WEEKS = 12


def _weeks(value) -> int:
    """?weeks=N, 1 to 12; anything else is the default of four weeks."""
    try:
        weeks = int(value)
    except (TypeError, ValueError):
        return selectors.DEFAULT_WEEKS
    return weeks if 1 <= weeks <= MAX_WEEKS else selectors.DEFAULT_WEEKS


@login_required
def parallel(request):
    if not can_see_parallel(request.user):
        raise PermissionDenied
    weeks = _weeks(request.GET.get("weeks"))
    first_day, last_day = selectors.default_period(weeks)
    days = selectors.parallel_pairs(first_day, last_day)
    return render(
        request,
        "bookings/parallel.html",
        {
            "weeks": weeks,
            "week_choices": range(1, MAX_WEEKS + 1),
            "first_day": first_day,
            "last_day": last_day,
            "days": days,
            "pair_count": sum(len(day.pairs) for day in days),
            "gaps": selectors.gaps(first_day, last_day),
        },
    )
