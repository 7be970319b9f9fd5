"""An offer's translations page (centre.translations builds the form and the page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from centre import translations

from . import permissions, services
from .models import Offer

TRANSLATED = ("title", "description")
OfferTranslationsForm = translations.translations_form(Offer, TRANSLATED)


@login_required
def offer_translations(request, pk):
    offer = permissions.get_offer_to_manage(request.user, pk)
    form = OfferTranslationsForm(request.POST if request.method == "POST" else None, instance=offer)
    if request.method == "POST" and form.is_valid():
        services.offer_translate(offer=offer, by=request.user, values=form.cleaned_data)
        messages.success(request, translations.SAVED)
        return redirect(offer.actor)
    return translations.page(
        request,
        form,
        what=offer.title,
        original=translations.danish(offer, TRANSLATED),
        back=offer.actor.get_absolute_url(),
    )
