"""A person's digest choices, and a coordinator's "send again"."""

from django import forms
from django.utils.translation import gettext_lazy

from ..models import DigestDelivery, DigestSection


class SubscriptionForm(forms.Form):
    subscribed = forms.BooleanField(label=gettext_lazy("Receive the weekly digest"), required=False)
    sections = forms.MultipleChoiceField(
        label=gettext_lazy("Sections"),
        choices=DigestSection.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("Untick what you do not want to read."),
    )

    def __init__(self, *args, offered=None, **kwargs):
        """``offered``: the sections to choose among (those the person may read)."""
        super().__init__(*args, **kwargs)
        if offered is not None:
            self.fields["sections"].choices = [
                (value, label) for value, label in DigestSection.choices if value in offered
            ]


class ResendForm(forms.Form):
    """Failed deliveries to send again: one, or every failed one of a week."""

    delivery = forms.ModelChoiceField(
        queryset=DigestDelivery.objects.filter(status=DigestDelivery.Status.FAILED),
        required=False,
    )
    period = forms.DateField(required=False)

    def clean(self):
        data = super().clean()
        if not data.get("delivery") and not data.get("period"):
            raise forms.ValidationError(gettext_lazy("Choose a delivery or a week to send again."))
        return data

    def deliveries(self) -> list[int]:
        if self.cleaned_data.get("delivery"):
            return [self.cleaned_data["delivery"].pk]
        return list(
            DigestDelivery.objects.filter(
                status=DigestDelivery.Status.FAILED, period=self.cleaned_data["period"]
            ).values_list("pk", flat=True)
        )
