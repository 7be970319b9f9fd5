"""The house council's pages. The council page, the rules and the meetings are
for signed-in people; the adopted house rules are public (``house_rules``).
Coordinators edit the seats; council members and coordinators propose rules;
coordinators and the chair record votes, repeal rules and edit meetings.
Anonymous visitors are sent to sign in; anyone else without the role gets 403.
The rules themselves live in this package (seats.py, rules.py, meetings.py),
who may do what in collaboration/permissions.py."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from centre.forms import add_service_error
from centre.models import Centre

from .. import permissions
from ..models import CouncilMember, HouseRule, Meeting
from ..permissions import role_required
from . import meetings, rules, seats
from .forms import DecisionFormSet, MeetingForm, RepealForm, RuleForm, SeatForm, VoteForm


@role_required(permissions.can_read_council)
def council(request):
    today = timezone.localdate()
    centre = Centre.load()
    all_seats = list(CouncilMember.objects.select_related("user", "actor"))
    current = [seat for seat in all_seats if seat.is_current(today)]
    coming = sorted((s for s in all_seats if s.since > today), key=lambda s: (s.since, s.pk))
    former = sorted(
        (s for s in all_seats if s.until is not None and s.until < today),
        key=lambda s: (s.until, s.pk),
        reverse=True,
    )
    all_rules = list(
        HouseRule.objects.select_related("proposed_by").order_by("-proposed_on", "-pk")
    )
    all_meetings = list(Meeting.objects.order_by("-date", "-pk"))
    user = request.user
    return render(
        request,
        "collaboration/council.html",
        {
            "centre": centre,
            "current_seats": current,
            "coming_seats": coming,
            "former_seats": former,
            "votes_today": seats.count_votes(current, one_vote_per_actor=centre.one_vote_per_actor),
            "proposed_rules": [r for r in all_rules if r.status == HouseRule.Status.PROPOSED],
            "decided_rules": sorted(
                (r for r in all_rules if r.status != HouseRule.Status.PROPOSED),
                key=lambda r: (r.voted_on or r.proposed_on, r.pk),
                reverse=True,
            ),
            "adopted_count": sum(r.status == HouseRule.Status.ADOPTED for r in all_rules),
            "coming_meetings": sorted(
                (m for m in all_meetings if m.date >= today), key=lambda m: (m.date, m.pk)
            ),
            "past_meetings": [m for m in all_meetings if m.date < today],
            "can_edit_seats": permissions.can_edit_seats(user),
            "can_propose": permissions.can_propose(user),
            "can_edit_meetings": permissions.can_edit_meetings(user),
        },
    )


# --- seats -------------------------------------------------------------------------


@role_required(permissions.can_edit_seats)
def member_edit(request, pk=None):
    seat = None
    if pk is not None:
        seat = get_object_or_404(CouncilMember.objects.select_related("user", "actor"), pk=pk)
    form = SeatForm(request.POST or None, seat=seat)
    if request.method == "POST" and form.is_valid():
        try:
            saved = seats.seat_save(by=request.user, seat=seat, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if seat is None:
                messages.success(
                    request, _("%(person)s has a seat on the council.") % {"person": saved.user}
                )
            else:
                messages.success(request, _("The seat is saved."))
            return redirect("collaboration:council")
    return render(request, "collaboration/council_member_form.html", {"form": form, "seat": seat})


# --- rules -------------------------------------------------------------------------


@role_required(permissions.can_propose)
def rule_create(request):
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rule = rules.rule_propose(
                by=request.user,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                translations=form.translations(),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("The rule is proposed. The council votes on it at a meeting.")
            )
            return redirect("collaboration:rule", pk=rule.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "collaboration/rule_form.html", {"form": form}, status=status)


def _get_rule(pk) -> HouseRule:
    return get_object_or_404(HouseRule.objects.select_related("proposed_by", "meeting"), pk=pk)


def _rule_page(request, rule, *, vote_form=None, repeal_form=None):
    can_vote = permissions.can_record_votes(request.user)
    centre = Centre.load()
    if can_vote and rule.status == HouseRule.Status.PROPOSED and vote_form is None:
        vote_form = VoteForm()
    if can_vote and rule.status == HouseRule.Status.ADOPTED and repeal_form is None:
        repeal_form = RepealForm()
    return render(
        request,
        "collaboration/rule_detail.html",
        {
            "rule": rule,
            "decisions": list(rule.decisions.select_related("meeting").order_by("meeting__date")),
            "vote_form": vote_form if rule.status == HouseRule.Status.PROPOSED else None,
            "repeal_form": repeal_form if rule.status == HouseRule.Status.ADOPTED else None,
            "votes_today": seats.voting_members(one_vote_per_actor=centre.one_vote_per_actor)
            if can_vote
            else None,
            "one_vote_per_actor": centre.one_vote_per_actor,
            "can_translate": can_vote,
        },
    )


@role_required(permissions.can_read_council)
def rule_detail(request, pk):
    return _rule_page(request, _get_rule(pk))


@require_POST
@role_required(permissions.can_record_votes)
def rule_vote(request, pk):
    rule = _get_rule(pk)
    if rule.status != HouseRule.Status.PROPOSED:
        messages.error(
            request, _("This rule has already been decided: it cannot be voted on again.")
        )
        return redirect("collaboration:rule", pk=rule.pk)
    form = VoteForm(request.POST)
    if form.is_valid():
        try:
            rule = rules.rule_vote(by=request.user, rule=rule, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            if rule.status == HouseRule.Status.ADOPTED:
                messages.success(request, _("The vote is recorded: the rule is adopted."))
            else:
                messages.success(request, _("The vote is recorded: the rule is rejected."))
            return redirect("collaboration:rule", pk=rule.pk)
    return _rule_page(request, rule, vote_form=form)


@require_POST
@role_required(permissions.can_record_votes)
def rule_repeal(request, pk):
    rule = _get_rule(pk)
    if rule.status != HouseRule.Status.ADOPTED:
        messages.error(request, _("Only an adopted rule can be repealed."))
        return redirect("collaboration:rule", pk=rule.pk)
    form = RepealForm(request.POST)
    if form.is_valid():
        try:
            rules.rule_repeal(by=request.user, rule=rule, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("The rule is repealed. It is no longer on the house rules page.")
            )
            return redirect("collaboration:rule", pk=rule.pk)
    return _rule_page(request, rule, repeal_form=form)


def house_rules(request):
    """Public: the rules in force, for residents and users of the house."""
    return render(request, "collaboration/house_rules.html", {"rules": list(rules.adopted_rules())})


# --- meetings ----------------------------------------------------------------------


@role_required(permissions.can_edit_meetings)
def meeting_edit(request, pk=None):
    meeting = get_object_or_404(Meeting, pk=pk) if pk is not None else None
    initial = []
    if meeting is not None:
        initial = [
            {"id": decision.pk, "text": decision.text, "rule": decision.rule_id}
            for decision in meeting.decisions.all()
        ]
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(data, meeting=meeting)
    decisions = DecisionFormSet(data, initial=initial, prefix="decisions")
    if request.method == "POST" and form.is_valid() and decisions.is_valid():
        try:
            meeting = meetings.meeting_save(
                by=request.user,
                meeting=meeting,
                decisions=decisions.decisions(),
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect("collaboration:meeting", pk=meeting.pk)
    return render(
        request,
        "collaboration/meeting_form.html",
        {"form": form, "decisions": decisions, "meeting": meeting},
    )


@role_required(permissions.can_read_council)
def meeting_detail(request, pk):
    meeting = get_object_or_404(Meeting, pk=pk)
    return render(
        request,
        "collaboration/meeting_detail.html",
        {
            "meeting": meeting,
            "decisions": list(meeting.decisions.select_related("rule")),
            "can_edit": permissions.can_edit_meetings(request.user),
            "show_minutes": permissions.can_read_minutes(request.user, meeting),
        },
    )
