from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.utils.translation import get_language

from .models import Centre


class AccountAdapter(DefaultAccountAdapter):
    """Samhus's tweaks to allauth: a person's language follows them; its
    mails carry the house's name (subject and greeting)."""

    def format_email_subject(self, subject: str) -> str:
        return f"[{Centre.load().name}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Rendered in the request, sent by a task once the request's changes
        commit (centre.tasks.send_rendered_mail: the outbox, retries, one
        Message-ID). With Redis the request does not talk to SMTP: a slow or
        refusing server does not hold the page, and the page's time does not
        carry SMTP's round trip for an address that has an account. With the
        broker away, the mail is sent here, once, rather than waiting for
        Redis's return (centre.outbox.enqueue_awaited_on_commit); embedded,
        without Redis, tasks run here anyway."""
        from .outbox import enqueue_awaited_on_commit
        from .tasks import as_task_args, send_rendered_mail

        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                "centre": Centre.load(),
                **context,
            },
        )
        enqueue_awaited_on_commit(send_rendered_mail, as_task_args(message))

    def save_user(self, request, user, form, commit=True):
        # A new account keeps the language its owner signed up in.
        language = (get_language() or "")[:2]
        if language in dict(settings.LANGUAGES):
            user.language = language
        return super().save_user(request, user, form, commit=commit)

    def post_login(self, request, user, **kwargs):
        # Signing in switches the interface to the language saved on the profile.
        response = super().post_login(request, user, **kwargs)
        if hasattr(response, "set_cookie") and user.language in dict(settings.LANGUAGES):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
