"""A season round: its rooms and rules, the actors' applications and wishes,
and the decision on each wish (proposed by Samhus or changed by a coordinator)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.models import Actor, TargetGroup
from bookings.models import Booking, BookingSeries, Facility, Room

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class Priority(models.IntegerChoices):
    """The round's ranks, in the order of the Danish folkeoplysningslov."""

    YOUTH = 1, _("Children's and young people's activities of non-profit associations")
    NON_PROFIT = 2, _("Other activities of non-profit associations")
    PUBLIC = 3, _("Public services")
    OTHER = 4, _("Others")


class Round(models.Model):
    class Stage(models.TextChoices):
        OPEN = "open", _("Open for applications")
        PROPOSED = "proposed", _("Proposal made")
        PUBLISHED = "published", _("Published")

    name = models.CharField(_("name"), max_length=150)
    season_start = models.DateField(_("season starts"))
    season_end = models.DateField(_("season ends"))
    rooms = models.ManyToManyField(Room, related_name="rounds", verbose_name=_("rooms"))
    applications_open = models.DateTimeField(_("applications open"))
    applications_close = models.DateTimeField(_("applications close"))
    youth_first = models.BooleanField(
        _("children's and young people's activities first"),
        default=True,
        help_text=_(
            "Rank 1: activities for children and young people of non-profit associations; then"
            " other non-profit associations, public services and others."
        ),
    )
    offpeak_share = models.PositiveSmallIntegerField(
        _("off-peak share (%)"),
        default=0,
        help_text=_(
            "At least this share of the hours an actor applies for is placed outside peak time."
        ),
    )
    peak_start = models.TimeField(_("peak time starts"), default=datetime.time(16))
    peak_end = models.TimeField(_("peak time ends"), default=datetime.time(20))
    note = models.TextField(_("note to applicants"), blank=True)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage, default=Stage.OPEN)
    proposed_at = models.DateTimeField(_("proposal made"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("season round")
        verbose_name_plural = _("season rounds")
        ordering = ["-season_start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(season_end__gt=F("season_start")),
                name="seasons_round_ends_after_start",
                violation_error_message=_("The season must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(applications_close__gt=F("applications_open")),
                name="seasons_round_window_ends_after_start",
                violation_error_message=_("Applications must close after they open."),
            ),
            models.CheckConstraint(
                condition=Q(offpeak_share__lte=100),
                name="seasons_round_offpeak_share_percent",
                violation_error_message=_("The off-peak share is a percentage, 0 to 100."),
            ),
        ]

    def __str__(self):
        return self.name

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.stage == self.Stage.OPEN
            and self.applications_open <= now < self.applications_close
        )

    def has_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.applications_close


class Application(models.Model):
    """One actor's application to a round: its wishes, in its order of preference."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="applications", verbose_name=_("round")
    )
    actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="season_applications", verbose_name=_("actor")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    updated = models.DateTimeField(_("updated"), auto_now=True)
    result_sent_at = models.DateTimeField(_("result mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["actor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "actor"],
                name="seasons_application_one_per_actor",
                violation_error_message=_("This actor has applied to the round already."),
            ),
        ]

    def __str__(self):
        return f"{self.actor} – {self.round}"


class Wish(models.Model):
    """A weekly slot an actor applies for."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="wishes", verbose_name=_("application")
    )
    title = models.CharField(_("activity"), max_length=150)
    room = models.ForeignKey(
        Room,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("room"),
        help_text=_("Leave empty for any room with the facilities chosen."),
    )
    facilities = models.ManyToManyField(
        Facility, blank=True, related_name="+", verbose_name=_("needs")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=WEEKDAYS)
    start_time = models.TimeField(_("starts"))
    minutes = models.PositiveSmallIntegerField(_("length (minutes)"))
    people = models.PositiveSmallIntegerField(_("people"))
    target_group = models.ForeignKey(
        TargetGroup,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("target group"),
    )
    preference = models.PositiveSmallIntegerField(
        _("preference"), help_text=_("1 is the wish that matters most to you.")
    )

    class Meta:
        verbose_name = _("wish")
        verbose_name_plural = _("wishes")
        ordering = ["preference", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=15) & Q(minutes__lte=12 * 60),
                name="seasons_wish_length",
                violation_error_message=_("A slot is from 15 minutes to 12 hours long."),
            ),
            models.CheckConstraint(
                condition=Q(people__gte=1),
                name="seasons_wish_people",
                violation_error_message=_("At least one person."),
            ),
            models.CheckConstraint(
                condition=Q(weekday__lte=6),
                name="seasons_wish_weekday",
                violation_error_message=_("Choose a weekday."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def end_time(self) -> datetime.time:
        moment = datetime.datetime.combine(datetime.date(2000, 1, 1), self.start_time)
        return (moment + datetime.timedelta(minutes=self.minutes)).time()


class Decision(models.Model):
    """What the round decided for one wish, proposed by Samhus or changed by a
    coordinator (with the reason): the record kept after publishing."""

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("Granted")
        MOVED = "moved", _("Moved")
        REFUSED = "refused", _("Refused")

    wish = models.OneToOneField(
        Wish, on_delete=models.CASCADE, related_name="decision", verbose_name=_("wish")
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome)
    room = models.ForeignKey(
        Room,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("room"),
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=WEEKDAYS, null=True, blank=True
    )
    start_time = models.TimeField(_("starts"), null=True, blank=True)
    rule = models.CharField(_("rule"), max_length=20, blank=True)
    blocked_by = models.ForeignKey(
        Wish, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    taken_by = models.ForeignKey(
        Booking,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken by an existing booking"),
    )
    order = models.PositiveIntegerField(_("place in the order"), default=0)
    tiebreak = models.CharField(_("tie-break"), max_length=12, blank=True)
    reason = models.TextField(_("coordinator's reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed"), null=True, blank=True)
    series = models.OneToOneField(
        BookingSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="season_decision",
        verbose_name=_("series"),
    )

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="refused")
                | (Q(room__isnull=False) & Q(weekday__isnull=False) & Q(start_time__isnull=False)),
                name="seasons_decision_placed_has_slot",
                violation_error_message=_(
                    "A granted or moved wish needs a room, a day and a time."
                ),
            ),
            models.CheckConstraint(
                condition=Q(outcome="granted") | ~Q(rule="") | ~Q(reason=""),
                name="seasons_decision_says_why",
                violation_error_message=_("Say why the wish is moved or refused."),
            ),
        ]

    def __str__(self):
        return f"{self.wish}: {self.get_outcome_display()}"

    @property
    def end_time(self) -> datetime.time | None:
        if self.start_time is None:
            return None
        moment = datetime.datetime.combine(datetime.date(2000, 1, 1), self.start_time)
        return (moment + datetime.timedelta(minutes=self.wish.minutes)).time()
