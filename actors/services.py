"""Writes with rules for actors, members, invitations and offers. Each runs in
one transaction and raises ValidationError with a message a person can act on."""

import itertools

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from centre import links
from centre.integrity import explain_refusal
from centre.outbox import enqueue_on_commit
from centre.roles import is_coordinator

from .models import Actor, Invitation, Membership, Offer

RESERVED_SLUGS = {"new", "my"}


def _check_slug(slug: str) -> None:
    if slug in RESERVED_SLUGS:
        raise ValidationError(
            {
                "slug": _("“%(slug)s” is reserved by Samhus. Choose another short name.")
                % {"slug": slug}
            }
        )


def _assign(obj, fields: dict) -> None:
    # save_form_data knows each field's conventions (a cleared file is False).
    for name, value in fields.items():
        obj._meta.get_field(name).save_form_data(obj, value)


def _save_with_relations(obj, relations: dict) -> None:
    obj.full_clean()
    # Two people may save the same name, short name or title at the same
    # moment: the second is told so on the form, as after the check above.
    with explain_refusal(obj):
        obj.save()
    for name, values in relations.items():
        getattr(obj, name).set(values)


@transaction.atomic
def actor_create(*, by, languages=(), **fields) -> Actor:
    _check_slug(fields.get("slug", ""))
    actor = Actor()
    _assign(actor, fields)
    _save_with_relations(actor, {"languages": languages})
    return actor


@transaction.atomic
def actor_update(*, actor: Actor, by, languages=None, **fields) -> Actor:
    if "slug" in fields:
        _check_slug(fields["slug"])
    _assign(actor, fields)
    _save_with_relations(actor, {} if languages is None else {"languages": languages})
    return actor


def archive_consequences(actor: Actor) -> list[str]:
    """What "leaves the house" will do, in sentences, before it is done."""
    # Through the reverse relation: actors imports nothing from bookings.
    coming = actor.bookings.filter(
        end__gt=timezone.now(), status__in=["requested", "confirmed"]
    ).count()
    members = actor.memberships.count()
    return [
        _("%(actor)s is hidden from the directory and can book no more rooms.") % {"actor": actor},
        ngettext(
            "Its %(count)s coming booking stays booked: cancel it if it ends.",
            "Its %(count)s coming bookings stay booked: cancel them if they end.",
            coming,
        )
        % {"count": coming},
        ngettext(
            "Its %(count)s member keeps their account; its history is kept.",
            "Its %(count)s members keep their accounts; its history is kept.",
            members,
        )
        % {"count": members},
        _("It can come back: “Bring back into the house” on its page undoes this."),
    ]


@transaction.atomic
def actor_archive(*, actor: Actor, by) -> Actor:
    """The actor leaves the house today: hidden from the directory, history kept."""
    if actor.is_archived:
        raise ValidationError(_("%(actor)s has already left the house.") % {"actor": actor})
    actor.left_on = timezone.localdate()
    if actor.joined_on and actor.joined_on > actor.left_on:
        actor.joined_on = actor.left_on
    actor.full_clean()
    actor.save(update_fields=["left_on", "joined_on"])
    return actor


@transaction.atomic
def actor_restore(*, actor: Actor, by) -> Actor:
    actor.left_on = None
    actor.save(update_fields=["left_on"])
    return actor


def _admins_left(actor: Actor, without: Membership) -> int:
    return actor.memberships.filter(role=Membership.Role.ADMIN).exclude(pk=without.pk).count()


def _lock_members(membership: Membership, by) -> Membership | None:
    """Lock the actor, so that changes to its members run one after the other
    (two administrators demoting each other at the same moment would otherwise
    both see the other still an administrator), check that ``by`` still
    manages them, and read the membership again: None when it has been
    removed meanwhile."""
    actor = Actor.objects.select_for_update(no_key=True).get(pk=membership.actor_id)
    if (
        not is_coordinator(by)
        and not actor.memberships.filter(user=by, role=Membership.Role.ADMIN).exists()
    ):
        raise ValidationError(
            _("You are no longer an administrator of %(actor)s.") % {"actor": actor}
        )
    return Membership.objects.select_related("actor", "user").filter(pk=membership.pk).first()


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, by) -> Membership:
    if role not in Membership.Role.values:
        raise ValidationError(_("Choose one of the roles in the list."))
    current = _lock_members(membership, by)
    if current is None:
        raise ValidationError(
            _("%(person)s is no longer a member of %(actor)s.")
            % {"person": membership.user, "actor": membership.actor}
        )
    membership = current
    if (
        membership.role == Membership.Role.ADMIN
        and role != Membership.Role.ADMIN
        and not by.is_coordinator
        and _admins_left(membership.actor, membership) == 0
    ):
        raise ValidationError(
            _("%(actor)s needs at least one administrator. Make someone else administrator first.")
            % {"actor": membership.actor}
        )
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by) -> None:
    """Ends the person's membership; what they did (bookings, logs) stays."""
    membership = _lock_members(membership, by)
    if membership is None:
        return  # removed by someone else meanwhile: the outcome asked for
    if (
        membership.role == Membership.Role.ADMIN
        and not by.is_coordinator
        and _admins_left(membership.actor, membership) == 0
    ):
        raise ValidationError(
            _("%(actor)s needs at least one administrator. Make someone else administrator first.")
            % {"actor": membership.actor}
        )
    membership.delete()


