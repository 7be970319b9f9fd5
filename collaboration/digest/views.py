"""The digest's pages: a person's choices, the coordinators' preview and
"send now", and the unsubscribe page that needs no login."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from centre import links
from centre.models import Centre
from centre.outbox import enqueue_on_commit

from ..models import DigestDelivery, DigestSection
from ..permissions import can_send_digest, digest_sections, role_required
from ..tasks import send_digest
from . import build, send, subscriptions
from .forms import ResendForm, SubscriptionForm


@login_required
def settings_page(request):
    subscription = subscriptions.subscription_for(request.user)
    offered = digest_sections(request.user)
    initial = {
        "subscribed": subscription.subscribed,
        "sections": [
            s
            for s in DigestSection.values
            if s in offered and s not in subscription.skipped_sections
        ],
    }
    form = SubscriptionForm(request.POST or None, initial=initial, offered=offered)
    if request.method == "POST" and form.is_valid():
        subscriptions.subscription_update(subscription, **form.cleaned_data, offered=offered)
        messages.success(request, _("Your digest choices are saved."))
        return redirect("collaboration:digest-settings")
    return render(request, "collaboration/digest_settings.html", {"form": form})


@role_required(can_send_digest)
def preview(request):
    """The digest as it would go out now, in the language asked for."""
    centre = Centre.load()
    period = send.current_period(centre)
    language = request.GET.get("language")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language()
    builder = build.Builder(period, base_url=links.base_url(request))
    rendered = builder.rendered(language)
    message = build.message_for(request.user, rendered, set())
    html = message.alternatives[0][0]
    figures = dict(
        DigestDelivery.objects.filter(period=period).values_list("status").annotate(n=Count("pk"))
    )
    failed = DigestDelivery.objects.filter(status=DigestDelivery.Status.FAILED).select_related(
        "recipient"
    )[:100]
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
            "recipients": len(subscriptions.recipients(period)),
            "figures": [
                (status.label, figures.get(status.value, 0)) for status in DigestDelivery.Status
            ],
            "failed": failed,
            "missed": send.missed(centre),
            "language": language,
        },
    )


@role_required(can_send_digest)
@require_POST
def send_now(request):
    """Send this week's digest now, after saying to how many; the scheduled
    run then finds it sent."""
    period = send.current_period(Centre.load())
    if request.POST.get("confirm") != "1":
        users = subscriptions.recipients(period)
        verified = len(subscriptions.verified_addresses(users))
        already = DigestDelivery.objects.filter(
            period=period, status=DigestDelivery.Status.SENT
        ).count()
        consequences = [
            ngettext(
                "The digest goes to %(count)s recipient now.",
                "The digest goes to %(count)s recipients now.",
                max(verified - already, 0),
            )
            % {"count": max(verified - already, 0)},
            _("%(count)s without a verified address are skipped.")
            % {"count": len(users) - verified},
            _("The scheduled run will not send it again."),
        ]
        if already:
            consequences.append(
                _("%(count)s have it already and do not get it twice.") % {"count": already}
            )
        return render(
            request,
            "includes/confirm.html",
            {
                "title": _("Send the digest now?"),
                "consequences": consequences,
                "action": reverse("collaboration:digest-send-now"),
                "button": ngettext(
                    "Yes, send it to %(count)s recipient",
                    "Yes, send it to %(count)s recipients",
                    max(verified - already, 0),
                )
                % {"count": max(verified - already, 0)},
                "back": reverse("collaboration:digest-preview"),
            },
        )
    figures = send.create_deliveries(period)
    waiting = send.due_deliveries(period)
    for delivery_id in waiting:
        enqueue_on_commit(send_digest, delivery_id, base_url=links.base_url(request))
    messages.success(
        request,
        ngettext(
            "The digest is on its way to %(count)s recipient; %(skipped)s without a verified address skipped.",
            "The digest is on its way to %(count)s recipients; %(skipped)s without a verified address skipped.",
            len(waiting),
        )
        % {"count": len(waiting), "skipped": figures["skipped"]},
    )
    return redirect("collaboration:digest-preview")


@role_required(can_send_digest)
@require_POST
def resend(request):
    """Send failed deliveries again (one, or all of a week), with their own Message-IDs."""
    form = ResendForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for e in form.errors.values() for m in e))
        return redirect("collaboration:digest-preview")
    waiting = send.resend(form.deliveries())
    for delivery_id in waiting:
        enqueue_on_commit(send_digest, delivery_id, base_url=links.base_url(request))
    messages.success(
        request,
        ngettext(
            "%(count)s digest will be sent again.",
            "%(count)s digests will be sent again.",
            len(waiting),
        )
        % {"count": len(waiting)},
    )
    return redirect("collaboration:digest-preview")


@csrf_exempt  # RFC 8058: mail programs post the one-click unsubscribe without a form
def unsubscribe(request, token):
    """Unsubscribe without signing in: a button on the page, or the mail
    program's one-click POST (List-Unsubscribe-Post)."""
    user = subscriptions.user_for_token(token)
    if user is None:
        return render(
            request, "collaboration/digest_unsubscribe.html", {"invalid": True}, status=400
        )
    if request.method == "POST":
        subscriptions.unsubscribe(user)
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
