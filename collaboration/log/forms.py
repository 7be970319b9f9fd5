"""The collaboration log's forms. They turn input into calls of
collaboration/log/services.py, where the rules live."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from actors.forms import ActorChoice, LabelledChoices
from actors.models import Actor, Offer, TargetGroup
from bookings.models import Booking, Status
from centre.dates import DateField, booking_horizon, not_after
from centre.forms import ID_RANGE, ModelMultipleChoiceField
from centre.selectors import aware
from centre.widgets import CheckboxSelectMultiple, SelectMultiple

from ..models import FORM_EXPLANATIONS, Collaboration, Form, Goal, Phase


class FormChoice(forms.ChoiceField):
    """The five forms as radio buttons, each with its "we …" line."""

    widget = forms.RadioSelect

    def __init__(self, **kwargs):
        super().__init__(
            choices=[
                (form.value, f"{form.label} ({form.value}) – {FORM_EXPLANATIONS[form]}")
                for form in Form
            ],
            label=_("Form of collaboration"),
            help_text=_(
                "From the least to the most mutual commitment. Pick the one that fits now; it can change later."
            ),
            **kwargs,
        )


def _date(label, *, required=True, **kwargs):
    """A date of the collaboration's life: not before the house's records begin."""
    return DateField(label=label, required=required, record=True, **kwargs)


def _within_window(*fields) -> None:
    """A collaboration is logged at most the house's booking window ahead."""
    horizon = booking_horizon()
    for field in fields:
        field.validators.append(
            not_after(
                horizon,
                _(
                    "Log a collaboration at most as far ahead as rooms can be booked: until %(date)s."
                ),
            )
        )
        field.widget.attrs["max"] = horizon.isoformat()


class RelatedChoice(ModelMultipleChoiceField):
    widget = SelectMultiple(attrs={"size": 6})

    def label_from_instance(self, obj):
        if isinstance(obj, Booking):
            start = timezone.localtime(obj.start)
            return f"{start:%Y-%m-%d %H:%M} {obj.title} ({obj.room.name})"
        return obj.title


class ActorsChoice(ModelMultipleChoiceField):
    widget = CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


class CollaborationForm(forms.Form):
    on_behalf_of = ActorChoice(queryset=Actor.objects.none(), label=_("Logged for"))
    title = forms.CharField(label=_("Title"), max_length=150)
    form = FormChoice()
    others = ActorsChoice(
        queryset=Actor.objects.none(),
        label=_("The other actors involved"),
        help_text=_("At least one. They are asked to confirm their part."),
        required=False,
    )
    lead = ActorChoice(
        queryset=Actor.objects.none(),
        label=_("Lead actor (tovholder)"),
        required=False,
        help_text=_("Leave empty if it is the actor you log for."),
    )
    residents_co_create = forms.BooleanField(
        label=_("Residents take part as co-creators"), required=False
    )
    started = _date(_("Started"))
    ended = _date(_("Ended"), required=False)
    phase = forms.ChoiceField(label=_("Phase"), choices=Phase.choices, initial=Phase.IMPLEMENTATION)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    target_groups = LabelledChoices(
        queryset=TargetGroup.objects.all(), required=False, label=_("Target groups")
    )
    offers = RelatedChoice(
        queryset=Offer.objects.none(),
        required=False,
        label=_("Related offers"),
        help_text=_("Your actors' offers that this collaboration is part of."),
    )
    bookings = RelatedChoice(
        queryset=Booking.objects.none(),
        required=False,
        label=_("Related bookings"),
        help_text=_("Your actors' bookings from three months back to three months ahead."),
    )

    def __init__(self, *args, user_actors, all_actors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_behalf_of"].queryset = user_actors
        self.fields["others"].queryset = all_actors
        self.fields["lead"].queryset = all_actors
        if user_actors.count() == 1:
            self.fields["on_behalf_of"].initial = user_actors.first()
        # By the title the reader sees (Offer's own ordering, centre.shown).
        self.fields["offers"].queryset = Offer.objects.filter(actor__in=user_actors)
        _within_window(self.fields["started"])
        today = timezone.localdate()
        # The local days from 92 back to 92 ahead, as moments, so the
        # bookings' start index reads just them.
        self.fields["bookings"].queryset = (
            Booking.objects.filter(
                actor__in=user_actors,
                status=Status.CONFIRMED,
                start__gte=aware(today - datetime.timedelta(days=92)),
                start__lt=aware(today + datetime.timedelta(days=93)),
            )
            .select_related("room")
            .order_by("start")
        )

    def clean(self):
        data = super().clean()
        if data.get("ended") and data.get("started") and data["ended"] < data["started"]:
            self.add_error("ended", _("A collaboration cannot end before it starts."))
        return data


class LogFilterForm(forms.Form):
    """The log's filters (GET): a form of collaboration and waiting or disputed
    parts. Like the other lists' filters, a value not among the choices is left out."""

    form = forms.ChoiceField(required=False, choices=[("", ""), *Form.choices])
    status = forms.ChoiceField(
        required=False,
        choices=[("", ""), *((name, name) for name in ("pending", "disputed", "confirmed"))],
    )

    def chosen(self, name: str) -> str:
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get(name) or ""


class GoalForm(forms.Form):
    description = forms.CharField(label=_("Goal"), max_length=300, required=False)
    criterion = forms.CharField(
        label=_("Success criterion"),
        max_length=300,
        required=False,
        help_text=_("How you will know the goal is met."),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Goal.Status.choices, initial=Goal.Status.NOT_YET
    )

    def clean(self):
        data = super().clean()
        if data.get("description") and not data.get("criterion"):
            self.add_error("criterion", _("A goal needs a success criterion."))
        if data.get("criterion") and not data.get("description"):
            self.add_error("description", _("Each goal needs a description."))
        return data


class _GoalFormSet(forms.BaseFormSet):
    def goals(self) -> list[dict]:
        """The filled-in rows as collaboration_log takes them."""
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and form.cleaned_data.get("description")
        ]


