"""The activities' texts in each language (django-modeltranslation): the
calendar's stored texts are written from them (bookings.calendar.texts)."""

from modeltranslation.translator import TranslationOptions, register

from .models import Booking, BookingSeries


@register(BookingSeries)
class BookingSeriesTranslation(TranslationOptions):
    fields = ("title",)


@register(Booking)
class BookingTranslation(TranslationOptions):
    fields = ("title", "description")
