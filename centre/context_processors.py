from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .models import Centre
from .roles import Role, roles_of


def house(request):
    """The house and the visitor's roles, for the layout and navigation, and
    whether mail is switched off on this copy. Lazy: a page that shows neither
    pays no query."""
    user = getattr(request, "user", None)
    return {
        "centre": SimpleLazyObject(Centre.load),
        "roles": SimpleLazyObject(lambda: roles_of(user) if user else frozenset()),
        "Role": Role,
        "mail_disabled": settings.SAMHUS_MAIL_DISABLED,
    }
