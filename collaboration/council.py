"""The house council (husråd): its seats, house rules with recorded votes, and
meetings. Every rule for them lives here, and who may do what:

- every signed-in person reads the council page, the rules in progress and
  the meetings; the adopted rules are public (``adopted_rules``);
- coordinators edit the seats. A seat's end is not before its start; a person
  holds one seat at a time (periods may not overlap); the council has one chair
  at a time; and when ``Centre.one_vote_per_actor`` is on, an actor has one
  voting seat (chair or member) at a time: its other people sit as substitutes;
- council members (any current seat) and coordinators propose rules;
- coordinators and the council's current chair record votes, repeal rules and
  edit meetings;
- a vote counts for, against and abstentions (whole numbers, 0 or more, at
  least one vote in all) on a date not in the future nor before the proposal.
  It may not hold more votes than there were voting members that day: the
  current seats with the role chair or member (``voting_members``). A
  substitute votes only in place of an absent member, so substitutes never
  raise the limit. With ``one_vote_per_actor`` the limit is the number of
  distinct actors those seats represent (a seat that represents no actor
  counts on its own). The rule is adopted if more vote for than against,
  otherwise rejected; a decided rule cannot be voted again;
- only an adopted rule is repealed, on a date not before its adoption;
- a vote or repeal held at a meeting must carry the meeting's date, and is
  recorded as one of the meeting's decisions, linked to the rule;
- published minutes cannot be empty, and are published only once the meeting
  has been held; publishing sets ``minutes_published_on`` (the digest reads it).

Every write raises ``ValidationError`` with a message a person can act on and
saves nothing when it does."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actors.models import Actor
from centre.models import Centre
from centre.roles import is_coordinator

from .models import CouncilMember, Decision, HouseRule, Meeting

VOTING_ROLES = (CouncilMember.Role.CHAIR, CouncilMember.Role.MEMBER)


def _date(day: datetime.date) -> str:
    return date_format(day, "DATE_FORMAT")


# --- who may do what ---------------------------------------------------------------


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


# --- reading -----------------------------------------------------------------------


def adopted_rules():
    """The rules in force: public, for residents and users of the house."""
    return HouseRule.objects.filter(status=HouseRule.Status.ADOPTED).order_by("title", "pk")


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


# --- seats -------------------------------------------------------------------------


def _overlapping(seats, since: datetime.date, until: datetime.date | None):
    seats = seats.filter(Q(until__isnull=True) | Q(until__gte=since))
    if until is not None:
        seats = seats.filter(since__lte=until)
    return seats


def _period(seat: CouncilMember) -> str:
    if seat.until:
        return _("from %(since)s to %(until)s") % {
            "since": _date(seat.since),
            "until": _date(seat.until),
        }
    return _("from %(since)s, with no end date") % {"since": _date(seat.since)}


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


# --- rules -------------------------------------------------------------------------


@transaction.atomic
def rule_propose(
    *, by, title: str, text: str, proposed_on: datetime.date | None = None
) -> HouseRule:
    """Put a rule before the council. Council members and coordinators."""
    if not can_propose(by):
        raise ValidationError(_("Only council members and coordinators can propose house rules."))
    today = timezone.localdate()
    proposed_on = proposed_on or today
    title, text = (title or "").strip(), (text or "").strip()
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Give the rule a short title.")]
    if not text:
        errors["text"] = [_("Write the rule as it should read.")]
    if proposed_on > today:
        errors["proposed_on"] = [_("A rule cannot be proposed in the future.")]
    if errors:
        raise ValidationError(errors)
    return HouseRule.objects.create(title=title, text=text, proposed_by=by, proposed_on=proposed_on)


def _meeting_errors(meeting: Meeting | None, day: datetime.date | None, field: str):
    if meeting is None or day is None or meeting.date == day:
        return {}
    if field == "voted_on":
        message = _(
            "The meeting was held on %(date)s. Choose that date as the date of the vote, "
            "or leave the meeting out."
        )
    else:
        message = _(
            "The meeting was held on %(date)s. Choose that date as the date of repeal, "
            "or leave the meeting out."
        )
    return {"meeting": [message % {"date": _date(meeting.date)}]}


def _count_errors(values: dict[str, int | None]) -> dict[str, list[str]]:
    errors = {}
    for field, value in values.items():
        if value is None:
            errors[field] = [_("Enter a number of votes: 0 if nobody voted so.")]
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
            errors[field] = [_("Enter a whole number of votes, 0 or more.")]
    return errors


@transaction.atomic
def rule_vote(
    *,
    by,
    rule: HouseRule,
    votes_for: int | None,
    votes_against: int | None,
    votes_abstain: int | None,
    voted_on: datetime.date | None,
    meeting: Meeting | None = None,
) -> HouseRule:
    """Record the council's vote on a proposed rule: adopted if more vote for
    than against, otherwise rejected. Coordinators and the chair."""
    if not can_record_votes(by):
        raise ValidationError(_("Only coordinators and the council's chair can record votes."))
    rule = HouseRule.objects.select_for_update().get(pk=rule.pk)
    if rule.status != HouseRule.Status.PROPOSED:
        raise ValidationError(
            _("This rule has already been decided (%(status)s): it cannot be voted on again.")
            % {"status": rule.get_status_display().lower()}
        )
    today = timezone.localdate()
    counts = {
        "votes_for": votes_for,
        "votes_against": votes_against,
        "votes_abstain": votes_abstain,
    }
    errors = _count_errors(counts)
    if voted_on is None:
        errors["voted_on"] = [_("Choose the date the vote was held.")]
    elif voted_on > today:
        errors["voted_on"] = [_("A vote cannot be recorded before it is held.")]
    elif voted_on < rule.proposed_on:
        errors["voted_on"] = [
            _("The rule was proposed on %(date)s: the vote cannot be earlier.")
            % {"date": _date(rule.proposed_on)}
        ]
    errors.update(_meeting_errors(meeting, voted_on, "voted_on"))
    if not errors:
        total = votes_for + votes_against + votes_abstain
        per_actor = Centre.load().one_vote_per_actor
        limit = voting_members(voted_on, one_vote_per_actor=per_actor)
        if total == 0:
            errors["__all__"] = [_("No votes were entered. Record at least one vote.")]
        elif limit == 0:
            errors["__all__"] = [
                _("On %(date)s the council had no voting members: no vote can be recorded.")
                % {"date": _date(voted_on)}
            ]
        elif total > limit:
            if per_actor:
                message = ngettext(
                    "On %(date)s only %(limit)s actor had a vote on the council (one vote "
                    "per actor), but %(total)s votes were entered. Check the numbers.",
                    "On %(date)s only %(limit)s actors had a vote on the council (one vote "
                    "per actor), but %(total)s votes were entered. Check the numbers.",
                    limit,
                )
            else:
                message = ngettext(
                    "On %(date)s the council had only %(limit)s voting member (the chair "
                    "and the members; substitutes vote only in a member's place), but "
                    "%(total)s votes were entered. Check the numbers.",
                    "On %(date)s the council had only %(limit)s voting members (the chair "
                    "and the members; substitutes vote only in a member's place), but "
                    "%(total)s votes were entered. Check the numbers.",
                    limit,
                )
            errors["__all__"] = [
                message % {"total": total, "date": _date(voted_on), "limit": limit}
            ]
    if errors:
        raise ValidationError(errors)

    adopted = votes_for > votes_against
    rule.status = HouseRule.Status.ADOPTED if adopted else HouseRule.Status.REJECTED
    rule.votes_for, rule.votes_against, rule.votes_abstain = votes_for, votes_against, votes_abstain
    rule.voted_on = voted_on
    rule.meeting = meeting
    rule.save()
    if meeting is not None:
        template = (
            _(
                "Adopted the house rule “%(title)s”: %(for)s for, %(against)s against, %(abstain)s abstained."
            )
            if adopted
            else _(
                "Rejected the proposed house rule “%(title)s”: %(for)s for, %(against)s against, "
                "%(abstain)s abstained."
            )
        )
        Decision.objects.create(
            meeting=meeting,
            rule=rule,
            text=template
            % {
                "title": rule.title,
                "for": votes_for,
                "against": votes_against,
                "abstain": votes_abstain,
            },
        )
    return rule


@transaction.atomic
def rule_repeal(
    *, by, rule: HouseRule, repealed_on: datetime.date | None, meeting: Meeting | None = None
) -> HouseRule:
    """Repeal an adopted rule. Coordinators and the chair."""
    if not can_record_votes(by):
        raise ValidationError(_("Only coordinators and the council's chair can repeal rules."))
    rule = HouseRule.objects.select_for_update().get(pk=rule.pk)
    if rule.status != HouseRule.Status.ADOPTED:
        raise ValidationError(_("Only an adopted rule can be repealed."))
    errors: dict[str, list[str]] = {}
    if repealed_on is None:
        errors["repealed_on"] = [_("Choose the date the rule was repealed.")]
    elif repealed_on > timezone.localdate():
        errors["repealed_on"] = [_("A rule cannot be repealed in the future.")]
    elif rule.voted_on and repealed_on < rule.voted_on:
        errors["repealed_on"] = [
            _("The rule was adopted on %(date)s: it cannot be repealed before that.")
            % {"date": _date(rule.voted_on)}
        ]
    errors.update(_meeting_errors(meeting, repealed_on, "repealed_on"))
    if errors:
        raise ValidationError(errors)
    rule.status = HouseRule.Status.REPEALED
    rule.repealed_on = repealed_on
    rule.save(update_fields=["status", "repealed_on"])
    if meeting is not None:
        Decision.objects.create(
            meeting=meeting,
            rule=rule,
            text=_("Repealed the house rule “%(title)s”.") % {"title": rule.title},
        )
    return rule


# --- meetings ----------------------------------------------------------------------


@transaction.atomic
def meeting_save(
    *,
    by,
    meeting: Meeting | None = None,
    date: datetime.date | None,
    title: str = "",
    agenda: str = "",
    minutes: str = "",
    publish_minutes: bool = False,
    decisions: list[dict] | None = None,
) -> Meeting:
    """Create or change a meeting: its agenda, minutes and decisions.

    ``decisions`` lists the meeting's decisions as dicts with ``text``, ``rule``
    (a HouseRule or None), and for existing ones ``id`` and ``delete``. Decisions
    not listed are kept. Coordinators and the chair."""
    if not can_edit_meetings(by):
        raise ValidationError(_("Only coordinators and the council's chair can edit meetings."))
    today = timezone.localdate()
    title, agenda, minutes = (title or "").strip(), (agenda or "").strip(), (minutes or "").strip()
    published = meeting is not None and meeting.minutes_published_on is not None
    errors: dict[str, list[str]] = {}
    if date is None:
        errors["date"] = [_("Choose the date of the meeting.")]
    if published and not minutes:
        errors["minutes"] = [_("The minutes are published: they cannot be emptied.")]
    elif publish_minutes and not published:
        if not minutes:
            errors["minutes"] = [_("Write the minutes before you publish them.")]
        elif date is not None and date > today:
            errors["publish_minutes"] = [
                _("The meeting has not been held yet: publish the minutes after it.")
            ]
    elif published and date is not None and date > today:
        errors["date"] = [_("The minutes are published: the meeting cannot move to the future.")]
    moved = meeting is not None and date is not None and date != meeting.date
    if moved and meeting.rules.exists():
        errors["date"] = [
            _(
                "Votes on house rules were recorded at this meeting on %(date)s: its date "
                "cannot change."
            )
            % {"date": _date(meeting.date)}
        ]

    existing = {} if meeting is None else {d.pk: d for d in meeting.decisions.all()}
    changes = []
    for row in decisions or []:
        pk = row.get("id")
        decision = None
        if pk:
            decision = existing.get(pk)
            if decision is None:
                errors.setdefault("decisions", []).append(
                    _("A decision was changed elsewhere. Reload the page and try again.")
                )
                continue
        text = (row.get("text") or "").strip()
        rule = row.get("rule")
        if row.get("delete"):
            if decision is not None:
                changes.append(("delete", decision, text, rule))
            continue
        if not text:
            if rule is not None:
                errors.setdefault("decisions", []).append(
                    _("Write the decision about “%(rule)s”.") % {"rule": rule.title}
                )
            elif decision is not None:
                errors.setdefault("decisions", []).append(
                    _("A decision cannot be empty: tick “Delete” to remove it.")
                )
            continue
        changes.append(("save", decision or Decision(), text, rule))
    if errors:
        raise ValidationError(errors)

    meeting = meeting or Meeting()
    meeting.date, meeting.title, meeting.agenda, meeting.minutes = date, title, agenda, minutes
    if publish_minutes and not published:
        meeting.minutes_published_on = today
    meeting.save()
    for action, decision, text, rule in changes:
        if action == "delete":
            decision.delete()
            continue
        decision.meeting, decision.text, decision.rule = meeting, text, rule
        decision.save()
    return meeting


# --- the demo house ------------------------------------------------------------------


def council_demo() -> None:
    """The demo house's council beyond its chair: two members, three rules (two
    adopted by recorded votes at two meetings, one proposed). Idempotent: run
    it again and nothing is added or changed. Needs the actors' demo people
    (actors/demo.py) first; makes the chair's seat if collaboration/demo.py has not."""
    from centre.models import User

    chair = User.objects.get(email="husraad@samhus.test")
    since = datetime.date(2025, 1, 1)
    # The chair's seat, as collaboration/demo.py makes it (the same key: no second seat).
    CouncilMember.objects.get_or_create(
        user=chair,
        actor=Actor.objects.get(slug="kvarterhusledelsen"),
        defaults={"role": CouncilMember.Role.CHAIR, "since": since},
    )
    for email, slug in [("amina@samhus.test", "kvindeforum"), ("sumak@samhus.test", "cafe-sumak")]:
        CouncilMember.objects.get_or_create(
            user=User.objects.get(email=email),
            actor=Actor.objects.get(slug=slug),
            defaults={"role": CouncilMember.Role.MEMBER, "since": since},
        )

    meetings = {}
    for key, day, title, agenda, minutes in DEMO_MEETINGS:
        meetings[key], _created = Meeting.objects.get_or_create(
            date=day,
            title=title,
            defaults={
                "agenda": agenda,
                "minutes": minutes,
                "minutes_published_on": day + datetime.timedelta(days=7),
            },
        )

    for title, text, proposed_on, vote, meeting_key in DEMO_RULES:
        rule = HouseRule.objects.filter(title=title).first()
        if rule is None:
            rule = rule_propose(by=chair, title=title, text=text, proposed_on=proposed_on)
        if vote and rule.status == HouseRule.Status.PROPOSED:
            meeting = meetings[meeting_key]
            for_, against, abstain = vote
            rule_vote(
                by=chair,
                rule=rule,
                votes_for=for_,
                votes_against=against,
                votes_abstain=abstain,
                voted_on=meeting.date,
                meeting=meeting,
            )

    for key, text in DEMO_OTHER_DECISIONS:
        Decision.objects.get_or_create(meeting=meetings[key], text=text, defaults={"rule": None})


