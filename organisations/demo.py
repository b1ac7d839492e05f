"""Demo organisations: about 25 per demo neighbourhood, with members when people exist.

Keyed by ``external_id`` ("demo-org-<key>"), so running the seeder again adds nothing (the
ones in ``PUBLIC`` are marked for the published page when they are created); members
are added to an organisation that has none yet (so they appear once the people seeder has
run). Fixed random seed: the demo is the same every time.
"""

from __future__ import annotations

import random

from django.db import transaction

from neighbourhoods.demo import DemoWorld, register_seeder
from neighbourhoods.models import Neighbourhood
from residents.models import Person

from .models import Organisation, OrganisationKind, OrganisationMember

SEED = 3031

# Streets of the Keizer Karelpark wijk in Amstelveen around each demo buurt (the same lists
# as the people seeder uses).
STREETS = {
    "populierenbuurt": ["Keizer Karelweg", "Lindenlaan", "Van der Leeklaan", "Van der Hooplaan"],
    "kastanjebuurt": ["Kastanjelaan", "Keizer Karelweg", "Ouderkerkerlaan", "Handweg"],
}
SHORT = {"populierenbuurt": "De Populier", "kastanjebuurt": "De Kastanje"}

GROUP, ASSOC, INST, BIZ = (
    OrganisationKind.INFORMAL,
    OrganisationKind.ASSOCIATION,
    OrganisationKind.INSTITUTION,
    OrganisationKind.BUSINESS,
)

