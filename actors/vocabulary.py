"""Small tables coordinators extend: target groups, themes, languages.

The rows Samhus ships have English names that go through gettext, so they
show in the reader's language; rows a coordinator adds show as typed."""

from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _


class VocabularyItem(models.Model):
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=100)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return gettext(self.name)


# Shipped rows: (slug, English name). gettext_noop marks them for translation.
TARGET_GROUPS = [
    ("children", gettext_noop("Children")),
    ("youth", gettext_noop("Young people")),
    ("adults", gettext_noop("Adults")),
    ("seniors", gettext_noop("Seniors")),
    ("women", gettext_noop("Women")),
    ("men", gettext_noop("Men")),
    ("families", gettext_noop("Families")),
    ("newcomers", gettext_noop("Newcomers")),
    ("everybody", gettext_noop("Everybody in the area")),
    ("whole-city", gettext_noop("Citizens from the whole city")),
]

THEMES = [
    ("learning", gettext_noop("Learning")),
    ("health", gettext_noop("Health")),
    ("culture", gettext_noop("Culture")),
    ("sport", gettext_noop("Sport and exercise")),
    ("employment", gettext_noop("Jobs and education")),
    ("advice", gettext_noop("Advice and counselling")),
    ("community", gettext_noop("Community")),
    ("children-youth", gettext_noop("Children and youth")),
    ("food", gettext_noop("Food and cooking")),
    ("digital", gettext_noop("IT and digital help")),
]

LANGUAGES = [
    ("da", gettext_noop("Danish")),
    ("en", gettext_noop("English")),
    ("ar", gettext_noop("Arabic")),
    ("so", gettext_noop("Somali")),
    ("tr", gettext_noop("Turkish")),
    ("ur", gettext_noop("Urdu")),
    ("fa", gettext_noop("Persian")),
    ("ps", gettext_noop("Pashto")),
    ("ku", gettext_noop("Kurdish")),
    ("ti", gettext_noop("Tigrinya")),
    ("pl", gettext_noop("Polish")),
    ("uk", gettext_noop("Ukrainian")),
    ("bs", gettext_noop("Bosnian")),
    ("vi", gettext_noop("Vietnamese")),
    ("ta", gettext_noop("Tamil")),
    ("dsl", gettext_noop("Danish Sign Language")),
]


def seed(model, rows) -> None:
    """Create the shipped rows that are missing (a data migration and the demo use it)."""
    for position, (slug, name) in enumerate(rows, start=1):
        model.objects.get_or_create(slug=slug, defaults={"name": name, "position": position * 10})
