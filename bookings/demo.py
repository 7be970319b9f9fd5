"""The demo house's rooms and what happens in them: weekly activities,
one-offs, a request waiting for approval and an internal staff meeting."""

import datetime

from django.db.models import Q
from django.utils import timezone

from actors.models import Actor, Language, TargetGroup, Theme
from actors.vocabulary import seed
from centre.models import User
from centre.selectors import aware

from . import services
from .models import FACILITIES, Booking, BookingSeries, Facility, Room, Visibility

# The demo house's tables read one row per line, so the formatter leaves them be.
ROOMS = [
    # slug, name, capacity, description, facilities, step-free, hearing loop, needs approval
    ("cafeen", "Caféen", 40, "Husets café, drevet af Café Sumak.", ["kitchen", "tables-chairs", "wifi"], True, False, False),
    ("koekkenet", "Køkkenet", 12, "Storkøkken til madhold og fester.", ["kitchen"], True, False, True),
    ("multisalen", "Multisalen", 120, "Stor sal til fester, temaaftener, zumba og yoga.",
     ["sound", "projector", "screen", "sports-floor", "tables-chairs"], True, True, True),
    ("vaerkstedet", "Værkstedet", 15, "Værksted med værktøj til reparation og kreative hold.", ["workshop-tools"], False, False, False),
    ("moedelokale-1", "Mødelokale 1", 12, "Mødelokale med skærm.", ["screen", "tables-chairs", "wifi"], True, True, False),
    ("moedelokale-2", "Mødelokale 2", 8, "Lille mødelokale til samtaler og rådgivning.", ["tables-chairs", "wifi"], True, False, False),
]  # fmt: skip

# booker, actor, room, title, weekday (0 = Monday), start, end, rule, target groups, languages
SERIES = [
    ("zumba@samhus.test", "zumba-og-yoga", "multisalen", "Zumba", 0, "19:00", "20:00", "FREQ=WEEKLY", ["women", "adults"], ["da"]),
    ("zumba@samhus.test", "zumba-og-yoga", "multisalen", "Yoga for seniorer", 2, "10:00", "11:00", "FREQ=WEEKLY", ["seniors"], ["da"]),
    ("helhedsplan@samhus.test", "en-faelles-indsats", "cafeen", "Lektiecafé", 1, "15:00", "17:00", "FREQ=WEEKLY", ["children"], ["da", "en"]),
    ("helhedsplan@samhus.test", "en-faelles-indsats", "cafeen", "Lektiecafé (torsdag)", 3, "15:00", "17:00", "FREQ=WEEKLY", ["children"], ["da", "en"]),
    ("amina@samhus.test", "kvindeforum", "moedelokale-1", "Kvindecafé", 2, "10:00", "12:00", "FREQ=WEEKLY", ["women", "newcomers"], ["da", "ar", "so"]),
    ("basen@samhus.test", "basen", "vaerkstedet", "Ungeaften i værkstedet", 3, "17:00", "21:00", "FREQ=WEEKLY", ["youth"], ["da"]),
    ("raadgivning@samhus.test", "oekonomisk-raadgivning", "moedelokale-2", "Åben gældsrådgivning", 1, "10:00", "14:00", "FREQ=WEEKLY", ["adults"], ["da", "en"]),
    ("husraad@samhus.test", "kvarterhusledelsen", "moedelokale-1", "Beboermøde", 1, "19:00", "21:00", "FREQ=MONTHLY;BYDAY=2TU", ["everybody"], ["da"]),
]  # fmt: skip

THEMES_OF = {
    "Zumba": ["sport"],
    "Yoga for seniorer": ["sport", "health"],
    "Lektiecafé": ["learning", "children-youth"],
    "Lektiecafé (torsdag)": ["learning", "children-youth"],
    "Kvindecafé": ["community"],
    "Ungeaften i værkstedet": ["children-youth", "culture"],
    "Åben gældsrådgivning": ["advice"],
    "Beboermøde": ["community"],
    "Fællesspisning med musik": ["food", "community", "culture"],
    "Temaaften om sundhed": ["health"],
    "Digital hjælp: MitID": ["digital"],
}
TARGETS_OF = {
    "Fællesspisning med musik": ["everybody", "whole-city"],
    "Temaaften om sundhed": ["women", "adults"],
    "Digital hjælp: MitID": ["seniors", "adults"],
}

# A few activities in English and Arabic too (a reader sees their own language):
# the weekly series by their Danish title, and one one-off by its actor.
TRANSLATED = [
    (None, "Kvindecafé", "Women's café", "مقهى النساء"),
    (None, "Lektiecafé", "Homework café", "مقهى الواجبات المدرسية"),
    (None, "Åben gældsrådgivning", "Open debt counselling", "استشارة مفتوحة بشأن الديون"),
    ("kvarterhusledelsen", "Fællesspisning med musik", "Community dinner with music", "عشاء جماعي مع الموسيقى"),
]  # fmt: skip