@transaction.atomic
def invitation_create(*, actor: Actor, email: str, role: str, by) -> Invitation:
    email = email.strip().lower()
    # Two invitations of one address at the same moment: the second replaces
    # the first, as when they come one after the other.
    actor = Actor.objects.select_for_update(no_key=True).get(pk=actor.pk)
    if actor.is_archived:
        raise ValidationError(
            _("%(actor)s has left the house; nobody can be invited.") % {"actor": actor}
        )
    if Membership.objects.filter(actor=actor, user__email__iexact=email).exists():
        raise ValidationError(
            {
                "email": _("%(email)s is already a member of %(actor)s.")
                % {"email": email, "actor": actor}
            }
        )
    # Inviting the same address again replaces the earlier link.
    Invitation.objects.pending().filter(actor=actor, email__iexact=email).update(
        revoked_at=timezone.now()
    )
    invitation = Invitation(
        actor=actor, email=email, role=role, invited_by=by, language=(get_language() or "da")[:2]
    )
    invitation.full_clean()
    invitation.save()
    from .tasks import send_invitation

    # Its link goes to the host the inviter used, as its words to their language.
    enqueue_on_commit(send_invitation, invitation.pk, base_url=links.current_base_url())
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by) -> None:
    claimed = (
        Invitation.objects.pending().filter(pk=invitation.pk).update(revoked_at=timezone.now())
    )
    if not claimed:
        raise ValidationError(
            invitation.problem() or _("This invitation can no longer be withdrawn.")
        )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Claim the invitation once (a conditional update, so two clicks or two
    tabs cannot both use it) and give the person the membership."""
    now = timezone.now()
    claimed = (
        Invitation.objects.pending()
        .filter(pk=invitation.pk)
        .update(accepted_at=now, accepted_by=user)
    )
    if not claimed:
        invitation.refresh_from_db()
        raise ValidationError(invitation.problem() or _("This invitation cannot be used."))
    membership, _created = Membership.objects.get_or_create(
        user=user, actor=invitation.actor, defaults={"role": invitation.role}
    )
    return membership


@transaction.atomic
def offer_save(*, offer: Offer, by, target_groups=(), themes=(), languages=()) -> Offer:
    _save_with_relations(
        offer, {"target_groups": target_groups, "themes": themes, "languages": languages}
    )
    return offer


@transaction.atomic
def vocabulary_add(*, model, name: str, by):
    """Add a row to a list; its short name comes from the name, with a number
    when taken ("havebrug", "havebrug-2"). A name already in the list is
    refused; a short name taken by someone else at the same moment is not,
    the next number is tried."""
    from django.utils.text import slugify

    name = name.strip()
    base = slugify(name)[:50] or "item"
    for n in itertools.count(1):
        slug = base if n == 1 else f"{base}-{n}"
        if model.objects.filter(slug=slug).exists():
            continue
        item = model(name=name, slug=slug)
        item.full_clean()
        try:
            with explain_refusal(item):
                item.save()
        except ValidationError as error:
            if "name" in error.error_dict:
                raise ValidationError({"name": error.error_dict["name"]}) from None
            if set(error.error_dict) == {"slug"}:
                continue
            raise
        return item


@transaction.atomic
def offer_translate(*, offer: Offer, by, values: dict) -> Offer:
    """Write the offer's title and description in other languages than Danish
    (``{"title_en": …}``); the view has checked that ``by`` manages the actor."""
    for name, value in values.items():
        setattr(offer, name, value)
    offer.save(update_fields=[*values, "updated"])
    return offer
