"""The demo house's council: one seat so far, the chair."""

import datetime

from actors.models import Actor
from centre.models import User

from .models import CouncilMember


def foreign_data() -> list[str]:
    return []


def load() -> None:
    CouncilMember.objects.get_or_create(
        user=User.objects.get(email="husraad@samhus.test"),
        actor=Actor.objects.get(slug="kvarterhusledelsen"),
        defaults={"role": CouncilMember.Role.CHAIR, "since": datetime.date(2025, 1, 1)},
    )
