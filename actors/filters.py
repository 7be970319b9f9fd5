"""The directory's and the offer overview's filters: GET parameters, so a
filtered list is a link to share, and plain forms that work without JavaScript."""

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from centre.widgets import Select

from .models import Actor, Language, Offer, Sector, TargetGroup, Theme


class VocabularyChoice(django_filters.ModelChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("empty_label", _("All"))
        kwargs.setdefault("widget", Select)
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        field = super().field
        field.label_from_instance = lambda obj: obj.label
        return field


def _search_input():
    return forms.TextInput(attrs={"type": "search"})


class ActorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search by name"), method="search", widget=_search_input()
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Actor.Kind.choices, empty_label=_("All"), widget=Select
    )
    sector = django_filters.ChoiceFilter(
        label=_("Sector"),
        choices=Sector.choices,
        method="in_sector",
        empty_label=_("All"),
        widget=Select,
    )
    presence = django_filters.ChoiceFilter(
        label=_("Presence"), choices=Actor.Presence.choices, empty_label=_("All"), widget=Select
    )
    target = VocabularyChoice(
        label=_("Has offers for"), queryset=TargetGroup.objects.all(), method="for_target"
    )

    class Meta:
        model = Actor
        fields = []

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(strengths__icontains=value))

    def in_sector(self, queryset, name, value):
        return queryset.filter(kind__in=Actor.kinds_in_sector(value))

    def for_target(self, queryset, name, value):
        return queryset.filter(offers__target_groups=value, offers__is_active=True).distinct()


def _current_actors(request):
    # A callable, so "current" is decided on each request, not once at import.
    return Actor.objects.current()


class OfferFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search", widget=_search_input())
    target = VocabularyChoice(
        label=_("Target group"), queryset=TargetGroup.objects.all(), field_name="target_groups"
    )
    theme = VocabularyChoice(label=_("Theme"), queryset=Theme.objects.all(), field_name="themes")
    language = VocabularyChoice(
        label=_("Language"), queryset=Language.objects.all(), field_name="languages"
    )
    actor = django_filters.ModelChoiceFilter(
        label=_("Actor"),
        queryset=_current_actors,
        to_field_name="slug",
        empty_label=_("All"),
        widget=Select,
    )

    class Meta:
        model = Offer
        fields = []

    def search(self, queryset, name, value):
        # Every language's text, named column by column: modeltranslation would
        # look in the reader's language's column only, where an offer written
        # in Danish alone has nothing, and an English reader would find none.
        found = Q(actor__name__icontains=value)
        for code in settings.MODELTRANSLATION_LANGUAGES:
            found |= Q(**{f"title_{code}__icontains": value})
            found |= Q(**{f"description_{code}__icontains": value})
        return queryset.filter(found)
