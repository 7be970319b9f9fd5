from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .colour import DEFAULT_BRAND
from .dates import DateField, check_recorded, not_after, planning_horizon
from .models import Centre, ClosedDay, OpeningHours, User
from .translations import label_languages

# What a 64-bit integer column holds: SQLite raises OverflowError beyond it.
ID_RANGE = range(-(2**63), 2**63)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing an id no database column can hold before it reaches
    the database (SQLite raises OverflowError on it)."""

    def _check_values(self, value):
        if self.to_field_name is None and isinstance(value, (list, tuple)):
            for pk in value:
                try:
                    number = int(pk)
                except (TypeError, ValueError):
                    continue  # Django's own check names it
                if number not in ID_RANGE:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)


def bad_query(request, form) -> HttpResponse:
    """The answer to a query string a page cannot use: what is wrong with
    each parameter, in the site's layout, with the form to try again holding
    what was asked for."""
    problems = [
        (form.fields[name].label if name in form.fields else "", message)
        for name, errors in form.errors.items()
        for message in errors
    ]
    return render(request, "400.html", {"form": form, "problems": problems}, status=400)


# The house's own texts, each written in every language (modeltranslation).
CENTRE_TEXTS = ("tagline", "description", "opening_note", "screen_message")


def _in_languages(*names: str) -> list[str]:
    return [f"{name}_{code}" for name in names for code in settings.MODELTRANSLATION_LANGUAGES]


class CentreForm(forms.ModelForm):
    screen_languages = forms.MultipleChoiceField(
        label=_("Languages the lobby screen takes turns in"),
        required=False,
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Each minute the screen shows its texts in the next of these languages. "
            "Choose none or one to keep it in the house's language."
        ),
    )

    class Meta:
        model = Centre
        fields = [
            "name",
            "kind",
            *_in_languages("tagline", "description"),
            "address",
            "postcode",
            "city",
            "phone",
            "email",
            "website",
            *_in_languages("opening_note"),
            "booking_window_days",
            "weekly_quota_hours",
            "cancellation_deadline_hours",
            "one_vote_per_actor",
            "digest_weekday",
            "digest_time",
            *_in_languages("screen_message"),
            "screen_languages",
            "brand_colour",
            "logo",
            "logo_alt",
        ]
        widgets = {
            "digest_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "brand_colour": forms.TextInput(attrs={"type": "color"}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A form sent without the colour (an older page, a script) keeps Samhus's blue.
        self.fields["brand_colour"].required = False
        label_languages(self, Centre, CENTRE_TEXTS, settings.MODELTRANSLATION_LANGUAGES)
        if self.instance.pk:
            self.initial["screen_languages"] = self.instance.screen_language_list

    def clean_screen_languages(self) -> str:
        return ",".join(self.cleaned_data["screen_languages"])

    def clean_brand_colour(self):
        return (self.cleaned_data.get("brand_colour") or DEFAULT_BRAND).lower()


class OpeningHoursForm(forms.ModelForm):
    class Meta:
        model = OpeningHours
        fields = ["weekday", "opens", "closes"]
        widgets = {
            "opens": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens"), cleaned.get("closes")
        if opens and closes and closes <= opens:
            self.add_error("closes", _("Closing time must be after opening time."))
        return cleaned


# A week of opening hours is a few rows: a posted form count beyond this is
# refused before the rows are built (Django's own cap is 2,000).
MAX_HOURS_ROWS = 50

OpeningHoursFormSet = forms.modelformset_factory(
    OpeningHours,
    form=OpeningHoursForm,
    extra=3,
    can_delete=True,
    max_num=MAX_HOURS_ROWS,
    absolute_max=MAX_HOURS_ROWS,
)


class ClosedDayForm(forms.ModelForm):
    class Meta:
        model = ClosedDay
        fields = ["date", "name", "observed"]
        field_classes = {"date": DateField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].widget.attrs["max"] = planning_horizon().isoformat()
        if self.instance.source == ClosedDay.Source.PUBLIC_HOLIDAY:
            # A holiday's date and name come from the calendar; only "closed" is a choice.
            self.fields["date"].disabled = True
            self.fields["name"].disabled = True
        else:
            self.fields["name"].required = True

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day != self.instance.date:
            # A new date: not before the house's records, at most two years ahead.
            check_recorded(day)
            message = _("Closed days can be set at most two years ahead.")
            not_after(planning_horizon(), message)(day)
        return day


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "language"]


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form. The same address sent twice at the same moment
    (a double click, two tabs) ends as when the second comes a moment later:
    one account, and the second is answered like any sign-up with a known
    address (the owner is mailed, nothing is revealed), never with a 500."""

    def try_save(self, request):
        try:
            with transaction.atomic():
                return super().try_save(request)
        except IntegrityError:
            email = self.cleaned_data.get("email") or ""
            if self.account_already_exists or not email:
                raise
            if not User.objects.filter(email__iexact=email).exists():
                raise
            self.account_already_exists = True
            return super().try_save(request)


def add_service_error(form, error) -> None:
    """Show a service's ValidationError on the form: by field where it names one
    the form has, otherwise above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class DesignSampleForm(forms.Form):
    """A form shown on the design page with its errors: the fields, hints and
    error summary as every form in Samhus draws them. Never submitted."""

    name = forms.CharField(
        label=_("Name of the activity"), help_text=_("As residents will see it in the calendar.")
    )
    email = forms.EmailField(label=_("E-mail"), help_text=_("We answer here."))
    public = forms.BooleanField(label=_("Show it in the calendar"), required=False)
