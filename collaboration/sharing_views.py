"""The sharing board (delebørs): for signed-in people. Everyone reads the open
posts and answers for their actor; the poster's people (and coordinators)
mark a post done with another actor, which logs a resource exchange, or
withdraw it. A post one may not manage answers 404 to those actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actors.models import Actor
from actors.selectors import actors_for
from centre.forms import add_service_error

from . import services, sharing
from .models import SharingPost
from .sharing_forms import AnswerForm, BoardFilterForm, DoneForm, PostForm

# Each column shows at most this many posts, the newest first; the filters narrow it down.
COLUMN_LIMIT = 100


def _get_post(user, pk) -> SharingPost:
    post = get_object_or_404(
        SharingPost.objects.select_related("actor", "done_with", "collaboration"), pk=pk
    )
    if not sharing.can_read_post(user, post):
        raise Http404
    return post


def _get_post_to_manage(user, pk) -> SharingPost:
    post = _get_post(user, pk)
    if not sharing.can_manage_post(user, post):
        raise Http404
    return post


@login_required
def board(request):
    filters = BoardFilterForm(request.GET or None)
    show_done = filters.value("show") == BoardFilterForm.SHOW_DONE
    if show_done:
        posts = SharingPost.objects.filter(status=SharingPost.Status.DONE).select_related(
            "actor", "done_with"
        )
    else:
        posts = sharing.on_board().select_related("actor")
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
            "can_post": actors_for(request.user).exists(),
        },
    )


@login_required
def post_create(request):
    actors = actors_for(request.user)
    if not actors.exists():
        raise PermissionDenied
    initial = {}
    if request.GET.get("direction") in SharingPost.Direction.values:
        initial["direction"] = request.GET["direction"]
    form = PostForm(request.POST or None, actors=actors, initial=initial)
    if len(actors[:2]) == 1:
        form.fields["actor"].initial = actors[0].pk
    if request.method == "POST" and form.is_valid():
        try:
            post = sharing.post_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your post is on the sharing board."))
            return redirect("collaboration:sharing-detail", pk=post.pk)
    return render(request, "collaboration/sharing_form.html", {"form": form})


def _detail(request, post, *, answer_form=None, done_form=None):
    user = request.user
    answers = list(post.answers.select_related("actor"))
    can_manage = sharing.can_manage_post(user, post)
    open_for_answers = sharing.is_on_board(post)
    answer_actors = actors_for(user).exclude(pk=post.actor_id)
    if answer_form is None and open_for_answers:
        answer_form = AnswerForm(actors=answer_actors)
    if can_manage and post.status == SharingPost.Status.OPEN and done_form is None:
        answered = list({answer.actor.pk: answer.actor for answer in answers}.values())
        done_form = DoneForm(
            answered=[actor for actor in answered if actor.pk != post.actor_id],
            others=Actor.objects.current().exclude(pk=post.actor_id).only("pk", "name"),
        )
    collaboration_visible = (
        post.collaboration is not None
        and services.visible_to(user).filter(pk=post.collaboration_id).exists()
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
    return _detail(request, _get_post(request.user, pk))


@require_POST
@login_required
def post_answer(request, pk):
    post = _get_post(request.user, pk)
    if not sharing.is_on_board(post):
        messages.error(
            request, _("This post is closed or past its date: it takes no more answers.")
        )
        return redirect("collaboration:sharing-detail", pk=post.pk)
    actors = actors_for(request.user).exclude(pk=post.actor_id)
    form = AnswerForm(request.POST, actors=actors)
    if form.is_valid():
        try:
            sharing.post_answer(by=request.user, post=post, **form.cleaned_data)
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
    post = _get_post_to_manage(request.user, pk)
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
            post = sharing.post_done(
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
    post = _get_post_to_manage(request.user, pk)
    try:
        sharing.post_withdraw(by=request.user, post=post)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("collaboration:sharing-detail", pk=post.pk)
    messages.success(request, _("The post is withdrawn from the sharing board."))
    return redirect("collaboration:sharing")
