"""Who is in the house: the actors and the people who act for them."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    CIVIL_SOCIETY = "civil", _("Civil society and volunteers")
    HOUSING_SOCIAL = "housing", _("Housing-social")
    MUNICIPAL = "municipal", _("Municipal")
    REGIONAL = "regional", _("Regional")
    PRIVATE = "private", _("Private")


class ActorQuerySet(models.QuerySet):
    def current(self):
        """Actors that have not left the house (archived actors keep their history)."""
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gt=timezone.localdate()))


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

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    presence = models.CharField(
        _("presence in the house"), max_length=10, choices=Presence, default=Presence.REGULAR
    )
    description = models.TextField(_("description"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
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

    @property
    def sector(self) -> Sector:
        return self.SECTOR_OF_KIND[self.kind]

    def get_sector_display(self) -> str:
        return self.sector.label


class MembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(
            Q(actor__left_on__isnull=True) | Q(actor__left_on__gt=timezone.localdate())
        )


class Membership(models.Model):
    """A person acting for an actor."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator (manages the actor's page and members)")
        BOOKER = "booker", _("Booker (books rooms for the actor)")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("actor")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role, default=Role.MEMBER)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["actor__name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "actor"],
                name="actors_membership_one_per_actor",
                violation_error_message=_("This person is already a member of this actor."),
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.actor} ({self.get_role_display()})"
