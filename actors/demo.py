"""The demo house's actors, as named in the report's example of Motalavej,
their people and their offers."""

from allauth.account.models import EmailAddress

from centre.demo import DEMO_PASSWORD
from centre.models import User

from . import vocabulary
from .models import Actor, Language, Membership, Offer, TargetGroup, Theme

A = Actor.Kind
P = Actor.Presence

# The demo house's tables read one row per line, so the formatter leaves them be.
ACTORS = [
    # slug, name, kind, presence, description, languages, strengths
    ("kvarterhusledelsen", "Kvarterhusledelsen", A.RESIDENT_DEMOCRACY, P.BASED,
     "Seks beboerdemokrater fra de tre afdelinger, der leder huset og dets aktivitetsbudget.",
     ["da", "ar"], "netværk i alle tre afdelinger, fester for 200, frivillige hænder"),
    ("boligkorsoer", "BoligKorsør", A.HOUSING_ORGANISATION, P.PARTNER,
     "Boligorganisationen, der ejer huset og står for økonomi, drift og administration.",
     ["da"], "drift, økonomi, ejendomsfunktionærer"),
    ("en-faelles-indsats", "En Fælles Indsats", A.HOUSING_SOCIAL_PLAN, P.BASED,
     "Helhedsplanen med boligsocialt indhold for fire boligområder i Slagelse, Korsør og Skælskør.",
     ["da", "en", "ar", "so"], "jobkoordinator, familiearbejde, kontakt til kommunen"),
    ("cafe-sumak", "Café Sumak", A.SOCIAL_ECONOMY, P.BASED,
     "Socialøkonomisk café, der bruger køkkenet og til gengæld gør rent og booker lokaler.",
     ["da", "tr", "ar"], "madlavning for mange, praktikpladser, lokalebooking"),
    ("basen", "Basen", A.MUNICIPAL, P.BASED,
     "Kommunalt fremskudt tilbud og værested for unge.",
     ["da", "ar", "so"], "relationer til unge, gadeplan, fritidsjob"),
    ("uu", "UU – Ungdommens Uddannelsesvejledning", A.MUNICIPAL, P.REGULAR,
     "Vejledning af unge om uddannelse og job.",
     ["da", "en"], "kontakt til uddannelsesinstitutioner"),
    ("kvindeforum", "Kvindeforum", A.ASSOCIATION, P.REGULAR,
     "Forum for kvinder i området: fællesskab, temaaftener og netværk.",
     ["da", "ar", "so", "ur"], "netværk blandt mødre, tolkning mellem arabisk og dansk, madlavning"),
    ("oekonomisk-raadgivning", "Økonomisk rådgivning", A.MUNICIPAL, P.REGULAR,
     "Gratis rådgivning om privatøkonomi, gæld og budget.",
     ["da", "en"], "gældsrådgivning, budget, breve fra det offentlige"),
    ("zumba-og-yoga", "Zumba og yoga på Motalavej", A.ASSOCIATION, P.REGULAR,
     "Beboerdrevne hold i zumba og yoga.",
     ["da", "pl"], "instruktører, musikanlæg"),
    ("kirkens-korshaer", "Kirkens Korshær", A.NGO, P.PARTNER,
     "Samarbejdspartner med base uden for huset.",
     ["da"], "frivillige, genbrugstøj, julehjælp"),
    ("plejecentret", "Plejecentret", A.MUNICIPAL, P.PARTNER,
     "Det lokale plejecenter, samarbejdspartner med base uden for huset.",
     ["da"], "besøgsvenner, seniorer"),
    ("korsoer-bibliotek", "Korsør Bibliotek", A.LIBRARY, P.PARTNER,
     "Biblioteket, samarbejdspartner med base uden for huset.",
     ["da", "en", "ar"], "digital hjælp, lektiehjælp, arrangementer"),
    ("erhvervsnetvaerket", "Erhvervsnetværk Korsør", A.BUSINESS, P.BASED,
     "Netværk af lokale virksomheder, der er rykket ind i huset og holder jobbørs med jobcentret.",
     ["da", "en"], "praktikpladser, kontakt til arbejdsgivere, sponsorater"),
    ("jobcentret", "Jobcenter Slagelse", A.MUNICIPAL, P.REGULAR,
     "Kommunens jobcenter, med fremskudt vejledning i huset.",
     ["da", "en"], "jobsøgning, virksomhedspraktik, kontakt til a-kasser"),
]  # fmt: skip

