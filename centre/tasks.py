import logging

import kombu.exceptions
from celery import shared_task
from django.db import transaction
from django.utils import timezone

from . import services

logger = logging.getLogger(__name__)


@shared_task
def fill_public_holidays() -> int:
    """Keep this and next year's public holidays in the closed days (beat, daily)."""
    year = timezone.localdate().year
    return services.public_holidays_fill(years=[year, year + 1])


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Send a task once the current transaction commits, so a worker never sees
    rows that are not there yet. If the broker is down, the write stands and the
    failure is logged; periodic tasks pick up what was missed."""

    def send():
        try:
            task.delay(*args, **kwargs)
        except kombu.exceptions.OperationalError:
            logger.exception(
                "Broker unreachable: %s not enqueued; it will be picked up later.", task.name
            )

    transaction.on_commit(send)
