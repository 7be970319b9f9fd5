"""The demo house's actors, as named in the report's example of Motalavej."""

from centre.models import User

from .models import Actor, Membership

ACTORS = [
    # slug, name, kind, presence, description
    ("kvarterhusledelsen", "Kvarterhusledelsen", Actor.Kind.RESIDENT_DEMOCRACY, Actor.Presence.BASED,
     "Seks beboerdemokrater fra de tre afdelinger, der leder huset og dets aktivitetsbudget."),
    ("boligkorsoer", "BoligKorsør", Actor.Kind.HOUSING_ORGANISATION, Actor.Presence.PARTNER,
     "Boligorganisationen, der ejer huset og står for økonomi, drift og administration."),
    ("en-faelles-indsats", "En Fælles Indsats", Actor.Kind.HOUSING_SOCIAL_PLAN, Actor.Presence.BASED,
     "Helhedsplanen med boligsocialt indhold for fire boligområder i Slagelse, Korsør og Skælskør."),
    ("cafe-sumak", "Café Sumak", Actor.Kind.SOCIAL_ECONOMY, Actor.Presence.BASED,
     "Socialøkonomisk café, der bruger køkkenet og til gengæld gør rent og booker lokaler."),
    ("basen", "Basen", Actor.Kind.MUNICIPAL, Actor.Presence.BASED,
     "Kommunalt fremskudt tilbud og værested for unge."),
    ("uu", "UU – Ungdommens Uddannelsesvejledning", Actor.Kind.MUNICIPAL, Actor.Presence.REGULAR,
     "Vejledning af unge om uddannelse og job."),
    ("kvindeforum", "Kvindeforum", Actor.Kind.ASSOCIATION, Actor.Presence.REGULAR,
     "Forum for kvinder i området: fællesskab, temaaftener og netværk."),
    ("oekonomisk-raadgivning", "Økonomisk rådgivning", Actor.Kind.MUNICIPAL, Actor.Presence.REGULAR,
     "Gratis rådgivning om privatøkonomi, gæld og budget."),
    ("zumba-og-yoga", "Zumba og yoga på Motalavej", Actor.Kind.ASSOCIATION, Actor.Presence.REGULAR,
     "Beboerdrevne hold i zumba og yoga."),
    ("kirkens-korshaer", "Kirkens Korshær", Actor.Kind.NGO, Actor.Presence.PARTNER,
     "Samarbejdspartner med base uden for huset."),
    ("plejecentret", "Plejecentret", Actor.Kind.MUNICIPAL, Actor.Presence.PARTNER,
     "Det lokale plejecenter, samarbejdspartner med base uden for huset."),
    ("korsoer-bibliotek", "Korsør Bibliotek", Actor.Kind.LIBRARY, Actor.Presence.PARTNER,
     "Biblioteket, samarbejdspartner med base uden for huset."),
]  # fmt: skip

MEMBERSHIPS = [
    ("koordinator@samhus.test", "en-faelles-indsats", Membership.Role.ADMIN),
    ("forening@samhus.test", "kvindeforum", Membership.Role.BOOKER),
    ("husraad@samhus.test", "kvarterhusledelsen", Membership.Role.ADMIN),
]


def foreign_data() -> list[str]:
    others = Actor.objects.exclude(slug__in=[slug for slug, *_ in ACTORS]).count()
    return [f"{others} actor(s) not in the demo"] if others else []


def load() -> None:
    for slug, name, kind, presence, description in ACTORS:
        Actor.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "kind": kind, "presence": presence, "description": description},
        )
    for email, slug, role in MEMBERSHIPS:
        Membership.objects.update_or_create(
            user=User.objects.get(email=email),
            actor=Actor.objects.get(slug=slug),
            defaults={"role": role},
        )
