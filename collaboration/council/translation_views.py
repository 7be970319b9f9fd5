"""A house rule's translations page, for those who record the council's
votes (coordinators and the chair); centre.translations builds the form and the page."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from centre import translations

from .. import permissions
from ..models import HouseRule
from ..permissions import role_required

TRANSLATED = ("title", "text")
RuleTranslationsForm = translations.translations_form(HouseRule, TRANSLATED)


@role_required(permissions.can_record_votes)
def rule_translations(request, pk):
    rule = get_object_or_404(HouseRule, pk=pk)

    def save(form):
        rule.save(update_fields=list(form.cleaned_data))

    back = reverse("collaboration:rule", args=[rule.pk])
    return translations.edit(request, RuleTranslationsForm, rule, save=save, back=back)
