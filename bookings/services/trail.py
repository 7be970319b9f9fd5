"""What every booking write leaves behind: its audit entries, the texts the
feeds show, and, once the transaction commits, the mails about it."""

from centre import links
from centre.outbox import enqueue_on_commit

from .. import extensions, notifications
from ..calendar import texts
from ..models import AuditEntry


def audit(bookings, *, by, action, note="", changes=None, each=None) -> None:
    """Record a write. Every service calls this after its last change to the
    bookings, so their feed texts are written here, from what they now are.
    ``changes`` are the same for every booking; ``each`` (booking pk -> dict)
    adds what differs from one booking to the next, e.g. where each date moved."""
    each = each or {}
    AuditEntry.objects.bulk_create(
        AuditEntry(
            booking=booking,
            by=by,
            action=action,
            note=note,
            changes={**(changes or {}), **each.get(booking.pk, {})},
        )
        for booking in bookings
    )
    texts.refresh([booking.pk for booking in bookings])
    extensions.booking_written.send(
        sender=AuditEntry, bookings=bookings, action=action, changes=changes or {}, each=each
    )


def notify_request(bookings) -> None:
    # The host of the request that caused it travels with the task, also
    # when it waits in the outbox (centre.links).
    enqueue_on_commit(
        notifications.notify_request,
        [b.pk for b in bookings],
        base_url=links.current_base_url(),
    )


def notify_booker(bookings, action, by, note="") -> None:
    enqueue_on_commit(
        notifications.notify_booker,
        [b.pk for b in bookings],
        str(action),
        by.pk,
        note,
        base_url=links.current_base_url(),
    )


def notify_house_change(actor_id: int, items: list[list]) -> None:
    enqueue_on_commit(
        notifications.notify_house_change, actor_id, items, base_url=links.current_base_url()
    )
