"""The house itself: one Centre, its opening hours and its closed days."""

import datetime
from functools import lru_cache

import holidays
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..colour import DEFAULT_BRAND, HEX, darker, validate_brand_colour
from ..images import image_validators
from ..sql import Prepared


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Centre(models.Model):
    """The one community centre this installation serves (always pk=1)."""

    class Kind(models.TextChoices):
        HOUSING_AREA = "housing_area", _("Housing-area based")
        ASSOCIATION = "association", _("Association based")
        LIBRARY = "library", _("Library based")
        HEALTH = "health", _("Health based")

    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(
        _("kind of centre"),
        max_length=20,
        choices=Kind,
        default=Kind.HOUSING_AREA,
        help_text=_("What the house is built around. It shapes defaults and wording."),
    )
    tagline = models.CharField(_("tagline"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("street address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    booking_window_days = models.PositiveSmallIntegerField(
        _("how far ahead rooms can be booked (days)"), default=365
    )
    weekly_quota_hours = models.PositiveSmallIntegerField(
        _("hours each actor may book per week"),
        default=0,
        help_text=_("0 means no limit."),
    )
    cancellation_deadline_hours = models.PositiveSmallIntegerField(
        _("cancellation deadline (hours before the start)"),
        default=24,
        help_text=_("Later cancellations are allowed but counted in the fair-use figures."),
    )
    one_vote_per_actor = models.BooleanField(
        _("one voting representative per actor on the house council"),
        default=False,
        help_text=_("As in an association house: each actor's seats share one vote."),
    )
    digest_weekday = models.PositiveSmallIntegerField(
        _("digest weekday"), choices=Weekday, default=Weekday.MONDAY
    )
    digest_time = models.TimeField(_("digest time"), default=datetime.time(7, 0))
    screen_message = models.CharField(
        _("message on the lobby screen"),
        max_length=120,
        blank=True,
        help_text=_(
            "One line shown large on the lobby screen, e.g. “The café is closed today”. "
            "Leave it empty when there is nothing to say."
        ),
    )
    opening_note = models.CharField(
        _("note on the opening hours"),
        max_length=200,
        blank=True,
        help_text=_("Shown under the opening hours, e.g. “Closed in the summer holidays”."),
    )
    # The languages the lobby screen takes turns in, one a minute ("da,en,ar");
    # empty: the screen shows the house's language only.
    screen_languages = models.CharField(
        _("languages the lobby screen takes turns in"), max_length=30, blank=True
    )

    brand_colour = models.CharField(
        _("the house's colour"),
        max_length=7,
        default=DEFAULT_BRAND,
        validators=[validate_brand_colour],
        help_text=_(
            "The colour of the header, buttons and links, and of the house's e-mails. "
            "White text must be readable on it (a contrast of at least 4.5:1)."
        ),
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="house/",
        blank=True,
        validators=image_validators(),
        help_text=_(
            "Shown in the header and the e-mails, and as the browser tab's icon. "
            "PNG, JPEG or WebP, at most 1 MB and 2000 × 2000 pixels."
        ),
    )
    logo_alt = models.CharField(
        _("the logo's text for screen readers"),
        max_length=150,
        blank=True,
        help_text=_("What the logo says, usually the house's name, e.g. “Kvarterhuset”."),
    )

    class Meta:
        verbose_name = _("centre")
        verbose_name_plural = _("centre")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="centre_centre_single_row"),
        ]

    def __str__(self):
        return self.name

    @property
    def screen_language_list(self) -> list[str]:
        """The languages the lobby screen takes turns in, the known ones in order."""
        chosen = set(self.screen_languages.split(","))
        return [code for code, _name in settings.LANGUAGES if code in chosen]

    def clean(self):
        super().clean()
        if self.logo and not self.logo_alt.strip():
            raise ValidationError(
                {"logo_alt": _("Write what the logo says, for those who cannot see it.")},
                code="required",
            )

    @property
    def brand(self) -> str:
        """The house's colour as pages and mails write it: Samhus's blue unless a
        valid #rrggbb was chosen (the form checks it; this guards the rest)."""
        colour = (self.brand_colour or "").lower()
        return colour if HEX.match(colour) else DEFAULT_BRAND

    @property
    def brand_dark(self) -> str:
        """The house's colour a quarter darker: the navigation bar and hovered buttons."""
        return darker(self.brand)

    @property
    def has_own_colour(self) -> bool:
        return self.brand != DEFAULT_BRAND

    @classmethod
    def load(cls) -> "Centre":
        """The house; created with a neutral name the first time it is asked
        for. Every page shows it: its SQL is written once (centre.sql)."""
        for centre in Prepared(
            cls, key=("the house",), build=lambda: cls.objects.rewrite(False).filter(pk=1)
        ).instances():
            return centre
        try:
            with transaction.atomic():
                return cls.objects.create(pk=1, name="Samhus")
        except IntegrityError:  # created meanwhile by another request
            return cls.objects.get(pk=1)

    @classmethod
    def lock(cls) -> "Centre":
        """The house, locked until the transaction ends. Writes that check
        rows of the whole house before they change them (the week's opening
        hours, the council's seats) take it first, so two of them run one
        after the other and the second sees what the first wrote."""
        cls.load()
        return cls.objects.select_for_update(no_key=True).get(pk=1)


class OpeningHours(models.Model):
    """One opening interval on a weekday; a day may have several (09-12, 13-21)."""

    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=F("opens")),
                name="centre_openinghours_closes_after_opens",
                violation_error_message=_("Closing time must be after opening time."),
            ),
            models.UniqueConstraint(
                fields=["weekday", "opens"],
                name="centre_openinghours_unique_start",
                violation_error_message=_(
                    "Two opening intervals on one day cannot start at the same time."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class ClosedDayQuerySet(models.QuerySet):
    def observed(self):
        return self.filter(observed=True)

    def between(self, first: datetime.date, last: datetime.date):
        return self.filter(date__gte=first, date__lte=last)


@lru_cache(maxsize=64)
def public_holidays(year: int, language: str) -> holidays.HolidayBase:
    """Denmark's public holidays of a year, named in Danish or English."""
    lang = "en_US" if language.startswith("en") else "da"
    return holidays.country_holidays("DK", years=year, language=lang)


def public_holiday_name(day: datetime.date, language: str | None = None) -> str | None:
    return public_holidays(day.year, language or get_language() or "da").get(day)


class ClosedDay(models.Model):
    """A day the house is closed: a Danish public holiday (filled in
    automatically) or the house's own (summer closing, staff day)."""

    class Source(models.TextChoices):
        PUBLIC_HOLIDAY = "holiday", _("Public holiday")
        HOUSE = "house", _("The house's own")

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("reason"), max_length=150, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.HOUSE)
    observed = models.BooleanField(
        _("closed this day"),
        default=True,
        help_text=_(
            "Untick to keep the house open on a public holiday. "
            "Filling in holidays again never overrides this choice."
        ),
    )

    objects = ClosedDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.display_name}"

    @property
    def display_name(self) -> str:
        """The holiday's name in the reader's language; the house's own reason as written."""
        if self.source == self.Source.PUBLIC_HOLIDAY:
            return public_holiday_name(self.date) or self.name
        return self.name
