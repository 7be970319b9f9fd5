from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .roles import is_coordinator

# Paths a coordinator without two-factor may still reach: setting it up,
# signing out, switching language, and what the browser fetches alongside.
_OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/media/", "/healthz")


class CoordinatorTwoFactorMiddleware:
    """Coordinators must set up TOTP before they use any other signed-in page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.SAMHUS_COORDINATOR_2FA
            and is_coordinator(request.user)
            and not request.path.startswith(_OPEN_PREFIXES)
            and not Authenticator.objects.filter(
                user=request.user, type=Authenticator.Type.TOTP
            ).exists()
        ):
            messages.warning(
                request,
                _("Coordinators must use two-factor authentication. Set it up to continue."),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
