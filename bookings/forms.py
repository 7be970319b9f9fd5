import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.forms import LabelledChoices
from actors.models import Actor, Language, TargetGroup, Theme
from centre.dates import DateField, booking_horizon, planning_horizon
from centre.forms import ModelMultipleChoiceField
from centre.selectors import aware
from centre.widgets import Select

from .models import Room, Visibility
from .permissions import bookable_actors

DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def repeat_rule(day: datetime.date, repeat: str) -> str | None:
    """The RRULE of a repeat chosen in the booking form, from its first date."""
    if repeat == "weekly":
        return "FREQ=WEEKLY"
    if repeat == "biweekly":
        return "FREQ=WEEKLY;INTERVAL=2"
    if repeat == "monthly":
        nth = (day.day - 1) // 7 + 1
        return f"FREQ=MONTHLY;BYDAY={-1 if nth == 5 else nth}{DAY_CODES[day.weekday()]}"
    return None


class BookingForm(forms.Form):
    REPEAT_CHOICES = [
        ("none", _("Does not repeat")),
        ("weekly", _("Every week")),
        ("biweekly", _("Every other week")),
        ("monthly", _("Every month on the same weekday (e.g. the 2nd Tuesday)")),
    ]

    actor = forms.ModelChoiceField(
        queryset=Actor.objects.none(), label=_("Book for"), widget=Select
    )
    room = forms.ModelChoiceField(queryset=Room.objects.active(), label=_("Room"), widget=Select)
    title = forms.CharField(label=_("Title"), max_length=150)
    date = DateField(label=_("Date"))
    start_time = forms.TimeField(
        label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    repeat = forms.ChoiceField(
        label=_("Repeats"), choices=REPEAT_CHOICES, initial="none", widget=Select
    )
    until = DateField(
        label=_("Repeat until"),
        required=False,
        help_text=_("Leave empty to book as far ahead as the house allows (12 months)."),
    )
    skip_closed_days = forms.BooleanField(
        label=_("Skip closed days and public holidays"), required=False, initial=True
    )
    visibility = forms.ChoiceField(
        label=_("Who sees it"),
        choices=Visibility.choices,
        initial=Visibility.PUBLIC,
        widget=Select,
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    target_groups = LabelledChoices(
        queryset=TargetGroup.objects.all(), required=False, label=_("For whom")
    )
    themes = LabelledChoices(queryset=Theme.objects.all(), required=False, label=_("Themes"))
    languages = LabelledChoices(
        queryset=Language.objects.all(), required=False, label=_("Languages of the activity")
    )
    open_to_whole_city = forms.BooleanField(
        label=_("Open to citizens from the whole city"), required=False
    )
    expected_participants = forms.IntegerField(
        label=_("Expected participants"), required=False, min_value=1, max_value=32767
    )
    override = forms.BooleanField(
        label=_("Override the house's rules (opening hours, closed days, window, quota)"),
        required=False,
        help_text=_("Recorded in the booking's history."),
    )
    book_rest = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, coordinator=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = bookable_actors(user)
        if not coordinator:
            del self.fields["override"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end must be after the start."))
        until, day = cleaned.get("until"), cleaned.get("date")
        if until and day and until < day:
            self.add_error("until", _("The last date must be after the first."))
        if day:
            self._check_ahead(day, cleaned.get("override", False))
        return cleaned

    def _check_ahead(self, day: datetime.date, override: bool) -> None:
        """Within the booking window; a coordinator's override reaches the
        house's planning horizon (two years) when that is further."""
        window = booking_horizon()
        if day <= window:
            return
        if not override:
            days = (window - timezone.localdate()).days
            self.add_error(
                "date",
                _("Rooms can be booked at most %(days)s days ahead.") % {"days": days},
            )
        elif day > max(window, planning_horizon()):
            self.add_error("date", _("Even with an override, book at most two years ahead."))

    def rule(self) -> str | None:
        return repeat_rule(self.cleaned_data["date"], self.cleaned_data["repeat"])

    def start(self) -> datetime.datetime:
        return aware(self.cleaned_data["date"], self.cleaned_data["start_time"])

    def end(self) -> datetime.datetime:
        return aware(self.cleaned_data["date"], self.cleaned_data["end_time"])


class LookForm(forms.Form):
    """The booking form's buttons that only look: the free times of the chosen
    room and day (``look=slots``), a free time chosen (``slot=09:00-12:00``)
    and the dates a series would book (``look=dates``). Nothing is booked."""

    look = forms.ChoiceField(
        required=False, choices=[("", ""), ("slots", "slots"), ("dates", "dates")]
    )
    slot = forms.RegexField(required=False, regex=r"^\d{2}:\d{2}-\d{2}:\d{2}$")

    def asked(self) -> bool:
        return self.is_valid() and bool(self.cleaned_data["look"] or self.cleaned_data["slot"])

    def times(self) -> tuple[datetime.time, datetime.time] | None:
        """The chosen free time as (start, end), or None."""
        try:
            start, end = (
                datetime.time.fromisoformat(part) for part in self.cleaned_data["slot"].split("-")
            )
        except ValueError:
            return None
        return (start, end) if start < end else None


def raw_values(form: forms.Form) -> dict:
    """What was typed into a bound form, field by field, as its widgets read
    it: the initial values of the same form shown again without its errors."""
    return {
        name: field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        for name, field in form.fields.items()
    }


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        error_messages={"required": _("Give a reason, so the booker knows what to do instead.")},
    )


class SeriesDayForm(forms.Form):
    """A date of a series to book again (the button beside a cancelled date)."""

    day = DateField(label=_("Date"))


class BookingEditForm(forms.Form):
    SCOPES = [
        ("one", _("Only this date")),
        ("following", _("This and the following dates")),
        ("series", _("The whole series")),
    ]

    title = forms.CharField(label=_("Title"), max_length=150)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    visibility = forms.ChoiceField(label=_("Who sees it"), choices=Visibility.choices)
    start_time = forms.TimeField(
        label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    scope = forms.ChoiceField(
        label=_("Which dates"), choices=SCOPES, initial="one", widget=forms.RadioSelect
    )

    def __init__(self, *args, in_series=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not in_series:
            del self.fields["scope"]


class MoveForm(forms.Form):
    """Where a date goes: another day, time and/or room, for one date, this
    and the following dates, or the whole series."""

    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "With the following dates or the whole series, every date moves by as many days "
            "as this one."
        ),
    )
    start_time = forms.TimeField(
        label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    room = forms.ModelChoiceField(queryset=Room.objects.active(), label=_("Room"))
    scope = forms.ChoiceField(
        label=_("Which dates"),
        choices=BookingEditForm.SCOPES,
        initial="one",
        widget=forms.RadioSelect,
    )
    override = forms.BooleanField(
        label=_("Override the house's rules (opening hours, closed days, window, quota)"),
        required=False,
        help_text=_("Recorded in the booking's history."),
    )

    def __init__(self, *args, in_series=False, coordinator=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not in_series:
            del self.fields["scope"]
            self.fields["date"].help_text = ""
        if not coordinator:
            del self.fields["override"]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end must be after the start."))
        return cleaned


class RoomForm(forms.ModelForm):
    facilities = LabelledChoices(queryset=None, required=False, label=_("facilities"))
    open_to_presences = forms.MultipleChoiceField(
        label=_("open to actors that are"),
        choices=Actor.Presence.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Room
        fields = [
            "name",
            "slug",
            "capacity",
            "description",
            "facilities",
            "step_free",
            "hearing_loop",
            "accessible_toilet",
            "photo",
            "needs_approval",
            "restricted",
            "open_to_presences",
            "allowed_actors",
            "buffer_minutes",
            "parts",
            "is_active",
        ]
        field_classes = {
            "allowed_actors": ModelMultipleChoiceField,
            "parts": ModelMultipleChoiceField,
        }
        widgets = {
            "allowed_actors": forms.CheckboxSelectMultiple,
            "parts": forms.CheckboxSelectMultiple,
            "photo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        }

    def __init__(self, *args, **kwargs):
        from .models import Facility

        super().__init__(*args, **kwargs)
        self.fields["facilities"].queryset = Facility.objects.all()
        self.fields["allowed_actors"].queryset = Actor.objects.current()
        parts = Room.objects.active()
        if self.instance.pk:
            parts = parts.exclude(pk=self.instance.pk)
        self.fields["parts"].queryset = parts

    def clean_parts(self):
        parts = self.cleaned_data["parts"]
        if self.instance.pk and any(self.instance.pk in part.units() for part in parts):
            raise forms.ValidationError(_("A room cannot consist of a room that contains it."))
        return parts


class FacilityForm(forms.Form):
    name = forms.CharField(label=_("New facility"), max_length=100)
