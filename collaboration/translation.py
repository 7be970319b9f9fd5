"""A sharing post's and a house rule's texts in each language (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import HouseRule, SharingPost


@register(SharingPost)
class SharingPostTranslation(TranslationOptions):
    fields = ("title", "description")


@register(HouseRule)
class HouseRuleTranslation(TranslationOptions):
    fields = ("title", "text")
