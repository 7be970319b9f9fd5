from copy import copy

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from centre.forms import add_service_error

from . import permissions, services
from .adapter import INVITATION_SESSION_KEY
from .filters import ActorFilter, OfferFilter
from .forms import ActorForm, InvitationForm, MembershipRoleForm, OfferForm, VocabularyForm
from .models import Actor, Invitation, Offer

PAGE_SIZE = 50


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- public ------------------------------------------------------------------


def actor_list(request):
    filterset = ActorFilter(request.GET, queryset=Actor.objects.for_directory())
    return render(
        request,
        "actors/actor_list.html",
        {
            "filter": filterset,
            "page": _page(request, filterset.qs),
            "can_create": permissions.can_create_actor(request.user),
        },
    )


def actor_detail(request, slug):
    actor = get_object_or_404(Actor.objects.prefetch_related("languages"), slug=slug)
    offers = actor.offers.filter(is_active=True).prefetch_related(
        "target_groups", "themes", "languages"
    )
    # Through the reverse relation the bookings app defines: actors imports none of it.
    activities = (
        actor.bookings.visible_to(None)
        .confirmed()
        .upcoming()
        .select_related("room")
        .order_by("start")[:10]
    )
    return render(
        request,
        "actors/actor_detail.html",
        {
            "actor": actor,
            "offers": offers,
            "activities": activities,
            "can_manage": permissions.can_manage_actor(request.user, actor),
            "can_archive": permissions.can_archive_actor(request.user, actor),
        },
    )


def offer_list(request):
    filterset = OfferFilter(request.GET, queryset=Offer.objects.for_overview())
    return render(
        request,
        "actors/offer_list.html",
        {
            "filter": filterset,
            "page": _page(request, filterset.qs),
            "can_manage_lists": permissions.can_manage_vocabulary(request.user),
        },
    )


# --- actors --------------------------------------------------------------------


