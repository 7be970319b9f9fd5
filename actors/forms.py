from django import forms
from django.utils.translation import gettext_lazy as _

from centre.dates import DateField, check_recorded
from centre.forms import ModelMultipleChoiceField
from centre.shown import EditsWhatIsShown
from centre.widgets import CheckboxSelectMultiple, Select

from .models import Actor, Language, Membership, Offer, TargetGroup, Theme


class ActorChoice(forms.ModelChoiceField):
    """One actor, by name, in a select written in one go (centre.widgets)."""

    widget = Select


class LabelledChoices(ModelMultipleChoiceField):
    """Vocabulary rows shown in the reader's language, as checkboxes."""

    widget = CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.label


class ActorForm(forms.ModelForm):
    languages = LabelledChoices(
        queryset=Language.objects.all(), required=False, label=_("languages spoken")
    )

    class Meta:
        model = Actor
        fields = [
            "name",
            "slug",
            "kind",
            "presence",
            "description",
            "contact_name",
            "contact_email",
            "contact_phone",
            "website",
            "opening_times",
            "languages",
            "strengths",
            "logo",
            "joined_on",
            "left_on",
        ]
        field_classes = {"joined_on": DateField, "left_on": DateField}
        widgets = {
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        }

    def __init__(self, *args, can_archive=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_archive:
            # Only coordinators decide when an actor joins or leaves the house.
            del self.fields["left_on"]
            del self.fields["joined_on"]
        else:
            for name in ("joined_on", "left_on"):
                self.fields[name].validators.append(check_recorded)


class OfferForm(EditsWhatIsShown, forms.ModelForm):
    """An offer's own form: its title and description are written where the
    person saw them (centre.shown)."""

    target_groups = LabelledChoices(
        queryset=TargetGroup.objects.all(), required=False, label=_("target groups")
    )
    themes = LabelledChoices(queryset=Theme.objects.all(), required=False, label=_("themes"))
    languages = LabelledChoices(
        queryset=Language.objects.all(), required=False, label=_("offered in")
    )

    class Meta:
        model = Offer
        fields = [
            "title",
            "description",
            "target_groups",
            "themes",
            "languages",
            "when",
            "accessibility",
            "contact",
            "is_active",
        ]


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial="member")


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class VocabularyForm(forms.Form):
    KINDS = {"target": TargetGroup, "theme": Theme, "language": Language}
    kind = forms.ChoiceField(
        label=_("List"),
        choices=[
            ("target", _("Target groups")),
            ("theme", _("Themes")),
            ("language", _("Languages")),
        ],
    )
    name = forms.CharField(label=_("Name"), max_length=100)
