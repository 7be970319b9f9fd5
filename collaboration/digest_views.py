"""The digest's pages: a person's choices, the coordinators' preview and
"send now", and the unsubscribe page that needs no login."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from centre.models import Centre
from centre.outbox import enqueue_on_commit
from centre.permissions import coordinator_required

from . import digest
from .models import DigestDelivery, DigestSection
from .tasks import send_digest


class SubscriptionForm(forms.Form):
    subscribed = forms.BooleanField(label=gettext_lazy("Receive the weekly digest"), required=False)
    sections = forms.MultipleChoiceField(
        label=gettext_lazy("Sections"),
        choices=DigestSection.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("Untick what you do not want to read."),
    )


@login_required
def settings_page(request):
    subscription = digest.subscription_for(request.user)
    initial = {
        "subscribed": subscription.subscribed,
        "sections": [s for s in DigestSection.values if s not in subscription.skipped_sections],
    }
    form = SubscriptionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        subscription.subscribed = form.cleaned_data["subscribed"]
        subscription.skipped_sections = [
            s for s in DigestSection.values if s not in form.cleaned_data["sections"]
        ]
        subscription.save()
        messages.success(request, _("Your digest choices are saved."))
        return redirect("collaboration:digest-settings")
    return render(request, "collaboration/digest_settings.html", {"form": form})


@coordinator_required
def preview(request):
    """The digest as it would go out now, in the language asked for."""
    centre = Centre.load()
    period = digest.current_period(centre)
    language = request.GET.get("language")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    builder = digest.Builder(period)
    rendered = builder.rendered(language)
    message = digest.message_for(request.user, rendered, set())
    html = message.alternatives[0][0]
    figures = dict(
        DigestDelivery.objects.filter(period=period).values_list("status").annotate(n=Count("pk"))
    )
    failed = DigestDelivery.objects.filter(status=DigestDelivery.Status.FAILED).select_related(
        "recipient"
    )[:50]
    if request.GET.get("format") == "text":
        return HttpResponse(message.body, content_type="text/plain; charset=utf-8")
    if request.GET.get("format") == "html":
        response = HttpResponse(html)
        # The mail's own inline styles, shown as the mail program shows them.
        response._csp_update = {"style-src": ["'unsafe-inline'"]}
        return response
    return render(
        request,
        "collaboration/digest_preview.html",
        {
            "period": period,
            "subject": rendered.subject,
            "text": message.body,
            "recipients": len(digest.recipients(period)),
            "figures": [
                (status.label, figures.get(status.value, 0)) for status in DigestDelivery.Status
            ],
            "failed": failed,
            "language": language,
        },
    )


@coordinator_required
@require_POST
def send_now(request):
    """Send this week's digest now; the scheduled run then finds it sent."""
    period = digest.current_period(Centre.load())
    figures = digest.create_deliveries(period)
    waiting = digest.due_deliveries(period)
    for delivery_id in waiting:
        enqueue_on_commit(send_digest, delivery_id)
    messages.success(
        request,
        _(
            "The digest is on its way to %(count)s recipient(s); %(skipped)s without a verified address skipped."
        )
        % {"count": len(waiting), "skipped": figures["skipped"]},
    )
    return redirect("collaboration:digest-preview")


@csrf_exempt  # RFC 8058: mail programs post the one-click unsubscribe without a form
def unsubscribe(request, token):
    """Unsubscribe without signing in: a button on the page, or the mail
    program's one-click POST (List-Unsubscribe-Post)."""
    user = digest.user_for_token(token)
    if user is None:
        return render(
            request, "collaboration/digest_unsubscribe.html", {"invalid": True}, status=400
        )
    if request.method == "POST":
        subscription = digest.subscription_for(user)
        subscription.subscribed = False
        subscription.save(update_fields=["subscribed", "changed"])
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(
                _("You will not receive the digest any more."),
                content_type="text/plain; charset=utf-8",
            )
        return render(
            request, "collaboration/digest_unsubscribe.html", {"done": True, "person": user}
        )
    return render(
        request, "collaboration/digest_unsubscribe.html", {"person": user, "token": token}
    )
