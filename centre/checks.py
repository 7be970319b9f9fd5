"""`manage.py check --deploy` also warns about production set-ups that run but
quietly fail the house: mail nobody receives or none sent, tasks run inside the
web process; and it fails when the static files are not collected."""

from django.conf import settings
from django.core.checks import Error, Warning, register

from . import static_manifest


@register(deploy=True)
def production_services(app_configs, **kwargs):
    warnings = []
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        warnings.append(
            Warning(
                "EMAIL_URL is not set: e-mail goes to the console, so nobody can verify an "
                "address or reset a password.",
                hint="Set EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.dk:587",
                id="samhus.W001",
            )
        )
    if settings.CELERY_TASK_ALWAYS_EAGER:
        warnings.append(
            Warning(
                "REDIS_URL is not set: tasks (mail, the digest, the series' upkeep) run inside "
                "the web process, and nothing runs on a schedule.",
                hint="Set REDIS_URL, e.g. redis://127.0.0.1:6379/0, and start a worker and beat.",
                id="samhus.W002",
            )
        )
    if settings.SAMHUS_MAIL_DISABLED:
        warnings.append(
            Warning(
                "SAMHUS_MAIL_DISABLED is on: no mail leaves (right for a copy of production, "
                "wrong for the house itself).",
                hint="Unset SAMHUS_MAIL_DISABLED where Samhus serves the house.",
                id="samhus.W004",
            )
        )
    if settings.SITE_URL.startswith(("http://127.0.0.1", "http://localhost")):
        warnings.append(
            Warning(
                "SITE_URL points at this machine: links in e-mails sent by workers will not work.",
                hint="Set SITE_URL to the portal's public address, e.g. https://samhus.example.dk",
                id="samhus.W003",
            )
        )
    return warnings


@register(deploy=True)
def static_files_collected(app_configs, **kwargs):
    problem = static_manifest.problem()
    if problem is None:
        return []
    return [
        Error(
            f"The static files are not collected: {problem}.",
            hint="Every page would fail. Run manage.py collectstatic --noinput "
            "(the image, the web unit and the recipes in docs/operations.md do).",
            id="samhus.E001",
        )
    ]