PEOPLE = [
    # email, name, actor, role
    ("koordinator@samhus.test", None, "en-faelles-indsats", Membership.Role.ADMIN),
    ("forening@samhus.test", None, "kvindeforum", Membership.Role.BOOKER),
    ("husraad@samhus.test", None, "kvarterhusledelsen", Membership.Role.ADMIN),
    ("amina@samhus.test", "Amina Hassan", "kvindeforum", Membership.Role.ADMIN),
    ("sumak@samhus.test", "Murat Yılmaz", "cafe-sumak", Membership.Role.ADMIN),
    ("basen@samhus.test", "Lars Pedersen", "basen", Membership.Role.ADMIN),
    ("uu@samhus.test", "Sofie Nielsen", "uu", Membership.Role.ADMIN),
    ("zumba@samhus.test", "Kasia Nowak", "zumba-og-yoga", Membership.Role.ADMIN),
    ("raadgivning@samhus.test", "Henrik Madsen", "oekonomisk-raadgivning", Membership.Role.ADMIN),
    ("bibliotek@samhus.test", "Birgitte Holm", "korsoer-bibliotek", Membership.Role.ADMIN),
    ("helhedsplan@samhus.test", "Yusuf Ali", "en-faelles-indsats", Membership.Role.BOOKER),
    ("boligkorsoer@samhus.test", "Jette Olsen", "boligkorsoer", Membership.Role.ADMIN),
    ("korshaer@samhus.test", "Peter Friis", "kirkens-korshaer", Membership.Role.ADMIN),
    ("plejecentret@samhus.test", "Hanne Lund", "plejecentret", Membership.Role.ADMIN),
]

OFFERS = [
    # actor, title, when, target groups, themes, languages, description
    ("cafe-sumak", "Fællesspisning", "Torsdage 17.30–19", ["everybody", "families"], ["food", "community"], ["da", "tr"],
     "Aftensmad for hele kvarteret til 30 kr. – børn under 12 spiser gratis."),
    ("cafe-sumak", "Praktik i køkkenet", "Efter aftale", ["youth", "adults"], ["employment", "food"], ["da", "tr", "ar"],
     "Praktikforløb i cafeens køkken med vejledning og udtalelse."),
    ("cafe-sumak", "Morgenkaffe i caféen", "Hverdage 9–11", ["everybody", "seniors"], ["community"], ["da"],
     "Kom forbi til en kop kaffe og en snak."),
    ("basen", "Åbent værested", "Mandag–torsdag 15–21", ["youth"], ["children-youth", "community"], ["da", "ar", "so"],
     "Et trygt sted at være med voksne, der har tid."),
    ("basen", "Fritidsjobformidling", "Onsdage 16–18", ["youth"], ["employment", "children-youth"], ["da"],
     "Hjælp til at finde og holde et fritidsjob."),
    ("basen", "Fodbold i hallen", "Fredage 18–20", ["youth"], ["sport", "children-youth"], ["da"],
     "Indendørs fodbold for unge 13–18 år."),
    ("uu", "Uddannelsesvejledning", "Tirsdage 13–16", ["youth"], ["employment", "learning"], ["da", "en"],
     "Snak med en vejleder om uddannelse, job og næste skridt."),
    ("uu", "Brobygning til erhvervsuddannelse", "Forår og efterår", ["youth"], ["employment", "learning"], ["da"],
     "Besøg på erhvervsskoler sammen med en vejleder."),
    ("en-faelles-indsats", "Jobcafé", "Mandage 10–13", ["adults", "newcomers"], ["employment", "advice"], ["da", "en", "ar", "so"],
     "Hjælp til CV, ansøgning og jobsøgning med boligsocial jobkoordinator."),
    ("en-faelles-indsats", "Familierådgivning", "Efter aftale", ["families"], ["advice", "children-youth"], ["da", "ar", "so"],
     "Samtaler om hverdagen som familie, skole og fritid."),
    ("en-faelles-indsats", "Lektiecafé", "Tirsdage og torsdage 15–17", ["children"], ["learning", "children-youth"], ["da", "en"],
     "Frivillige hjælper med lektier fra 1. til 9. klasse."),
    ("en-faelles-indsats", "Sommerferieaktiviteter", "Uge 27–31", ["children", "families"], ["children-youth", "culture"], ["da"],
     "Ture, værksteder og udflugter i sommerferien."),
    ("kvindeforum", "Kvindecafé", "Onsdage 10–12", ["women", "newcomers"], ["community", "learning"], ["da", "ar", "so", "ur"],
     "Fællesskab, dansk i hverdagen og temaer kvinderne selv vælger."),
    ("kvindeforum", "Temaaften om sundhed", "Første mandag i måneden 18–20", ["women"], ["health"], ["da", "ar"],
     "Oplæg og samtale med sundhedsplejerske og tolk."),
    ("kvindeforum", "Madklub for mødre", "Lørdage 12–15", ["women", "families"], ["food", "community"], ["da", "so"],
     "Vi laver mad sammen og deler opskrifter fra hele verden."),
    ("oekonomisk-raadgivning", "Åben gældsrådgivning", "Tirsdage 10–14", ["adults", "everybody"], ["advice"], ["da", "en"],
     "Gratis og anonym rådgivning om gæld, budget og regninger."),
    ("oekonomisk-raadgivning", "Budgetkursus", "Fire torsdage i marts", ["adults", "youth"], ["advice", "learning"], ["da"],
     "Lær at lægge et budget, der holder."),
    ("oekonomisk-raadgivning", "Hjælp til breve fra det offentlige", "Fredage 10–12", ["everybody", "newcomers"], ["advice", "digital"], ["da", "ar"],
     "Vi læser brevet sammen og finder ud af, hvad du skal gøre."),
    ("zumba-og-yoga", "Zumba", "Mandage 19–20", ["women", "adults"], ["sport", "health"], ["da", "pl"],
     "Glad dans for alle niveauer."),
    ("zumba-og-yoga", "Yoga for seniorer", "Onsdage 10–11", ["seniors"], ["sport", "health"], ["da"],
     "Rolig yoga på stol og måtte."),
    ("zumba-og-yoga", "Familieyoga", "Søndage 11–12", ["families", "children"], ["sport", "health"], ["da"],
     "Yoga for børn og voksne sammen."),
    ("korsoer-bibliotek", "Digital hjælp", "Torsdage 13–15", ["seniors", "everybody"], ["digital", "advice"], ["da", "en", "ar"],
     "Hjælp til MitID, e-Boks, borger.dk og telefonen."),
    ("korsoer-bibliotek", "Højtlæsning for børn", "Lørdage 10.30", ["children", "families"], ["culture", "learning"], ["da", "ar"],
     "Historier på dansk og arabisk for de 3–7-årige."),
    ("kvarterhusledelsen", "Sommerfest", "Sidste lørdag i juni", ["everybody", "whole-city"], ["community", "culture"], ["da"],
     "Husets store fest med musik, mad og boder – alle i Korsør er velkomne."),
    ("kvarterhusledelsen", "Beboermøde", "Hver anden måned", ["everybody"], ["community"], ["da"],
     "Hør om husets planer og sig din mening."),
    ("kirkens-korshaer", "Julehjælp", "November–december", ["families"], ["advice", "community"], ["da"],
     "Ansøg om julehjælp til familier med stram økonomi."),
    ("plejecentret", "Besøgsvenner", "Løbende", ["seniors"], ["community", "health"], ["da"],
     "Frivillige fra kvarteret besøger beboere på plejecentret."),
    ("korsoer-bibliotek", "Sprogcafé", "Mandage 16–18", ["newcomers", "whole-city"], ["learning", "culture"], ["da", "en"],
     "Øv dansk med frivillige – åben for alle i byen."),
]  # fmt: skip


