"""What the digest says: each section's data read once for a period, rendered
once per language, and assembled into each recipient's mail from the
sections they keep and may open the pages of (permissions.digest_sections:
the waiting requests go to coordinators only). Its links
start with one base URL (centre.links): that of the request that sends it
now, or SITE_URL when beat sends it."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Count, Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from actors.models import Actor, Membership, Offer
from bookings import parallel
from bookings.models import Booking, Status
from centre import links, mail
from centre.models import Centre
from centre.selectors import aware

from ..models import (
    Collaboration,
    DigestSection,
    DigestSubscription,
    Form,
    HouseRule,
    Meeting,
    Participation,
    SharingPost,
)
from ..permissions import collaboration_reader, digest_sections
from ..stats.period import Filters
from ..stats.reach import reach
from .subscriptions import recipients, unsubscribe_token, verified_addresses

NAMED = 100  # the collaborations a digest names at most (it counts them all)


@dataclass
class Content:
    """The digest's data for one period, read once, whatever the number of recipients."""

    period: datetime.date
    since: datetime.date
    activities: list = field(default_factory=list)
    requests: int = 0
    parallel_days: list = field(default_factory=list)
    gaps: object = None
    collaborations: list = field(default_factory=list)
    collaborations_total: int = 0
    named: list = field(default_factory=list)  # the collaborations logged, with their actors
    sharing: list = field(default_factory=list)
    actors: list = field(default_factory=list)
    offers: list = field(default_factory=list)
    rules: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    reach: object = None  # the week's head counts (stats.reach)

    def empty(self, section: str) -> bool:
        return {
            DigestSection.ACTIVITIES: not self.activities,
            DigestSection.REQUESTS: not self.requests,
            DigestSection.PARALLEL: not self.parallel_days,
            DigestSection.COLLABORATIONS: not (
                self.collaborations_total or (self.reach and self.reach.dates)
            ),
            DigestSection.SHARING: not self.sharing,
            DigestSection.ACTORS: not (self.actors or self.offers),
            DigestSection.COUNCIL: not (self.rules or self.meetings),
        }[section]


def gather(period: datetime.date) -> Content:
    """Everything the sections show, in a fixed number of queries."""
    since = period - datetime.timedelta(days=7)
    week_end = period + datetime.timedelta(days=7)
    content = Content(period=period, since=since)
    content.activities = list(
        Booking.objects.visible_to(None)
        .listed()  # confirmed, and cancelled ones marked so (a closed day, a room out of use)
        .filter(start__gte=aware(period), start__lt=aware(week_end))
        .select_related("room", "actor")
        .order_by("start")[:60]
    )
    content.requests = Booking.objects.filter(
        status=Status.REQUESTED, end__gt=timezone.now()
    ).count()
    content.parallel_days = [
        day
        for day in parallel.parallel_pairs(period, week_end - datetime.timedelta(days=1))
        if day.pairs
    ]
    content.gaps = parallel.gaps(period, week_end - datetime.timedelta(days=1))
    by_form = dict(
        Collaboration.objects.filter(created__gte=aware(since), created__lt=aware(period))
        .values_list("form")
        .annotate(n=Count("pk"))
    )
    content.collaborations = [(form, by_form.get(form.value, 0)) for form in Form]
    content.collaborations_total = sum(by_form.values())
    content.named = list(
        Collaboration.objects.filter(created__gte=aware(since), created__lt=aware(period))
        .order_by("created", "pk")
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("actor").order_by("actor__name"),
            )
        )[:NAMED]
    )
    content.reach = reach(Filters(first=since, last=period - datetime.timedelta(days=1)))
    content.sharing = list(
        SharingPost.objects.filter(
            created__gte=aware(since), created__lt=aware(period), status=SharingPost.Status.OPEN
        ).select_related("actor")[:20]
    )
    content.actors = list(Actor.objects.filter(joined_on__gte=since, joined_on__lt=period))
    content.offers = list(
        Offer.objects.filter(created__gte=aware(since), created__lt=aware(period)).select_related(
            "actor"
        )[:20]
    )
    content.rules = list(
        HouseRule.objects.filter(
            status=HouseRule.Status.ADOPTED, voted_on__gte=since, voted_on__lt=period
        )
    )
    content.meetings = list(
        Meeting.objects.filter(minutes_published_on__gte=since, minutes_published_on__lt=period)
    )
    return content


@dataclass
class Rendered:
    """One language's rendering of a period's content: each section's text
    and HTML, with links starting with ``base_url``."""

    language: str
    subject: str
    sections: dict[str, tuple[str, str]]
    content: Content
    base_url: str
    # Each collaboration named: {"actors": [ids], "text": …, "html": …}; a
    # reader is shown those they may read (for_reader).
    named: list = field(default_factory=list)
    parts: dict = field(default_factory=dict, repr=False)  # for_reader's cache


def _named_line(collaboration, base_url: str) -> dict:
    parts = list(collaboration.participations.all())
    context = {
        "collaboration": collaboration,
        "actors": get_text_list([part.actor.name for part in parts], _("and")),
        "base_url": base_url,
    }
    return {
        "actors": [part.actor_id for part in parts],
        "text": render_to_string("collaboration/digest/named_line.txt", context).strip(),
        "html": render_to_string("collaboration/digest/named_line.html", context).strip(),
    }


