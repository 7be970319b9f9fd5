from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from .models import Invitation


@shared_task(autoretry_for=(OSError,), retry_backoff=30, max_retries=5)
def send_invitation(invitation_id: int) -> None:
    """Mail the invitation link, in the language the inviter used."""
    invitation = (
        Invitation.objects.select_related("actor", "invited_by").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation.problem():
        return
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "url": settings.SITE_URL + invitation.get_absolute_url(),
        }
        subject = render_to_string("actors/email/invitation_subject.txt", context)
        body = render_to_string("actors/email/invitation_message.txt", context)
    send_mail(" ".join(subject.split()), body, None, [invitation.email])
