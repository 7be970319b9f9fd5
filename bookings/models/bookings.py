"""Bookings and weekly series: what is booked, when, by whom, who may see it,
and the texts calendars show of it."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.models import Actor, Language, TargetGroup, Theme
from actors.selectors import actor_ids_for
from centre.roles import is_coordinator
from centre.selectors import aware

from .rooms import Room


class Status(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public activity")
    INTERNAL = "internal", _("Internal (not shown to the public)")


class BookingSeries(models.Model):
    """A recurring booking: an RFC 5545 RRULE on local wall-clock time.
    Its occurrences are Booking rows up to a horizon a periodic task extends."""

    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="series", verbose_name=_("room")
    )
    actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="series", verbose_name=_("actor")
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("booked by"),
    )
    title = models.CharField(_("title"), max_length=150)
    rrule = models.CharField(_("repeats"), max_length=300)
    first_day = models.DateField(_("first day"))
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    skip_closed_days = models.BooleanField(_("skip closed days and public holidays"), default=True)
    materialised_until = models.DateField(_("booked until"))
    # The last day the booker asked for ("every Tuesday until 30 June"); none:
    # the series runs on, booked ahead as the horizon moves.
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("booking series")
        verbose_name_plural = _("booking series")
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")),
                name="bookings_bookingseries_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
        ]

    def __str__(self):
        return self.title


# How long a cancelled date stays in calendars and feeds, marked as cancelled,
# so that subscribed calendars and regular visitors hear of it.
CANCELLED_SHOWN_FOR = datetime.timedelta(days=30)


def visible_to(user, prefix: str = "") -> Q:
    """The bookings ``user`` may see, as a condition (``prefix`` for a query
    through a relation, e.g. "booking__"): public ones for everybody, internal
    ones for the people of their actor, all of them for a coordinator.
    `Booking.is_visible_to` is the same rule for one booking."""
    if is_coordinator(user):
        return Q()
    public = Q(**{f"{prefix}visibility": Visibility.PUBLIC})
    mine = actor_ids_for(user)
    return public | Q(**{f"{prefix}actor_id__in": mine}) if mine else public


class BookingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The bookings ``user`` may see (`visible_to`)."""
        return self.filter(visible_to(user))

    def listed(self):
        """What calendars list: confirmed dates, and cancelled ones for
        CANCELLED_SHOWN_FOR counted from midnight (so a feed's rows change only
        with the data or the day)."""
        since = aware(timezone.localdate())
        return self.filter(
            Q(status=Status.CONFIRMED)
            | Q(status=Status.CANCELLED, cancelled_at__gte=since - CANCELLED_SHOWN_FOR)
        )

    def confirmed(self):
        return self.filter(status=Status.CONFIRMED)

    def active(self):
        return self.filter(status__in=[Status.REQUESTED, Status.CONFIRMED])

    def between(self, start: datetime.datetime, end: datetime.datetime):
        return self.filter(start__lt=end, end__gt=start)

    def upcoming(self):
        return self.filter(end__gt=timezone.now())


class BookingManager(models.Manager):
    def get_queryset(self):
        # The stored texts are a few kilobytes a booking: read only where asked for.
        return super().get_queryset().defer(*TEXT_FIELDS)


TEXT_FIELDS = ("feed_html", "feed_json", "feed_ics", "feed_translated")


class Booking(models.Model):
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("room")
    )
    actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("actor")
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("booked by"),
    )
    series = models.ForeignKey(
        BookingSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="occurrences",
        verbose_name=_("series"),
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.REQUESTED)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility, default=Visibility.PUBLIC
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="bookings", verbose_name=_("target groups")
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="bookings", verbose_name=_("themes")
    )
    languages = models.ManyToManyField(
        Language, blank=True, related_name="bookings", verbose_name=_("languages")
    )
    open_to_whole_city = models.BooleanField(
        _("open to citizens from the whole city"), default=False
    )
    expected_participants = models.PositiveSmallIntegerField(
        _("expected participants"), null=True, blank=True
    )
    rules_overridden = models.BooleanField(
        _("house rules overridden by a coordinator"), default=False, editable=False
    )
    cancelled_late = models.BooleanField(
        _("cancelled after the deadline"), default=False, editable=False
    )
    cancelled_at = models.DateTimeField(
        _("cancelled"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when a confirmed booking is cancelled: calendars then announce it."),
    )
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    # The booking as the calendar's item, the JSON feed and the iCalendar feed
    # show it, written by bookings.calendar.texts whenever the booking is, so
    # that a calendar page or a feed is one query; the stamp says which
    # sequence and names they were written from. Left out of every other read.
    feed_stamp = models.CharField(max_length=40, editable=False, default="")
    feed_html = models.TextField(editable=False, default="")
    # Kept as UTF-8 bytes: a feed joins them as they come from the database.
    feed_json = models.BinaryField(default=b"")
    feed_ics = models.BinaryField(default=b"")
    # The same texts in the other languages the booking's title or description
    # is written in, as JSON by language ({"ar": {"feed_html": …}}); empty
    # for a booking written in Danish only, which most are.
    feed_translated = models.TextField(editable=False, default="")

    objects = BookingManager.from_queryset(BookingQuerySet)()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["start"]
        indexes = [
            models.Index(fields=["room", "start"], name="bookings_room_start"),
            models.Index(fields=["start", "end"], name="bookings_start_end"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="bookings_booking_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
        ]

    def __str__(self):
        local = timezone.localtime(self.start)
        return f"{self.title} ({self.room}, {local:%Y-%m-%d %H:%M})"

    @property
    def duration(self) -> datetime.timedelta:
        return self.end - self.start

    def is_visible_to(self, user) -> bool:
        """`BookingQuerySet.visible_to` for this booking, without a query."""
        return (
            self.visibility == Visibility.PUBLIC
            or is_coordinator(user)
            or self.actor_id in actor_ids_for(user)
        )