def for_reader(
    user, sections: dict, named: list, base_url: str, language: str, skipped=(), cache=None
) -> list[tuple[str, str, str]]:
    """The sections ``user`` receives, as (key, text, html): those they may
    open and keep, the collaborations' one naming those they may read (the
    others counted, not named). ``sections`` and ``named`` are a Rendered's
    or a kept issue's; ``cache`` keeps the named parts by who is shown."""
    readable = digest_sections(user)
    result = []
    for key, (text, html) in sections.items():
        if key in skipped or key not in readable:
            continue
        if key == DigestSection.COLLABORATIONS:
            reads = collaboration_reader(user)
            shown = tuple(i for i, line in enumerate(named) if reads(line["actors"]))
            part = None if cache is None else cache.get(shown)
            if part is None:
                context = {
                    "lines": [mark_safe(named[i]["html"]) for i in shown],  # escaped when rendered
                    "texts": [named[i]["text"] for i in shown],
                    "hidden": len(named) - len(shown),
                    "base_url": base_url,
                }
                with translation.override(language):
                    part = (
                        render_to_string("collaboration/digest/named.txt", context).strip(),
                        render_to_string("collaboration/digest/named.html", context).strip(),
                    )
                if cache is not None:
                    cache[shown] = part
            text, html = f"{text}\n{part[0]}", mark_safe(f"{html}\n{part[1]}")
        result.append((key, text, mark_safe(html)))  # rendered from templates, escaped there
    return result


def render(
    content: Content, language: str, centre: Centre | None = None, base_url: str | None = None
) -> Rendered:
    base_url = base_url or links.base_url()
    base = {"content": content, "base_url": base_url, "centre": centre or Centre.load()}
    with translation.override(language):
        sections = {}
        for section in DigestSection:
            if content.empty(section):
                continue
            context = {**base, "section": section, "title": section.label}
            sections[section.value] = (
                render_to_string(f"collaboration/digest/{section.value}.txt", context).strip(),
                render_to_string(f"collaboration/digest/{section.value}.html", context).strip(),
            )
        subject = mail.subject_line("collaboration/digest/digest", base)
        named = [_named_line(collaboration, base_url) for collaboration in content.named]
    return Rendered(
        language=language,
        subject=subject,
        sections=sections,
        content=content,
        base_url=base_url,
        named=named,
    )


def message_for(
    user, rendered: Rendered, skipped: set[str], centre: Centre | None = None
) -> EmailMultiAlternatives:
    unsubscribe = rendered.base_url + reverse(
        "collaboration:digest-unsubscribe", args=[unsubscribe_token(user)]
    )
    sections = for_reader(
        user,
        rendered.sections,
        rendered.named,
        rendered.base_url,
        rendered.language,
        skipped=skipped,
        cache=rendered.parts,
    )
    return mail.message(
        to=[user.email],
        template="collaboration/digest/digest",
        context={
            "recipient": user,
            "content": rendered.content,
            "sections": [(key, text) for key, text, _html in sections],
            "html_sections": [(key, html) for key, _text, html in sections],
            "unsubscribe_url": unsubscribe,
            "settings_url": rendered.base_url + reverse("collaboration:digest-settings"),
            "base_url": rendered.base_url,
            "centre": centre or Centre.load(),
        },
        language=rendered.language,
        base_url=rendered.base_url,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


class Builder:
    """Builds the digest for many recipients: content once, rendering once
    per language. Its links start with ``base_url`` (captured from the
    request that sends the digest) if its host is allowed, else with the
    current request's or SITE_URL (centre.links.base_url)."""

    def __init__(self, period: datetime.date, base_url: str | None = None):
        self.period = period
        self.base_url = links.base_url(given=base_url)
        self.content = gather(period)
        self._rendered: dict[str, Rendered] = {}
        self._skipped = dict(DigestSubscription.objects.values_list("user_id", "skipped_sections"))
        self.centre = Centre.load()

    def rendered(self, language: str) -> Rendered:
        if language not in self._rendered:
            self._rendered[language] = render(self.content, language, self.centre, self.base_url)
        return self._rendered[language]

    def message(self, user) -> EmailMultiAlternatives:
        return message_for(
            user,
            self.rendered(language_of(user)),
            set(self._skipped.get(user.pk) or []),
            self.centre,
        )


def language_of(user) -> str:
    """The language a person's digest is written in."""
    return user.language if user.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def know_actors(users) -> None:
    """Read the actors of many readers in one query (actor_ids_for's memo),
    so that naming collaborations to each asks nothing more."""
    by_user = {user.pk: set() for user in users}
    for user_id, actor_id in (
        Membership.objects.current().filter(user_id__in=by_user).values_list("user_id", "actor_id")
    ):
        by_user[user_id].add(actor_id)
    for user in users:
        user.__dict__.setdefault("_samhus_actor_ids", {})[None] = frozenset(by_user[user.pk])


def build_all(period: datetime.date) -> list[EmailMultiAlternatives]:
    """Every recipient's digest for ``period``, without sending (the benchmark
    and the tests measure this): a fixed number of queries whatever their number."""
    users = recipients(period)
    verified = verified_addresses(users)
    builder = Builder(period)
    know_actors(users)
    return [builder.message(user) for user in users if user.pk in verified]
