"""The demo house's council: its seats, meetings, house rules and decisions."""

import datetime

from actors.models import Actor
from centre.models import User

from ..models import CouncilMember, Decision, HouseRule, Meeting
from .rules import rule_propose, rule_vote


def load() -> None:
    """The demo house's council beyond its chair: two members, three rules (two
    adopted by recorded votes at two meetings, one proposed). Idempotent: run
    it again and nothing is added or changed. Needs the actors' demo people
    (actors/demo.py) first; makes the chair's seat if collaboration/demo.py has not."""
    chair = User.objects.get(email="husraad@samhus.test")
    since = datetime.date(2025, 1, 1)
    # The chair's seat, as collaboration/demo.py makes it (the same key: no second seat).
    CouncilMember.objects.get_or_create(
        user=chair,
        actor=Actor.objects.get(slug="kvarterhusledelsen"),
        defaults={"role": CouncilMember.Role.CHAIR, "since": since},
    )
    # Amina reads Samhus, and the council's digest, in Arabic.
    User.objects.filter(email="amina@samhus.test").exclude(language="ar").update(language="ar")
    for email, slug in [("amina@samhus.test", "kvindeforum"), ("sumak@samhus.test", "cafe-sumak")]:
        CouncilMember.objects.get_or_create(
            user=User.objects.get(email=email),
            actor=Actor.objects.get(slug=slug),
            defaults={"role": CouncilMember.Role.MEMBER, "since": since},
        )

    meetings = {}
    for key, day, title, agenda, minutes in DEMO_MEETINGS:
        meetings[key], _created = Meeting.objects.get_or_create(
            date=day,
            title=title,
            defaults={
                "agenda": agenda,
                "minutes": minutes,
                "minutes_published_on": day + datetime.timedelta(days=7),
            },
        )

    for title, text, proposed_on, vote, meeting_key in DEMO_RULES:
        rule = HouseRule.objects.filter(title=title).first()
        if rule is None:
            rule = rule_propose(by=chair, title=title, text=text, proposed_on=proposed_on)
        if vote and rule.status == HouseRule.Status.PROPOSED:
            meeting = meetings[meeting_key]
            for_, against, abstain = vote
            rule_vote(
                by=chair,
                rule=rule,
                votes_for=for_,
                votes_against=against,
                votes_abstain=abstain,
                voted_on=meeting.date,
                meeting=meeting,
            )

    for key, text in DEMO_OTHER_DECISIONS:
        Decision.objects.get_or_create(meeting=meetings[key], text=text, defaults={"rule": None})


DEMO_MEETINGS = [
    (
        "march",
        datetime.date(2025, 3, 4),
        "Husrådsmøde marts 2025",
        "1. Velkommen og godkendelse af dagsorden\n2. Forslag: rengøring af køkkenet\n"
        "3. Sommerfesten\n4. Eventuelt",
        "Til stede: Kvarterhusledelsen (formand), Kvindeforum, Café Sumak.\n\n"
        "Ad 2: Forslaget om rengøring af køkkenet blev vedtaget enstemmigt.\n\n"
        "Ad 3: Sommerfesten holdes sidste lørdag i juni; Café Sumak står for maden.",
    ),
    (
        "may",
        datetime.date(2025, 5, 6),
        "Husrådsmøde maj 2025",
        "1. Godkendelse af referat fra marts\n2. Forslag: ro i huset efter kl. 22\n"
        "3. Opslagstavle i foyeren\n4. Eventuelt",
        "Til stede: Kvarterhusledelsen (formand), Kvindeforum, Café Sumak.\n\n"
        "Ad 2: Forslaget blev vedtaget med to stemmer for og én, der undlod at stemme.\n\n"
        "Ad 3: Forslaget om en fælles opslagstavle drøftes videre på næste møde.",
    ),
]

DEMO_RULES = [
    # title, text, proposed on, (for, against, abstain) or None, meeting
    (
        "Køkkenet gøres rent efter brug",
        "Den, der har brugt køkkenet, vasker op, tørrer borde af og tømmer skraldespanden, "
        "før lokalet forlades. Café Sumak tjekker køkkenet hver morgen.",
        datetime.date(2025, 2, 10),
        (3, 0, 0),
        "march",
    ),
    (
        "Ro i huset efter kl. 22",
        "Efter kl. 22 skal musik og aktiviteter foregå, så naboerne ikke forstyrres. "
        "Den sidste, der går, låser og slukker lyset.",
        datetime.date(2025, 4, 1),
        (2, 0, 1),
        "may",
    ),
    (
        "Fælles opslagstavle i foyeren",
        "Foyerens opslagstavle er fælles: hver aktør har plads til ét opslag ad gangen, "
        "og opslag tages ned, når aktiviteten er slut.",
        datetime.date(2025, 5, 6),
        None,
        None,
    ),
]

DEMO_OTHER_DECISIONS = [
    ("march", "Sommerfesten holdes sidste lørdag i juni; Café Sumak står for maden."),
    ("may", "Referatet fra mødet i marts blev godkendt."),
]
