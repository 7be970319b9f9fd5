"""An offer's translations page (centre.translations builds the form and the page)."""

from django.contrib.auth.decorators import login_required

from centre import translations

from . import permissions, services
from .models import Offer

TRANSLATED = ("title", "description")
OfferTranslationsForm = translations.translations_form(Offer, TRANSLATED)


@login_required
def offer_translations(request, pk):
    offer = permissions.get_offer_to_manage(request.user, pk)

    def save(form):
        services.offer_translate(offer=offer, by=request.user, values=form.cleaned_data)

    back = offer.actor.get_absolute_url()
    return translations.edit(request, OfferTranslationsForm, offer, save=save, back=back)
