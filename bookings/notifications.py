"""Booking notifications, sent after the commit, in each recipient's language,
with a text and an HTML part. Each mail's Message-ID is made from the task's
id and its recipient, so a task run twice (redelivered, or handed over again
by the outbox under the same id) sends each mail once (centre.mail.send_once).
Their links go to the host of the request that caused them (``base_url``,
centre.links), or to SITE_URL.

The tasks keep the names they were registered under in bookings.tasks: the
outbox stores waiting tasks by name."""

import uuid

from django.contrib.auth import get_user_model
from django.urls import reverse

from centre import links, mail

from .models import AuditEntry, Booking, Status


def _send(task, user, template: str, context: dict, base_url: str | None) -> None:
    message = mail.message(
        to=[user.email],
        template=f"bookings/email/{template}",
        context={**context, "recipient": user},
        language=user.language,
        base_url=base_url,
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


@mail.task("bookings.tasks.notify_request")
def notify_request(self, booking_ids: list[int], base_url: str | None = None) -> None:
    """Tell the coordinators that a request waits for them."""
    bookings = _bookings(booking_ids)
    if not bookings:
        return
    url = links.absolute(reverse("bookings:booking-detail", args=[bookings[0].pk]), given=base_url)
    for coordinator in get_user_model().objects.filter(is_coordinator=True, is_active=True):
        _send(
            self,
            coordinator,
            "request",
            {"booking": bookings[0], "count": len(bookings), "url": url},
            base_url,
        )


@mail.task("bookings.tasks.notify_booker")
def notify_booker(
    self,
    booking_ids: list[int],
    action: str,
    by_id: int | None,
    note: str = "",
    base_url: str | None = None,
) -> None:
    """Tell the person who booked about an approval, a decline, or a
    cancellation or move by someone else (`booker_is_told`). An approval that
    reaches the worker late (SMTP away, a worker restarted) is told only of
    the dates still confirmed: a later cancellation has had its own mail."""
    bookings = _bookings(booking_ids)
    if action == AuditEntry.Action.APPROVED:
        bookings = [booking for booking in bookings if booking.status == Status.CONFIRMED]
    if not bookings:
        return
    first = bookings[0]
    if not booker_is_told(action, first.booked_by_id, by_id):
        return
    url = links.absolute(reverse("bookings:booking-detail", args=[first.pk]), given=base_url)
    _send(
        self,
        first.booked_by,
        "decision",
        {"booking": first, "count": len(bookings), "action": action, "note": note, "url": url},
        base_url,
    )


@mail.task("bookings.tasks.notify_house_change")
def notify_house_change(
    self, actor_id: int, items: list[list], base_url: str | None = None
) -> None:
    """One mail to each booker and administrator of an actor about the dates a
    change to the house touched (closed day, hours, room out of use) and what
    happened to each: [booking id, "cancel" | "keep" | "move" | "restored", note]."""
    from actors.models import Actor, Membership

    actor = Actor.objects.filter(pk=actor_id).first()
    bookings = {b.pk: b for b in _bookings([item[0] for item in items])}
    if actor is None or not bookings:
        return
    dates = [
        {"booking": bookings[pk], "action": action, "note": note}
        for pk, action, note in items
        if pk in bookings
    ]
    dates.sort(key=lambda row: row["booking"].start)
    people = (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__actor=actor,
            memberships__role__in=[Membership.Role.ADMIN, Membership.Role.BOOKER],
        )
        .exclude(email="")
        .distinct()
    )
    url = links.absolute(reverse("bookings:my-bookings"), given=base_url)
    for person in people:
        _send(self, person, "house_change", {"actor": actor, "dates": dates, "url": url}, base_url)