def _next(weekday: int, after: int = 1) -> datetime.date:
    day = timezone.localdate() + datetime.timedelta(days=after)
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _time(value: str) -> datetime.time:
    return datetime.time.fromisoformat(value)


def _at(day: datetime.date, value: str) -> datetime.datetime:
    return aware(day, _time(value))


def foreign_data() -> list[str]:
    others = Room.objects.exclude(slug__in=[slug for slug, *_ in ROOMS]).count()
    return [f"{others} room(s) not in the demo"] if others else []


def load() -> None:
    seed(Facility, FACILITIES)
    facilities = {f.slug: f for f in Facility.objects.all()}
    for slug, name, capacity, description, equipment, step_free, loop, approval in ROOMS:
        room, _created = Room.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "capacity": capacity,
                "description": description,
                "step_free": step_free,
                "hearing_loop": loop,
                "accessible_toilet": step_free,
                "needs_approval": approval,
                "buffer_minutes": 15 if slug == "koekkenet" else 0,
            },
        )
        room.facilities.set([facilities[f] for f in equipment])

    groups = {g.slug: g for g in TargetGroup.objects.all()}
    languages = {lang.slug: lang for lang in Language.objects.all()}
    themes = {t.slug: t for t in Theme.objects.all()}
    coordinator = User.objects.get(email="koordinator@samhus.test")
    for email, actor_slug, room_slug, title, weekday, start, end, rule, target, spoken in SERIES:
        actor = Actor.objects.get(slug=actor_slug)
        if BookingSeries.objects.filter(actor=actor, title=title).exists():
            continue
        services.series_request(
            by=coordinator
            if Room.objects.get(slug=room_slug).needs_approval
            else User.objects.get(email=email),
            room=Room.objects.get(slug=room_slug),
            actor=actor,
            title=title,
            rule=rule,
            first_day=_next(weekday),
            start_time=_time(start),
            end_time=_time(end),
            book_rest=True,
            target_groups=[groups[g] for g in target],
            languages=[languages[code] for code in spoken],
            themes=[themes[t] for t in THEMES_OF.get(title, [])],
        )

    one_offs = [
        # by, actor, room, title, day, start, end, visibility, whole city
        (coordinator, "kvarterhusledelsen", "multisalen", "Fællesspisning med musik", _next(3, 10), "17:00", "20:00", Visibility.PUBLIC, True),
        (User.objects.get(email="amina@samhus.test"), "kvindeforum", "moedelokale-1", "Temaaften om sundhed", _next(0, 6), "18:00", "20:00", Visibility.PUBLIC, False),
        (User.objects.get(email="bibliotek@samhus.test"), "korsoer-bibliotek", "cafeen", "Digital hjælp: MitID", _next(3, 3), "10:00", "12:00", Visibility.PUBLIC, True),
        (coordinator, "en-faelles-indsats", "moedelokale-2", "Personalemøde", _next(1, 1), "09:00", "10:00", Visibility.INTERNAL, False),
    ]  # fmt: skip
    for by, actor_slug, room_slug, title, day, start, end, visibility, whole_city in one_offs:
        actor = Actor.objects.get(slug=actor_slug)
        if Booking.objects.filter(actor=actor, title=title, series__isnull=True).exists():
            continue
        services.booking_request(
            by=by,
            room=Room.objects.get(slug=room_slug),
            actor=actor,
            title=title,
            start=_at(day, start),
            end=_at(day, end),
            visibility=visibility,
            open_to_whole_city=whole_city,
            target_groups=[groups[g] for g in TARGETS_OF.get(title, [])],
            themes=[themes[t] for t in THEMES_OF.get(title, [])],
            languages=[languages["da"]],
        )

    # A request waiting for a coordinator: the kitchen needs approval.
    sumak = Actor.objects.get(slug="cafe-sumak")
    if not Booking.objects.filter(Q(title="Madhold for unge"), actor=sumak).exists():
        services.booking_request(
            by=User.objects.get(email="sumak@samhus.test"),
            room=Room.objects.get(slug="koekkenet"),
            actor=sumak,
            title="Madhold for unge",
            start=_at(_next(4, 5), "14:00"),
            end=_at(_next(4, 5), "16:00"),
            target_groups=[groups["youth"]],
        )
    _translate(coordinator)


def _translate(by) -> None:
    """Write TRANSLATED on the demo's series and one-off of those titles, unless written."""
    for one_off_by, title, english, arabic in TRANSLATED:
        values = {"title_en": english, "title_ar": arabic}
        if one_off_by is None:
            for series in BookingSeries.objects.filter(title_da=title).exclude(title_ar=arabic):
                services.series_translate(
                    series=series, by=by, values=values, languages=["en", "ar"]
                )
            continue
        one_offs = Booking.objects.filter(
            title_da=title, series__isnull=True, actor__slug=one_off_by
        ).exclude(title_ar=arabic)
        for booking in one_offs:
            services.booking_translate(
                booking=booking, by=by, values=values, languages=["en", "ar"]
            )
