"""How the actors work together. The house council comes first: its members."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.models import Actor


class CouncilMemberQuerySet(models.QuerySet):
    def current(self, on=None):
        day = on or timezone.localdate()
        return self.filter(Q(until__isnull=True) | Q(until__gte=day), since__lte=day)


class CouncilMember(models.Model):
    """A seat on the house council (husråd), held by a person for an actor."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Member")
        SUBSTITUTE = "substitute", _("Substitute")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="council_seats",
        verbose_name=_("person"),
    )
    actor = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="council_seats",
        verbose_name=_("represents"),
    )
    role = models.CharField(_("role"), max_length=12, choices=Role, default=Role.MEMBER)
    since = models.DateField(_("from"), default=timezone.localdate)
    until = models.DateField(_("to"), null=True, blank=True)

    objects = CouncilMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["role", "user__email"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")),
                name="collaboration_councilmember_until_after_since",
                violation_error_message=_("A seat cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"
