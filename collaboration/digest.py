"""The house council's weekly digest, built from the house's own data and
delivered exactly once per recipient and period.

- **When**: weekly on the centre's weekday and time (default Monday 07:00,
  Europe/Copenhagen). A period is named by the date of its scheduled moment.
  Beat asks every few minutes; only the latest period that is due is ever
  created, so a beat that was down for days sends the current digest once
  and no stale ones.
- **Who**: current council members unless they opted out, and anyone who
  opted in. A recipient without a verified address is recorded as skipped.
- **Exactly once**: one DigestDelivery row per (period, recipient), unique in
  the database; a send claims its row by a conditional update
  (pending → sending) before talking to SMTP, so a second worker or a
  redelivered task finds nothing to claim. SMTP failures put the row back to
  pending with a later attempt time and the task retries with exponential
  backoff; after the last retry the row is failed, for coordinators to see.
- **Content**: each section is computed once and rendered once per language;
  a recipient's mail only assembles the sections they keep."""

import datetime
import smtplib
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from actors.models import Actor, Offer
from bookings import parallel
from bookings.models import Booking, Status
from centre.models import Centre, User
from centre.selectors import aware

from .models import (
    Collaboration,
    CouncilMember,
    DigestDelivery,
    DigestSection,
    DigestSubscription,
    Form,
    HouseRule,
    Meeting,
    SharingPost,
)

TOKEN_SALT = "samhus.digest.unsubscribe"
MAX_RETRIES = 5
# A claim older than this is a send that died half-way: marked failed, never resent.
STALE_CLAIM = datetime.timedelta(hours=1)


# --- when ----------------------------------------------------------------------------


def scheduled_moment(centre: Centre, now: datetime.datetime) -> datetime.datetime:
    """This week's scheduled moment (Monday-based week), local time."""
    today = timezone.localdate(now)
    monday = today - datetime.timedelta(days=today.weekday())
    day = monday + datetime.timedelta(days=centre.digest_weekday)
    return timezone.make_aware(datetime.datetime.combine(day, centre.digest_time))


def latest_due(centre: Centre, now: datetime.datetime | None = None) -> datetime.date:
    """The period whose moment is the latest one at or before ``now``."""
    now = now or timezone.now()
    moment = scheduled_moment(centre, now)
    if moment > now:
        moment -= datetime.timedelta(days=7)
    return timezone.localdate(moment)


def current_period(centre: Centre, now: datetime.datetime | None = None) -> datetime.date:
    """The period "send now" and the preview belong to: the next scheduled
    one (this moment's, if it is now), so that the scheduled run finds it
    sent and does not send it again."""
    now = now or timezone.now()
    moment = scheduled_moment(centre, now)
    if moment < now:
        moment += datetime.timedelta(days=7)
    return timezone.localdate(moment)


# --- who -------------------------------------------------------------------------------


def recipients(on: datetime.date) -> list[User]:
    """Council members who did not opt out, and everybody who opted in."""
    council = set(CouncilMember.objects.current(on).values_list("user_id", flat=True))
    subscriptions = dict(DigestSubscription.objects.values_list("user_id", "subscribed"))
    wanted = {pk for pk in council if subscriptions.get(pk, True)} | {
        pk for pk, subscribed in subscriptions.items() if subscribed
    }
    return list(User.objects.filter(pk__in=wanted, is_active=True).order_by("pk"))


def verified_addresses(users) -> set[int]:
    """The users whose login address is verified."""
    return set(
        EmailAddress.objects.filter(
            user__in=users, verified=True, email__iexact=F("user__email")
        ).values_list("user_id", flat=True)
    )


# --- what ------------------------------------------------------------------------------


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
    sharing: list = field(default_factory=list)
    actors: list = field(default_factory=list)
    offers: list = field(default_factory=list)
    rules: list = field(default_factory=list)
    meetings: list = field(default_factory=list)

    def empty(self, section: str) -> bool:
        return {
            DigestSection.ACTIVITIES: not self.activities,
            DigestSection.REQUESTS: not self.requests,
            DigestSection.PARALLEL: not self.parallel_days,
            DigestSection.COLLABORATIONS: not self.collaborations_total,
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
        .confirmed()
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
    """One language's rendering: each section's text and HTML."""

    language: str
    subject: str
    sections: dict[str, tuple[str, str]]


def render(content: Content, language: str, centre: Centre | None = None) -> Rendered:
    base = {"content": content, "site_url": settings.SITE_URL, "centre": centre or Centre.load()}
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
        subject = " ".join(render_to_string("collaboration/digest/subject.txt", base).split())
    return Rendered(language=language, subject=subject, sections=sections)


def unsubscribe_token(user) -> str:
    return signing.dumps({"u": user.pk}, salt=TOKEN_SALT, compress=True)


def user_for_token(token: str) -> User | None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=data.get("u")).first() if isinstance(data, dict) else None