# key, name ({buurt}, {short} are filled in), kind, description, meeting times, website
ORGANISATIONS: list[tuple[str, str, str, str, str, str]] = [
    (
        "moestuin",
        "Buurtmoestuin {buurt}",
        GROUP,
        "Buren die samen groente, kruiden en bloemen kweken in de bakken achter het buurthuis. "
        "Iedereen mag meedoen; gereedschap is er.",
        "zaterdag 10:00–12:00",
        "",
    ),
    (
        "koffie",
        "Koffieochtend {short}",
        GROUP,
        "Elke week koffie en een praatje voor wie even onder de mensen wil zijn.",
        "woensdag 10:00–11:30",
        "",
    ),
    (
        "repair",
        "Repair Café Keizer Karelpark",
        GROUP,
        "Vrijwilligers repareren samen met bewoners fietsen, lampen, kleding en kleine "
        "apparaten. Weggooien? Mooi niet!",
        "eerste zaterdag van de maand 13:00–16:00",
        "",
    ),
    (
        "wandel",
        "Wandelgroep De Stappers",
        GROUP,
        "Rustige wandelingen van een uur door de wijk en het Amsterdamse Bos.",
        "dinsdag en vrijdag 9:30",
        "",
    ),
    (
        "brei",
        "Breiclub Steek voor Steek",
        GROUP,
        "Breien en haken voor de buurt en voor de voedselbank, met thee.",
        "donderdag 14:00–16:00",
        "",
    ),
    (
        "app",
        "Buurtapp {buurt}",
        GROUP,
        "De WhatsApp-groep van de buurt: spullen lenen, hulp vragen, een kat die zoek is.",
        "",
        "",
    ),
    (
        "huiswerk",
        "Huiswerkclub {buurt}",
        GROUP,
        "Studenten en gepensioneerde leraren helpen kinderen van groep 6 tot de brugklas met "
        "huiswerk.",
        "maandag en woensdag 15:30–17:00",
        "",
    ),
    (
        "klus",
        "Klusgroep Handige Buren",
        GROUP,
        "Buren die elkaar helpen met kleine klussen: een plank ophangen, een kraan, tochtstrips.",
        "op afspraak",
        "",
    ),
    (
        "bewoners",
        "Bewonerscommissie {buurt}",
        ASSOC,
        "Overlegt met de woningcorporatie en de gemeente over onderhoud, groen en veiligheid.",
        "tweede maandag van de maand 19:30",
        "",
    ),
    (
        "speeltuin",
        "Speeltuinvereniging {buurt}",
        ASSOC,
        "Beheert de speeltuin met vrijwilligers; organiseert de zomerspelen en het herfstfeest.",
        "",
        "",
    ),
    (
        "volkstuin",
        "Volkstuinvereniging Ons Genoegen",
        ASSOC,
        "Zestig tuinen aan de rand van de wijk; er is een wachtlijst en een gezamenlijke kas.",
        "",
        "",
    ),
    (
        "sport",
        "Sportvereniging Keizer Karel",
        ASSOC,
        "Voetbal voor de jeugd en walking football voor 60-plussers.",
        "zaterdagochtend",
        "",
    ),
    (
        "senioren",
        "Seniorenvereniging Amstelveen Zuid",
        ASSOC,
        "Uitstapjes, bingo, lezingen en een luisterend oor voor ouderen in de wijk.",
        "vrijdag 14:00",
        "",
    ),
    (
        "harmonie",
        "Harmonie Keizer Karel",
        ASSOC,
        "Muziekvereniging met een harmonieorkest en een opleidingsorkest voor beginners.",
        "dinsdag 19:45–22:00",
        "",
    ),
    (
        "stichting",
        "Stichting Buurthuis {buurt}",
        ASSOC,
        "Stichting die het buurthuis beheert en zalen verhuurt aan bewonersinitiatieven.",
        "",
        "",
    ),
    (
        "bieb",
        "Bibliotheek Amstelland, vestiging Keizer Karelpark",
        INST,
        "Boeken lenen, Digicafé, taalcafé en hulp bij formulieren van de overheid.",
        "Digicafé dinsdag 10:00–12:00",
        "https://www.debibliotheekamstelland.nl/",
    ),
    (
        "huisarts",
        "Huisartsenpraktijk Keizer Karelweg",
        INST,
        "Huisartsenpraktijk met praktijkondersteuner ouderenzorg en GGZ.",
        "",
        "",
    ),
    (
        "eigenhaard",
        "Eigen Haard, wijkteam Amstelveen",
        INST,
        "Woningcorporatie met veel huurwoningen in de buurt; de wijkbeheerder houdt spreekuur.",
        "spreekuur donderdag 9:00–11:00",
        "https://www.eigenhaard.nl/",
    ),
    (
        "participe",
        "Participe Amstelland",
        INST,
        "Welzijnsorganisatie: opbouwwerk, mantelzorgondersteuning, ouderenadvies en "
        "vrijwilligerswerk.",
        "",
        "https://www.participe.nu/",
    ),
    (
        "school",
        "Basisschool {short}",
        INST,
        "Openbare basisschool in de wijk; het schoolplein is na schooltijd open.",
        "",
        "",
    ),
    (
        "wijkteam",
        "Sociaal wijkteam Amstelveen Zuid",
        INST,
        "Hulp bij zorg, geldzaken, opvoeden en wonen; één aanspreekpunt.",
        "",
        "",
    ),
    (
        "kerk",
        "Protestantse gemeente – Paaskerk",
        INST,
        "Kerkgemeente die de kerkzaal openstelt voor buurtactiviteiten.",
        "zondag 10:00",
        "",
    ),
    (
        "bakker",
        "Bakkerij Van der Hoop",
        BIZ,
        "Ambachtelijke bakker; geeft brood van gisteren aan de voedselbank.",
        "",
        "",
    ),
    (
        "fiets",
        "Fietsenmaker Keizer Karel",
        BIZ,
        "Fietsenmaker en -verhuur; repareert ook scootmobielen.",
        "",
        "",
    ),
    (
        "cafe",
        "Eetcafé {short}",
        BIZ,
        "Buurtcafé met een keuken; de zaal is te huur voor buurtbijeenkomsten.",
        "",
        "",
    ),
    ("apotheek", "Apotheek Lindenlaan", BIZ, "Apotheek met bezorgdienst voor ouderen.", "", ""),
    (
        "kapper",
        "Kapsalon Knip & Zo",
        BIZ,
        "Kapper die eens per maand gratis knipt voor mensen met een krappe beurs.",
        "",
        "",
    ),
]

