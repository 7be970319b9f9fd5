"""The translations page of a text people write (an activity, an offer, a
sharing post, a house rule): its title and description in each language
besides Danish, which its own form edits. The fields are modeltranslation's
(``title_en``, ``title_ar``, …); a reader sees their language, else Danish.

Each app owns its page (permission, service, redirect) and builds its form here."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname

DEFAULT = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
OTHERS = tuple(code for code in settings.MODELTRANSLATION_LANGUAGES if code != DEFAULT)
LANGUAGE_NAMES = dict(settings.LANGUAGES)
SAVED = _("The translations are saved.")


def is_rtl(code: str) -> bool:
    return get_language_info(code)["bidi"]


def label_languages(form, model, names, codes) -> None:
    """Name each of the form's fields ``name_code`` "Title in Arabic", and
    mark its input as written in that language (and direction)."""
    for code in codes:
        for name in names:
            field = form.fields[build_localized_fieldname(name, code)]
            field.label = _("%(field)s (%(language)s)") % {
                "field": model._meta.get_field(name).verbose_name.capitalize(),
                "language": LANGUAGE_NAMES[code],
            }
            # The text is in that language, whatever the page's.
            field.widget.attrs.update(lang=code, dir="rtl" if is_rtl(code) else "ltr")


def translations_form(model, names: tuple[str, ...]) -> type[forms.ModelForm]:
    """A form with the fields ``names`` of ``model`` in every language but Danish."""
    fields = [build_localized_fieldname(name, code) for code in OTHERS for name in names]

    class TranslationsForm(forms.ModelForm):
        class Meta:
            pass

        Meta.model = model
        Meta.fields = fields

        translated = names

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            label_languages(self, model, names, OTHERS)

        def languages(self) -> list[str]:
            """The languages besides Danish given a text."""
            return [
                code
                for code in OTHERS
                if any(self.cleaned_data.get(build_localized_fieldname(n, code)) for n in names)
            ]

    return TranslationsForm


def edit(request, form_class, obj, *, save, back: str, sample=None):
    """A text's translations page, as every app's view answers it: the form of
    ``sample``'s texts (the object's own by default: a series shows a date's);
    a valid POST calls ``save(form)`` (a ValidationError it raises is shown on
    the form), says so and goes ``back``."""
    from .forms import add_service_error

    sample = sample or obj
    form = form_class(request.POST if request.method == "POST" else None, instance=sample)
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, SAVED)
            return redirect(back)
    return page(request, form, what=obj.title, original=danish(sample, form.translated), back=back)


def page(request, form, *, what: str, original: list[tuple[str, str]], back: str):
    """The translations page: the Danish texts to translate from, the form,
    and the way back; 400 when the form was sent and refused."""
    status = 400 if request.method == "POST" and form.errors else 200
    context = {
        "form": form,
        "what": what,
        "original": original,
        "back": back,
        "danish": LANGUAGE_NAMES[DEFAULT],
    }
    return render(request, "centre/translations.html", context, status=status)


def danish(obj, names: tuple[str, ...]) -> list[tuple[str, str]]:
    """The object's texts in Danish (else as written), with their labels."""
    found = []
    for name in names:
        value = getattr(obj, build_localized_fieldname(name, DEFAULT)) or getattr(obj, name)
        found.append((obj._meta.get_field(name).verbose_name.capitalize(), value or ""))
    return found
