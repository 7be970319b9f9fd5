"""Who is in the house: the actors, the people who act for them, the
invitations that bring people in, and the offers the actors run."""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .vocabulary import VocabularyItem

LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_PIXELS = 2000


def validate_logo(image) -> None:
    if image.size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo is too large (%(size)s MB). The limit is 1 MB."),
            params={"size": f"{image.size / 1024 / 1024:.1f}"},
            code="logo_too_large",
        )
    width, height = getattr(image, "width", 0), getattr(image, "height", 0)
    if width > LOGO_MAX_PIXELS or height > LOGO_MAX_PIXELS:
        raise ValidationError(
            _("The logo is %(width)s × %(height)s pixels. At most 2000 × 2000 pixels, please."),
            params={"width": width, "height": height},
            code="logo_too_wide",
        )


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
    def current(self):
        """Actors that have not left the house (archived actors keep their history)."""
        return self.filter(Q(left_on__isnull=True) | Q(left_on__gt=timezone.localdate()))

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


class MembershipQuerySet(models.QuerySet):
    def current(self):
        return self.filter(
            Q(actor__left_on__isnull=True) | Q(actor__left_on__gt=timezone.localdate())
        )


class Membership(models.Model):
    """A person acting for an actor. Deleting it never deletes what they did:
    bookings, logs and posts point at the person and the actor, not here."""

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


INVITATION_DAYS = 14


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=INVITATION_DAYS)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An e-mail address invited to act for an actor. The link works once and
    for 14 days."""

    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("actor")
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(
        _("role"), max_length=10, choices=Membership.Role, default=Membership.Role.MEMBER
    )
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=_invitation_expiry)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, default="da")

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.email} → {self.actor}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("actors:invitation-accept", args=[self.token])

    def problem(self) -> str | None:
        """Why this invitation cannot be used now, for a person; None when it can."""
        if self.revoked_at:
            return gettext("This invitation has been withdrawn. Ask for a new one.")
        if self.accepted_at:
            return gettext("This invitation has already been used. Sign in to continue.")
        if self.expires_at <= timezone.now():
            return gettext(
                "This invitation expired after %(days)s days. Ask the person who invited you "
                "for a new one."
            ) % {"days": INVITATION_DAYS}
        return None


class OfferQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True).filter(
            Q(actor__left_on__isnull=True) | Q(actor__left_on__gt=timezone.localdate())
        )

    def for_overview(self):
        """The offer overview in four queries whatever the number of offers."""
        return (
            self.active()
            .select_related("actor")
            .prefetch_related("target_groups", "themes", "languages")
        )


class Offer(models.Model):
    """Something an actor offers residents (tilbud): a homework café, open counselling…"""

    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="offers", verbose_name=_("actor")
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    target_groups = models.ManyToManyField(
        TargetGroup, related_name="offers", verbose_name=_("target groups"), blank=True
    )
    themes = models.ManyToManyField(
        Theme, related_name="offers", verbose_name=_("themes"), blank=True
    )
    languages = models.ManyToManyField(
        Language, related_name="offers", verbose_name=_("offered in"), blank=True
    )
    accessibility = models.CharField(
        _("accessibility"),
        max_length=300,
        blank=True,
        help_text=_(
            "E.g. step-free access, hearing loop, children welcome, interpreter on request."
        ),
    )
    when = models.CharField(
        _("when"), max_length=200, blank=True, help_text=_("E.g. “Every Tuesday 15–17”.")
    )
    contact = models.CharField(
        _("contact"),
        max_length=200,
        blank=True,
        help_text=_("Who to call or write to, if not the actor."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick when the offer pauses or ends.")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "title"],
                name="actors_offer_unique_title_per_actor",
                violation_error_message=_("This actor already has an offer with this title."),
            ),
        ]

    def __str__(self):
        return self.title
