from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def fill_public_holidays() -> int:
    """Keep this and next year's public holidays in the closed days (beat, daily)."""
    year = timezone.localdate().year
    return services.public_holidays_fill(years=[year, year + 1])
