"""Each role's home: where a person lands after signing in (LOGIN_REDIRECT_URL).
Residents, who do not sign in, keep the house's front page (``bookings:home``)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils import translation

from centre import links
from centre.roles import Role, roles_of
from collaboration.digest import archive, build
from collaboration.models import DigestIssue
from collaboration.permissions import can_read_digest_archive, role_required

from . import selectors


@login_required
def home(request):
    """One part per role the person holds: coordinator, actor member, council
    member; someone signed in with none of them is told how to get one."""
    roles = roles_of(request.user)
    context = {"roles_held": roles - {Role.RESIDENT}}
    if Role.COORDINATOR in roles:
        context["coordinator"] = selectors.coordinator_home()
    if Role.MEMBER in roles:
        context["member"] = selectors.member_home(request.user)
    if Role.COUNCIL in roles:
        context["council"] = selectors.council_home()
    return render(request, "homes/home.html", context)


@login_required
def digest(request):
    """The latest digest that went out, on the web, as it was sent, with the
    sections and collaborations this reader may read (as their mail has
    them; every signed-in person may read their own). A week sent before
    issues were kept is built again, with its figures as they are now."""
    issue = archive.latest(translation.get_language())
    period, sent = selectors.latest_digest_period()
    if issue is not None and (period is None or issue.period >= period):
        return _issue_page(request, issue)
    sections = []
    if period is not None:
        rendered = build.render(
            build.gather(period), translation.get_language(), base_url=links.base_url(request)
        )
        sections = [
            html
            for _key, _text, html in build.for_reader(
                request.user,
                rendered.sections,
                rendered.named,
                rendered.base_url,
                rendered.language,
            )
        ]
    return render(
        request,
        "homes/digest.html",
        {"period": period, "sent": sent, "sections": sections, "rebuilt": True},
    )


def _issue_page(request, issue):
    sections = [html for _key, _text, html in archive.sections_for(request.user, issue)]
    return render(
        request,
        "homes/digest.html",
        {
            "issue": issue,
            "period": issue.period,
            "sent": issue.sent,
            "sections": sections,
            "archive": can_read_digest_archive(request.user),
        },
    )


@role_required(can_read_digest_archive)
def digest_archive(request):
    """Every issue sent, newest first, for council members and coordinators."""
    return render(request, "homes/digest_archive.html", {"periods": archive.listing()})


@role_required(can_read_digest_archive)
def digest_issue(request, pk):
    """One issue as it was sent, with what this reader may read."""
    return _issue_page(request, get_object_or_404(DigestIssue, pk=pk))
