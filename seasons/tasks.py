"""The season's tasks: the result of a round to each applicant, an offer from
the waiting list, the ask to confirm or release a date, and the periodic
expiry of offers and sending of asks (beat)."""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation

from bookings.permissions import BOOKING_ROLES
from centre import links, mail

from . import services
from .models import Application, ConfirmAsk, Offer
from .selectors import decisions_of


def _send(task, user, template: str, context: dict, key: str) -> None:
    message = mail.message(
        to=[user.email],
        template=f"seasons/email/{template}",
        context={**context, "recipient": user},
        language=user.language,
    )
    mail.send_once(message, f"season.{key}.{user.pk}")


@mail.task("seasons.tasks.send_result")
def send_result(self, application_id: int, base_url: str | None = None) -> None:
    """One mail per applicant with every wish's decision and why."""
    application = (
        Application.objects.select_related("round", "actor", "submitted_by")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        return
    person = application.submitted_by
    with translation.override(person.language):
        decisions = [
            d for d in decisions_of(application.round) if d.wish.application_id == application.pk
        ]
    for decision in decisions:
        if decision.series_id:
            decision.url = links.absolute(
                reverse("bookings:series-detail", args=[decision.series_id]), given=base_url
            )
    _send(
        self,
        person,
        "result",
        {"application": application, "round": application.round, "decisions": decisions},
        f"result.{application.pk}",
    )
    Application.objects.filter(pk=application.pk).update(result_sent_at=timezone.now())


@mail.task("seasons.tasks.send_offer")
def send_offer(self, offer_id: int, base_url: str | None = None) -> None:
    offer = (
        Offer.objects.select_related("released__room", "entry__actor", "entry__person")
        .filter(pk=offer_id)
        .first()
    )
    if offer is None or offer.status != Offer.Status.OPEN:
        return
    url = links.absolute(reverse("seasons:offer", args=[offer.pk]), given=base_url)
    _send(self, offer.entry.person, "offer", {"offer": offer, "url": url}, f"offer.{offer.pk}")


@mail.task("seasons.tasks.send_confirm_ask")
def send_confirm_ask(self, ask_id: int, base_url: str | None = None) -> None:
    ask = (
        ConfirmAsk.objects.select_related("booking__room", "booking__booked_by", "booking__actor")
        .filter(pk=ask_id)
        .first()
    )
    if ask is None:
        return
    url = links.absolute(reverse("seasons:date-release", args=[ask.booking_id]), given=base_url)
    people = get_user_model().objects.filter(
        is_active=True,
        memberships__actor=ask.booking.actor,
        memberships__role__in=BOOKING_ROLES,
    )
    for person in people.distinct():
        _send(self, person, "confirm", {"booking": ask.booking, "url": url}, f"ask.{ask.pk}")


@shared_task(name="seasons.tasks.expire_offers")
def expire_offers() -> int:
    """Pass each expired offer to the next on the waiting list (beat, every minute)."""
    return services.offers_expire()


@shared_task(name="seasons.tasks.ask_to_confirm")
def ask_to_confirm() -> int:
    """Ask series' bookers to confirm or release their dates (beat, daily)."""
    return services.confirm_asks_send()
