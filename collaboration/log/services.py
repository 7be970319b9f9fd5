"""Writing the collaboration log. Every rule lives here, so the pages, the
quick forms, the sharing board and the demo all obey the same ones:

- a collaboration has at least two actors and exactly one form at a time;
- a member logs only for an actor they belong to; coordinators for any
  (who may do what: collaboration/permissions.py);
- the other actors involved confirm or dispute their part; a disputed entry
  stays, marked, and is never deleted by the dispute;
- their administrators are asked by mail, and a dispute's reason is mailed to
  the logger and the lead actor's administrators, after the commit
  (notifications.py);
- a goal has a success criterion; an end is not before the start;
- a change of form is kept with its date."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actors.models import Actor
from centre import links
from centre.outbox import enqueue_on_commit

from ..models import Collaboration, Form, FormChange, Goal, Participation, Phase
from ..permissions import can_act_for, can_answer_for, can_edit_collaboration
from .notifications import dispute_stamp, notify_dispute, notify_partners


def _check(
    *,
    by,
    on_behalf_of: Actor | None,
    actors: list[Actor],
    lead: Actor | None,
    started: datetime.date,
    ended: datetime.date | None,
    goals,
    form: str,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not can_act_for(by, on_behalf_of):
        errors.setdefault("on_behalf_of", []).append(
            _("You can only log collaborations for an actor you belong to.")
        )
    if len({actor.pk for actor in actors}) < 2:
        errors.setdefault("actors", []).append(
            _("A collaboration needs at least two actors: yours and at least one more.")
        )
    if lead is not None and lead.pk not in {actor.pk for actor in actors}:
        errors.setdefault("lead", []).append(
            _("The lead actor must be one of the actors involved.")
        )
    if ended is not None and started is not None and ended < started:
        errors.setdefault("ended", []).append(_("A collaboration cannot end before it starts."))
    if form not in Form.values:
        errors.setdefault("form", []).append(_("Choose one of the five forms."))
    for goal in goals:
        if not (goal.get("description") or "").strip():
            errors.setdefault("goals", []).append(_("Each goal needs a description."))
        if not (goal.get("criterion") or "").strip():
            errors.setdefault("goals", []).append(_("Each goal needs a success criterion."))
    return errors


@transaction.atomic
def collaboration_log(
    *,
    by,
    on_behalf_of: Actor,
    title: str,
    form: str,
    actors: list[Actor],
    lead: Actor | None = None,
    started: datetime.date | None = None,
    ended: datetime.date | None = None,
    phase: str = Phase.IMPLEMENTATION,
    description: str = "",
    residents_co_create: bool = False,
    referrals: int | None = None,
    target_groups=(),
    bookings=(),
    offers=(),
    goals=(),
    kind: str = Collaboration.Kind.FULL,
) -> Collaboration:
    """Log a collaboration. ``actors`` are all the actors involved;
    ``on_behalf_of`` (one of them) is the logger's, whose part is confirmed
    at once. Nothing is saved unless everything holds."""
    started = started or timezone.localdate()
    actors = list({actor.pk: actor for actor in [*actors, on_behalf_of] if actor}.values())
    lead = lead or on_behalf_of
    goals = list(goals)
    errors = _check(
        by=by,
        on_behalf_of=on_behalf_of,
        actors=actors,
        lead=lead,
        started=started,
        ended=ended,
        goals=goals,
        form=form,
    )
    if errors:
        raise ValidationError(errors)
    collaboration = Collaboration.objects.create(
        title=title,
        form=form,
        kind=kind,
        lead=lead,
        started=started,
        ended=ended,
        phase=phase,
        description=description,
        residents_co_create=residents_co_create,
        referrals=referrals,
        logged_by=by,
    )
    now = timezone.now()
    Participation.objects.bulk_create(
        Participation(
            collaboration=collaboration,
            actor=actor,
            status=Participation.Status.CONFIRMED
            if actor.pk == on_behalf_of.pk
            else Participation.Status.PENDING,
            answered_by=by if actor.pk == on_behalf_of.pk else None,
            answered_at=now if actor.pk == on_behalf_of.pk else None,
        )
        for actor in actors
    )
    FormChange.objects.create(collaboration=collaboration, form=form, on=started, by=by)
    Goal.objects.bulk_create(
        Goal(
            collaboration=collaboration,
            description=goal["description"].strip(),
            criterion=goal["criterion"].strip(),
            status=goal.get("status") or Goal.Status.NOT_YET,
            judged_on=goal.get("judged_on") or timezone.localdate(),
        )
        for goal in goals
    )
    collaboration.target_groups.set(target_groups)
    collaboration.bookings.set(bookings)
    collaboration.offers.set(offers)
    enqueue_on_commit(
        notify_partners, collaboration.pk, on_behalf_of.pk, base_url=links.current_base_url()
    )
    return collaboration


@transaction.atomic
def collaboration_update(*, by, collaboration: Collaboration, form_changed_on=None, **fields):
    """Change a collaboration. A new form is kept in its history from
    ``form_changed_on`` (today unless given)."""
    if not can_edit_collaboration(by, collaboration):
        raise ValidationError(_("Only the actors involved and coordinators can change this."))
    collaboration = Collaboration.objects.select_for_update().get(pk=collaboration.pk)
    started = fields.get("started", collaboration.started)
    ended = fields.get("ended", collaboration.ended)
    if ended is not None and ended < started:
        raise ValidationError({"ended": _("A collaboration cannot end before it starts.")})
    new_form = fields.get("form", collaboration.form)
    if new_form not in Form.values:
        raise ValidationError({"form": _("Choose one of the five forms.")})
    relations = {
        name: fields.pop(name) for name in ("target_groups", "bookings", "offers") if name in fields
    }
    if "lead" in fields and not collaboration.participations.filter(actor=fields["lead"]).exists():
        raise ValidationError({"lead": _("The lead actor must be one of the actors involved.")})
    changed_form = new_form != collaboration.form
    for name, value in fields.items():
        setattr(collaboration, name, value)
    collaboration.save()
    for name, values in relations.items():
        getattr(collaboration, name).set(values)
    if changed_form:
        FormChange.objects.create(
            collaboration=collaboration,
            form=new_form,
            on=form_changed_on or timezone.localdate(),
            by=by,
        )
    return collaboration


@transaction.atomic
def participation_answer(*, by, participation: Participation, confirm: bool, note: str = ""):
    """An actor involved confirms its part, or disputes it with a reason."""
    if not can_answer_for(by, participation):
        raise ValidationError(_("Only the actor's own people can confirm or dispute its part."))
    if not confirm and not note.strip():
        raise ValidationError({"note": _("Say what is wrong, so the others can correct it.")})
    # The actor's people may answer at the same moment: the part is locked and
    # read again. A second confirmation is the same outcome; any other answer
    # given meanwhile is not overwritten unseen.
    seen = participation.status
    participation = (
        Participation.objects.select_for_update(no_key=True, of=("self",))
        .select_related("actor", "answered_by")
        .get(pk=participation.pk)
    )
    if confirm and participation.status == Participation.Status.CONFIRMED:
        return participation
    if participation.status != seen:
        raise ValidationError(
            _(
                "%(person)s answered for %(actor)s at the same moment: its part is now "
                "“%(status)s”. Read their answer, then answer again if you disagree."
            )
            % {
                "person": participation.answered_by or _("Someone"),
                "actor": participation.actor,
                "status": participation.get_status_display().lower(),
            }
        )
    participation.status = (
        Participation.Status.CONFIRMED if confirm else Participation.Status.DISPUTED
    )
    participation.note = note.strip()
    participation.answered_by = by
    participation.answered_at = timezone.now()
    participation.save()
    if not confirm:
        enqueue_on_commit(
            notify_dispute,
            participation.pk,
            dispute_stamp(participation),
            base_url=links.current_base_url(),
        )
    return participation


def goal_judge(*, by, goal: Goal, status: str, on: datetime.date | None = None) -> Goal:
    if not can_edit_collaboration(by, goal.collaboration):
        raise ValidationError(_("Only the actors involved and coordinators can change this."))
    if status not in Goal.Status.values:
        raise ValidationError({"status": _("Choose not yet, partly or met.")})
    goal.status = status
    goal.judged_on = on or timezone.localdate()
    goal.save(update_fields=["status", "judged_on"])
    return goal
