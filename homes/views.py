"""Each role's home: where a person lands after signing in (LOGIN_REDIRECT_URL).
Residents, who do not sign in, keep the house's front page (``bookings:home``)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import translation
from django.utils.safestring import mark_safe

from centre import links
from centre.roles import Role, roles_of
from collaboration.digest import build
from collaboration.permissions import digest_sections

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
    """The latest digest that went out, on the web, with the sections this
    reader may open (as their mail has them; every signed-in person may read
    their own). Its figures are read again now."""
    period, sent = selectors.latest_digest_period()
    sections = []
    if period is not None:
        rendered = build.render(
            build.gather(period), translation.get_language(), base_url=links.base_url(request)
        )
        readable = digest_sections(request.user)
        # Rendered from the digest's templates, which escape what they show.
        sections = [
            mark_safe(html) for key, (_text, html) in rendered.sections.items() if key in readable
        ]
    return render(
        request, "homes/digest.html", {"period": period, "sent": sent, "sections": sections}
    )
