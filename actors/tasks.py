from celery import shared_task
from django.conf import settings

from centre import mail

from .models import Invitation


@shared_task(autoretry_for=(OSError,), retry_backoff=30, max_retries=5, acks_late=True)
def send_invitation(invitation_id: int) -> None:
    """Mail the invitation link, in the language the inviter used; once, however
    often the task runs (centre.mail.send_once)."""
    invitation = (
        Invitation.objects.select_related("actor", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation.problem():
        return
    message = mail.message(
        to=[invitation.email],
        template="actors/email/invitation",
        context={
            "invitation": invitation,
            "url": settings.SITE_URL + invitation.get_absolute_url(),
        },
        language=invitation.language,
    )
    mail.send_once(message, f"invitation.{invitation.pk}.{invitation.created:%Y%m%d%H%M%S}")
