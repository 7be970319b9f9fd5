"""The demo house's season round: the coming season's applications are open,
and Kvindeforum has applied for a weekly evening. Idempotent."""

import datetime

from django.utils import timezone

from actors.models import Actor, TargetGroup
from bookings.models import Room
from centre.models import User

from . import services
from .models import Round

NAME = "Sæson 2027/28"


def foreign_data() -> list[str]:
    others = Round.objects.exclude(name=NAME).count()
    return [f"{others} season round(s) not in the demo"] if others else []


def load() -> None:
    if Round.objects.filter(name=NAME).exists():
        return
    now = timezone.now()
    year = timezone.localdate().year + 1
    round_ = Round.objects.create(
        name=NAME,
        season_start=datetime.date(year, 8, 10),
        season_end=datetime.date(year + 1, 6, 20),
        applications_open=now - datetime.timedelta(days=1),
        applications_close=now + datetime.timedelta(days=60),
        offpeak_share=25,
        note="Søg jeres faste ugentlige tider for den kommende sæson. Skriv gerne hvem holdet er for.",
    )
    round_.rooms.set(Room.objects.filter(slug__in=["multisalen", "cafeen", "vaerkstedet"]))
    booker = User.objects.filter(email="forening@samhus.test").first()
    actor = Actor.objects.filter(slug="kvindeforum").first()
    adults = TargetGroup.objects.filter(slug="women").first()
    hall = round_.rooms.filter(slug="multisalen").first()
    if booker and actor and adults and hall:
        services.application_save(
            by=booker,
            round_=round_,
            actor=actor,
            wishes=[
                {
                    "title": "Kvindecafé",
                    "room": hall,
                    "weekday": 1,
                    "start_time": datetime.time(17),
                    "minutes": 120,
                    "people": 25,
                    "target_group": adults,
                    "preference": 1,
                }
            ],
        )
