"""An offer's title and description in each language (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Offer


@register(Offer)
class OfferTranslation(TranslationOptions):
    fields = ("title", "description")