@login_required
def actor_create(request):
    if not permissions.can_create_actor(request.user):
        raise PermissionDenied
    form = ActorForm(request.POST or None, request.FILES or None, can_archive=True)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            actor = services.actor_create(by=request.user, **data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(actor)s is in the house.") % {"actor": actor})
            return redirect(actor)
    return render(request, "actors/actor_form.html", {"form": form})


@login_required
def actor_edit(request, slug):
    actor = permissions.get_actor_to_manage(request.user, slug)
    can_archive = permissions.can_archive_actor(request.user, actor)
    # The form validates on its own copy: a refused name or slug must not
    # relabel the page's title and its way back.
    form = ActorForm(
        request.POST or None, request.FILES or None, instance=copy(actor), can_archive=can_archive
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            actor = services.actor_update(
                actor=Actor.objects.get(pk=actor.pk), by=request.user, **data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The page of %(actor)s is saved.") % {"actor": actor})
            return redirect(actor)
    return render(request, "actors/actor_form.html", {"form": form, "actor": actor})


@require_POST
@login_required
def actor_archive(request, slug):
    actor = get_object_or_404(Actor, slug=slug)
    if not permissions.can_archive_actor(request.user, actor):
        raise PermissionDenied
    if request.POST.get("confirm") != "1" and not actor.is_archived:
        return render(
            request,
            "includes/confirm.html",
            {
                "title": _("%(actor)s leaves the house?") % {"actor": actor},
                "consequences": services.archive_consequences(actor),
                "action": reverse("actors:actor-archive", args=[actor.slug]),
                "button": _("Yes, %(actor)s leaves the house today") % {"actor": actor},
                "back": actor.get_absolute_url(),
            },
        )
    try:
        services.actor_archive(actor=actor, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(actor)s has left the house. Its history is kept.") % {"actor": actor}
        )
    return redirect(actor)


@require_POST
@login_required
def actor_restore(request, slug):
    actor = get_object_or_404(Actor, slug=slug)
    if not permissions.can_archive_actor(request.user, actor):
        raise PermissionDenied
    services.actor_restore(actor=actor, by=request.user)
    messages.success(request, _("%(actor)s is back in the house.") % {"actor": actor})
    return redirect(actor)


@login_required
def my_actors(request):
    memberships = request.user.memberships.select_related("actor").order_by("actor__name")
    return render(request, "actors/my_actors.html", {"memberships": memberships})


# --- members and invitations -------------------------------------------------------


@login_required
def member_list(request, slug):
    actor = permissions.get_actor_to_manage(request.user, slug)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                actor=actor, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("An invitation is on its way to %(email)s. The link works for 14 days.")
                % {"email": invitation.email},
            )
            return redirect("actors:member-list", slug=actor.slug)
    return render(
        request,
        "actors/member_list.html",
        {
            "actor": actor,
            "memberships": actor.memberships.select_related("user").order_by("user__email"),
            "invitations": actor.invitations.pending().select_related("invited_by"),
            "form": form,
            "role_form": MembershipRoleForm(),
        },
    )


@require_POST
@login_required
def member_role(request, pk):
    membership = permissions.get_membership_to_manage(request.user, pk)
    form = MembershipRoleForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose one of the roles in the list."))
        services.membership_change_role(
            membership=membership, role=form.cleaned_data["role"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The role of %(person)s is changed.") % {"person": membership.user}
        )
    return redirect("actors:member-list", slug=membership.actor.slug)


@require_POST
@login_required
def member_remove(request, pk):
    membership = permissions.get_membership_to_manage(request.user, pk)
    try:
        services.membership_remove(membership=membership, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(person)s no longer acts for %(actor)s. What they did is kept.")
            % {"person": membership.user, "actor": membership.actor},
        )
    return redirect("actors:member-list", slug=membership.actor.slug)


@require_POST
@login_required
def invitation_revoke(request, pk):
    invitation = permissions.get_invitation_to_manage(request.user, pk)
    try:
        services.invitation_revoke(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
        )
    return redirect("actors:member-list", slug=invitation.actor.slug)


def invitation_accept(request, token):
    """The link in the invitation e-mail: sign up (address counted as verified),
    sign in, or simply join when already signed in."""
    invitation = get_object_or_404(Invitation.objects.select_related("actor"), token=token)
    problem = invitation.problem()
    if problem:
        return render(
            request,
            "actors/invitation_accept.html",
            {"invitation": invitation, "problem": problem},
            status=410,
        )
    if not request.user.is_authenticated:
        if get_user_model().objects.filter(email__iexact=invitation.email).exists():
            messages.info(
                request,
                _("Sign in as %(email)s to accept the invitation.") % {"email": invitation.email},
            )
            return redirect_to_login(request.get_full_path())
        from allauth.account.adapter import get_adapter

        request.session[INVITATION_SESSION_KEY] = invitation.token
        get_adapter(request).stash_verified_email(request, invitation.email)
        messages.info(
            request,
            _("Create your account to join %(actor)s. Your e-mail address is already confirmed.")
            % {"actor": invitation.actor},
        )
        return redirect("account_signup")
    if request.method == "POST":
        try:
            membership = services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            return render(
                request,
                "actors/invitation_accept.html",
                {"invitation": invitation, "problem": " ".join(error.messages)},
                status=410,
            )
        messages.success(request, _("Welcome to %(actor)s.") % {"actor": membership.actor})
        return redirect(membership.actor)
    return render(request, "actors/invitation_accept.html", {"invitation": invitation})


# --- offers ----------------------------------------------------------------------------


def _offer_form(request, offer, actor):
    form = OfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        relations = {
            name: form.cleaned_data.pop(name) for name in ("target_groups", "themes", "languages")
        }
        offer = form.save(commit=False)
        offer.actor = actor
        try:
            services.offer_save(offer=offer, by=request.user, **relations)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The offer “%(title)s” is saved.") % {"title": offer.title})
            return redirect(actor)
    status = 400 if form.errors else 200
    context = {"form": form, "actor": actor, "offer": offer}
    return render(request, "actors/offer_form.html", context, status=status)


@login_required
def offer_create(request, slug):
    actor = permissions.get_actor_to_manage(request.user, slug)
    return _offer_form(request, Offer(actor=actor), actor)


@login_required
def offer_edit(request, pk):
    offer = permissions.get_offer_to_manage(request.user, pk)
    return _offer_form(request, offer, offer.actor)


# --- vocabulary ---------------------------------------------------------------------------


@login_required
def vocabulary(request):
    if not permissions.can_manage_vocabulary(request.user):
        raise PermissionDenied
    form = VocabularyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        model = VocabularyForm.KINDS[form.cleaned_data["kind"]]
        try:
            item = services.vocabulary_add(
                model=model, name=form.cleaned_data["name"], by=request.user
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("“%(name)s” is added.") % {"name": item.label})
            return redirect("actors:vocabulary")
    lists = [
        (label, VocabularyForm.KINDS[key].objects.all())
        for key, label in VocabularyForm.base_fields["kind"].choices
    ]
    return render(request, "actors/vocabulary.html", {"form": form, "lists": lists})
