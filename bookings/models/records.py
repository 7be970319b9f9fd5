"""What a booking leaves behind: its hold on the room's units, and the
record of what happened to it."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .bookings import Booking
from .rooms import Room


class Occupancy(models.Model):
    """A confirmed booking's hold on one unit of space, buffer included.
    Written and deleted only by the booking services."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="occupancies")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["room", "start", "end"], name="bookings_occupancy_room")]

    def __str__(self):
        return f"{self.room_id}: {self.start}–{self.end}"


class AuditEntry(models.Model):
    """Who did what to a booking, when, and what changed."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        CHANGED = "changed", _("Changed")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        OVERRIDDEN = "overridden", _("House rules overridden")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="audit")
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=12, choices=Action)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("history entry")
        verbose_name_plural = _("history")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
