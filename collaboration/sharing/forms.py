"""The sharing board's forms. They turn input into calls of
collaboration/sharing/services.py, where the rules live."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.forms import ActorChoice
from actors.models import Actor
from centre.dates import DateField

from ..models import SharingPost
from .services import MAX_DAYS_AHEAD

DEFAULT_DAYS_SHOWN = 30


def _only_choice(field) -> None:
    """Preselect the actor when the person has just one to choose from."""
    choices = list(field.queryset[:2])
    if len(choices) == 1:
        field.initial = choices[0].pk


class PostForm(forms.Form):
    actor = ActorChoice(queryset=Actor.objects.none(), label=_("Posted by"), empty_label=None)
    direction = forms.ChoiceField(
        label=_("We"), choices=SharingPost.Direction.choices, widget=forms.RadioSelect
    )
    category = forms.ChoiceField(
        label=_("What"), choices=[("", _("Choose what it is")), *SharingPost.Category.choices]
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        help_text=_("E.g. “Projector for evenings”, “Volunteers for the summer party”."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("When, how much, on what terms: what the others need to know to answer."),
    )
    expires_on = DateField(
        label=_("Shown until"),
        help_text=_("The post leaves the board after this date; at most a year ahead."),
    )

    def __init__(self, *args, actors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = actors
        today = timezone.localdate()
        self.fields["expires_on"].initial = today + datetime.timedelta(days=DEFAULT_DAYS_SHOWN)
        self.fields["expires_on"].widget.attrs.update(
            min=today.isoformat(),
            max=(today + datetime.timedelta(days=MAX_DAYS_AHEAD)).isoformat(),
        )


class AnswerForm(forms.Form):
    actor = ActorChoice(queryset=Actor.objects.none(), label=_("Answer for"), empty_label=None)
    message = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The poster sees your actor's contact details with the answer."),
    )

    def __init__(self, *args, actors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = actors
        _only_choice(self.fields["actor"])


class DoneForm(forms.Form):
    """Choose the actor the deal was made with: those who answered first, then every other."""

    with_actor = forms.TypedChoiceField(label=_("Done with"), coerce=int)

    def __init__(self, *args, answered, others, **kwargs):
        super().__init__(*args, **kwargs)
        answered = list(answered)
        answered_ids = {actor.pk for actor in answered}
        rest = [(actor.pk, actor.name) for actor in others if actor.pk not in answered_ids]
        choices = [("", _("Choose an actor"))]
        if answered:
            choices.append((_("Answered the post"), [(a.pk, a.name) for a in answered]))
        if rest:
            choices.append((_("Other actors in the house"), rest))
        self.fields["with_actor"].choices = choices
        self._actors = {actor.pk: actor for actor in [*answered, *others]}

    def clean_with_actor(self):
        return self._actors.get(self.cleaned_data["with_actor"])


class BoardFilterForm(forms.Form):
    """GET filters: a filtered board is a link to share."""

    SHOW_OPEN = "open"
    SHOW_DONE = "done"

    category = forms.ChoiceField(
        label=_("What"),
        required=False,
        choices=[("", _("All")), *SharingPost.Category.choices],
    )
    direction = forms.ChoiceField(
        label=_("Offered or sought"),
        required=False,
        choices=[
            ("", _("Both")),
            (SharingPost.Direction.OFFER, _("Offered")),
            (SharingPost.Direction.SEEK, _("Sought")),
        ],
    )
    show = forms.ChoiceField(
        label=_("Posts"),
        required=False,
        choices=[(SHOW_OPEN, _("Open posts")), (SHOW_DONE, _("Done posts"))],
    )

    def value(self, name: str) -> str:
        if self.is_valid():
            return self.cleaned_data.get(name) or ""
        return ""
