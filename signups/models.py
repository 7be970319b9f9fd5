"""Sign-ups for an activity: the settings of a date or a whole series
(`Sheet`), who signed up for a date (`SignUp`), the reminders sent the day
before (`Reminder`, one row per sign-up and day, as the digest's deliveries)
and how many came (`Attendance`).

Personal fields (name, e-mail, phone, note) are erased 30 days after the date
(`upkeep.erase_old`); the counts stay."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bookings.models import Booking, BookingSeries

# How long a place is held for an address to be confirmed.
HOLD_MINUTES = 30
# Personal data of a sign-up is erased this many days after its date.
KEEP_DAYS = 30


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Who(models.TextChoices):
    ANYONE = "anyone", _("Anyone")
    AREA = "area", _("Residents of the area")
    GROUP = "group", _("A target group")


class Sheet(models.Model):
    """Sign-up settings for one date (``booking``) or every date of a series."""

    booking = models.OneToOneField(
        Booking, on_delete=models.CASCADE, null=True, blank=True, related_name="sheet"
    )
    series = models.OneToOneField(
        BookingSeries, on_delete=models.CASCADE, null=True, blank=True, related_name="sheet"
    )
    places = models.PositiveSmallIntegerField(_("places"))
    opens_days_before = models.PositiveSmallIntegerField(
        _("sign-up opens (days before)"),
        null=True,
        blank=True,
        help_text=_("Empty: open from now on."),
    )
    closes_hours_before = models.PositiveSmallIntegerField(
        _("sign-up closes (hours before the start)"), default=0
    )
    waiting_list = models.BooleanField(_("keep a waiting list"), default=True)
    per_person = models.PositiveSmallIntegerField(
        _("at most this many people per sign-up"), default=4
    )
    bring = models.CharField(_("what to bring"), max_length=300, blank=True)
    who = models.CharField(_("who may sign up"), max_length=10, choices=Who, default=Who.ANYONE)
    who_note = models.CharField(
        _("target group"), max_length=200, blank=True, help_text=_("E.g. mothers with toddlers.")
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sign-up sheet")
        verbose_name_plural = _("sign-up sheets")
        constraints = [
            models.CheckConstraint(
                condition=Q(booking__isnull=False, series__isnull=True)
                | Q(booking__isnull=True, series__isnull=False),
                name="signups_sheet_one_date_or_series",
            ),
            models.CheckConstraint(condition=Q(places__gt=0), name="signups_sheet_places"),
            models.CheckConstraint(condition=Q(per_person__gt=0), name="signups_sheet_per_person"),
        ]

    def __str__(self):
        return str(self.booking or self.series)


class SignUp(models.Model):
    class Status(models.TextChoices):
        HELD = "held", _("Waiting for the address to be confirmed")
        CONFIRMED = "confirmed", _("Signed up")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="signups")
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="signups")
    name = models.CharField(_("name or initials"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    people = models.PositiveSmallIntegerField(_("number of people"), default=1)
    note = models.CharField(_("accessibility needs"), max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.HELD)
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    language = models.CharField(max_length=8, default="da")
    # The address was confirmed (or the sign-up was made at the desk).
    confirmed_at = models.DateTimeField(null=True, blank=True)
    held_until = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attended = models.BooleanField(_("came"), default=False)
    at_desk = models.BooleanField(default=False)
    erased = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["created", "pk"]
        indexes = [models.Index(fields=["booking", "status"], name="signups_booking_status")]
        constraints = [
            models.CheckConstraint(condition=Q(people__gt=0), name="signups_signup_people"),
        ]

    def __str__(self):
        return f"{self.name or '–'} ({self.people})"


class Reminder(models.Model):
    """The reminder of one sign-up for one day: created once, claimed by a
    conditional update before SMTP is asked (collaboration.digest.send's way)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not sent")
        FAILED = "failed", _("Failed")

    signup = models.ForeignKey(SignUp, on_delete=models.CASCADE, related_name="reminders")
    day = models.DateField()
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["signup", "day"], name="signups_reminder_once"),
        ]

    def __str__(self):
        return f"{self.signup_id} {self.day} {self.status}"


class Attendance(models.Model):
    """How many came to one date, in total and (optionally) by age band."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="attendance")
    total = models.PositiveIntegerField(_("number who came"))
    children = models.PositiveIntegerField(_("children (0–12)"), null=True, blank=True)
    young = models.PositiveIntegerField(_("young people (13–24)"), null=True, blank=True)
    adults = models.PositiveIntegerField(_("adults (25–64)"), null=True, blank=True)
    seniors = models.PositiveIntegerField(_("seniors (65+)"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")

    def __str__(self):
        return f"{self.booking_id}: {self.total}"