def message_for(
    user, rendered: Rendered, skipped: set[str], centre: Centre | None = None
) -> EmailMultiAlternatives:
    unsubscribe = settings.SITE_URL + reverse(
        "collaboration:digest-unsubscribe", args=[unsubscribe_token(user)]
    )
    sections = [(key, value) for key, value in rendered.sections.items() if key not in skipped]
    with translation.override(rendered.language):
        context = {
            "recipient": user,
            "sections": [(key, text) for key, (text, _html) in sections],
            "html_sections": [
                (key, mark_safe(html)) for key, (_text, html) in sections
            ],  # rendered from templates, escaped there
            "unsubscribe_url": unsubscribe,
            "settings_url": settings.SITE_URL + reverse("collaboration:digest-settings"),
            "site_url": settings.SITE_URL,
            "centre": centre or Centre.load(),
        }
        text = render_to_string("collaboration/digest/digest.txt", context)
        html = render_to_string("collaboration/digest/digest.html", context)
    message = EmailMultiAlternatives(
        rendered.subject,
        text,
        None,
        [user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


class Builder:
    """Builds the digest for many recipients: content once, rendering once per language."""

    def __init__(self, period: datetime.date):
        self.period = period
        self.content = gather(period)
        self._rendered: dict[str, Rendered] = {}
        self._skipped = dict(DigestSubscription.objects.values_list("user_id", "skipped_sections"))
        self.centre = Centre.load()

    def rendered(self, language: str) -> Rendered:
        if language not in self._rendered:
            self._rendered[language] = render(self.content, language, self.centre)
        return self._rendered[language]

    def message(self, user) -> EmailMultiAlternatives:
        language = (
            user.language if user.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        )
        return message_for(
            user, self.rendered(language), set(self._skipped.get(user.pk) or []), self.centre
        )


# --- delivering exactly once --------------------------------------------------------------


def create_deliveries(period: datetime.date) -> dict[str, int]:
    """One row per recipient for ``period`` (existing rows are left alone);
    recipients without a verified address are recorded as skipped."""
    users = recipients(period)
    verified = verified_addresses(users)
    rows = [
        DigestDelivery(
            period=period,
            recipient=user,
            status=DigestDelivery.Status.PENDING
            if user.pk in verified
            else DigestDelivery.Status.SKIPPED,
            error="" if user.pk in verified else "no verified e-mail address",
        )
        for user in users
    ]
    DigestDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    return {
        "recipients": len(users),
        "skipped": sum(1 for user in users if user.pk not in verified),
    }


def due_deliveries(period: datetime.date) -> list[int]:
    """The period's rows waiting to be sent now (not those waiting for a retry)."""
    now = timezone.now()
    return list(
        DigestDelivery.objects.filter(period=period, status=DigestDelivery.Status.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .values_list("pk", flat=True)
    )


def claim(delivery_id: int) -> bool:
    """Take the row for sending; False when someone else has it or it is done."""
    now = timezone.now()
    return bool(
        DigestDelivery.objects.filter(pk=delivery_id, status=DigestDelivery.Status.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=DigestDelivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )


def send_claimed(delivery_id: int, builder: Builder | None = None) -> None:
    """Send a claimed row's mail and mark it sent. Raises on SMTP failure,
    leaving the row claimed for the caller to release or fail."""
    delivery = DigestDelivery.objects.select_related("recipient").get(pk=delivery_id)
    builder = builder or Builder(delivery.period)
    builder.message(delivery.recipient).send()
    DigestDelivery.objects.filter(pk=delivery_id).update(
        status=DigestDelivery.Status.SENT, sent_at=timezone.now(), error=""
    )


def release_for_retry(delivery_id: int, error: str, countdown: float) -> None:
    DigestDelivery.objects.filter(pk=delivery_id, status=DigestDelivery.Status.SENDING).update(
        status=DigestDelivery.Status.PENDING,
        error=error[:1000],
        next_attempt_at=timezone.now() + datetime.timedelta(seconds=countdown),
    )


def fail(delivery_id: int, error: str) -> None:
    DigestDelivery.objects.filter(pk=delivery_id).update(
        status=DigestDelivery.Status.FAILED, error=error[:1000]
    )


def fail_stale_claims() -> int:
    """A send that died between claim and SMTP's answer may or may not have
    gone out: it is marked failed for a coordinator to look at, never resent."""
    return DigestDelivery.objects.filter(
        status=DigestDelivery.Status.SENDING, claimed_at__lt=timezone.now() - STALE_CLAIM
    ).update(status=DigestDelivery.Status.FAILED, error="interrupted while sending")


SMTP_ERRORS = (smtplib.SMTPException, OSError)


def subscription_for(user) -> DigestSubscription:
    try:
        with transaction.atomic():
            subscription, _created = DigestSubscription.objects.get_or_create(
                user=user,
                defaults={"subscribed": CouncilMember.objects.current().filter(user=user).exists()},
            )
    except IntegrityError:
        subscription = DigestSubscription.objects.get(user=user)
    return subscription


def build_all(period: datetime.date) -> list[EmailMultiAlternatives]:
    """Every recipient's digest for ``period``, without sending (the benchmark
    and the tests measure this): a fixed number of queries whatever their number."""
    users = recipients(period)
    verified = verified_addresses(users)
    builder = Builder(period)
    return [builder.message(user) for user in users if user.pk in verified]
