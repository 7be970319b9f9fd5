"""The sharing board (delebørs): what the actors can lend, give or swap and
what they seek. Every rule for posts and answers lives here:

- a person posts and answers only for an actor they belong to (coordinators
  for any; who may do what: collaboration/permissions.py);
- a post is shown until a chosen date, from today and at most a year ahead;
- nobody answers their own actor's post, nor a post that is closed or past its date;
- only the poster's people (or a coordinator) mark a post done or withdraw it;
- marking a post done with another actor logs a resource exchange
  (ressourceudveksle) between the two, in the same transaction; the other
  actor's part waits for them to confirm, as for any logged collaboration."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from actors.models import Actor

from ..log.services import collaboration_log
from ..models import Collaboration, Form, SharingAnswer, SharingPost
from ..permissions import can_act_for, can_manage_post

MAX_DAYS_AHEAD = 365


# --- reading -----------------------------------------------------------------------


def on_board(today: datetime.date | None = None):
    """The posts the board shows: open, and shown until today or later."""
    today = today or timezone.localdate()
    return SharingPost.objects.filter(status=SharingPost.Status.OPEN, expires_on__gte=today)


def is_on_board(post: SharingPost, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return post.status == SharingPost.Status.OPEN and post.expires_on >= today


# --- writing -----------------------------------------------------------------------


def _acting_for_errors(by, actor: Actor | None, message: str) -> list[str]:
    if not can_act_for(by, actor):
        return [message]
    if actor.is_archived:
        return [_("%(actor)s has left the house.") % {"actor": actor}]
    return []


@transaction.atomic
def post_create(
    *,
    by,
    actor: Actor,
    direction: str,
    category: str,
    title: str,
    description: str = "",
    expires_on: datetime.date | None,
) -> SharingPost:
    """Put a post on the board. Nothing is saved unless everything holds."""
    today = timezone.localdate()
    latest = today + datetime.timedelta(days=MAX_DAYS_AHEAD)
    title = (title or "").strip()
    errors: dict[str, list[str]] = {}
    actor_errors = _acting_for_errors(by, actor, _("You can only post for an actor you belong to."))
    if actor_errors:
        errors["actor"] = actor_errors
    if direction not in SharingPost.Direction.values:
        errors["direction"] = [_("Choose whether you offer something or look for something.")]
    if category not in SharingPost.Category.values:
        errors["category"] = [_("Choose what the post is about.")]
    if not title:
        errors["title"] = [_("Give the post a title.")]
    if expires_on is None:
        errors["expires_on"] = [_("Choose the date the post is shown until.")]
    elif expires_on < today:
        errors["expires_on"] = [_("The post cannot end in the past. Choose today or a later date.")]
    elif expires_on > latest:
        errors["expires_on"] = [
            _("A post is shown for at most a year. Choose a date no later than %(date)s.")
            % {"date": date_format(latest, "DATE_FORMAT")}
        ]
    if errors:
        raise ValidationError(errors)
    return SharingPost.objects.create(
        actor=actor,
        direction=direction,
        category=category,
        title=title,
        description=(description or "").strip(),
        expires_on=expires_on,
        created_by=by,
    )


@transaction.atomic
def post_answer(*, by, post: SharingPost, actor: Actor, message: str) -> SharingAnswer:
    """Answer a post for one of your actors."""
    post = SharingPost.objects.select_for_update().select_related("actor").get(pk=post.pk)
    errors: dict[str, list[str]] = {}
    if not is_on_board(post):
        raise ValidationError(_("This post is closed or past its date: it takes no more answers."))
    actor_errors = _acting_for_errors(
        by, actor, _("You can only answer for an actor you belong to.")
    )
    if actor_errors:
        errors["actor"] = actor_errors
    elif actor.pk == post.actor_id:
        errors["actor"] = [_("An actor cannot answer its own post.")]
    message = (message or "").strip()
    if not message:
        errors["message"] = [_("Write a message to %(actor)s.") % {"actor": post.actor}]
    if errors:
        raise ValidationError(errors)
    return SharingAnswer.objects.create(post=post, actor=actor, user=by, message=message)


def _collaboration_description(post: SharingPost) -> str:
    if post.direction == SharingPost.Direction.OFFER:
        line = _("%(actor)s offered on the sharing board: %(title)s (%(category)s).")
    else:
        line = _("%(actor)s asked on the sharing board for: %(title)s (%(category)s).")
    line %= {"actor": post.actor, "title": post.title, "category": post.get_category_display()}
    return "\n\n".join(part for part in [line, post.description] if part)


@transaction.atomic
def post_done(*, by, post: SharingPost, with_actor: Actor | None) -> SharingPost:
    """Mark a post done with another actor and log the resource exchange between them."""
    post = SharingPost.objects.select_for_update().select_related("actor").get(pk=post.pk)
    if not can_manage_post(by, post):
        raise ValidationError(_("Only the people of the actor that posted can mark it done."))
    if post.status != SharingPost.Status.OPEN:
        raise ValidationError(_("This post is already closed."))
    if with_actor is None:
        raise ValidationError({"with_actor": _("Choose the actor you made the deal with.")})
    if with_actor.pk == post.actor_id:
        raise ValidationError({"with_actor": _("Choose another actor than the one that posted.")})
    if with_actor.is_archived:
        raise ValidationError(
            {"with_actor": _("%(actor)s has left the house.") % {"actor": with_actor}}
        )
    collaboration = collaboration_log(
        by=by,
        on_behalf_of=post.actor,
        actors=[post.actor, with_actor],
        form=Form.RESOURCES,
        kind=Collaboration.Kind.SHARING_BOARD,
        title=post.title,
        description=_collaboration_description(post),
    )
    post.status = SharingPost.Status.DONE
    post.done_with = with_actor
    post.collaboration = collaboration
    post.save(update_fields=["status", "done_with", "collaboration"])
    return post


@transaction.atomic
def post_withdraw(*, by, post: SharingPost) -> SharingPost:
    """Take an open post off the board. It is kept, marked withdrawn."""
    post = SharingPost.objects.select_for_update().select_related("actor").get(pk=post.pk)
    if not can_manage_post(by, post):
        raise ValidationError(_("Only the people of the actor that posted can withdraw it."))
    if post.status != SharingPost.Status.OPEN:
        raise ValidationError(_("This post is already closed."))
    post.status = SharingPost.Status.WITHDRAWN
    post.save(update_fields=["status"])
    return post


@transaction.atomic
def post_translate(*, by, post: SharingPost, values: dict) -> SharingPost:
    """Write the post's title and description in other languages than Danish
    (``{"title_en": …}``); the view has checked that ``by`` manages the post."""
    for name, value in values.items():
        setattr(post, name, value)
    post.save(update_fields=list(values))
    return post
