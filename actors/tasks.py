from centre import links, mail

from .models import Invitation


@mail.task("actors.tasks.send_invitation")
def send_invitation(self, invitation_id: int, base_url: str | None = None) -> None:
    """Mail the invitation link, in the language the inviter used, to the
    host the inviter used (``base_url``); once, however often the task runs
    (centre.mail.send_once)."""
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
            "url": links.absolute(invitation.get_absolute_url(), given=base_url),
        },
        language=invitation.language,
        base_url=base_url,
    )
    mail.send_once(message, f"invitation.{invitation.pk}.{invitation.created:%Y%m%d%H%M%S}")
