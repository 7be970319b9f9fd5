"""Booking notifications, sent after the commit, in each recipient's language,
with a text and an HTML part. Each mail's Message-ID is made from the task's
id and its recipient, so a task run twice (redelivered, or handed over again
by the outbox under the same id) sends each mail once (centre.mail.send_once).

The tasks keep the names they were registered under in bookings.tasks: the
outbox stores waiting tasks by name."""

import uuid

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from centre import mail

from .models import AuditEntry, Booking


def _send(task, user, template: str, context: dict) -> None:
    message = mail.message(
        to=[user.email],
        template=f"bookings/email/{template}",
        context={**context, "recipient": user, "site_url": settings.SITE_URL},
        language=user.language,
    )
    mail.send_once(message, f"booking.{task.request.id or uuid.uuid4().hex}.{user.pk}")


def booker_is_told(action: str, booked_by_id: int, by_id: int | None) -> bool:
    """Whether the person who booked hears of this: always of an approval or a
    decline; of a cancellation or a move only when someone else made it."""
    if action in (AuditEntry.Action.CANCELLED, AuditEntry.Action.CHANGED):
        return booked_by_id != by_id
    return True


def _bookings(ids):
    return list(
        Booking.objects.filter(pk__in=ids)
        .select_related("room", "actor", "booked_by")
        .order_by("start")
    )


@shared_task(
    name="bookings.tasks.notify_request",
    bind=True,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def notify_request(self, booking_ids: list[int]) -> None:
    """Tell the coordinators that a request waits for them."""
    bookings = _bookings(booking_ids)
    if not bookings:
        return
    url = settings.SITE_URL + reverse("bookings:booking-detail", args=[bookings[0].pk])
    for coordinator in get_user_model().objects.filter(is_coordinator=True, is_active=True):
        _send(
            self,
            coordinator,
            "request",
            {"booking": bookings[0], "count": len(bookings), "url": url},
        )


@shared_task(
    name="bookings.tasks.notify_booker",
    bind=True,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def notify_booker(
    self, booking_ids: list[int], action: str, by_id: int | None, note: str = ""
) -> None:
    """Tell the person who booked about an approval, a decline, or a
    cancellation or move by someone else (`booker_is_told`)."""
    bookings = _bookings(booking_ids)
    if not bookings:
        return
    first = bookings[0]
    if not booker_is_told(action, first.booked_by_id, by_id):
        return
    url = settings.SITE_URL + reverse("bookings:booking-detail", args=[first.pk])
    _send(
        self,
        first.booked_by,
        "decision",
        {"booking": first, "count": len(bookings), "action": action, "note": note, "url": url},
    )
