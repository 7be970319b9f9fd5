"""The bookings' periodic tasks. The mails about bookings are tasks too; they
live in bookings.notifications and are imported here, so a worker that
discovers this module registers them."""

from celery import shared_task
from django.db.models import F, Q

from . import services
from .models import BookingSeries
from .notifications import notify_booker, notify_house_change, notify_request

__all__ = ["extend_series", "notify_booker", "notify_house_change", "notify_request"]


@shared_task
def extend_series() -> int:
    """Keep every running series booked 12 months ahead (beat, daily)."""
    added = 0
    running = BookingSeries.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gt=F("materialised_until"))
    )
    for series_id in running.values_list("pk", flat=True):
        series = BookingSeries.objects.select_related("room", "actor", "booked_by").get(
            pk=series_id
        )
        added += services.series_extend(series=series)
    return added
