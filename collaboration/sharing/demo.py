"""The demo house's sharing board: a few posts, one answered, one done (which
logs a resource exchange the other actor confirms). A post already there (by
its actor and title) is left alone. Called from collaboration/demo.py."""

import datetime

from ..log.services import participation_answer
from ..models import Participation, SharingPost
from . import services

# actor, direction, category, title, description, shown for days,
# an answer (actor, message) or None, and the actor it was done with (None: still open).
OFFER, SEEK = SharingPost.Direction.OFFER, SharingPost.Direction.SEEK
C = SharingPost.Category
BOARD = [
    (
        "cafe-sumak",
        OFFER,
        C.EQUIPMENT,
        "Ekstra kaffemaskine til udlån",
        "Vi har fået en ny kaffemaskine; den gamle virker fint og kan lånes.",
        30,
        ("kvindeforum", "Den vil vi gerne låne til Kvindecaféen om onsdagen."),
        "kvindeforum",
    ),
    (
        "en-faelles-indsats",
        SEEK,
        C.VOLUNTEERS,
        "Frivillige til lektiecaféen",
        "Vi mangler to voksne om tirsdagen kl. 15–17, især til matematik.",
        45,
        ("korsoer-bibliotek", "Vi hænger gerne jeres opslag op på biblioteket."),
        None,
    ),
    (
        "kvarterhusledelsen",
        OFFER,
        C.EQUIPMENT,
        "Partytelt og borde til udlån",
        "Husets partytelt (6 × 12 m) og 20 borde kan lånes til arrangementer i kvarteret.",
        90,
        None,
        None,
    ),
    (
        "kirkens-korshaer",
        SEEK,
        C.MONEY,
        "Sponsor til julefrokost for ensomme",
        "Vi søger en sponsor til mad og gaver til 40 gæster.",
        25,
        None,
        None,
    ),
    (
        "oekonomisk-raadgivning",
        SEEK,
        C.ROOM,
        "Mødelokale om torsdagen til budgetkursus",
        "Fire torsdage kl. 17–19 til 12 deltagere.",
        60,
        None,
        None,
    ),
]


def load(actors, person, today: datetime.date) -> None:
    """Put BOARD on the board; ``person(slug)`` is who posts and answers for an actor."""
    for slug, direction, category, title, description, days, answer, done_with in BOARD:
        if SharingPost.objects.filter(actor=actors[slug], title=title).exists():
            continue
        post = services.post_create(
            by=person(slug),
            actor=actors[slug],
            direction=direction,
            category=category,
            title=title,
            description=description,
            expires_on=today + datetime.timedelta(days=days),
        )
        if answer:
            other, message = answer
            services.post_answer(by=person(other), post=post, actor=actors[other], message=message)
        if done_with:
            post = services.post_done(by=person(slug), post=post, with_actor=actors[done_with])
            participation = Participation.objects.get(
                collaboration=post.collaboration, actor=actors[done_with]
            )
            participation_answer(by=person(done_with), participation=participation, confirm=True)
