from celery import shared_task
from django.conf import settings

from centre import mail

from .models import Invitation


@shared_task(autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def send_invitation(invitation_id: int) -> None:
    """Mail the invitation link, in the language the inviter used."""
    invitation = (
        Invitation.objects.select_related("actor", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation.problem():
        return
    mail.message(
        to=[invitation.email],
        template="actors/email/invitation",
        context={
            "invitation": invitation,
            "url": settings.SITE_URL + invitation.get_absolute_url(),
        },
        language=invitation.language,
    ).send()
