"""The house's Celery tasks. The outbox that hands tasks to the broker is
centre.outbox."""

import uuid

from celery import shared_task
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from . import mail, outbox, services


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


def as_task_args(message: EmailMultiAlternatives) -> dict:
    """A rendered mail as a task's arguments (JSON), with the key of its one delivery."""
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
        "alternatives": [list(part) for part in getattr(message, "alternatives", [])],
        "key": f"account.{uuid.uuid4().hex}",
    }


@mail.task("centre.tasks.send_rendered_mail")
def send_rendered_mail(self, message: dict, base_url: str | None = None) -> None:
    """A mail rendered in a request (allauth's: an address to confirm, a
    password reset, an account that exists already or does not): sent from
    here, with retries and the outbox, once per key."""
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message["from_email"],
        to=message["to"],
        headers=message["headers"],
    )
    for content, mimetype in message["alternatives"]:
        email.attach_alternative(content, mimetype)
    mail.send_once(email, message["key"])
