"""The demo house's rooms."""

from .models import Room

ROOMS = [
    # slug, name, capacity, description
    ("cafeen", "Caféen", 40, "Husets café, drevet af Café Sumak."),
    ("koekkenet", "Køkkenet", 12, "Storkøkken til madhold og fester."),
    ("multisalen", "Multisalen", 120, "Stor sal til fester, temaaftener, zumba og yoga."),
    ("vaerkstedet", "Værkstedet", 15, "Værksted med værktøj til reparation og kreative hold."),
    ("moedelokale-1", "Mødelokale 1", 12, "Mødelokale med skærm."),
    ("moedelokale-2", "Mødelokale 2", 8, "Lille mødelokale til samtaler og rådgivning."),
]


def foreign_data() -> list[str]:
    others = Room.objects.exclude(slug__in=[slug for slug, *_ in ROOMS]).count()
    return [f"{others} room(s) not in the demo"] if others else []


def load() -> None:
    for slug, name, capacity, description in ROOMS:
        Room.objects.update_or_create(
            slug=slug, defaults={"name": name, "capacity": capacity, "description": description}
        )
