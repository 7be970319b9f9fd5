"""The council's seats: who sits for which actor, in which role, and how many
votes the council can cast on a day. The rules are in the package's docstring."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from actors.models import Actor
from centre.models import Centre

from ..models import CouncilMember
from ..permissions import can_edit_seats

VOTING_ROLES = (CouncilMember.Role.CHAIR, CouncilMember.Role.MEMBER)


def count_votes(seats, *, one_vote_per_actor: bool) -> int:
    """How many votes the given seats cast: one per chair or member seat, or
    with ``one_vote_per_actor`` one per actor they represent (a seat that
    represents no actor counts on its own). Substitutes add none."""
    voting = [seat.actor_id for seat in seats if seat.role in VOTING_ROLES]
    if not one_vote_per_actor:
        return len(voting)
    return len({pk for pk in voting if pk is not None}) + voting.count(None)


def voting_members(on: datetime.date | None = None, *, one_vote_per_actor: bool | None = None):
    """How many votes can be cast on a day: the limit for a recorded vote."""
    if one_vote_per_actor is None:
        one_vote_per_actor = Centre.load().one_vote_per_actor
    seats = CouncilMember.objects.current(on=on).filter(role__in=VOTING_ROLES).only("role", "actor")
    return count_votes(seats, one_vote_per_actor=one_vote_per_actor)


def _overlapping(seats, since: datetime.date, until: datetime.date | None):
    seats = seats.filter(Q(until__isnull=True) | Q(until__gte=since))
    if until is not None:
        seats = seats.filter(since__lte=until)
    return seats


def _period(seat: CouncilMember) -> str:
    if seat.until:
        return _("from %(since)s to %(until)s") % {
            "since": date_format(seat.since, "DATE_FORMAT"),
            "until": date_format(seat.until, "DATE_FORMAT"),
        }
    return _("from %(since)s, with no end date") % {"since": date_format(seat.since, "DATE_FORMAT")}


@transaction.atomic
def seat_save(
    *,
    by,
    seat: CouncilMember | None = None,
    user,
    actor: Actor | None,
    role: str,
    since: datetime.date | None,
    until: datetime.date | None = None,
) -> CouncilMember:
    """Give a person a seat on the council, or change one. Coordinators only."""
    if not can_edit_seats(by):
        raise ValidationError(_("Only coordinators can change the council's seats."))
    errors: dict[str, list[str]] = {}
    if user is None or not user.is_active:
        errors["user"] = [_("Choose the person who holds the seat.")]
    if role not in CouncilMember.Role.values:
        errors["role"] = [_("Choose the seat's role: chair, member or substitute.")]
    actor_changed = seat is None or (actor.pk if actor else None) != seat.actor_id
    if actor is not None and actor_changed and actor.is_archived:
        errors["actor"] = [_("%(actor)s has left the house.") % {"actor": actor}]
    if since is None:
        errors["since"] = [_("Choose the date the seat starts.")]
    elif until is not None and until < since:
        errors["until"] = [_("A seat cannot end before it starts.")]
    if errors:
        raise ValidationError(errors)

    # Seats are checked against each other: two saved at the same moment
    # (the same person twice, two chairs) run one after the other.
    Centre.lock()
    others = CouncilMember.objects.select_related("user", "actor")
    if seat is not None:
        others = others.exclude(pk=seat.pk)
    others = _overlapping(others, since, until)
    clash = others.filter(user=user).first()
    if clash:
        errors["since"] = [
            _(
                "%(person)s already has a seat %(period)s. A person holds one seat at a "
                "time: end that seat first."
            )
            % {"person": user, "period": _period(clash)}
        ]
    if role == CouncilMember.Role.CHAIR:
        clash = others.filter(role=CouncilMember.Role.CHAIR).first()
        if clash:
            errors["role"] = [
                _(
                    "The council already has a chair, %(person)s, %(period)s. End that "
                    "seat first or choose another role."
                )
                % {"person": clash.user, "period": _period(clash)}
            ]
    if actor is not None and role in VOTING_ROLES and Centre.load().one_vote_per_actor:
        clash = others.filter(actor=actor, role__in=VOTING_ROLES).first()
        if clash:
            errors["role"] = [
                _(
                    "%(actor)s already has a voting representative, %(person)s, "
                    "%(period)s. In this house each actor has one vote: make this seat a "
                    "substitute, or end the other seat first."
                )
                % {"actor": actor, "person": clash.user, "period": _period(clash)}
            ]
    if errors:
        raise ValidationError(errors)

    seat = seat or CouncilMember()
    seat.user, seat.actor, seat.role, seat.since, seat.until = user, actor, role, since, until
    seat.save()
    return seat
