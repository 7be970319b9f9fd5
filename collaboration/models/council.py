"""The house council (husråd): its seats, meetings, house rules and decisions."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.models import Actor
from centre.shown import Shown


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

    def is_current(self, on) -> bool:
        """Held on the day ``on``: the same rule as ``CouncilMember.objects.current(on)``."""
        return self.since <= on and (self.until is None or self.until >= on)


class Meeting(models.Model):
    """A house council meeting: agenda before, minutes after."""

    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=150, default="", blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_published_on = models.DateField(
        _("minutes published"),
        null=True,
        blank=True,
        help_text=_("Set when the minutes are approved; they then reach the digest."),
    )

    class Meta:
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")
        ordering = ["-date"]

    def __str__(self):
        return self.title or str(self.date)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("collaboration:meeting", args=[self.pk])


class HouseRule(models.Model):
    """A house rule: proposed, then adopted or rejected by a recorded vote,
    and an adopted rule may be repealed later. Adopted rules are public."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Rejected")
        REPEALED = "repealed", _("Repealed")

    title = models.CharField(_("title"), max_length=150)
    text = models.TextField(_("the rule"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_on = models.DateField(_("proposed"), default=timezone.localdate)
    votes_for = models.PositiveSmallIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("votes against"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("abstentions"), null=True, blank=True)
    voted_on = models.DateField(_("vote held"), null=True, blank=True)
    repealed_on = models.DateField(_("repealed"), null=True, blank=True)
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rules",
        verbose_name=_("decided at"),
    )

    class Meta:
        verbose_name = _("house rule")
        verbose_name_plural = _("house rules")
        ordering = [Shown("title"), "pk"]  # as the reader sees it (centre.shown)

    def __str__(self):
        return self.title


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    rule = models.ForeignKey(
        HouseRule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("rule"),
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["pk"]

    def __str__(self):
        return self.text[:60]