# absolute_max: a posted form count beyond ten is refused before the rows are
# built (Django's own cap is a thousand more than max_num).
GoalFormSet = forms.formset_factory(
    GoalForm, formset=_GoalFormSet, extra=2, max_num=10, absolute_max=10
)


class QuickForm(forms.Form):
    """The common cases on one screen: a shared meeting, a referral, a loan."""

    KINDS = {
        Collaboration.Kind.MEETING: Form.KNOWLEDGE,
        Collaboration.Kind.REFERRAL: Form.COORDINATION,
        Collaboration.Kind.LENDING: Form.RESOURCES,
    }

    kind = forms.ChoiceField(
        label=_("What happened"),
        widget=forms.RadioSelect,
        choices=[
            (Collaboration.Kind.MEETING, _("We had a shared meeting (knowledge sharing)")),
            (
                Collaboration.Kind.REFERRAL,
                _("We referred residents to another actor (coordination)"),
            ),
            (
                Collaboration.Kind.LENDING,
                _("We lent something, or were lent something (resource exchange)"),
            ),
        ],
    )
    on_behalf_of = ActorChoice(queryset=Actor.objects.none(), label=_("We are"))
    others = ActorsChoice(queryset=Actor.objects.none(), label=_("With"), required=False)
    day = _date(_("When"))
    referrals = forms.IntegerField(
        label=_("How many residents were referred"),
        required=False,
        min_value=1,
        max_value=100_000,
        help_text=_("A number only: no names or other personal data."),
    )
    what = forms.CharField(label=_("What about, or what was lent"), max_length=150, required=False)

    def __init__(self, *args, user_actors, all_actors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_behalf_of"].queryset = user_actors
        self.fields["others"].queryset = all_actors
        if user_actors.count() == 1:
            self.fields["on_behalf_of"].initial = user_actors.first()
        _within_window(self.fields["day"])

    def clean(self):
        data = super().clean()
        if data.get("kind") == Collaboration.Kind.REFERRAL and not data.get("referrals"):
            self.add_error("referrals", _("Give the number of residents referred."))
        return data

    def title(self) -> str:
        """The logged collaboration's title, from what happened and with whom."""
        data = self.cleaned_data
        names = ", ".join(actor.name for actor in data["others"])
        what = data["what"].strip()
        if data["kind"] == Collaboration.Kind.MEETING:
            if what:
                return gettext("Shared meeting: %(what)s") % {"what": what}
            return gettext("Shared meeting with %(names)s") % {"names": names}
        if data["kind"] == Collaboration.Kind.REFERRAL:
            return ngettext(
                "Referred %(count)s resident to %(names)s",
                "Referred %(count)s residents to %(names)s",
                data["referrals"] or 0,
            ) % {
                "count": data["referrals"],
                "names": names,
            }
        if what:
            return gettext("Lending: %(what)s") % {"what": what}
        return gettext("Lending with %(names)s") % {"names": names}


class AnswerForm(forms.Form):
    """An actor's answer to its part: the actor (a hidden field beside each
    part), confirm or dispute, and why."""

    actor = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=ID_RANGE.stop - 1)
    confirm = forms.TypedChoiceField(
        coerce=lambda value: value == "yes",
        choices=[("yes", _("Confirm")), ("no", _("Dispute"))],
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose to confirm or to dispute."),
            "invalid_choice": _("Choose to confirm or to dispute."),
        },
    )
    note = forms.CharField(
        label=_("What is wrong?"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    form = FormChoice()
    form_changed_on = _date(
        _("In this form since"),
        required=False,
        help_text=_("Only used when the form changes; today if empty."),
    )
    lead = ActorChoice(queryset=Actor.objects.none(), label=_("Lead actor (tovholder)"))
    residents_co_create = forms.BooleanField(
        label=_("Residents take part as co-creators"), required=False
    )
    started = _date(_("Started"))
    ended = _date(_("Ended"), required=False)
    phase = forms.ChoiceField(label=_("Phase"), choices=Phase.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, collaboration, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = Actor.objects.filter(
            participations__collaboration=collaboration
        )
        _within_window(self.fields["started"], self.fields["form_changed_on"])

    def clean(self):
        data = super().clean()
        if data.get("ended") and data.get("started") and data["ended"] < data["started"]:
            self.add_error("ended", _("A collaboration cannot end before it starts."))
        return data
