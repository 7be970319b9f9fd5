"""A sharing post's translations page (centre.translations builds the form and the page)."""

from django.contrib.auth.decorators import login_required
from django.urls import reverse

from centre import translations

from .. import permissions
from ..models import SharingPost
from . import services

TRANSLATED = ("title", "description")
PostTranslationsForm = translations.translations_form(SharingPost, TRANSLATED)


@login_required
def post_translations(request, pk):
    post = permissions.get_post_to_manage(request.user, pk)

    def save(form):
        services.post_translate(by=request.user, post=post, values=form.cleaned_data)

    back = reverse("collaboration:sharing-detail", args=[post.pk])
    return translations.edit(request, PostTranslationsForm, post, save=save, back=back)
