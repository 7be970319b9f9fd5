"""The actors: who they are, their sector and presence, and the shared
vocabulary of target groups, themes and languages."""

from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centre.images import LOGO_MAX_BYTES, LOGO_MAX_PIXELS, validate_logo  # noqa: F401

from ..vocabulary import VocabularyItem


class Sector(models.TextChoices):
    CIVIL_SOCIETY = "civil", _("Civil society and volunteers")
    HOUSING_SOCIAL = "housing", _("Housing-social")
    MUNICIPAL = "municipal", _("Municipal")
    REGIONAL = "regional", _("Regional")
    PRIVATE = "private", _("Private")


class TargetGroup(VocabularyItem):
    class Meta(VocabularyItem.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")


class Theme(VocabularyItem):
    class Meta(VocabularyItem.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class Language(VocabularyItem):
    """A language an actor speaks or an offer is given in."""

    class Meta(VocabularyItem.Meta):
        verbose_name = _("language")
        verbose_name_plural = _("languages")


class ActorQuerySet(models.QuerySet):
    def current(self, today=None):
        """Actors that have not left the house (archived actors keep their history)."""
        today = today or timezone.localdate()
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gt=today))

    def for_directory(self):
        """What the public directory shows, in two queries whatever the number of actors."""
        return self.current().prefetch_related("languages")


class Actor(models.Model):
    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("Association or volunteer group")
        RESIDENT_DEMOCRACY = "resident_democracy", _("Resident democracy")
        HOUSING_SOCIAL_PLAN = "housing_social_plan", _("Housing-social plan (helhedsplan)")
        HOUSING_ORGANISATION = "housing_organisation", _("Housing organisation")
        MUNICIPAL = "municipal", _("Municipal service")
        LIBRARY = "library", _("Library")
        HEALTH = "health", _("Health")
        SOCIAL_ECONOMY = "social_economy", _("Social-economy enterprise")
        BUSINESS = "business", _("Business")
        NGO = "ngo", _("NGO")
        REGIONAL = "regional", _("Regional body")
        OTHER = "other", _("Other")

    class Presence(models.TextChoices):
        BASED = "based", _("Based in the house")
        REGULAR = "regular", _("Regular user")
        AD_HOC = "ad_hoc", _("Ad hoc user")
        PARTNER = "partner", _("External partner")

    SECTOR_OF_KIND = {
        Kind.ASSOCIATION: Sector.CIVIL_SOCIETY,
        Kind.RESIDENT_DEMOCRACY: Sector.CIVIL_SOCIETY,
        Kind.HOUSING_SOCIAL_PLAN: Sector.HOUSING_SOCIAL,
        Kind.HOUSING_ORGANISATION: Sector.HOUSING_SOCIAL,
        Kind.MUNICIPAL: Sector.MUNICIPAL,
        Kind.LIBRARY: Sector.MUNICIPAL,
        Kind.HEALTH: Sector.PRIVATE,
        Kind.SOCIAL_ECONOMY: Sector.PRIVATE,
        Kind.BUSINESS: Sector.PRIVATE,
        Kind.NGO: Sector.CIVIL_SOCIETY,
        Kind.REGIONAL: Sector.REGIONAL,
        Kind.OTHER: Sector.CIVIL_SOCIETY,
    }

    name = models.CharField(
        _("name"),
        max_length=150,
        unique=True,
        error_messages={"unique": _("An actor with this name is already in the house.")},
    )
    slug = models.SlugField(
        _("short name in addresses"),
        max_length=80,
        unique=True,
        error_messages={"unique": _("This short name is taken by another actor. Choose another.")},
        help_text=_(
            "Letters, digits and hyphens; used in the actor's address, e.g. /actors/kvindeforum/."
        ),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    presence = models.CharField(
        _("presence in the house"), max_length=10, choices=Presence, default=Presence.REGULAR
    )
    description = models.TextField(_("description"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    opening_times = models.CharField(
        _("when to find them"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “Tuesdays and Thursdays 10–14 in the café”."),
    )
    languages = models.ManyToManyField(
        Language, blank=True, related_name="actors", verbose_name=_("languages spoken")
    )
    strengths = models.CharField(
        _("what they are good at"),
        max_length=500,
        blank=True,
        help_text=_(
            "Networks, languages, skills – separated by commas, e.g. “Somali women's network, "
            "homework help, cooking for 100”."
        ),
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="actors/logos/",
        blank=True,
        validators=[
            FileExtensionValidator(["png", "jpg", "jpeg", "webp"]),
            validate_logo,
        ],
        help_text=_("PNG, JPEG or WebP, at most 1 MB and 2000 × 2000 pixels."),
    )
    joined_on = models.DateField(_("joined the house"), null=True, blank=True)
    left_on = models.DateField(
        _("left the house"),
        null=True,
        blank=True,
        help_text=_("An actor that leaves is archived, never deleted: its history stays."),
    )

    objects = ActorQuerySet.as_manager()

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=F("joined_on")),
                name="actors_actor_left_after_joined",
                violation_error_message=_("An actor cannot leave before it joined."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("actors:actor-detail", args=[self.slug])

    @property
    def sector(self) -> Sector:
        return self.SECTOR_OF_KIND[self.kind]

    def get_sector_display(self) -> str:
        return self.sector.label

    @property
    def is_archived(self) -> bool:
        return self.left_on is not None and self.left_on <= timezone.localdate()

    @property
    def strength_list(self) -> list[str]:
        return [s.strip() for s in self.strengths.split(",") if s.strip()]

    @classmethod
    def kinds_in_sector(cls, sector: str) -> list[str]:
        return [kind for kind, kind_sector in cls.SECTOR_OF_KIND.items() if kind_sector == sector]
