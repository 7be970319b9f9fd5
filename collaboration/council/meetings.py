"""Council meetings: agenda, minutes (published once, after the meeting) and
decisions."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import Decision, Meeting
from ..permissions import can_edit_meetings


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
    if meeting is not None:
        # Read again and locked: a vote may be recorded at this meeting, or
        # someone else may save it, at the same moment.
        meeting = Meeting.objects.select_for_update(no_key=True).get(pk=meeting.pk)
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
            % {"date": date_format(meeting.date, "DATE_FORMAT")}
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
