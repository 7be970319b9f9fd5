"""Giving back what is not used: confirm-or-release asks per room, the waiting
list and its offers, and no-shows."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.models import Actor
from bookings.models import Booking, Room

from .rounds import WEEKDAYS


class RoomAsk(models.Model):
    """Per room: ask the bookers of a series to confirm or release each date
    this many days before (off by default)."""

    room = models.OneToOneField(
        Room, on_delete=models.CASCADE, related_name="confirm_ask", verbose_name=_("room")
    )
    days_before = models.PositiveSmallIntegerField(
        _("ask to confirm this many days before"),
        null=True,
        blank=True,
        help_text=_("Empty: do not ask."),
    )

    class Meta:
        verbose_name = _("confirm-or-release setting")
        verbose_name_plural = _("confirm-or-release settings")

    def __str__(self):
        return str(self.room)


class ConfirmAsk(models.Model):
    class Answer(models.TextChoices):
        WAITING = "waiting", _("Waiting for an answer")
        CONFIRMED = "confirmed", _("Confirmed")
        RELEASED = "released", _("Released")

    booking = models.OneToOneField(
        Booking, on_delete=models.CASCADE, related_name="confirm_ask", verbose_name=_("booking")
    )
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)
    answer = models.CharField(_("answer"), max_length=10, choices=Answer, default=Answer.WAITING)

    class Meta:
        verbose_name = _("confirm-or-release ask")
        verbose_name_plural = _("confirm-or-release asks")

    def __str__(self):
        return str(self.booking)


class WaitingEntry(models.Model):
    """ "Tell me if this slot becomes free": a room, a weekday and a time."""

    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="waiting", verbose_name=_("room")
    )
    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="waiting", verbose_name=_("actor")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="season_waiting",
        verbose_name=_("person"),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    created = models.DateTimeField(_("created"), auto_now_add=True)
    is_active = models.BooleanField(_("waiting"), default=True)

    class Meta:
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting-list entries")
        ordering = ["created", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="seasons_waitingentry_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
        ]

    def __str__(self):
        return f"{self.actor}: {self.room} {self.get_weekday_display()} {self.start_time:%H:%M}"


class Offer(models.Model):
    """A released date offered to one waiting entry until it expires."""

    class Status(models.TextChoices):
        OPEN = "open", _("Offered")
        ACCEPTED = "accepted", _("Accepted")
        EXPIRED = "expired", _("Expired")
        DECLINED = "declined", _("Declined")

    released = models.ForeignKey(
        Booking,
        on_delete=models.CASCADE,
        related_name="season_offers",
        verbose_name=_("released date"),
    )
    entry = models.ForeignKey(
        WaitingEntry, on_delete=models.CASCADE, related_name="offers", verbose_name=_("waiting")
    )
    offered_at = models.DateTimeField(_("offered"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    booking = models.OneToOneField(
        Booking,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="from_offer",
        verbose_name=_("booking"),
    )

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-offered_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["released"],
                condition=Q(status="accepted"),
                name="seasons_offer_accepted_once",
                violation_error_message=_("This date has been taken already."),
            ),
            models.UniqueConstraint(
                fields=["released"],
                condition=Q(status="open"),
                name="seasons_offer_one_open",
                violation_error_message=_("This date is offered to someone already."),
            ),
            models.UniqueConstraint(
                fields=["released", "entry"],
                name="seasons_offer_once_per_entry",
                violation_error_message=_("This date was offered to this entry already."),
            ),
        ]

    def __str__(self):
        return f"{self.released} → {self.entry.actor}"


class NoShow(models.Model):
    """A coordinator's record that nobody came to a booked date."""

    booking = models.OneToOneField(
        Booking, on_delete=models.CASCADE, related_name="no_show", verbose_name=_("booking")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("no-show")
        verbose_name_plural = _("no-shows")

    def __str__(self):
        return str(self.booking)
