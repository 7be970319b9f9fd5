"""Who receives the digest: council members unless they opt out, anyone who
opts in; and the signed token that unsubscribes without signing in."""

import datetime

from allauth.account.models import EmailAddress
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F

from centre.models import User

from ..models import CouncilMember, DigestSection, DigestSubscription

TOKEN_SALT = "samhus.digest.unsubscribe"


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


def subscription_update(
    subscription: DigestSubscription, *, subscribed: bool, sections, offered=None
) -> None:
    """Save a person's choices: whether they receive it, and which of the
    ``offered`` sections (all, unless given) they keep; a choice about a
    section not offered stays as it was."""
    offered = DigestSection.values if offered is None else offered
    subscription.subscribed = subscribed
    subscription.skipped_sections = [
        s
        for s in DigestSection.values
        if (s not in sections if s in offered else s in subscription.skipped_sections)
    ]
    subscription.save()


def unsubscribe(user) -> None:
    subscription = subscription_for(user)
    subscription.subscribed = False
    subscription.save(update_fields=["subscribed", "changed"])


def unsubscribe_token(user) -> str:
    return signing.dumps({"u": user.pk}, salt=TOKEN_SALT, compress=True)


def user_for_token(token: str) -> User | None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=data.get("u")).first() if isinstance(data, dict) else None
