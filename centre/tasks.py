"""The house's Celery tasks. The outbox that hands tasks to the broker is
centre.outbox."""

from celery import shared_task
from django.utils import timezone

from . import outbox, services


@shared_task(name="centre.tasks.fill_public_holidays")
def fill_public_holidays() -> int:
    """Keep this and next year's public holidays in the closed days (beat, daily)."""
    year = timezone.localdate().year
    return services.public_holidays_fill(years=[year, year + 1])


@shared_task(name="centre.tasks.flush_outbox")
def flush_outbox(grace_seconds: int | None = None, limit: int = 1000) -> int:
    """Send the tasks that waited in the outbox while the broker was away
    (beat, every minute)."""
    return outbox.flush(grace_seconds=grace_seconds, limit=limit)