DEMO_MEETINGS = [
    ("march", datetime.date(2025, 3, 4), "Husrådsmøde marts 2025",
     "1. Velkommen og godkendelse af dagsorden\n2. Forslag: rengøring af køkkenet\n"
     "3. Sommerfesten\n4. Eventuelt",
     "Til stede: Kvarterhusledelsen (formand), Kvindeforum, Café Sumak.\n\n"
     "Ad 2: Forslaget om rengøring af køkkenet blev vedtaget enstemmigt.\n\n"
     "Ad 3: Sommerfesten holdes sidste lørdag i juni; Café Sumak står for maden."),
    ("may", datetime.date(2025, 5, 6), "Husrådsmøde maj 2025",
     "1. Godkendelse af referat fra marts\n2. Forslag: ro i huset efter kl. 22\n"
     "3. Opslagstavle i foyeren\n4. Eventuelt",
     "Til stede: Kvarterhusledelsen (formand), Kvindeforum, Café Sumak.\n\n"
     "Ad 2: Forslaget blev vedtaget med to stemmer for og én, der undlod at stemme.\n\n"
     "Ad 3: Forslaget om en fælles opslagstavle drøftes videre på næste møde."),
]  # fmt: skip

DEMO_RULES = [
    # title, text, proposed on, (for, against, abstain) or None, meeting
    ("Køkkenet gøres rent efter brug",
     "Den, der har brugt køkkenet, vasker op, tørrer borde af og tømmer skraldespanden, "
     "før lokalet forlades. Café Sumak tjekker køkkenet hver morgen.",
     datetime.date(2025, 2, 10), (3, 0, 0), "march"),
    ("Ro i huset efter kl. 22",
     "Efter kl. 22 skal musik og aktiviteter foregå, så naboerne ikke forstyrres. "
     "Den sidste, der går, låser og slukker lyset.",
     datetime.date(2025, 4, 1), (2, 0, 1), "may"),
    ("Fælles opslagstavle i foyeren",
     "Foyerens opslagstavle er fælles: hver aktør har plads til ét opslag ad gangen, "
     "og opslag tages ned, når aktiviteten er slut.",
     datetime.date(2025, 5, 6), None, None),
]  # fmt: skip

DEMO_OTHER_DECISIONS = [
    ("march", "Sommerfesten holdes sidste lørdag i juni; Café Sumak står for maden."),
    ("may", "Referatet fra mødet i marts blev godkendt."),
]
