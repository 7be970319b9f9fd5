"""The collaboration log: for signed-in members of the actors involved and for
coordinators. Someone else's collaboration is not found (404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actors.models import Actor
from actors.selectors import actor_ids_for
from centre.forms import add_service_error

from .. import permissions
from ..models import FORM_EXPLANATIONS, Form, Goal, Participation
from . import services
from .forms import (
    AnswerForm,
    CollaborationForm,
    EditForm,
    GoalFormSet,
    LogFilterForm,
    QuickForm,
)

PAGE_SIZE = 50


def _visible(request, pk):
    """The collaboration with everything its pages show, if the reader may see it."""
    return permissions.get_collaboration_for(
        request.user,
        pk,
        permissions.visible_collaborations(request.user)
        .select_related("lead", "logged_by")
        .prefetch_related(
            Prefetch(
                "participations", Participation.objects.select_related("actor", "answered_by")
            ),
            "goals",
            "form_changes",
            "target_groups",
            "offers",
            "bookings__room",
        ),
    )


def with_parts(collaborations):
    """``collaborations`` with every actor's part, for their overall state and
    actor count (``Collaboration.state``, ``Collaboration.actor_count``): one
    query more, whatever their number."""
    return collaborations.prefetch_related(
        Prefetch("participations", Participation.objects.select_related("actor"))
    )


# The overall state filters: any actor's part, not only the reader's.
OPEN = [Participation.Status.DISPUTED, Participation.Status.PENDING]
STATUS_FILTERS = {
    "disputed": lambda parts: Q(pk__in=parts.filter(status=Participation.Status.DISPUTED)),
    "pending": lambda parts: Q(pk__in=parts.filter(status=Participation.Status.PENDING)),
    "confirmed": lambda parts: ~Q(pk__in=parts.filter(status__in=OPEN)),
}


@login_required
def log_list(request):
    """The collaborations the reader's actors take part in (coordinators: all),
    newest first, filterable by form and by overall state; first, the parts
    waiting for the reader's own answer."""
    collaborations = permissions.visible_collaborations(request.user).select_related("lead")
    filters = LogFilterForm(request.GET)
    if form := filters.chosen("form"):
        collaborations = collaborations.filter(form=form)
    status = filters.chosen("status")
    if status in STATUS_FILTERS:
        # A subquery, not a join: joined, only the reader's own part would be filtered.
        parts = Participation.objects.values("collaboration_id")
        collaborations = collaborations.filter(STATUS_FILTERS[status](parts))
    waiting = (
        Participation.objects.filter(
            actor_id__in=actor_ids_for(request.user), status=Participation.Status.PENDING
        )
        .select_related("collaboration__logged_by", "actor")
        .order_by("-collaboration__created", "actor__name")
    )
    return render(
        request,
        "collaboration/log.html",
        {
            "collaborations": with_parts(collaborations.order_by("-started", "-pk"))[:PAGE_SIZE],
            "forms": [(f, FORM_EXPLANATIONS[f]) for f in Form],
            "chosen_form": form,
            "chosen_status": status,
            "waiting": list(waiting),
            "can_log": permissions.can_log(request.user),
        },
    )


@login_required
def collaboration_create(request):
    user_actors = permissions.acting_actors(request.user).order_by("name")
    if not user_actors.exists():
        raise Http404  # only people of an actor (or coordinators) log collaborations
    all_actors = Actor.objects.current().order_by("name")
    form = CollaborationForm(
        request.POST or None,
        user_actors=user_actors,
        all_actors=all_actors,
        initial={"started": timezone.localdate()},
    )
    goals = GoalFormSet(request.POST or None, prefix="goals")
    if request.method == "POST" and form.is_valid() and goals.is_valid():
        data = form.cleaned_data
        try:
            collaboration = services.collaboration_log(
                by=request.user,
                on_behalf_of=data["on_behalf_of"],
                title=data["title"],
                form=data["form"],
                actors=[data["on_behalf_of"], *data["others"]],
                lead=data["lead"],
                started=data["started"],
                ended=data["ended"],
                phase=data["phase"],
                description=data["description"],
                residents_co_create=data["residents_co_create"],
                target_groups=list(data["target_groups"]),
                goals=goals.goals(),
                offers=list(data["offers"]),
                bookings=list(data["bookings"]),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("The collaboration is logged. The other actors are asked to confirm it.")
            )
            return redirect(collaboration)
    return render(request, "collaboration/form.html", {"form": form, "goals": goals})


