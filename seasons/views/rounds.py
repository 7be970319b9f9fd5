"""The round's pages: set up (coordinator), apply (an actor's admins and
bookers, their own applications only), the proposal's grid, a cell's change,
publishing, the decisions as CSV and fair use."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actors.models import Actor
from actors.selectors import acts_for
from bookings.permissions import BOOKING_ROLES, bookable_actors
from centre import csv_export
from centre.forms import add_service_error
from centre.permissions import coordinator_required
from centre.roles import is_coordinator

from .. import selectors, services
from ..forms import DecisionForm, RoundForm, WishFormSet
from ..models import WEEKDAYS, Decision, Round


@login_required
def round_list(request):
    return render(
        request,
        "seasons/round_list.html",
        {"rounds": Round.objects.all(), "can_create": is_coordinator(request.user)},
    )


@coordinator_required
def round_edit(request, pk=None):
    round_ = get_object_or_404(Round, pk=pk) if pk else None
    form = RoundForm(request.POST or None, instance=round_)
    if request.method == "POST" and form.is_valid():
        round_ = form.save()
        return redirect("seasons:round-detail", pk=round_.pk)
    return render(request, "seasons/round_form.html", {"form": form, "round": round_})


@login_required
def round_detail(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    return render(
        request,
        "seasons/round_detail.html",
        {
            "round": round_,
            "applications": selectors.applications_for(request.user, round_).prefetch_related(
                "wishes__room"
            ),
            "can_apply": round_.is_open(),
            "actors": bookable_actors(request.user),
            "is_coordinator": is_coordinator(request.user),
        },
    )


@login_required
def application_edit(request, pk, actor):
    round_ = get_object_or_404(Round, pk=pk)
    actor = get_object_or_404(Actor.objects.current(), slug=actor)
    if not acts_for(request.user, actor, BOOKING_ROLES):
        raise Http404
    application = round_.applications.filter(actor=actor).first()
    initial = []
    if application:
        for wish in application.wishes.prefetch_related("facilities"):
            initial.append(
                {
                    "title": wish.title,
                    "room": wish.room_id,
                    "facilities": list(wish.facilities.all()),
                    "weekday": wish.weekday,
                    "start_time": wish.start_time,
                    "minutes": wish.minutes,
                    "people": wish.people,
                    "target_group": wish.target_group_id,
                    "preference": wish.preference,
                }
            )
    formset = WishFormSet(
        request.POST or None, initial=initial, form_kwargs={"round_": round_}, prefix="wishes"
    )
    if request.method == "POST" and formset.is_valid():
        # Every wish on the page but those marked for deletion: the saved ones
        # come back as they were (unchanged, yet still wished for); a blank
        # extra form has no cleaned data.
        wishes = [
            {name: value for name, value in form.cleaned_data.items() if name != "DELETE"}
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            if wishes or application is None:
                services.application_save(
                    by=request.user, round_=round_, actor=actor, wishes=wishes
                )
                done = _("Your application is saved.")
            else:
                services.application_withdraw(by=request.user, round_=round_, actor=actor)
                done = _("Your application is withdrawn.")
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(request, done)
            return redirect("seasons:round-detail", pk=round_.pk)
    return render(
        request,
        "seasons/application_form.html",
        {"round": round_, "actor": actor, "formset": formset, "is_open": round_.is_open()},
        status=400 if request.method == "POST" else 200,
    )


@coordinator_required
def proposal(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    decisions = selectors.decisions_of(round_)
    rows, refused = selectors.grid(round_, decisions)
    return render(
        request,
        "seasons/proposal.html",
        {
            "round": round_,
            "rows": rows,
            "refused": refused,
            "conflicts": selectors.conflicts(decisions),
            "taken": selectors.taken_clashes(round_, decisions),
            "weekdays": WEEKDAYS,
            "count": len(decisions),
            "changed": sum(1 for d in decisions if d.rule == "coordinator"),
        },
    )


@coordinator_required
@require_POST
def propose(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    try:
        services.proposal_make(by=request.user, round_=round_)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("seasons:round-detail", pk=round_.pk)
    return redirect("seasons:proposal", pk=round_.pk)


@coordinator_required
def decision_edit(request, pk):
    decision = get_object_or_404(
        Decision.objects.select_related("wish__application__round", "wish__application__actor"),
        pk=pk,
    )
    round_ = decision.wish.application.round
    form = DecisionForm(
        request.POST or None,
        round_=round_,
        initial={
            "outcome": decision.outcome,
            "room": decision.room_id,
            "weekday": decision.weekday,
            "start_time": decision.start_time,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_change(by=request.user, decision=decision, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return redirect("seasons:proposal", pk=round_.pk)
    return render(
        request,
        "seasons/decision_form.html",
        {"form": form, "decision": decision, "round": round_},
    )


@coordinator_required
@require_POST
def publish(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    try:
        services.round_publish(by=request.user, round_=round_)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("seasons:proposal", pk=round_.pk)
    messages.success(request, _("The round is published: the series are booked and mailed."))
    return redirect("seasons:round-detail", pk=round_.pk)


@coordinator_required
def decisions_csv(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    response, writer = csv_export.csv_response(f"round-{round_.pk}-decisions.csv")
    writer.writerows(selectors.csv_rows(round_))
    return response


@coordinator_required
def fair_use(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    return render(
        request,
        "seasons/fair_use.html",
        {
            "round": round_,
            "rows": selectors.fair_use(round_),
            "past": selectors.past_dates(round_),
        },
    )