# Shown on the published page (``Organisation.public``): associations and institutions that
# want to be found. Not the WhatsApp group and other small informal groups, the businesses, the
# school, the GP practice or the housing corporation.
PUBLIC = frozenset(
    {
        "repair",
        "bewoners",
        "speeltuin",
        "sport",
        "senioren",
        "harmonie",
        "stichting",
        "bieb",
        "participe",
        "wijkteam",
    }
)

ROLES = ["voorzitter", "secretaris", "penningmeester", "vrijwilliger", "vrijwilliger", "lid"]


def external_id(key: str) -> str:
    return f"demo-org-{key}"


def _postcode(rng: random.Random) -> str:
    letters = "ABCDEGHJKLMNPRSTVWXZ"
    return f"1185 {rng.choice(letters)}{rng.choice(letters)}"


def seed_organisations(neighbourhood: Neighbourhood, rng: random.Random) -> list[Organisation]:
    existing = set(
        Organisation.objects.in_neighbourhood(neighbourhood)
        .filter(external_id__startswith="demo-org-")
        .values_list("external_id", flat=True)
    )
    buurt = neighbourhood.name
    short = SHORT.get(neighbourhood.slug, neighbourhood.name)
    streets = STREETS.get(neighbourhood.slug) or STREETS["populierenbuurt"]
    new = []
    for key, name, kind, description, meeting_times, website in ORGANISATIONS:
        street = rng.choice(streets)
        number = str(rng.randint(1, 180))
        postcode = _postcode(rng)
        if external_id(key) in existing:
            continue
        local = name.format(buurt=buurt, short=short)
        new.append(
            Organisation(
                neighbourhood=neighbourhood,
                external_id=external_id(key),
                name=local,
                kind=kind,
                description=description,
                meeting_times=meeting_times,
                website=website,
                contact="" if kind == BIZ else rng.choice(["de secretaris", "de coördinator", ""]),
                street=street if kind in (INST, BIZ) else "",
                house_number=number if kind in (INST, BIZ) else "",
                postcode=postcode if kind in (INST, BIZ) else "",
                public=key in PUBLIC,
            )
        )
    return Organisation.objects.bulk_create(new)


def seed_members(neighbourhood: Neighbourhood) -> None:
    """Give organisations without members a few people of the neighbourhood.

    Each organisation draws from its own seeded generator, so a run that finds an
    organisation still without members (a shop with none) makes the same choice again.
    """
    people = list(
        Person.objects.in_neighbourhood(neighbourhood)
        .order_by("pk")
        .values_list("pk", flat=True)[:400]
    )
    if not people:
        return
    organisations = (
        Organisation.objects.in_neighbourhood(neighbourhood)
        .filter(external_id__startswith="demo-org-", memberships__isnull=True)
        .order_by("external_id")
    )
    rows = []
    for organisation in organisations:
        rng = random.Random(f"{SEED}-{neighbourhood.slug}-{organisation.external_id}")  # noqa: S311
        count = rng.randint(0, 1) if organisation.kind == BIZ else rng.randint(2, 7)
        for index, person_pk in enumerate(rng.sample(people, min(count, len(people)))):
            role = ROLES[index] if index < 3 else rng.choice(ROLES[3:])
            if organisation.kind == BIZ:
                role = "eigenaar"
            rows.append(
                OrganisationMember(organisation=organisation, person_id=person_pk, role=role)
            )
    OrganisationMember.objects.bulk_create(rows, ignore_conflicts=True)


@register_seeder(order=30)
@transaction.atomic
def seed_demo_organisations(world: DemoWorld) -> None:
    for index, neighbourhood in enumerate(world.neighbourhoods):
        rng = random.Random(SEED + index)  # noqa: S311 (demo data, not secrets)
        seed_organisations(neighbourhood, rng)
        seed_members(neighbourhood)