@login_required
def quick(request):
    """The common cases in well under a minute, from one screen."""
    user_actors = permissions.acting_actors(request.user).order_by("name")
    if not user_actors.exists():
        raise Http404
    form = QuickForm(
        request.POST or None,
        user_actors=user_actors,
        all_actors=Actor.objects.current().order_by("name"),
        initial={"day": timezone.localdate(), "kind": request.GET.get("kind")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        title = form.title()
        try:
            collaboration = services.collaboration_log(
                by=request.user,
                on_behalf_of=data["on_behalf_of"],
                title=title[:150],
                form=QuickForm.KINDS[data["kind"]],
                kind=data["kind"],
                actors=[data["on_behalf_of"], *data["others"]],
                started=data["day"],
                ended=data["day"],
                referrals=data["referrals"],
                description=data["what"].strip(),
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Logged: %(title)s.") % {"title": collaboration.title})
            return redirect("collaboration:quick")
    return render(request, "collaboration/quick.html", {"form": form})


@login_required
def detail(request, pk):
    collaboration = _visible(request, pk)
    participations = list(collaboration.participations.all())
    for participation in participations:
        participation.can_answer = permissions.can_answer_for(request.user, participation)
    return render(
        request,
        "collaboration/detail.html",
        {
            "collaboration": collaboration,
            "participations": participations,
            "can_edit": permissions.can_edit_collaboration(request.user, collaboration),
            "answer_form": AnswerForm(),
            "goal_statuses": Goal.Status.choices,
            "form_explanation": FORM_EXPLANATIONS[Form(collaboration.form)],
        },
    )


@login_required
def edit(request, pk):
    collaboration = _visible(request, pk)
    if not permissions.can_edit_collaboration(request.user, collaboration):
        raise Http404
    initial = {
        name: getattr(collaboration, name)
        for name in (
            "title",
            "form",
            "lead",
            "residents_co_create",
            "started",
            "ended",
            "phase",
            "description",
        )
    }
    form = EditForm(request.POST or None, initial=initial, collaboration=collaboration)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        changed_on = data.pop("form_changed_on")
        try:
            services.collaboration_update(
                by=request.user, collaboration=collaboration, form_changed_on=changed_on, **data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The collaboration is saved."))
            return redirect(collaboration)
    return render(
        request, "collaboration/edit.html", {"form": form, "collaboration": collaboration}
    )


@login_required
@require_POST
def answer(request, pk):
    collaboration = _visible(request, pk)
    form = AnswerForm(request.POST)
    form.is_valid()
    actor = form.cleaned_data.get("actor")
    if actor is None:
        raise Http404  # no part of this collaboration to answer for
    participation = get_object_or_404(collaboration.participations.all(), actor_id=actor)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(collaboration)
    try:
        services.participation_answer(
            by=request.user,
            participation=participation,
            confirm=form.cleaned_data["confirm"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if form.cleaned_data["confirm"]:
            messages.success(request, _("Your part is confirmed."))
        else:
            messages.warning(request, _("Your part is marked as disputed; the others can see why."))
    return redirect(collaboration)


@login_required
@require_POST
def goal_judge(request, pk):
    goal = get_object_or_404(Goal.objects.select_related("collaboration"), pk=pk)
    collaboration = _visible(request, goal.collaboration_id)
    try:
        services.goal_judge(by=request.user, goal=goal, status=request.POST.get("status", ""))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The goal's status is saved."))
    return redirect(collaboration)
