"""The collaboration log's mails, sent after the commit through the outbox, in
each recipient's own language (``User.language``), once per recipient:

- a logged collaboration asks the administrators of every actor it names to
  confirm or dispute their part (``notify_partners``);
- a dispute tells the person who logged the collaboration, and the
  administrators of its lead actor (the tovholder, the logger's own actor
  unless they chose another), why (``notify_dispute``).

Nobody is mailed about what they did themselves, and only active people with
an address are mailed. Each mail's key names the one delivery (the
collaboration, or the dispute, and the recipient), not the task: a task run
again, redelivered or enqueued twice sends nothing twice
(centre.mail.send_once). A dispute answered otherwise before its mail leaves
is not mailed.

The tasks' names are given explicitly: the outbox stores waiting tasks by name."""

import datetime

from actors.models import Actor, Membership
from centre import links, mail

from ..models import Collaboration, Participation


def dispute_stamp(participation: Participation) -> str:
    """Names one dispute of a part: the moment it was given, in UTC."""
    return participation.answered_at.astimezone(datetime.UTC).strftime("%Y%m%d%H%M%S%f")


def _admins(actor_ids, *, besides=()):
    """The active administrators with an address of the actors ``actor_ids``,
    with the actors each administers, except the people ``besides``."""
    memberships = (
        Membership.objects.current()
        .filter(
            actor_id__in=actor_ids,
            role=Membership.Role.ADMIN,
            user__is_active=True,
        )
        .exclude(user__email="")
        .exclude(user_id__in=[pk for pk in besides if pk is not None])
        .select_related("user", "actor")
        .order_by("user_id", "actor__name")
    )
    people: dict[int, tuple] = {}
    for membership in memberships:
        people.setdefault(membership.user_id, (membership.user, []))[1].append(membership.actor)
    return list(people.values())


def _send(user, template: str, context: dict, key: str, base_url: str | None) -> bool:
    message = mail.message(
        to=[user.email],
        template=f"collaboration/email/{template}",
        context={**context, "recipient": user, "site_url": links.base_url(given=base_url)},
        base_url=base_url,
        language=user.language,
    )
    return mail.send_once(message, key)


@mail.task("collaboration.log.notify_partners")
def notify_partners(
    self, collaboration_id: int, logged_for_id: int, base_url: str | None = None
) -> int:
    """Ask the administrators of the actors a new collaboration names to
    confirm their part; one mail per person, naming each of their actors
    still waiting. Returns the number of mails sent."""
    collaboration = (
        Collaboration.objects.select_related("logged_by").filter(pk=collaboration_id).first()
    )
    if collaboration is None:
        return 0
    waiting = collaboration.participations.filter(status=Participation.Status.PENDING).exclude(
        actor_id=logged_for_id
    )
    logged_for = Actor.objects.filter(pk=logged_for_id).first()
    url = links.absolute(collaboration.get_absolute_url(), given=base_url)
    sent = 0
    for user, actors in _admins(waiting.values("actor_id"), besides=[collaboration.logged_by_id]):
        sent += _send(
            user,
            "partner",
            {
                "collaboration": collaboration,
                "logged_for": logged_for,
                "actors": [actor.name for actor in actors],
                "url": url,
            },
            f"collaboration.{collaboration.pk}.{collaboration.created:%Y%m%d%H%M%S}"
            f".partner.{user.pk}",
            base_url,
        )
    return sent


@mail.task("collaboration.log.notify_dispute")
def notify_dispute(self, participation_id: int, stamp: str, base_url: str | None = None) -> int:
    """Tell the logger and the lead actor's administrators that an actor
    disputes its part, and why. Returns the number of mails sent."""
    participation = (
        Participation.objects.select_related(
            "actor", "answered_by", "collaboration__logged_by", "collaboration__lead"
        )
        .filter(pk=participation_id, status=Participation.Status.DISPUTED)
        .first()
    )
    if participation is None or dispute_stamp(participation) != stamp:
        return 0  # answered otherwise, or disputed again, since: that answer is what counts
    collaboration = participation.collaboration
    disputer = participation.answered_by_id
    recipients = {}
    logger = collaboration.logged_by
    if logger and logger.is_active and logger.email and logger.pk != disputer:
        recipients[logger.pk] = logger
    if collaboration.lead_id != participation.actor_id:
        for user, _actors in _admins([collaboration.lead_id], besides=[disputer]):
            recipients.setdefault(user.pk, user)
    context = {
        "collaboration": collaboration,
        "participation": participation,
        "url": links.absolute(collaboration.get_absolute_url(), given=base_url),
    }
    sent = 0
    for user in recipients.values():
        sent += _send(
            user,
            "dispute",
            context,
            f"collaboration.{collaboration.pk}.dispute.{participation.pk}.{stamp}.{user.pk}",
            base_url,
        )
    return sent
