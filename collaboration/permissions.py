"""May this user do this to that collaboration, post, rule, meeting, map or
digest? Every such question of the app is answered here; views, services,
templates (through their views) and tests ask, nothing re-derives it.

- The log: coordinators read and change every collaboration; an actor's
  people those their actor takes part in; nobody else any (the public sees
  figures only). An actor's people confirm or dispute its part.
- The sharing board: every signed-in person reads open and done posts and
  answers for their actors; the poster's people and coordinators mark a post
  done or withdraw it, and only they read it once withdrawn.
- The council: every signed-in person reads the council page, the rules and
  the meetings; coordinators edit the seats; council members and
  coordinators propose rules; coordinators and the chair record votes,
  repeal rules and edit meetings. Minutes are read once published.
- The map: the house's own people (coordinators, actors' people, council
  members); an actor's summary names its collaborations, so only its own
  people and coordinators read it. The figures page is public.
- The digest: coordinators preview it and send it now. Each reader receives
  the sections whose pages they may open (the waiting requests and the
  parallel activities go to coordinators) and the collaborations they may
  read by name. Council members and coordinators read the archive of sent
  issues, each with what they may read.

A collaboration or post one may not read answers 404; a page one's role does
not reach answers 403 (anonymous visitors are sent to sign in)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from actors.models import Actor
from actors.selectors import actor_ids_for, actors_for, acts_for
from bookings.permissions import can_decide, can_see_parallel
from centre.roles import Role, is_coordinator, roles_of

from .models import (
    Collaboration,
    CouncilMember,
    DigestSection,
    Meeting,
    Participation,
    SharingPost,
)


def role_required(may):
    """Anonymous users go to the login page; signed-in users for whom
    ``may(user)`` is false get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not may(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# --- acting for an actor ---------------------------------------------------------------


def acting_actors(user):
    """The actors ``user`` may log collaborations, post and answer for: a
    coordinator any current actor, anyone else their own."""
    return actors_for(user)


def can_act_for(user, actor: Actor | None) -> bool:
    return actor is not None and acts_for(user, actor)


# --- the collaboration log -------------------------------------------------------------


def visible_collaborations(user):
    """The collaborations ``user`` may read: coordinators all, members those
    their actors take part in, nobody else any (the public sees figures only)."""
    if is_coordinator(user):
        return Collaboration.objects.all()
    mine = actor_ids_for(user)
    if not mine:
        return Collaboration.objects.none()
    return Collaboration.objects.filter(participations__actor_id__in=mine).distinct()


def collaboration_reader(user):
    """Which collaborations ``user`` may read, asked of their actors' ids
    (the rule of ``visible_collaborations``, for what is already read: the
    digest and its archive name collaborations to each reader)."""
    if is_coordinator(user):
        return lambda actor_ids: True
    mine = actor_ids_for(user)
    return lambda actor_ids: bool(mine.intersection(actor_ids))


def can_see_collaboration(user, pk: int) -> bool:
    return visible_collaborations(user).filter(pk=pk).exists()


def can_log(user) -> bool:
    """Offer the log's "log a collaboration" links: an actor's people and coordinators."""
    return is_coordinator(user) or bool(actor_ids_for(user))


def can_edit_collaboration(user, collaboration: Collaboration) -> bool:
    """Change it and judge its goals: the actors involved and coordinators.
    Uses the prefetched participations when there are any."""
    if is_coordinator(user):
        return True
    mine = actor_ids_for(user)
    return any(part.actor_id in mine for part in collaboration.participations.all())


def can_answer_for(user, participation: Participation) -> bool:
    """Confirm or dispute an actor's part: its own people and coordinators."""
    return is_coordinator(user) or participation.actor_id in actor_ids_for(user)


def get_collaboration_for(user, pk: int, queryset=None) -> Collaboration:
    """The collaboration, if ``user`` may read it; 404 otherwise."""
    queryset = visible_collaborations(user) if queryset is None else queryset
    collaboration = queryset.filter(pk=pk).first()
    if collaboration is None:
        raise Http404
    return collaboration


# --- the sharing board -----------------------------------------------------------------


def can_post(user) -> bool:
    return acting_actors(user).exists()


def can_manage_post(user, post: SharingPost) -> bool:
    """Mark done or withdraw: the poster's people and coordinators."""
    return acts_for(user, post.actor)


def can_read_post(user, post: SharingPost) -> bool:
    """Every signed-in person reads open and done posts; a withdrawn one only
    its poster's people and coordinators."""
    if not user.is_authenticated:
        return False
    return post.status != SharingPost.Status.WITHDRAWN or can_manage_post(user, post)


def get_post_for(user, pk: int) -> SharingPost:
    post = get_object_or_404(
        SharingPost.objects.select_related("actor", "done_with", "collaboration"), pk=pk
    )
    if not can_read_post(user, post):
        raise Http404
    return post


def get_post_to_manage(user, pk: int) -> SharingPost:
    post = get_post_for(user, pk)
    if not can_manage_post(user, post):
        raise Http404
    return post


# --- the house council -----------------------------------------------------------------


def _seats_today(user):
    """The user's current seats, asked once per user object."""
    if not user.is_authenticated or not user.is_active:
        return []
    cached = user.__dict__.get("_samhus_council_seats")
    if cached is None:
        cached = list(CouncilMember.objects.current().filter(user=user))
        user.__dict__["_samhus_council_seats"] = cached
    return cached


def is_council_member(user) -> bool:
    """A current seat, whatever its role (substitutes included)."""
    return bool(_seats_today(user))


def is_chair(user) -> bool:
    return any(seat.role == CouncilMember.Role.CHAIR for seat in _seats_today(user))


def can_read_council(user) -> bool:
    """The council page, rules in progress and meetings: any signed-in person."""
    return bool(user.is_authenticated and user.is_active)


def can_edit_seats(user) -> bool:
    return is_coordinator(user)


def can_propose(user) -> bool:
    return is_coordinator(user) or is_council_member(user)


def can_record_votes(user) -> bool:
    """Record votes and repeals: coordinators and the chair."""
    return is_coordinator(user) or is_chair(user)


def can_edit_meetings(user) -> bool:
    return is_coordinator(user) or is_chair(user)


def can_read_minutes(user, meeting: Meeting) -> bool:
    """Published minutes: every reader of the meeting; until then those who edit meetings."""
    return bool(meeting.minutes) and (
        meeting.minutes_published_on is not None or can_edit_meetings(user)
    )


# --- the map ---------------------------------------------------------------------------

MAP_ROLES = {Role.COORDINATOR, Role.MEMBER, Role.COUNCIL}


def can_see_map(user) -> bool:
    """Coordinators, the actors' people and council members: the house's own."""
    return bool(MAP_ROLES & roles_of(user))


def summary_actors(user):
    """The actors whose summary ``user`` may read: it names their
    collaborations, so their own people and coordinators only."""
    if is_coordinator(user):
        return Actor.objects.order_by("name")
    return Actor.objects.filter(pk__in=actor_ids_for(user)).order_by("name")


# --- the digest ------------------------------------------------------------------------


def can_send_digest(user) -> bool:
    """Preview the digest, see its deliveries and send it now."""
    return is_coordinator(user)


def can_read_digest_archive(user) -> bool:
    """The archive of sent issues: council members and coordinators."""
    return is_coordinator(user) or is_council_member(user)


def _signed_in(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


# What each section links to, and who may open it.
_DIGEST_READERS = {
    DigestSection.ACTIVITIES: lambda user: True,  # activities and the calendar: public
    DigestSection.REQUESTS: can_decide,  # the requests waiting (bookings:requests)
    DigestSection.PARALLEL: can_see_parallel,  # bookings:parallel
    DigestSection.COLLABORATIONS: _signed_in,  # the log, of the reader's own actors
    DigestSection.SHARING: _signed_in,  # open posts: every signed-in person
    DigestSection.ACTORS: lambda user: True,  # actors' pages: public
    DigestSection.COUNCIL: can_read_council,  # meetings; the house rules are public
}


def digest_sections(user) -> set[str]:
    """The digest sections ``user`` may receive: those whose every link opens
    for them. Asks the database nothing (the digest asks for every recipient)."""
    return {section.value for section, may in _DIGEST_READERS.items() if may(user)}
