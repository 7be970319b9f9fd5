"""The house council's forms. They turn input into calls of the services in
this package (seats.py, rules.py, meetings.py), where the rules live."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

from actors.forms import ActorChoice
from actors.models import Actor
from centre.dates import DateField
from centre.models import User
from centre.shown import Shown
from centre.translations import label_languages
from centre.widgets import Select

from ..models import CouncilMember, HouseRule, Meeting
from . import rules


def _date_field(label, *, required=True, help_text=""):
    """A date of the council's life: not before the house's records begin."""
    return DateField(label=label, required=required, help_text=help_text, record=True)


def _count_field(label):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=32767,
        error_messages={
            "required": _("Enter a number of votes: 0 if nobody voted so."),
            "invalid": _("Enter a whole number of votes, 0 or more."),
            "min_value": _("Enter a whole number of votes, 0 or more."),
            "max_value": _("Enter at most as many votes as the council has members."),
        },
        widget=forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
    )


class _PersonChoice(forms.ModelChoiceField):
    widget = Select

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.email})" if obj.name else obj.email


class _MeetingChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        from django.utils.formats import date_format

        day = date_format(obj.date, "DATE_FORMAT")
        return f"{day}: {obj.title}" if obj.title else day


def _meetings_held():
    return Meeting.objects.filter(date__lte=timezone.localdate()).order_by("-date", "-pk")


class SeatForm(forms.Form):
    user = _PersonChoice(
        queryset=User.objects.none(),
        label=_("Person"),
        empty_label=_("Choose a person"),
        error_messages={"required": _("Choose the person who holds the seat.")},
    )
    actor = ActorChoice(
        queryset=Actor.objects.none(),
        label=_("Represents"),
        required=False,
        empty_label=_("No actor (e.g. a residents' representative)"),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=CouncilMember.Role.choices,
        widget=forms.RadioSelect,
        help_text=_("Substitutes vote only in place of an absent member."),
        error_messages={"required": _("Choose the seat's role: chair, member or substitute.")},
    )
    since = _date_field(_("From"))
    until = _date_field(
        _("To"), required=False, help_text=_("Leave empty while the seat has no end date.")
    )

    def __init__(self, *args, seat: CouncilMember | None = None, **kwargs):
        if seat is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "user": seat.user_id,
                "actor": seat.actor_id,
                "role": seat.role,
                "since": seat.since,
                "until": seat.until,
            }
        super().__init__(*args, **kwargs)
        users = Q(is_active=True)
        actors = Q(pk__in=Actor.objects.current().values("pk"))
        if seat is not None:
            users |= Q(pk=seat.user_id)
            if seat.actor_id:
                actors |= Q(pk=seat.actor_id)
        self.fields["user"].queryset = User.objects.filter(users).order_by("name", "email")
        self.fields["actor"].queryset = Actor.objects.filter(actors).order_by("name")
        if seat is None:
            self.fields["since"].initial = timezone.localdate()
            self.fields["role"].initial = CouncilMember.Role.MEMBER


class RuleForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        help_text=_("E.g. “Quiet in the house after 10 pm”."),
        error_messages={"required": _("Give the rule a short title.")},
    )
    text = forms.CharField(
        label=_("The rule"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Write the rule as it should read on the house rules page."),
        error_messages={"required": _("Write the rule as it should read.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The title and the text in the languages besides the page's, if the
        # proposer has them: optional, each marked as written in its language.
        codes = rules.other_languages()
        for code in codes:
            title = build_localized_fieldname("title", code)
            text = build_localized_fieldname("text", code)
            self.fields[title] = forms.CharField(
                max_length=HouseRule._meta.get_field(title).max_length, required=False
            )
            self.fields[text] = forms.CharField(
                required=False, widget=forms.Textarea(attrs={"rows": 3})
            )
        label_languages(self, HouseRule, rules.TRANSLATED, codes)

    def translations(self) -> dict[str, str]:
        """The texts in the other languages, as rules.rule_propose takes them."""
        names = [
            build_localized_fieldname(name, code)
            for code in rules.other_languages()
            for name in rules.TRANSLATED
        ]
        return {name: self.cleaned_data.get(name, "") for name in names}


class VoteForm(forms.Form):
    votes_for = _count_field(_("Votes for"))
    votes_against = _count_field(_("Votes against"))
    votes_abstain = _count_field(_("Abstentions"))
    voted_on = _date_field(_("Date of the vote"))
    meeting = _MeetingChoice(
        queryset=Meeting.objects.none(),
        label=_("Held at the meeting"),
        required=False,
        empty_label=_("Not at a meeting"),
        help_text=_("The vote is then recorded among the meeting's decisions."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voted_on"].initial = timezone.localdate()
        self.fields["voted_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["meeting"].queryset = _meetings_held()


class RepealForm(forms.Form):
    repealed_on = _date_field(_("Date of repeal"))
    meeting = _MeetingChoice(
        queryset=Meeting.objects.none(),
        label=_("Decided at the meeting"),
        required=False,
        empty_label=_("Not at a meeting"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["repealed_on"].initial = timezone.localdate()
        self.fields["repealed_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["meeting"].queryset = _meetings_held()


class MeetingForm(forms.Form):
    date = _date_field(_("Date"))
    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        required=False,
        help_text=_("E.g. “Council meeting, March”. Leave empty to use the date."),
    )
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Only people who edit meetings see the minutes until they are published."),
    )
    publish_minutes = forms.BooleanField(
        label=_("Publish the minutes"),
        required=False,
        help_text=_("Every signed-in user can then read them, and they reach the digest."),
    )

    def __init__(self, *args, meeting: Meeting | None = None, **kwargs):
        if meeting is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "date": meeting.date,
                "title": meeting.title,
                "agenda": meeting.agenda,
                "minutes": meeting.minutes,
            }
        super().__init__(*args, **kwargs)
        if meeting is not None and meeting.minutes_published_on:
            del self.fields["publish_minutes"]


class DecisionForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Decision"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    rule = forms.ModelChoiceField(
        queryset=HouseRule.objects.order_by(Shown("title"), "pk"),
        label=_("About the house rule"),
        required=False,
        empty_label=_("No rule"),
    )


class _DecisionFormSet(forms.BaseFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The rules are read once for every row, not once per row.
        choices = [("", _("No rule"))] + [
            (pk, title)
            for pk, title in HouseRule.objects.order_by(Shown("title"), "pk").values_list(
                "pk", "title"
            )
        ]
        for form in self.forms:
            form.fields["rule"].choices = choices

    def decisions(self) -> list[dict]:
        """The rows as meetings.meeting_save takes them."""
        rows = []
        for form in self.forms:
            data = form.cleaned_data
            if not data:
                continue
            rows.append(
                {
                    "id": data.get("id"),
                    "text": data.get("text", ""),
                    "rule": data.get("rule"),
                    "delete": data.get("DELETE", False),
                }
            )
        return rows


# A meeting's decisions fit on a page: a posted form count beyond this is
# refused before the rows are built (Django's own cap is 2,000).
MAX_DECISIONS = 50

DecisionFormSet = forms.formset_factory(
    DecisionForm,
    formset=_DecisionFormSet,
    extra=2,
    can_delete=True,
    can_delete_extra=False,
    max_num=MAX_DECISIONS,
    absolute_max=MAX_DECISIONS,
)
