"""The demo house's council, and three years of collaboration among its actors.

The history holds all five forms and the report's own examples: Café Sumak
uses the kitchen in return for cleaning and room bookings; Basen, UU and the
housing-social job coordinator work on young people's education; a business
network holds a job fair with the job centre. Some collaborations move up the
ladder over time, some participations wait for an answer, one is disputed,
and Basen has logged nothing in the last six months (so the map's list of the
disconnected shows someone). Every entry goes through the services, dated
relative to today; an entry already there (by its title) is left alone. The
sharing board's posts come from sharing/demo.py, the rest of the council from
council/demo.py."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from actors.models import Actor, Offer, TargetGroup
from bookings.models import Booking
from centre.models import User

from .council import demo as council_demo
from .log import services
from .models import Collaboration, CouncilMember, Form, Goal, Phase
from .sharing import demo as sharing_demo

A = Actor.Kind
P = Actor.Presence
K = Collaboration.Kind
G = Goal.Status


# Who logs and answers for each actor; an actor without people is answered for
# by the coordinator.
COORDINATOR = "koordinator@samhus.test"
PERSON = {
    "kvarterhusledelsen": "husraad@samhus.test",
    "boligkorsoer": "boligkorsoer@samhus.test",
    "en-faelles-indsats": "helhedsplan@samhus.test",
    "cafe-sumak": "sumak@samhus.test",
    "basen": "basen@samhus.test",
    "uu": "uu@samhus.test",
    "kvindeforum": "amina@samhus.test",
    "oekonomisk-raadgivning": "raadgivning@samhus.test",
    "zumba-og-yoga": "zumba@samhus.test",
    "kirkens-korshaer": "korshaer@samhus.test",
    "plejecentret": "plejecentret@samhus.test",
    "korsoer-bibliotek": "bibliotek@samhus.test",
}

# The report's three examples, by title (tests look them up).
CAFE_KITCHEN = "Café Sumak bruger køkkenet mod rengøring og lokalebooking"
YOUTH_EDUCATION = "Unge i uddannelse og job: Basen, UU og jobkoordinatoren"
JOB_FAIR = "Jobbørs med erhvervsnetværket og jobcentret"


@dataclass(frozen=True)
class Entry:
    """One logged collaboration. ``actors[0]`` logs it; times are in months ago."""

    title: str
    form: str
    actors: tuple[str, ...]
    started: float
    ended: float | None = None
    lead: str | None = None
    kind: str = K.FULL
    phase: str = Phase.IMPLEMENTATION
    description: str = ""
    residents: bool = False
    referrals: int | None = None
    groups: tuple[str, ...] = ()
    offers: tuple[tuple[str, str], ...] = ()
    booking: tuple[str, str] | None = None  # actor slug, title of a one-off booking
    goals: tuple[tuple[str, str, str, float], ...] = ()  # goal, criterion, status, judged
    moves: tuple[tuple[str, float], ...] = ()  # later forms, from months ago
    pending: tuple[str, ...] = ()  # actors that have not answered yet
    disputed: tuple[tuple[str, str], ...] = ()  # actor, their reason


def _meeting(title, actors, when):
    return Entry(title, Form.KNOWLEDGE, actors, when, when, kind=K.MEETING)


def _referral(title, actors, when, count, pending=()):
    return Entry(
        title,
        Form.COORDINATION,
        actors,
        when,
        when,
        kind=K.REFERRAL,
        referrals=count,
        pending=pending,
    )


def _lending(title, actors, when, description="", disputed=()):
    return Entry(
        title,
        Form.RESOURCES,
        actors,
        when,
        when,
        kind=K.LENDING,
        description=description,
        disputed=disputed,
    )


# The demo history reads one entry per line, so the formatter leaves it be.
HISTORY = [
    # --- The report's examples ---------------------------------------------------------
    Entry(
        CAFE_KITCHEN, Form.RESOURCES, ("cafe-sumak", "kvarterhusledelsen", "boligkorsoer"), 35.5,
        lead="kvarterhusledelsen", phase=Phase.ANCHORING, groups=("adults", "youth"),
        offers=(("cafe-sumak", "Praktik i køkkenet"), ("cafe-sumak", "Fællesspisning")),
        description=(
            "Café Sumak bruger husets køkken til caféen og til et beskæftigelsestilbud for "
            "områdets beboere. Til gengæld står caféens personale for rengøring, lokalebooking "
            "og andre praktiske driftsopgaver i huset."
        ),
        goals=(
            ("Huset er rent og klar hver morgen",
             "Ingen klager over rengøringen på to beboermøder i træk", G.MET, 2),
            ("Lokaleforespørgsler bliver besvaret hurtigt",
             "Alle forespørgsler er besvaret inden for to hverdage", G.PARTLY, 1),
            ("Beboere får praktik i køkkenet", "Fire beboere i praktik om året", G.MET, 3),
        ),
    ),
    Entry(
        YOUTH_EDUCATION, Form.KNOWLEDGE, ("basen", "uu", "en-faelles-indsats"), 33, 7.5,
        phase=Phase.EVALUATION, groups=("youth",), referrals=38,
        offers=(("uu", "Uddannelsesvejledning"), ("basen", "Fritidsjobformidling"),
                ("en-faelles-indsats", "Jobcafé")),
        description=(
            "Medarbejderne i Basen kender de unge og har den nære relation til dem; "
            "UU-vejlederne og den boligsociale jobkoordinator skaber kontakten til "
            "uddannelsesinstitutioner og arbejdspladser. Det begyndte som fælles møder om de "
            "unge, blev til faste henvisninger og endte som et fælles forløb."
        ),
        moves=((Form.COORDINATION, 29), (Form.JOINT_DELIVERY, 22)),
        goals=(
            ("Flere unge fra området i gang med uddannelse eller job",
             "15 unge begynder på en uddannelse eller et job inden for et år", G.MET, 8),
            ("De unge kender UU-vejlederne", "En UU-vejleder er i Basen hver uge", G.MET, 8),
            ("Kontakt til lokale arbejdspladser",
             "Ti virksomheder tager imod unge i praktik eller fritidsjob", G.PARTLY, 8),
        ),
    ),
    Entry(
        JOB_FAIR, Form.KNOWLEDGE, ("en-faelles-indsats", "erhvervsnetvaerket", "jobcentret"), 14,
        lead="erhvervsnetvaerket", phase=Phase.ANCHORING, groups=("adults", "newcomers"),
        offers=(("en-faelles-indsats", "Jobcafé"),),
        description=(
            "Erhvervsnetværket er rykket ind i huset, og virksomhederne holder sammen med "
            "jobcentret jobbørs for ledige kandidater i området. Den boligsociale "
            "jobkoordinator finder deltagerne og følger op."
        ),
        moves=((Form.JOINT_DELIVERY, 11),),
        goals=(
            ("Ledige i området møder virksomhederne direkte",
             "Mindst 60 besøgende og 10 ansættelsessamtaler pr. jobbørs", G.PARTLY, 2),
            ("Jobbørsen bliver en fast tradition", "En jobbørs hvert forår og efterår",
             G.MET, 2),
        ),
    ),
    # --- Joint delivery and co-creation ------------------------------------------------
    Entry(
        "Sundhedsforløb for kvinder", Form.KNOWLEDGE,
        ("kvindeforum", "zumba-og-yoga", "en-faelles-indsats"), 30, 20,
        phase=Phase.EVALUATION, groups=("women",),
        offers=(("kvindeforum", "Temaaften om sundhed"), ("zumba-og-yoga", "Zumba")),
        description=(
            "Temaaftener om sundhed, zumba og familierådgivning samlet i ét forløb på otte "
            "uger, så kvinderne møder ét tilbud i stedet for tre."
        ),
        moves=((Form.JOINT_DELIVERY, 26),),
        goals=(("Kvinder i området bevæger sig mere",
                "25 kvinder gennemfører hele forløbet", G.MET, 20),),
    ),
    Entry(
        "Ferieaktiviteter for børn og unge", Form.JOINT_DELIVERY,
        ("en-faelles-indsats", "basen", "korsoer-bibliotek"), 29, 27,
        phase=Phase.EVALUATION, groups=("children", "youth"),
        offers=(("en-faelles-indsats", "Sommerferieaktiviteter"),),
        description="Ture, værksteder og højtlæsning i ferien, planlagt som ét program.",
    ),
    Entry(
        "Reparationscafé i Værkstedet", Form.KNOWLEDGE,
        ("kvarterhusledelsen", "en-faelles-indsats", "boligkorsoer"), 18,
        phase=Phase.ANCHORING, residents=True, groups=("everybody", "whole-city"),
        description=(
            "Beboere foreslog en reparationscafé på et beboermøde. Den er udviklet fra idé "
            "til drift sammen med beboerne, helhedsplanen og BoligKorsørs "
            "ejendomsfunktionærer, og beboerne har nu selv vagterne."
        ),
        moves=((Form.JOINT_DELIVERY, 15), (Form.CO_CREATION, 12)),
        goals=(
            ("Beboerne driver selv reparationscaféen",
             "Seks frivillige beboere har faste vagter", G.PARTLY, 1),
            ("Færre ting bliver smidt ud", "50 reparationer i kvartalet", G.MET, 1),
        ),
    ),
    Entry(
        "Digital hjælp for kvinder med biblioteket", Form.KNOWLEDGE,
        ("korsoer-bibliotek", "kvindeforum"), 9,
        groups=("women", "newcomers"), offers=(("korsoer-bibliotek", "Digital hjælp"),),
        description="Bibliotekets digitale hjælp flytter ind i Kvindecaféen en gang om måneden.",
        moves=((Form.JOINT_DELIVERY, 7),),
    ),
    Entry(
        "Flyttet temaaften, så den ikke faldt sammen med fællesspisningen", Form.COORDINATION,
        ("kvindeforum", "cafe-sumak"), 10, 10, groups=("women", "families"),
        description="To arrangementer for de samme familier samme aften; temaaftenen blev flyttet.",
    ),
    Entry(
        "Nyhedsbrev fra huset med alle aktørers tilbud", Form.KNOWLEDGE,
        ("kvarterhusledelsen", "en-faelles-indsats", "cafe-sumak", "kvindeforum",
         "oekonomisk-raadgivning"), 12,
        phase=Phase.ANCHORING, groups=("everybody",),
        description="Et månedligt nyhedsbrev, hvor hver aktør skriver om sine tilbud.",
    ),
    Entry(
        "Fællesspisning med musik for hele byen", Form.JOINT_DELIVERY,
        ("kvarterhusledelsen", "cafe-sumak"), 0.7,
        phase=Phase.IMPLEMENTATION, groups=("everybody", "whole-city"),
        booking=("kvarterhusledelsen", "Fællesspisning med musik"),
        description="Kvarterhusledelsen inviterer, Café Sumak laver maden.",
    ),
    Entry(
        "Besøgsvenner fra kvarteret på plejecentret", Form.CO_CREATION,
        ("plejecentret", "kvarterhusledelsen", "kvindeforum"), 2,
        phase=Phase.IDEA, residents=True, groups=("seniors",),
        offers=(("plejecentret", "Besøgsvenner"),),
        description="Beboere og plejecentret udvikler sammen en ordning med faste besøgsvenner.",
        goals=(("Seniorer på plejecentret får besøg af naboer fra kvarteret",
                "Ti faste besøgsvenner inden for et halvt år", G.NOT_YET, 0.5),),
        pending=("kvindeforum",),
    ),
    # --- Quick logs: shared meetings (knowledge sharing) -------------------------------
    _meeting("Fælles møde: husets årshjul",
             ("kvarterhusledelsen", "en-faelles-indsats", "cafe-sumak", "basen", "boligkorsoer"), 34),
    _meeting("Fælles møde: nye aktører præsenterer sig",
             ("en-faelles-indsats", "uu", "kvindeforum", "oekonomisk-raadgivning"), 31),
    _meeting("Fælles møde: lokalefordeling og husregler",
             ("kvarterhusledelsen", "cafe-sumak", "zumba-og-yoga", "kvindeforum"), 27),
    _meeting("Frokostbord: nyt fra aktørerne i huset",
             ("cafe-sumak", "basen", "en-faelles-indsats", "uu"), 24),
    _meeting("Fælles møde: tryghed i kvarteret",
             ("en-faelles-indsats", "basen", "boligkorsoer", "kvarterhusledelsen"), 21),
    _meeting("Fælles møde: aktivitetsbudgettet",
             ("kvarterhusledelsen", "en-faelles-indsats", "cafe-sumak"), 17),
    _meeting("Fælles møde: erhvervsnetværket besøger huset",
             ("en-faelles-indsats", "erhvervsnetvaerket"), 15),
    _meeting("Fælles møde: evaluering af året",
             ("en-faelles-indsats", "kvarterhusledelsen", "cafe-sumak", "uu"), 11),
    _meeting("Fælles møde: plejecentret og kvarteret", ("kvarterhusledelsen", "plejecentret"), 4),
    _meeting("Frokostbord: vinterens tilbud",
             ("cafe-sumak", "kvindeforum", "oekonomisk-raadgivning", "korsoer-bibliotek"), 1),
    # --- Quick logs: referrals (coordination), a number only ---------------------------
    _referral("Henviste 11 familier til julehjælp hos Kirkens Korshær",
              ("en-faelles-indsats", "kirkens-korshaer"), 36, 11),
    _referral("Henviste 9 beboere til Økonomisk rådgivning",
              ("kvindeforum", "oekonomisk-raadgivning"), 32, 9),
    _referral("Henviste 6 beboere til budgetkurset",
              ("en-faelles-indsats", "oekonomisk-raadgivning"), 25, 6),
    _referral("Henviste 14 familier til julehjælp hos Kirkens Korshær",
              ("en-faelles-indsats", "kirkens-korshaer"), 24, 14),
    _referral("Henviste 5 unge til Basen", ("uu", "basen"), 23, 5),
    _referral("Henviste 12 beboere til digital hjælp på biblioteket",
              ("en-faelles-indsats", "korsoer-bibliotek"), 19, 12),
    _referral("Henviste 8 beboere til jobcaféen",
              ("oekonomisk-raadgivning", "en-faelles-indsats"), 13, 8),
    _referral("Henviste 17 familier til julehjælp hos Kirkens Korshær",
              ("en-faelles-indsats", "kirkens-korshaer"), 12, 17),
    _referral("Henviste 4 kvinder til Kvindecaféen", ("korsoer-bibliotek", "kvindeforum"), 3, 4,
              pending=("kvindeforum",)),
    _referral("Henviste 7 beboere til gældsrådgivning",
              ("kvarterhusledelsen", "oekonomisk-raadgivning"), 0.5, 7,
              pending=("oekonomisk-raadgivning",)),
    # --- Quick logs: lending and donations (resource exchange) -------------------------
    _lending("Udlån: musikanlæg til sommerfesten", ("zumba-og-yoga", "kvarterhusledelsen"), 29),
    _lending("Udlån: Værkstedet til Basens cykelværksted", ("kvarterhusledelsen", "basen"), 26),
    _lending("Udlån: Multisalen til uddeling af julehjælp",
             ("kvarterhusledelsen", "kirkens-korshaer"), 23.5),
    _lending("Udlån: bærbare computere til Kvindecaféen", ("korsoer-bibliotek", "kvindeforum"), 20),
    _lending("Udlån: borde og stole til plejecentrets julemarked",
             ("kvarterhusledelsen", "plejecentret"), 12),
    _lending("Donation: æbler fra erhvervsnetværket til sommerfesten",
             ("erhvervsnetvaerket", "kvarterhusledelsen"), 5, "En kasse æbler til hver bod."),
    _lending(
        "Udlån: køkkenet til madklubben", ("kvindeforum", "cafe-sumak"), 4.5,
        "Madklub for mødre lånte køkkenet en lørdag.",
        disputed=(("cafe-sumak",
                   "Madklubben lånte ikke køkkenet af os: det blev booket hos kvarterhusledelsen "
                   "som en almindelig booking. Ret venligst aktøren."),),
    ),
]  # fmt: skip


def foreign_data() -> list[str]:
    return []


def load() -> None:
    CouncilMember.objects.get_or_create(
        user=User.objects.get(email="husraad@samhus.test"),
        actor=Actor.objects.get(slug="kvarterhusledelsen"),
        defaults={"role": CouncilMember.Role.CHAIR, "since": datetime.date(2025, 1, 1)},
    )
    actors = {actor.slug: actor for actor in Actor.objects.all()}
    users = {user.email: user for user in User.objects.filter(email__endswith="@samhus.test")}

    def person(slug: str) -> User:
        return users[PERSON.get(slug, COORDINATOR)]

    today = timezone.localdate()
    for entry in HISTORY:
        if not Collaboration.objects.filter(title=entry.title).exists():
            _log(entry, actors, person, today)
    sharing_demo.load(actors, person, today)
    council_demo.load()


def _ago(today: datetime.date, months: float) -> datetime.date:
    return today - datetime.timedelta(days=round(months * 30.44))


def _log(entry: Entry, actors, person, today: datetime.date) -> Collaboration:
    mine = entry.actors[0]
    by = person(mine)
    offers = [Offer.objects.get(actor=actors[slug], title=title) for slug, title in entry.offers]
    bookings = []
    if entry.booking:
        slug, title = entry.booking
        bookings = list(Booking.objects.filter(actor=actors[slug], title=title)[:1])
    collaboration = services.collaboration_log(
        by=by,
        on_behalf_of=actors[mine],
        title=entry.title,
        form=entry.form,
        kind=entry.kind,
        actors=[actors[slug] for slug in entry.actors],
        lead=actors[entry.lead or mine],
        started=_ago(today, entry.started),
        ended=None if entry.ended is None else _ago(today, entry.ended),
        phase=entry.phase,
        description=entry.description,
        residents_co_create=entry.residents,
        referrals=entry.referrals,
        target_groups=TargetGroup.objects.filter(slug__in=entry.groups),
        offers=offers,
        bookings=bookings,
        goals=[
            {
                "description": goal,
                "criterion": criterion,
                "status": status,
                "judged_on": _ago(today, judged),
            }
            for goal, criterion, status, judged in entry.goals
        ],
    )
    for form, months in entry.moves:
        collaboration = services.collaboration_update(
            by=by, collaboration=collaboration, form=form, form_changed_on=_ago(today, months)
        )
    disputed = dict(entry.disputed)
    for participation in collaboration.participations.select_related("actor"):
        slug = participation.actor.slug
        if slug == mine or slug in entry.pending:
            continue
        services.participation_answer(
            by=person(slug),
            participation=participation,
            confirm=slug not in disputed,
            note=disputed.get(slug, ""),
        )
    return collaboration
