from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from actors.models import TargetGroup
from bookings.models import Facility, Room
from bookings.permissions import bookable_actors
from centre.dates import DateField, check_date, check_recorded
from centre.forms import ModelMultipleChoiceField

from .models import WEEKDAYS, Decision, RoomAsk, Round, Wish

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class RoundForm(forms.ModelForm):
    season_start = DateField(label=_("season starts"))
    season_end = DateField(label=_("season ends"))
    rooms = ModelMultipleChoiceField(
        queryset=Room.objects.active(), widget=forms.CheckboxSelectMultiple, label=_("rooms")
    )

    class Meta:
        model = Round
        fields = [
            "name",
            "season_start",
            "season_end",
            "rooms",
            "applications_open",
            "applications_close",
            "youth_first",
            "offpeak_share",
            "peak_start",
            "peak_end",
            "note",
        ]
        widgets = {
            "applications_open": MOMENT,
            "applications_close": MOMENT,
            "peak_start": TIME,
            "peak_end": TIME,
        }

    def clean(self):
        data = super().clean()
        for name in ("applications_open", "applications_close"):
            moment = data.get(name)
            if moment:
                # The dates Samhus accepts (centre.dates), the first limit failed named.
                try:
                    check_date(moment.date())
                    check_recorded(moment.date())
                except ValidationError as error:
                    self.add_error(name, error)
        return data


class WishForm(forms.ModelForm):
    facilities = ModelMultipleChoiceField(
        queryset=Facility.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("needs"),
    )

    class Meta:
        model = Wish
        fields = [
            "title",
            "room",
            "facilities",
            "weekday",
            "start_time",
            "minutes",
            "people",
            "target_group",
            "preference",
        ]
        widgets = {"start_time": TIME}

    def __init__(self, *args, round_: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = round_.rooms.all()
        self.fields["room"].empty_label = _("Any room with what we need")
        self.fields["target_group"].queryset = TargetGroup.objects.all()


WishFormSet = forms.formset_factory(
    WishForm, extra=2, can_delete=True, max_num=10, absolute_max=10, validate_max=True
)


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("outcome"), choices=Decision.Outcome)
    room = forms.ModelChoiceField(queryset=Room.objects.none(), required=False, label=_("room"))
    weekday = forms.TypedChoiceField(
        label=_("weekday"),
        choices=[("", "—"), *WEEKDAYS],
        coerce=int,
        required=False,
        empty_value=None,
    )
    start_time = forms.TimeField(label=_("starts"), required=False, widget=TIME)
    reason = forms.CharField(
        label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )

    def __init__(self, *args, round_: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = round_.rooms.all()


class WaitingForm(forms.Form):
    actor = forms.ModelChoiceField(queryset=None, label=_("for"))
    room = forms.ModelChoiceField(queryset=Room.objects.active(), label=_("room"))
    weekday = forms.TypedChoiceField(label=_("weekday"), choices=WEEKDAYS, coerce=int)
    start_time = forms.TimeField(label=_("from"), widget=TIME)
    end_time = forms.TimeField(label=_("until"), widget=TIME)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = bookable_actors(user)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("keep", _("We will use it")), ("release", _("Release it"))], label=_("answer")
    )


class OfferAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("decline", _("Decline"))], label=_("answer")
    )


class NoShowForm(forms.Form):
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class RoomAskForm(forms.ModelForm):
    class Meta:
        model = RoomAsk
        fields = ["days_before"]
