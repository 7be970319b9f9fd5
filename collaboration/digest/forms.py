"""A person's digest choices."""

from django import forms
from django.utils.translation import gettext_lazy

from ..models import DigestSection


class SubscriptionForm(forms.Form):
    subscribed = forms.BooleanField(label=gettext_lazy("Receive the weekly digest"), required=False)
    sections = forms.MultipleChoiceField(
        label=gettext_lazy("Sections"),
        choices=DigestSection.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("Untick what you do not want to read."),
    )
