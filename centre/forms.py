from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from .models import Centre, ClosedDay, OpeningHours, User


class CentreForm(forms.ModelForm):
    class Meta:
        model = Centre
        fields = [
            "name",
            "kind",
            "tagline",
            "description",
            "address",
            "postcode",
            "city",
            "phone",
            "email",
            "website",
            "booking_window_days",
            "weekly_quota_hours",
            "cancellation_deadline_hours",
            "one_vote_per_actor",
            "digest_weekday",
            "digest_time",
        ]
        widgets = {"digest_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}


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


OpeningHoursFormSet = forms.modelformset_factory(
    OpeningHours, form=OpeningHoursForm, extra=3, can_delete=True
)


class ClosedDayForm(forms.ModelForm):
    class Meta:
        model = ClosedDay
        fields = ["date", "name", "observed"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.source == ClosedDay.Source.PUBLIC_HOLIDAY:
            # A holiday's date and name come from the calendar; only "closed" is a choice.
            self.fields["date"].disabled = True
            self.fields["name"].disabled = True
        else:
            self.fields["name"].required = True


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
