"""How the actors work together: the house council, the collaboration log in the
report's five forms, and the sharing board (delebørs)."""

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


# --- The five forms of collaboration ----------------------------------------------


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


class CollaborationQuerySet(models.QuerySet):
    def involving(self, actor_ids):
        return self.filter(participations__actor_id__in=actor_ids).distinct()


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

    objects = CollaborationQuerySet.as_manager()

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

    @property
    def form_explanation(self) -> str:
        return Form(self.form).explanation


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


# --- The sharing board (delebørs) ------------------------------------------------------


class SharingPost(models.Model):
    """What an actor can lend, give or swap, or is looking for."""

    class Direction(models.TextChoices):
        OFFER = "offer", _("We can lend, give or swap")
        SEEK = "seek", _("We are looking for")

    class Category(models.TextChoices):
        ROOM = "room", _("Rooms at certain times")
        EQUIPMENT = "equipment", _("Equipment")
        MONEY = "money", _("Money or sponsorship")
        SERVICES = "services", _("Services")
        VOLUNTEERS = "volunteers", _("Volunteers")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="sharing_posts", verbose_name=_("actor")
    )
    direction = models.CharField(_("we"), max_length=6, choices=Direction)
    category = models.CharField(_("what"), max_length=12, choices=Category)
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    expires_on = models.DateField(_("shown until"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    done_with = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done with"),
    )
    collaboration = models.OneToOneField(
        Collaboration, on_delete=models.SET_NULL, null=True, blank=True, related_name="sharing_post"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(_("posted"), auto_now_add=True)

    class Meta:
        verbose_name = _("sharing board post")
        verbose_name_plural = _("sharing board posts")
        ordering = ["-created"]

    def __str__(self):
        return self.title


class SharingAnswer(models.Model):
    post = models.ForeignKey(SharingPost, on_delete=models.CASCADE, related_name="answers")
    actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="+", verbose_name=_("actor")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    message = models.TextField(_("message"))
    created = models.DateTimeField(_("answered"), auto_now_add=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created"]

    def __str__(self):
        return f"{self.actor}: {self.message[:40]}"


# --- The house council: rules and meetings ----------------------------------------


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
        ordering = ["title"]

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


# --- The digest -------------------------------------------------------------------------


class DigestSection(models.TextChoices):
    ACTIVITIES = "activities", _("Next week's public activities")
    REQUESTS = "requests", _("Booking requests waiting")
    PARALLEL = "parallel", _("Parallel activities and target-group gaps ahead")
    COLLABORATIONS = "collaborations", _("Collaborations logged last week")
    SHARING = "sharing", _("New on the sharing board")
    ACTORS = "actors", _("New actors and offers")
    COUNCIL = "council", _("Rules adopted and minutes published")


class DigestSubscription(models.Model):
    """A person's choice about the digest. Council members receive it unless
    they opt out; anyone else who opts in receives it too."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_subscription"
    )
    subscribed = models.BooleanField(_("receive the weekly digest"), default=True)
    skipped_sections = models.JSONField(_("sections left out"), default=list, blank=True)
    changed = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("digest subscription")
        verbose_name_plural = _("digest subscriptions")

    def __str__(self):
        return f"{self.user}: {'on' if self.subscribed else 'off'}"


class DigestDelivery(models.Model):
    """One digest for one recipient and one period: the unique constraint and
    the claim (a conditional update from pending to sending) make sure it is
    sent once, whatever the number of workers or redeliveries."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    period = models.DateField(_("week starting"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_deliveries"
    )
    status = models.CharField(_("status"), max_length=8, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        ordering = ["-period", "recipient_id"]
        constraints = [
            models.UniqueConstraint(fields=["period", "recipient"], name="digest_once_per_period")
        ]

    def __str__(self):
        return f"{self.period} → {self.recipient_id}: {self.status}"
