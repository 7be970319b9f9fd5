import contextlib
from http import HTTPStatus

import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import set_language as django_set_language

from . import services, static_manifest
from .colour import contrast_ratio
from .forms import CentreForm, DesignSampleForm, ProfileForm
from .models import Centre, ClosedDay, OpeningHours, OutboxTask, User
from .permissions import coordinator_required


@require_safe
def privacy(request):
    """What Samhus stores about people, why, and how to see or remove it."""
    return render(request, "centre/privacy.html")


@never_cache
@require_safe
def healthz(request):
    """200 when the database and the broker answer and the static files are
    collected, else 503 naming what is wrong."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError:
        checks["database"] = "unreachable"
    if settings.CELERY_TASK_ALWAYS_EAGER:
        checks["broker"] = "ok (embedded: tasks run in the web process)"
    else:
        try:
            redis.Redis.from_url(
                settings.CELERY_BROKER_URL, socket_connect_timeout=2, socket_timeout=2
            ).ping()
            checks["broker"] = "ok"
        except redis.RedisError:
            checks["broker"] = "unreachable"
    checks["static"] = static_manifest.problem() or "ok"
    healthy = all(value.startswith("ok") for value in checks.values())
    extra = {}
    if not settings.CELERY_TASK_ALWAYS_EAGER and checks["database"] == "ok":
        # Tasks kept while the broker was away; they do not make the site unhealthy.
        with contextlib.suppress(DatabaseError):
            extra["waiting_tasks"] = OutboxTask.objects.count()
    if settings.SAMHUS_MAIL_DISABLED:
        # A copy of production: healthy, and not sending mail on purpose.
        extra["mail"] = "disabled: SAMHUS_MAIL_DISABLED is on, no mail leaves"
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks, **extra},
        status=HTTPStatus.OK if healthy else HTTPStatus.SERVICE_UNAVAILABLE,
    )


@require_POST
def set_language(request):
    """Django's language switch, also remembered on a signed-in user's profile."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        User.objects.filter(pk=request.user.pk).update(language=language)
    return response


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        return redirect("centre:profile")
    return render(request, "centre/profile.html", {"form": form})


@coordinator_required
def house_manage(request):
    today = timezone.localdate()
    return render(
        request,
        "centre/house_manage.html",
        {
            "closed_days": ClosedDay.objects.filter(date__gte=today)[:60],
            "hours": OpeningHours.objects.all(),
        },
    )


@coordinator_required
def centre_edit(request):
    centre = Centre.load()
    form = CentreForm(request.POST or None, request.FILES or None, instance=centre)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        if fields.get("logo") is False:  # "remove the logo" ticked
            fields["logo"] = ""
        services.centre_update(centre=centre, **fields)
        messages.success(request, _("The house's details are saved."))
        return redirect("centre:house")
    status = HTTPStatus.BAD_REQUEST if form.errors else HTTPStatus.OK
    return render(request, "centre/centre_form.html", {"form": form}, status=status)


@require_safe
@coordinator_required
def design(request):
    """The living style page: every token and component, drawn by the stylesheets the
    pages use (docs/design.md explains each)."""
    centre = Centre.load()
    swatches = [
        (name, value, contrast_ratio(value, "#ffffff"))
        for name, value in [
            ("--brand", centre.brand),
            ("--brand-dark", centre.brand_dark),
            ("--ink", "#1b1b1f"),
            ("--muted", "#4a4f57"),
            ("--ok", "#1d6b35"),
            ("--warn", "#7a4d00"),
            ("--error", "#a3161b"),
        ]
    ]
    sample = DesignSampleForm({"name": "", "email": "ikke-en-adresse", "public": "on"})
    sample.is_valid()
    return render(
        request,
        "centre/design.html",
        {
            "centre": centre,  # the layout's too: one query for the house
            "swatches": swatches,
            "steps": ["-1", "0", "1", "2", "3", "4"],
            "spaces": range(1, 8),
            "sample": sample,
        },
    )
