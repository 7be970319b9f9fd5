"""A sharing post's translations page (centre.translations builds the form and the page)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
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
    back = reverse("collaboration:sharing-detail", args=[post.pk])
    form = PostTranslationsForm(request.POST if request.method == "POST" else None, instance=post)
    if request.method == "POST" and form.is_valid():
        services.post_translate(by=request.user, post=post, values=form.cleaned_data)
        messages.success(request, translations.SAVED)
        return redirect(back)
    return translations.page(
        request,
        form,
        what=post.title,
        original=translations.danish(post, TRANSLATED),
        back=back,
    )
