"""Rooms, their facilities and the parts a divisible hall is made of."""

from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from actors.models import Actor, validate_logo
from actors.vocabulary import VocabularyItem
from centre.integrity import explain_refusal


class Facility(VocabularyItem):
    class Meta(VocabularyItem.Meta):
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")


class RoomQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Room(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    capacity = models.PositiveSmallIntegerField(_("capacity (people)"))
    description = models.TextField(_("description"), blank=True)
    facilities = models.ManyToManyField(
        Facility, blank=True, related_name="rooms", verbose_name=_("facilities")
    )
    step_free = models.BooleanField(_("step-free access"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    accessible_toilet = models.BooleanField(_("accessible toilet nearby"), default=False)
    photo = models.ImageField(
        _("photo"),
        upload_to="rooms/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"]), validate_logo],
        help_text=_("PNG, JPEG or WebP, at most 1 MB and 2000 × 2000 pixels."),
    )
    needs_approval = models.BooleanField(
        _("bookings need approval"),
        default=False,
        help_text=_("Requests wait for a coordinator; otherwise bookings are confirmed at once."),
    )
    restricted = models.BooleanField(
        _("only some actors may book"),
        default=False,
        help_text=_("Tick to limit the room to the kinds of presence and the actors chosen below."),
    )
    open_to_presences = models.JSONField(
        _("open to actors that are"),
        default=list,
        blank=True,
        help_text=_("E.g. only actors based in the house."),
    )
    allowed_actors = models.ManyToManyField(
        Actor,
        blank=True,
        related_name="bookable_rooms",
        verbose_name=_("also open to these actors"),
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        _("buffer between bookings (minutes)"),
        default=0,
        help_text=_("Time to clean up and set up between two bookings."),
    )
    parts = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="wholes",
        verbose_name=_("consists of"),
        help_text=_(
            "For a hall that can be split: booking the hall books its parts, and the reverse."
        ),
    )
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

    def save(self, *args, **kwargs):
        # Two coordinators may give rooms the same short name at the same
        # moment: the second is told so on the form, as after full_clean.
        with explain_refusal(self):
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("bookings:room-detail", args=[self.slug])

    def units(self) -> list[int]:
        """The indivisible rooms a booking of this room occupies (its parts, recursively)."""
        parts = list(self.parts.all())
        if not parts:
            return [self.pk]
        units: list[int] = []
        for part in parts:
            units.extend(part.units())
        return sorted(set(units))

    def admits(self, actor: Actor) -> bool:
        if not self.restricted or actor.presence in self.open_to_presences:
            return True
        return self.allowed_actors.filter(pk=actor.pk).exists()


# Shipped facilities; names go through gettext (see actors/vocabulary.py).
FACILITIES = [
    ("kitchen", gettext_noop("Kitchen")),
    ("projector", gettext_noop("Projector")),
    ("screen", gettext_noop("Screen")),
    ("sound", gettext_noop("Sound system")),
    ("sports-floor", gettext_noop("Sports floor")),
    ("workshop-tools", gettext_noop("Workshop tools")),
    ("tables-chairs", gettext_noop("Tables and chairs")),
    ("wifi", gettext_noop("Wi-Fi")),
]
