"""House rules: proposed, voted on (adopted or rejected), repealed. The rules
for each step are in the package's docstring."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from modeltranslation.utils import build_localized_fieldname, get_language

from centre.models import Centre
from centre.shown import Shown

from ..models import Decision, HouseRule, Meeting
from ..permissions import can_propose, can_record_votes
from .seats import voting_members


def adopted_rules():
    """The rules in force: public, for residents and users of the house."""
    return HouseRule.objects.filter(status=HouseRule.Status.ADOPTED).order_by(Shown("title"), "pk")


TRANSLATED = ("title", "text")


def other_languages() -> tuple[str, ...]:
    """The languages a proposal can be given in besides the page's own, in which
    ``title`` and ``text`` are written (modeltranslation's column of that language)."""
    written = get_language()
    return tuple(code for code in settings.MODELTRANSLATION_LANGUAGES if code != written)


def _translations(values: dict[str, str] | None) -> dict[str, str]:
    """``{"title_en": …, "text_ar": …}``: the texts in the other languages, trimmed."""
    allowed = {build_localized_fieldname(n, c) for c in other_languages() for n in TRANSLATED}
    unknown = set(values or {}) - allowed
    if unknown:
        raise ValueError(f"Not a translation of a proposal: {sorted(unknown)}")
    return {name: (value or "").strip() for name, value in (values or {}).items()}


@transaction.atomic
def rule_propose(
    *,
    by,
    title: str,
    text: str,
    proposed_on: datetime.date | None = None,
    translations: dict[str, str] | None = None,
) -> HouseRule:
    """Put a rule before the council. Council members and coordinators.
    ``title`` and ``text`` are in the active language; ``translations`` may give
    them in the others (``{"title_en": …, "text_ar": …}``, see other_languages)."""
    if not can_propose(by):
        raise ValidationError(_("Only council members and coordinators can propose house rules."))
    others = {name: value for name, value in _translations(translations).items() if value}
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
    return HouseRule.objects.create(
        title=title,
        text=text,
        proposed_by=by,
        proposed_on=proposed_on,
        **others,
    )


def _locked(meeting: Meeting | None) -> Meeting | None:
    """The meeting read again and locked: its date is checked against the
    vote's, and meeting_save may be moving it at the same moment."""
    if meeting is None:
        return None
    return Meeting.objects.select_for_update(no_key=True).get(pk=meeting.pk)


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
    return {"meeting": [message % {"date": date_format(meeting.date, "DATE_FORMAT")}]}


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
    rule = HouseRule.objects.select_for_update(no_key=True).get(pk=rule.pk)
    meeting = _locked(meeting)
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
            % {"date": date_format(rule.proposed_on, "DATE_FORMAT")}
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
                % {"date": date_format(voted_on, "DATE_FORMAT")}
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
                message
                % {"total": total, "date": date_format(voted_on, "DATE_FORMAT"), "limit": limit}
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
    rule = HouseRule.objects.select_for_update(no_key=True).get(pk=rule.pk)
    meeting = _locked(meeting)
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
            % {"date": date_format(rule.voted_on, "DATE_FORMAT")}
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
