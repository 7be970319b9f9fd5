"""The sign-up forms: the resident's (with a hidden honeypot field), the
desk's, the settings of a date or series, and attendance."""

from django import forms
from django.utils.translation import gettext_lazy as _

from centre.forms import ModelMultipleChoiceField

from .models import Sheet, SignUp, Who

# The resident's form has a field people do not see (hidden by CSS and from
# screen readers): a bot that fills every field fills it too.
HONEYPOT = "website"


class SignUpForm(forms.Form):
    name = forms.CharField(label=_("Name or initials"), max_length=100)
    email = forms.EmailField(
        label=_("E-mail"), help_text=_("We send you a link to confirm your place.")
    )
    people = forms.IntegerField(label=_("Number of people"), min_value=1, initial=1)
    note = forms.CharField(
        label=_("Accessibility needs (optional)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, sheet: Sheet | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if sheet is not None and sheet.who != Who.ANYONE:
            # An activity for some people only: the resident says they are
            # among them (nobody is asked to prove where they live).
            if sheet.who == Who.AREA:
                label = _("I live in the area")
                message = _(
                    "This activity is for residents of the area: tick the box if you live here."
                )
            else:
                label = _("I belong to the group the activity is for")
                message = _(
                    "This activity is for a particular group: tick the box if you belong to it."
                )
            self.fields["eligible"] = forms.BooleanField(
                label=label,
                help_text=sheet.who_note,
                error_messages={"required": message},
            )
        if sheet is not None:
            self.fields["people"].max_value = sheet.per_person
            self.fields["people"].widget.attrs["max"] = sheet.per_person
            self.fields["people"].validators.append(
                forms.IntegerField(max_value=sheet.per_person).validators[-1]
            )

    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT))


class DeskForm(forms.Form):
    name = forms.CharField(label=_("Name or initials"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)
    people = forms.IntegerField(label=_("Number of people"), min_value=1, max_value=50, initial=1)
    note = forms.CharField(label=_("Accessibility needs"), max_length=300, required=False)


class SheetForm(forms.ModelForm):
    whole_series = forms.BooleanField(
        label=_("For every date of the series"), required=False, initial=True
    )

    class Meta:
        model = Sheet
        fields = [
            "places",
            "opens_days_before",
            "closes_hours_before",
            "waiting_list",
            "per_person",
            "bring",
            "who",
            "who_note",
        ]
        widgets = {"bring": forms.TextInput()}

    def __init__(self, *args, booking=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["places"].min_value = 1
        self.fields["per_person"].min_value = 1
        self.fields["places"].validators.append(forms.IntegerField(min_value=1).validators[-1])
        self.fields["per_person"].validators.append(forms.IntegerField(min_value=1).validators[-1])
        self.fields["per_person"].validators.append(
            forms.IntegerField(max_value=100).validators[-1]
        )
        self.fields["opens_days_before"].validators.append(
            forms.IntegerField(max_value=365).validators[-1]
        )
        self.fields["closes_hours_before"].validators.append(
            forms.IntegerField(max_value=720).validators[-1]
        )
        if booking is None or not booking.series_id:
            del self.fields["whole_series"]


class AttendanceForm(forms.Form):
    total = forms.IntegerField(
        label=_("Number who came"), min_value=0, max_value=10_000, required=False
    )
    children = forms.IntegerField(
        label=_("Children (0–12)"), min_value=0, max_value=10_000, required=False
    )
    young = forms.IntegerField(
        label=_("Young people (13–24)"), min_value=0, max_value=10_000, required=False
    )
    adults = forms.IntegerField(
        label=_("Adults (25–64)"), min_value=0, max_value=10_000, required=False
    )
    seniors = forms.IntegerField(
        label=_("Seniors (65+)"), min_value=0, max_value=10_000, required=False
    )
    came = ModelMultipleChoiceField(
        label=_("Who came (ticked on the list)"),
        queryset=SignUp.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, signups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if signups is not None:
            self.fields["came"].queryset = signups
            self.fields["came"].label_from_instance = lambda s: f"{s.name or '–'} ({s.people})"

    def clean(self):
        data = super().clean()
        came = data.get("came")
        if data.get("total") is None:
            if not came:
                self.add_error("total", _("Give the number who came, or tick them on the list."))
            else:
                data["total"] = sum(s.people for s in came)
        return data
