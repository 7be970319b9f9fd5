"""The demo house: Kvarterhuset på Motalavej in Korsør, as the research report
describes it. Each app adds its own part in <app>/demo.py; `manage.py demo`
loads them in INSTALLED_APPS order. Every step is idempotent."""

import datetime

from allauth.account.models import EmailAddress
from django.utils import timezone

from . import services
from .models import Centre, ClosedDay, OpeningHours, User

DEMO_DOMAIN = "samhus.test"
DEMO_PASSWORD = "samhus-demo"

USERS = [
    # email, name, coordinator, what they can try
    ("koordinator@samhus.test", "Mette Sørensen", True, "coordinator"),
    ("forening@samhus.test", "Fatima Ali", False, "member of Kvindeforum (an association)"),
    ("husraad@samhus.test", "Jens Hansen", False, "council member (chair)"),
]

HOURS = [
    (0, "09:00", "21:00"),
    (1, "09:00", "21:00"),
    (2, "09:00", "21:00"),
    (3, "09:00", "21:00"),
    (4, "09:00", "16:00"),
    (5, "10:00", "14:00"),
]


def _time(value: str) -> datetime.time:
    return datetime.time.fromisoformat(value)


def foreign_data() -> list[str]:
    """What in the database is not the demo's, described for a person."""
    found = []
    others = User.objects.exclude(email__endswith="@" + DEMO_DOMAIN).count()
    if others:
        found.append(f"{others} user(s) outside @{DEMO_DOMAIN}")
    centre = Centre.objects.filter(pk=1).first()
    if centre and centre.name not in ("Samhus", "Kvarterhuset på Motalavej"):
        found.append(f"the centre “{centre.name}”")
    return found


def load() -> None:
    Centre.objects.update_or_create(
        pk=1,
        defaults={
            "name": "Kvarterhuset på Motalavej",
            "kind": Centre.Kind.HOUSING_AREA,
            "tagline_da": "Beboernes hus – et socialt samlingspunkt på tværs af beboergrupper",
            "tagline_en": "The residents' house – a meeting place across groups of residents",
            "tagline_ar": "بيت السكان – ملتقى اجتماعي لكل فئات السكان",
            # The lobby screen takes turns in Danish, Arabic and English.
            "screen_languages": "da,ar,en",
            "description_da": (
                "Kvarterhuset ejes af BoligKorsør og hører til tre afdelinger med omkring "
                "800 boliger. Seks beboerdemokrater udgør kvarterhusledelsen, der driver "
                "huset til daglig og råder over et årligt aktivitetsbudget.\n\n"
                "Her holder Café Sumak, ungetilbuddet Basen og helhedsplanen En Fælles "
                "Indsats til, og foreninger, UU, kvindeforum, økonomisk rådgivning, zumba "
                "og yoga bruger husets lokaler."
            ),
            "address": "Motalavej",
            "postcode": "4220",
            "city": "Korsør",
            "phone": "+45 58 35 00 00",
            "email": "kvarterhuset@samhus.test",
        },
    )
    wanted = [(day, _time(opens), _time(closes)) for day, opens, closes in HOURS]
    current = [(h.weekday, h.opens, h.closes) for h in OpeningHours.objects.all()]
    if current != wanted:
        services.opening_hours_replace(rows=wanted)

    year = timezone.localdate().year
    services.public_holidays_fill(years=[year, year + 1])
    for month, day, name in [(12, 24, "Juleaften"), (12, 31, "Nytårsaften")]:
        ClosedDay.objects.get_or_create(
            date=datetime.date(year, month, day),
            defaults={"name": name, "source": ClosedDay.Source.HOUSE},
        )

    for email, name, coordinator, _role in USERS:
        user, created = User.objects.get_or_create(
            email=email, defaults={"name": name, "is_coordinator": coordinator}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
