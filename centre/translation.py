"""The house's own texts in each language (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Centre


@register(Centre)
class CentreTranslation(TranslationOptions):
    fields = ("tagline", "description", "opening_note", "screen_message")
