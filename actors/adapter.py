from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from centre.adapter import AccountAdapter as CentreAccountAdapter

from . import services
from .models import Invitation

INVITATION_SESSION_KEY = "samhus_invitation"


class AccountAdapter(CentreAccountAdapter):
    """Signing up through an invitation link joins the actor at once."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        token = request.session.pop(INVITATION_SESSION_KEY, None)
        invitation = (
            Invitation.objects.filter(token=token).select_related("actor").first()
            if token
            else None
        )
        if invitation and commit:
            try:
                membership = services.invitation_accept(invitation=invitation, user=user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Welcome to %(actor)s.") % {"actor": membership.actor})
        return user
