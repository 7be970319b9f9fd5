"""The people who act for an actor, and the invitations that bring them in."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .actors import Actor


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
