"""What Samhus holds about a person (GDPR articles 15 and 17): an export of
everything linked to their account, and forgetting them.

The export follows every relation to the user model, so a model added later
is exported without changing this file. Secrets (the password hash, two-factor
secrets, session contents) are never exported. Forgetting deletes what only
concerns the person (addresses, memberships, seats, subscriptions, two-factor
devices, sessions, invitations to their address) and pseudonymises the account
itself: bookings stay as anonymous occupancy of the rooms, and history entries
keep pointing at an account that no longer says who it was."""

import datetime
import json

from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from .models import PrivacyLog, User
from .selectors import aware

# Fields never exported, by model label.
SECRET_FIELDS = {
    "centre.User": {"password"},
    "mfa.Authenticator": {"data"},
}
# Rows deleted when a person is forgotten (the rest is kept, pointing at the
# pseudonymised account).
FORGET_DELETES = {
    "account.EmailAddress",
    "mfa.Authenticator",
    "actors.Membership",
    "collaboration.CouncilMember",
    "collaboration.DigestSubscription",
    "collaboration.DigestDelivery",
    "socialaccount.SocialAccount",
}


def _relations():
    """(model, field name) for every foreign key and one-to-one to the user model."""
    for field in User._meta.get_fields(include_hidden=True):
        if (
            field.is_relation
            and field.auto_created
            and not field.concrete
            and isinstance(field.field, models.ForeignKey | models.OneToOneField)
        ):
            yield field.related_model, field.field.name


# Models that hold a person's address without a link to the account.
BY_ADDRESS = ("actors.Invitation",)
# Models that hold a person's address, whose personal fields are erased when
# the person is forgotten while the row stays (its counts): the values set.
ERASED_BY_ADDRESS = {
    "signups.SignUp": {"name": "", "email": "", "phone": "", "note": "", "erased": True},
}


def _by_address():
    return [apps.get_model(label) for label in BY_ADDRESS]


def _erased_by_address():
    return [(apps.get_model(label), values) for label, values in ERASED_BY_ADDRESS.items()]


def _address_holdings(email: str) -> dict[str, list]:
    holdings: dict[str, list] = {}
    for model in _by_address():
        rows = [_row(row) for row in model._default_manager.filter(email__iexact=email)]
        if rows:
            holdings[f"{model._meta.label} (to this address)"] = rows
    for model, _values in _erased_by_address():
        rows = [
            {key: value for key, value in _row(row).items() if key != "token"}
            for row in model._default_manager.filter(email__iexact=email)
        ]
        if rows:
            holdings[f"{model._meta.label} (to this address)"] = rows
    return holdings


def _erase_address(email: str, removed: dict[str, int], dry_run=False) -> None:
    for model, values in _erased_by_address():
        rows = model._default_manager.filter(email__iexact=email)
        count = rows.count() if dry_run else rows.update(**values)
        if count:
            removed[f"{model._meta.label} (erased)"] = count


def address_holdings_exist(email: str) -> bool:
    """Whether Samhus holds anything under this address without an account
    (a resident's sign-ups, an invitation)."""
    return bool(_address_holdings(email))


def export_address(email: str) -> dict:
    """What Samhus holds under an address that has no account."""
    holdings = _address_holdings(email)
    PrivacyLog.objects.create(
        action=PrivacyLog.Action.EXPORT,
        subject="an address without an account",
        summary={label: len(rows) for label, rows in holdings.items()},
    )
    return {"exported": timezone.now(), "about": email, "holdings": holdings}


def forget_address_preview(email: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for model in _by_address():
        count = model._default_manager.filter(email__iexact=email).count()
        if count:
            counts[model._meta.label] = count
    _erase_address(email, counts, dry_run=True)
    return counts


@transaction.atomic
def forget_address(email: str) -> dict[str, int]:
    """Forget an address that has no account: invitations to it are deleted,
    sign-ups lose their personal fields (their counts stay)."""
    removed: dict[str, int] = {}
    for model in _by_address():
        count, _detail = model._default_manager.filter(email__iexact=email).delete()
        if count:
            removed[model._meta.label] = count
    _erase_address(email, removed)
    PrivacyLog.objects.create(
        action=PrivacyLog.Action.FORGET, subject="an address without an account", summary=removed
    )
    return removed


def _row(instance) -> dict:
    secret = SECRET_FIELDS.get(instance._meta.label, set())
    data = {key: value for key, value in model_to_dict(instance).items() if key not in secret}
    for key, value in list(data.items()):
        if isinstance(value, list) and value and hasattr(value[0], "pk"):
            data[key] = [item.pk for item in value]
        elif hasattr(value, "name") and hasattr(value, "url"):  # files
            data[key] = value.name or ""
    data["id"] = instance.pk
    return data


def export(user: User) -> dict:
    """Everything linked to ``user``, model by model."""
    holdings: dict[str, list] = {"centre.User": [_row(user)]}
    for model, field in _relations():
        rows = [_row(row) for row in model._default_manager.filter(**{field: user})]
        if rows:
            holdings.setdefault(model._meta.label, []).extend(rows)
    holdings.update(_address_holdings(user.email))
    sessions = [
        {"expires": session.expire_date}
        for session in Session.objects.filter(expire_date__gt=timezone.now())
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]
    if sessions:
        holdings["sessions (contents not exported)"] = sessions
    PrivacyLog.objects.create(
        action=PrivacyLog.Action.EXPORT,
        subject=f"user #{user.pk}",
        summary={label: len(rows) for label, rows in holdings.items()},
    )
    return {
        "exported": timezone.now(),
        "about": user.email,
        "holdings": holdings,
    }


def export_json(user: User) -> str:
    return json.dumps(export(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


@transaction.atomic
def forget_preview(user: User) -> dict[str, int]:
    """What ``forget`` would delete, counted and nothing changed: said before
    a person is forgotten, so the one who does it knows what goes."""
    counts: dict[str, int] = {}
    for model, field in _relations():
        if model._meta.label in FORGET_DELETES:
            count = model._default_manager.filter(**{field: user}).count()
            if count:
                counts[model._meta.label] = count
    for model in _by_address():
        count = model._default_manager.filter(email__iexact=user.email).count()
        if count:
            counts[model._meta.label] = count
    _erase_address(user.email, counts, dry_run=True)
    return counts


def forget(user: User) -> dict:
    """Delete what only concerns ``user`` and pseudonymise the account."""
    removed: dict[str, int] = {}
    for model, field in _relations():
        if model._meta.label in FORGET_DELETES:
            count, _detail = model._default_manager.filter(**{field: user}).delete()
            if count:
                removed[model._meta.label] = count
    for model in _by_address():
        count, _detail = model._default_manager.filter(email__iexact=user.email).delete()
        if count:
            removed[model._meta.label] = count
    _erase_address(user.email, removed)
    sessions = [
        session.pk
        for session in Session.objects.all()
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk)
    ]
    Session.objects.filter(pk__in=sessions).delete()
    removed["sessions"] = len(sessions)
    user.email = f"forgotten-{user.pk}@invalid.example"
    user.name = ""
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.is_coordinator = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.last_login = None
    user.date_joined = aware(datetime.date(2000, 1, 1))
    user.save()
    PrivacyLog.objects.create(
        action=PrivacyLog.Action.FORGET, subject=f"user #{user.pk}", summary=removed
    )
    return removed
