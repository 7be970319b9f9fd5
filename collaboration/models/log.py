"""The collaboration log: a collaboration in one of the report's five forms, the
actors' parts in it, its changes of form and its goals."""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from actors.models import Actor


class Form(models.TextChoices):
    """The report's five forms, ordered from least to most mutual commitment."""

    KNOWLEDGE = "videndele", _("Knowledge sharing")
    COORDINATION = "samvirke", _("Coordination")
    RESOURCES = "ressourceudveksle", _("Resource exchange")
    JOINT_DELIVERY = "samordne", _("Joint delivery")
    CO_CREATION = "samskabe", _("Co-creation")

    @property
    def rank(self) -> int:
        """0 (knowledge sharing) to 4 (co-creation)."""
        return list(Form).index(self)

    @property
    def explanation(self) -> str:
        return str(FORM_EXPLANATIONS[self])


# The one-line "we …" of each form (DOMAIN.md), shown wherever a form is picked.
FORM_EXPLANATIONS = {
    Form.KNOWLEDGE: _("We talk about our respective work."),
    Form.COORDINATION: _("We refer to each other and avoid doing the same."),
    Form.RESOURCES: _("We give, share or lend each other something material."),
    Form.JOINT_DELIVERY: _("We draw on each other and do something together."),
    Form.CO_CREATION: _("We make something new together."),
}


class Phase(models.TextChoices):
    IDEA = "idea", _("Idea")
    IMPLEMENTATION = "implementation", _("Implementation")
    ANCHORING = "anchoring", _("Anchoring")
    EVALUATION = "evaluation", _("Evaluation")


class Collaboration(models.Model):
    """Two or more actors working together, in exactly one of the five forms at a time."""

    class Kind(models.TextChoices):
        # How it was logged: the quick forms fill in the common cases.
        FULL = "full", _("Collaboration")
        MEETING = "meeting", _("Shared meeting")
        REFERRAL = "referral", _("Referral of residents")
        LENDING = "lending", _("Lending")
        SHARING_BOARD = "sharing", _("Sharing board")

    title = models.CharField(_("title"), max_length=150)
    form = models.CharField(_("form of collaboration"), max_length=20, choices=Form)
    kind = models.CharField(_("logged as"), max_length=10, choices=Kind, default=Kind.FULL)
    lead = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="led_collaborations",
        verbose_name=_("lead actor (tovholder)"),
    )
    actors = models.ManyToManyField(
        Actor,
        through="Participation",
        related_name="collaborations",
        verbose_name=_("actors involved"),
    )
    residents_co_create = models.BooleanField(
        _("residents take part as co-creators"), default=False
    )
    started = models.DateField(_("started"), default=timezone.localdate)
    ended = models.DateField(_("ended"), null=True, blank=True)
    phase = models.CharField(_("phase"), max_length=16, choices=Phase, default=Phase.IMPLEMENTATION)
    description = models.TextField(_("description"), blank=True)
    referrals = models.PositiveIntegerField(
        _("residents referred"),
        null=True,
        blank=True,
        help_text=_("A number only: no names or other personal data."),
    )
    target_groups = models.ManyToManyField(
        "actors.TargetGroup",
        blank=True,
        related_name="collaborations",
        verbose_name=_("target groups"),
    )
    bookings = models.ManyToManyField(
        "bookings.Booking",
        blank=True,
        related_name="collaborations",
        verbose_name=_("related bookings"),
    )
    offers = models.ManyToManyField(
        "actors.Offer", blank=True, related_name="collaborations", verbose_name=_("related offers")
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("logged by"),
    )
    created = models.DateTimeField(_("logged"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("collaboration")
        verbose_name_plural = _("collaborations")
        ordering = ["-started", "-pk"]
        indexes = [models.Index(fields=["started"], name="collab_started")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended__isnull=True) | Q(ended__gte=F("started")),
                name="collaboration_ends_after_start",
                violation_error_message=_("A collaboration cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("collaboration:detail", args=[self.pk])

    @cached_property
    def state(self) -> "OverallState":
        """Where every actor involved stands (``overall_state``). Reads the
        prefetched participations; prefetch them with their actors for a list."""
        return overall_state((part.actor.name, part.status) for part in self.participations.all())

    @property
    def actor_count(self) -> int:
        """Every actor involved: the logger's and all the partners it named."""
        return len(self.participations.all())


class Participation(models.Model):
    """An actor's part in a collaboration. The logging actor's part is
    confirmed; the others confirm or dispute it. A disputed entry stays, marked."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Not yet confirmed")
        CONFIRMED = "confirmed", _("Confirmed")
        DISPUTED = "disputed", _("Disputed")

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="participations"
    )
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="participations")
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    note = models.TextField(_("note"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["actor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "actor"], name="collaboration_participation_once"
            )
        ]

    def __str__(self):
        return f"{self.actor} – {self.collaboration}"


@dataclass(frozen=True)
class OverallState:
    """A collaboration's state across all its actors, not one reader's part:
    disputed when any actor disputes its part, waiting while any has not
    answered, else confirmed by all. ``kind`` is for styling, ``str()`` the
    words, in the active language."""

    disputed_by: tuple[str, ...] = ()
    waiting_for: tuple[str, ...] = ()

    @property
    def kind(self) -> str:
        if self.disputed_by:
            return Participation.Status.DISPUTED
        if self.waiting_for:
            return Participation.Status.PENDING
        return Participation.Status.CONFIRMED

    def __str__(self) -> str:
        disputed, waiting = ", ".join(self.disputed_by), ", ".join(self.waiting_for)
        if disputed and waiting:
            return gettext("Disputed by %(disputed)s; waiting for %(waiting)s") % {
                "disputed": disputed,
                "waiting": waiting,
            }
        if disputed:
            return gettext("Disputed by %(actors)s") % {"actors": disputed}
        if waiting:
            return gettext("Waiting for %(actors)s") % {"actors": waiting}
        return gettext("Confirmed by all")


def overall_state(parts: Iterable[tuple[str, str]]) -> OverallState:
    """The one rule for a collaboration's overall state, from each actor's
    ``(name, status)``; every page and list that shows it asks this."""
    disputed, waiting = [], []
    for name, status in parts:
        if status == Participation.Status.DISPUTED:
            disputed.append(name)
        elif status == Participation.Status.PENDING:
            waiting.append(name)
    return OverallState(tuple(sorted(disputed)), tuple(sorted(waiting)))


class FormChange(models.Model):
    """The form a collaboration had from a date: actors move between forms."""

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="form_changes"
    )
    form = models.CharField(_("form of collaboration"), max_length=20, choices=Form)
    on = models.DateField(_("from"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("change of form")
        verbose_name_plural = _("changes of form")
        ordering = ["on", "pk"]

    def __str__(self):
        return f"{self.on}: {self.get_form_display()}"


class Goal(models.Model):
    class Status(models.TextChoices):
        NOT_YET = "not_yet", _("Not yet")
        PARTLY = "partly", _("Partly")
        MET = "met", _("Met")

    collaboration = models.ForeignKey(Collaboration, on_delete=models.CASCADE, related_name="goals")
    description = models.CharField(_("goal"), max_length=300)
    criterion = models.CharField(_("success criterion"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.NOT_YET)
    judged_on = models.DateField(_("last judged"), default=timezone.localdate)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(criterion=""),
                name="collaboration_goal_has_criterion",
                violation_error_message=_("A goal needs a success criterion."),
            ),
        ]

    def __str__(self):
        return self.description
