"""Rooms of the house. Bookings and series follow in this app."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RoomQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Room(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    capacity = models.PositiveSmallIntegerField(_("capacity (people)"))
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(
        _("can be booked"), default=True, help_text=_("Untick to take the room out of use.")
    )

    objects = RoomQuerySet.as_manager()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gt=0),
                name="bookings_room_capacity_positive",
                violation_error_message=_("A room holds at least one person."),
            ),
        ]

    def __str__(self):
        return self.name
