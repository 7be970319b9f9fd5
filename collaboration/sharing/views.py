"""The sharing board (delebørs): for signed-in people. Everyone reads the open
posts and answers for their actor; the poster's people (and coordinators)
mark a post done with another actor, which logs a resource exchange, or
withdraw it. A post one may not manage answers 404 to those actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actors.models import Actor
from centre.forms import add_service_error

from .. import permissions
from ..models import SharingPost
from . import services
from .forms import AnswerForm, BoardFilterForm, DoneForm, PostForm

# Each column shows at most this many posts, the newest first; the filters narrow it down.
COLUMN_LIMIT = 100


@login_required
def board(request):
    filters = BoardFilterForm(request.GET or None)
    show_done = filters.value("show") == BoardFilterForm.SHOW_DONE
    if show_done:
        posts = SharingPost.objects.filter(status=SharingPost.Status.DONE).select_related(
            "actor", "done_with"
        )
    else:
        posts = services.on_board().select_related("actor")
    if category := filters.value("category"):
        posts = posts.filter(category=category)
    direction = filters.value("direction")
    counts = posts.aggregate(
        offer=Count("pk", filter=Q(direction=SharingPost.Direction.OFFER)),
        seek=Count("pk", filter=Q(direction=SharingPost.Direction.SEEK)),
    )
    posts = posts.annotate(answer_count=Count("answers")).order_by("-created", "-pk")
    columns = []
    for value, heading, lead in [
        (SharingPost.Direction.OFFER, _("Offered"), _("What actors can lend, give or swap.")),
        (SharingPost.Direction.SEEK, _("Sought"), _("What actors are looking for.")),
    ]:
        if direction and direction != value:
            continue
        columns.append(
            {
                "direction": value,
                "heading": heading,
                "lead": lead,
                "posts": list(posts.filter(direction=value)[:COLUMN_LIMIT]),
                "count": counts[value],
            }
        )
    return render(
        request,
        "collaboration/sharing_board.html",
        {
            "filters": filters,
            "columns": columns,
            "show_done": show_done,
            "column_limit": COLUMN_LIMIT,
            "can_post": permissions.can_post(request.user),
        },
    )


@login_required
def post_create(request):
    if not permissions.can_post(request.user):
        raise PermissionDenied
    actors = permissions.acting_actors(request.user)
    initial = {}
    if request.GET.get("direction") in SharingPost.Direction.values:
        initial["direction"] = request.GET["direction"]
    form = PostForm(request.POST or None, actors=actors, initial=initial)
    if len(actors[:2]) == 1:
        form.fields["actor"].initial = actors[0].pk
    if request.method == "POST" and form.is_valid():
        try:
            post = services.post_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your post is on the sharing board."))
            return redirect("collaboration:sharing-detail", pk=post.pk)
    return render(request, "collaboration/sharing_form.html", {"form": form})


def _detail(request, post, *, answer_form=None, done_form=None):
    user = request.user
    answers = list(post.answers.select_related("actor"))
    can_manage = permissions.can_manage_post(user, post)
    open_for_answers = services.is_on_board(post)
    answer_actors = permissions.acting_actors(user).exclude(pk=post.actor_id)
    if answer_form is None and open_for_answers:
        answer_form = AnswerForm(actors=answer_actors)
    if can_manage and post.status == SharingPost.Status.OPEN and done_form is None:
        answered = list({answer.actor.pk: answer.actor for answer in answers}.values())
        done_form = DoneForm(
            answered=[actor for actor in answered if actor.pk != post.actor_id],
            others=Actor.objects.current().exclude(pk=post.actor_id).only("pk", "name"),
        )
    collaboration_visible = post.collaboration is not None and (
        permissions.can_see_collaboration(user, post.collaboration_id)
    )
    return render(
        request,
        "collaboration/sharing_detail.html",
        {
            "post": post,
            "actor": post.actor,
            "answers": answers,
            "open_for_answers": open_for_answers,
            "answer_form": answer_form,
            "can_answer": open_for_answers and answer_form.fields["actor"].queryset.exists(),
            "can_manage": can_manage,
            "done_form": done_form if post.status == SharingPost.Status.OPEN else None,
            "collaboration_visible": collaboration_visible,
        },
    )


@login_required
def post_detail(request, pk):
    return _detail(request, permissions.get_post_for(request.user, pk))


@require_POST
@login_required
def post_answer(request, pk):
    post = permissions.get_post_for(request.user, pk)
    if not services.is_on_board(post):
        messages.error(
            request, _("This post is closed or past its date: it takes no more answers.")
        )
        return redirect("collaboration:sharing-detail", pk=post.pk)
    actors = permissions.acting_actors(request.user).exclude(pk=post.actor_id)
    form = AnswerForm(request.POST, actors=actors)
    if form.is_valid():
        try:
            services.post_answer(by=request.user, post=post, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Your answer is sent to %(actor)s.") % {"actor": post.actor},
            )
            return redirect(reverse("collaboration:sharing-detail", args=[post.pk]) + "#answers")
    return _detail(request, post, answer_form=form)


@require_POST
@login_required
def post_done(request, pk):
    post = permissions.get_post_to_manage(request.user, pk)
    answered = (
        Actor.objects.current()
        .filter(pk__in=post.answers.values("actor_id"))
        .exclude(pk=post.actor_id)
        .only("pk", "name")
    )
    form = DoneForm(
        request.POST,
        answered=answered,
        others=Actor.objects.current().exclude(pk=post.actor_id).only("pk", "name"),
    )
    if form.is_valid():
        try:
            post = services.post_done(
                by=request.user, post=post, with_actor=form.cleaned_data["with_actor"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Done with %(actor)s. A resource exchange between you is logged; "
                    "%(actor)s is asked to confirm it."
                )
                % {"actor": post.done_with},
            )
            return redirect("collaboration:sharing-detail", pk=post.pk)
    return _detail(request, post, done_form=form)


@require_POST
@login_required
def post_withdraw(request, pk):
    post = permissions.get_post_to_manage(request.user, pk)
    try:
        services.post_withdraw(by=request.user, post=post)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("collaboration:sharing-detail", pk=post.pk)
    messages.success(request, _("The post is withdrawn from the sharing board."))
    return redirect("collaboration:sharing")