def foreign_data() -> list[str]:
    others = Actor.objects.exclude(slug__in=[slug for slug, *_ in ACTORS]).count()
    return [f"{others} actor(s) not in the demo"] if others else []


def load() -> None:
    vocabulary.seed(TargetGroup, vocabulary.TARGET_GROUPS)
    vocabulary.seed(Theme, vocabulary.THEMES)
    vocabulary.seed(Language, vocabulary.LANGUAGES)
    languages = {language.slug: language for language in Language.objects.all()}
    for slug, name, kind, presence, description, spoken, strengths in ACTORS:
        actor, _created = Actor.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "presence": presence,
                "description": description,
                "strengths": strengths,
                "contact_email": f"{slug}@samhus.test",
            },
        )
        actor.languages.set([languages[code] for code in spoken])

    for email, name, slug, role in PEOPLE:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, name=name or "")
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        Membership.objects.update_or_create(
            user=user, actor=Actor.objects.get(slug=slug), defaults={"role": role}
        )

    groups = {group.slug: group for group in TargetGroup.objects.all()}
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    for slug, title, when, target_groups, offer_themes, offered_in, description in OFFERS:
        offer, created = Offer.objects.get_or_create(
            actor=Actor.objects.get(slug=slug),
            title=title,
            defaults={"when": when, "description": description},
        )
        if not created and (offer.when, offer.description, offer.is_active) != (
            when,
            description,
            True,
        ):
            # Saved only when something differs: `updated` must not move on a rerun.
            offer.when, offer.description, offer.is_active = when, description, True
            offer.save()
        offer.target_groups.set([groups[g] for g in target_groups])
        offer.themes.set([themes[t] for t in offer_themes])
        offer.languages.set([languages[code] for code in offered_in])
