from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
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


class PrivateCacheMiddleware:
    """A signed-in person's pages are theirs: no shared cache may keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # Feeds say public themselves, and are the same for everyone.
        if (
            user is not None
            and user.is_authenticated
            and "public" not in response.get("Cache-Control", "")
        ):
            patch_cache_control(response, private=True)
        return response
