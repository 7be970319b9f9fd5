"""Giving back what is not used: a booker releases one date of a series; the
first on the waiting list for that room and time is offered it until the
offer expires, then the next; accepting books it like any request (exactly
one acceptance: a conditional update claims the offer). Before each date a
room can ask its series' bookers to confirm or release it; coordinators
record no-shows."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings import services as bookings
from bookings.models import Booking, Status
from bookings.services.rules import Slot, can_book_for, closed_days
from centre import links
from centre.outbox import enqueue_on_commit
from centre.roles import is_coordinator

from ..models import ConfirmAsk, NoShow, Offer, RoomAsk, WaitingEntry


def offer_time() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.SAMHUS_OFFER_SECONDS)


def date_release(*, by, booking: Booking) -> Booking:
    """Release one date of a series: bookings' release (the series page's
    "Release" goes the same way), after which `seasons.hooks` records the
    answer to an ask and offers the date to the waiting list at once."""
    return bookings.date_release(booking=booking, by=by)


@transaction.atomic
def waiting_join(*, by, room, actor, weekday: int, start_time, end_time) -> WaitingEntry:
    if not can_book_for(by, actor):
        raise ValidationError(
            _("You can only book for actors where you are a booker or administrator.")
        )
    entry = WaitingEntry(
        room=room,
        actor=actor,
        person=by,
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
    )
    entry.full_clean()
    entry.save()
    return entry


def _waiting_for(released: Booking):
    start = timezone.localtime(released.start)
    end = timezone.localtime(released.end)
    return (
        WaitingEntry.objects.filter(
            is_active=True,
            room_id=released.room_id,
            weekday=start.weekday(),
            start_time__lt=end.time(),
            end_time__gt=start.time(),
        )
        .exclude(actor_id=released.actor_id)
        .exclude(offers__released=released)
        .order_by("created", "pk")
    )


@transaction.atomic
def offer_next(*, released: Booking) -> Offer | None:
    """Offer a released date to the first waiting entry it was not offered to
    yet, unless it is offered or taken already, has begun, or falls on a day
    the house is closed."""
    if released.status != Status.CANCELLED or released.start <= timezone.now():
        return None
    if closed_days([Slot(released.start, released.end)]):
        return None  # the house is closed that day: nobody can have it
    # One offer chain per date: the released date's row is the lock.
    Booking.objects.select_for_update().filter(pk=released.pk).first()
    if Offer.objects.filter(
        released=released, status__in=[Offer.Status.OPEN, Offer.Status.ACCEPTED]
    ).exists():
        return None
    entry = _waiting_for(released).first()
    if entry is None:
        return None
    expires = min(timezone.now() + offer_time(), released.start)
    offer = Offer.objects.create(released=released, entry=entry, expires_at=expires)
    from ..tasks import send_offer

    enqueue_on_commit(send_offer, offer.pk, base_url=links.current_base_url())
    return offer


def offers_expire(now=None) -> int:
    """Expire the offers past their time and offer each date to the next (beat)."""
    now = now or timezone.now()
    expired = 0
    for offer in Offer.objects.filter(status=Offer.Status.OPEN, expires_at__lte=now).select_related(
        "released"
    ):
        with transaction.atomic():
            if Offer.objects.filter(pk=offer.pk, status=Offer.Status.OPEN).update(
                status=Offer.Status.EXPIRED
            ):
                expired += 1
                offer_next(released=offer.released)
    # Dates cancelled outside the release page (the booking's own cancel) are
    # offered too, once, from here.
    recent = now - datetime.timedelta(days=1)
    for released in Booking.objects.filter(
        status=Status.CANCELLED, cancelled_at__gte=recent, start__gt=now, season_offers__isnull=True
    ).distinct():
        offer_next(released=released)
    return expired


def offer_accept(*, by, offer: Offer) -> Booking:
    """Book the offered date for the waiting actor; exactly one acceptance wins."""
    entry = offer.entry
    if not can_book_for(by, entry.actor):
        raise ValidationError(_("Only the waiting actor's bookers accept its offer."))
    with transaction.atomic():
        claimed = Offer.objects.filter(
            pk=offer.pk, status=Offer.Status.OPEN, expires_at__gt=timezone.now()
        ).update(status=Offer.Status.ACCEPTED)
        if not claimed:
            raise ValidationError(_("This offer has expired or been answered already."))
        released = offer.released
        booking = bookings.booking_request(
            by=by,
            room=released.room,
            actor=entry.actor,
            title=_("%(actor)s (from the waiting list)") % {"actor": entry.actor.name},
            start=released.start,
            end=released.end,
        )
        Offer.objects.filter(pk=offer.pk).update(booking=booking)
        entry.is_active = False
        entry.save(update_fields=["is_active"])
    return booking


@transaction.atomic
def offer_decline(*, by, offer: Offer) -> None:
    if not can_book_for(by, offer.entry.actor):
        raise ValidationError(_("Only the waiting actor's bookers answer its offer."))
    if Offer.objects.filter(pk=offer.pk, status=Offer.Status.OPEN).update(
        status=Offer.Status.DECLINED
    ):
        offer_next(released=offer.released)


def confirm_asks_send(today=None) -> int:
    """Ask the bookers of each series' date in a room that asks, the room's
    number of days before (beat, daily). Each date is asked once."""
    from ..tasks import send_confirm_ask

    today = today or timezone.localdate()
    asked = 0
    for setting in RoomAsk.objects.filter(days_before__isnull=False):
        day = today + datetime.timedelta(days=setting.days_before)
        dates = Booking.objects.filter(
            room_id=setting.room_id,
            series__isnull=False,
            status=Status.CONFIRMED,
            start__date=day,
            confirm_ask__isnull=True,
        )
        for booking in dates:
            with transaction.atomic():
                ask, created = ConfirmAsk.objects.get_or_create(booking=booking)
                if created:
                    asked += 1
                    enqueue_on_commit(send_confirm_ask, ask.pk)
    return asked


@transaction.atomic
def confirm_answer(*, by, booking: Booking, keep: bool) -> None:
    if not bookings.can_change(by, booking):
        raise ValidationError(_("You can only answer for your own actor's bookings."))
    if keep:
        ConfirmAsk.objects.update_or_create(
            booking=booking, defaults={"answer": ConfirmAsk.Answer.CONFIRMED}
        )
    else:
        date_release(by=by, booking=booking)


@transaction.atomic
def no_show_record(*, by, booking: Booking, note: str = "") -> NoShow:
    if not is_coordinator(by):
        raise ValidationError(_("Only coordinators record a no-show."))
    if booking.status != Status.CONFIRMED or booking.start > timezone.now():
        raise ValidationError(_("A no-show is recorded for a confirmed date that has begun."))
    no_show, _created = NoShow.objects.get_or_create(
        booking=booking, defaults={"recorded_by": by, "note": note[:300]}
    )
    return no_show
