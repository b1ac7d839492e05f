"""Demo people and gifts: about 150 people with 400 gifts per demo neighbourhood.

The first neighbourhood gets ``world.people`` people (``seed_demo --people 20000`` makes a
benchmark-sized one with about three gifts each). Everything comes from a fixed random seed
and is keyed by ``external_id`` ("demo-<n>"), so running the seeder again adds nothing, and a
larger ``--people`` only adds the missing people.
"""

from __future__ import annotations

import random

from django.db import transaction

from neighbourhoods.demo import DemoWorld, register_seeder

from .consent import RANK
from .models import Audience, Gift, GiftKind, Person, Tag
from .tags import seed_default_tags

SEED = 20261125
DEFAULT_COUNT = 150
BATCH = 2000

# Streets of the Keizer Karelpark wijk in Amstelveen, around each demo buurt.
STREETS = {
    "populierenbuurt": [
        "Keizer Karelweg",
        "Lindenlaan",
        "Van der Leeklaan",
        "Van der Hooplaan",
        "Startbaan",
        "Sportlaan",
        "Fokkerlaan",
        "Farmanlaan",
        "Icaruslaan",
        "Grasélaan",
        "Soerlaan",
    ],
    "kastanjebuurt": [
        "Kastanjelaan",
        "Keizer Karelweg",
        "Ouderkerkerlaan",
        "Bovenkerkerkade",
        "De Vreelaan",
        "Klunderlaan",
        "Van Weerden Poelmanlaan",
        "Handweg",
    ],
}

# fmt: off
FIRST_NAMES = [
    "Anna", "Bram", "Carla", "Daan", "Els", "Fatima", "Gerrit", "Hanneke", "Ilse", "Jan",
    "Karin", "Lotte", "Mohamed", "Noor", "Olga", "Piet", "Qadira", "Ruud", "Saskia", "Thijs",
    "Ursula", "Vincent", "Wilma", "Yusuf", "Zeynep", "Henk", "Ingrid", "Kees", "Marleen",
    "Sem", "Emma", "Lucas", "Julia", "Finn", "Sophie", "Mila", "Levi", "Tess", "Nadia",
    "Priya", "Rahul", "Yuki", "Haruto", "Agnieszka", "Tomasz", "Mehmet", "Ayşe", "Khadija",
    "Rachid", "Sandra", "Germaine", "Roy", "Dewi", "Joost", "Willemijn", "Bart", "Femke",
    "Loes", "Arjen", "Renée", "Chloë", "Zoë", "Hüseyin", "Ömer", "Siham", "Kofi", "Amara",
]
LAST_NAMES = [
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen",
    "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters",
    "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf",
    "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel",
    "van der Veen", "Yılmaz", "Kaya", "Demir", "El Idrissi", "Bennani", "Amrani", "Kowalski",
    "Nowak", "Sharma", "Patel", "Tanaka", "Suzuki", "Sastrodikromo", "Pinas", "Biharie",
    "Doğan", "Çelik", "Mensah", "Öztürk", "van 't Hof", "Blom", "Koster", "Prins", "Huisman",
]
LANGUAGES = [
    "Engels", "Duits", "Frans", "Turks", "Arabisch", "Berbers", "Pools", "Hindi", "Japans",
    "Papiaments", "Sranantongo", "Spaans", "Portugees", "Oekraïens", "Tamil", "Twi",
]
WISHES = [
    "Een bankje bij de speeltuin waar ouderen en ouders elkaar treffen.",
    "Meer groen in de straat: geveltuintjes en een boomspiegel om samen te onderhouden.",
    "Een straatfeest één keer per jaar, zodat we weten wie er naast ons woont.",
    "Een plek waar kinderen na school kunnen huiswerk maken met hulp.",
    "Samen energie besparen: een klusdag voor tochtstrips en radiatorfolie.",
    "Een repair café in het buurthuis.",
    "Minder hard rijden; een speelstraat op zondag.",
    "Een gedeelde bakfiets voor boodschappen en verhuizingen.",
    "Koffieochtenden voor wie alleen woont.",
    "Een ruilkast voor boeken en speelgoed.",
    "",
    "",
]

# kind, title, description, tags
GIFTS = [
    ("hands", "Fietsen repareren", "Lekke banden, remmen, versnellingen: breng maar langs.", ["fietsen", "techniek"]),
    ("hands", "Fietsenmaker aan huis", "Vroeger had ik een fietsenwinkel; nu help ik buren.", ["fietsen"]),
    ("head", "Nederlandse les geven", "Oefenen met praten en lezen, op je eigen tempo.", ["taal"]),
    ("head", "Hulp bij belastingaangifte", "Ik werkte bij een administratiekantoor.", ["administratie", "geldzaken"]),
    ("head", "Formulieren invullen", "Toeslagen, gemeente, DigiD: samen lukt het.", ["administratie"]),
    ("hands", "Surinaams koken", "Roti, pom en bara voor grote groepen.", ["koken"]),
    ("hands", "Turkse gerechten koken", "Börek en mercimek çorbası; ik leer het graag aan anderen.", ["koken"]),
    ("hands", "Taarten bakken", "Voor verjaardagen en buurtfeesten.", ["koken"]),
    ("hands", "Kleding naaien en verstellen", "Zomen, ritsen, gordijnen.", ["naaien"]),
    ("hands", "Computerhulp", "Laptop of telefoon instellen, foto's bewaren, veilig internetten.", ["computers", "techniek"]),
    ("hands", "Klussen in huis", "Lampen ophangen, kastjes in elkaar zetten, kleine reparaties.", ["klussen", "techniek"]),
    ("hands", "Tuinieren", "Snoeien, moestuin aanleggen, stekjes delen.", ["tuin", "natuur"]),
    ("heart", "Buurtmoestuin", "Ik droom van een gezamenlijke moestuin op het braakliggende veld.", ["tuin", "natuur"]),
    ("hands", "Gitaar spelen", "Samen muziek maken of les voor beginners.", ["muziek"]),
    ("hands", "Piano les", "Klassiek en pop, voor kinderen en volwassenen.", ["muziek", "kinderen"]),
    ("heart", "Zingen in een koor", "Ik zou graag een buurtkoor beginnen.", ["muziek", "gezelschap"]),
    ("head", "EHBO en reanimatie", "Ik ben verpleegkundige en geef graag een cursus.", ["zorg"]),
    ("hands", "Boodschappen doen voor ouderen", "Eén keer per week, op de fiets.", ["ouderen", "zorg"]),
    ("heart", "Eenzaamheid tegengaan", "Niemand in de straat zou alleen moeten zijn.", ["ouderen", "gezelschap"]),
    ("hands", "Voorlezen aan kinderen", "In de bibliotheek of op school.", ["kinderen", "lezen en schrijven"]),
    ("hands", "Huiswerkbegeleiding", "Wiskunde en Engels voor de middelbare school.", ["kinderen", "taal"]),
    ("head", "Opvoedvragen", "Moeder van vier; ik denk graag mee.", ["kinderen"]),
    ("hands", "Voetbaltraining voor kinderen", "Op het trapveldje, woensdagmiddag.", ["sport", "kinderen"]),
    ("hands", "Hardlopen in een groepje", "Rondje Amsterdamse Bos op zaterdag.", ["sport", "gezelschap"]),
    ("hands", "Yoga", "Rustige yoga voor alle leeftijden.", ["sport", "zorg"]),
    ("hands", "Hond uitlaten", "Als je ziek bent of op vakantie.", ["dieren"]),
    ("head", "Energie besparen", "Ik weet veel van isolatie en zonnepanelen.", ["energie", "techniek"]),
    ("heart", "Duurzame straat", "Samen de straat van het gas af.", ["energie", "natuur"]),
    ("hands", "Fotografie", "Portretten en foto's van buurtactiviteiten.", ["kunst"]),
    ("hands", "Schilderen en tekenen", "Creatieve middagen voor jong en oud.", ["kunst", "kinderen"]),
    ("head", "Tolken Arabisch–Nederlands", "Mee naar de huisarts of de school.", ["taal", "zorg"]),
    ("head", "Tolken Turks–Nederlands", "Bij gesprekken met instanties.", ["taal"]),
    ("hands", "Auto delen en rijden", "Rijden naar het ziekenhuis of de markt.", ["vervoer"]),
    ("hands", "Bakfiets uitlenen", "Voor verhuizingen en grote boodschappen.", ["vervoer", "fietsen"]),
    ("head", "Geldzaken op orde", "Budgetcoach; samen overzicht maken.", ["geldzaken", "administratie"]),
    ("heart", "Koffieochtend organiseren", "Elke week koffie in het buurthuis.", ["gezelschap"]),
    ("heart", "Speelstraat", "Op zondag de straat voor de kinderen.", ["kinderen"]),
    ("hands", "Naaimachine repareren", "Oude machines weer aan de praat.", ["naaien", "techniek"]),
    ("head", "Japanse les", "Konnichiwa! Beginnerslessen Japans.", ["taal"]),
    ("hands", "Indiase kookles", "Dal, chapati en chai.", ["koken"]),
    ("head", "Websites maken", "Voor verenigingen en kleine ondernemers.", ["computers"]),
    ("heart", "Schone straat", "Elke maand samen zwerfafval prikken.", ["natuur"]),
]

# fmt: on

NAME_AUDIENCE = [Audience.RESIDENTS] * 8 + [Audience.PUBLIC] + [Audience.BUILDERS]
OTHER_AUDIENCE = [Audience.RESIDENTS] * 5 + [Audience.BUILDERS] * 4 + [Audience.PUBLIC]


def _visibility(rng: random.Random) -> dict[str, str]:
    vis = {
        "name": rng.choice(NAME_AUDIENCE).value,
        "street": rng.choice(OTHER_AUDIENCE).value,
        "address": Audience.BUILDERS.value,
        "phone": rng.choice([Audience.BUILDERS, Audience.BUILDERS, Audience.RESIDENTS]).value,
        "email": rng.choice([Audience.BUILDERS, Audience.RESIDENTS]).value,
        "languages": rng.choice(OTHER_AUDIENCE).value,
        "street_wish": rng.choice(OTHER_AUDIENCE).value,
        "photo": Audience.BUILDERS.value,
        "gifts": rng.choice([Audience.RESIDENTS] * 4 + [Audience.BUILDERS]).value,
    }
    # Ties as widely as gifts, up to residents (no draw of its own: the rest of the demo
    # keeps its random sequence).
    vis["ties"] = min(vis["gifts"], Audience.RESIDENTS.value, key=RANK.__getitem__)
    return vis


def _postcode(rng: random.Random) -> str:
    return f"1185 {rng.choice('HJKLMN')}{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}"


def _person(rng: random.Random, neighbourhood, index: int, streets: list[str], user) -> Person:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    email_name = f"{first}.{last}".lower().replace(" ", "").replace("'", "")
    languages = ["Nederlands", *rng.sample(LANGUAGES, rng.choice([0, 0, 1, 1, 2]))]
    return Person(
        neighbourhood=neighbourhood,
        name=f"{first} {last}",
        street=rng.choice(streets),
        house_number=str(rng.randint(1, 180)),
        postcode=_postcode(rng),
        phone=f"06-{rng.randint(10000000, 99999999)}" if rng.random() < 0.7 else "",
        email=f"{email_name}{index}@example.org" if rng.random() < 0.5 else "",
        languages=", ".join(languages),
        street_wish=rng.choice(WISHES),
        visibility=_visibility(rng),
        external_id=f"demo-{index}",
        created_by=user,
        updated_by=user,
    )


def _gift_count(rng: random.Random, large: bool) -> int:
    return 3 if large else rng.choice([1, 2, 2, 3, 3, 3, 4])


@transaction.atomic
def seed_people(neighbourhood, count: int, recorder=None) -> None:
    """Add the demo people 0..count-1 that this neighbourhood lacks, with their gifts."""
    seed_default_tags(neighbourhood)
    tag_names = sorted({t for _k, _t, _d, tags in GIFTS for t in tags})
    tags = {t.normalised: t for t in Tag.objects.resolve(neighbourhood, tag_names)}
    existing = set(
        Person.objects.in_neighbourhood(neighbourhood)
        .filter(external_id__startswith="demo-")
        .values_list("external_id", flat=True)
    )
    streets = STREETS.get(neighbourhood.slug) or STREETS["populierenbuurt"]
    rng = random.Random(f"{SEED}-{neighbourhood.slug}")  # noqa: S311  (repeatable demo)
    large = count > 1000
    new_people: list[Person] = []
    planned_gifts: dict[str, list[tuple]] = {}
    for index in range(count):
        person = _person(rng, neighbourhood, index, streets, recorder)
        picked = rng.sample(GIFTS, _gift_count(rng, large))
        flags = [(rng.random() < 0.6, rng.random() < 0.25) for _ in picked]
        if person.external_id in existing:
            continue
        new_people.append(person)
        planned_gifts[person.external_id] = list(zip(picked, flags, strict=True))
    for start in range(0, len(new_people), BATCH):
        people = Person.objects.bulk_create(new_people[start : start + BATCH])
        gifts: list[Gift] = []
        gift_tags: list[list[str]] = []
        for person in people:
            for (kind, title, description, names), (share, learn) in planned_gifts[
                person.external_id
            ]:
                gifts.append(
                    Gift(
                        person=person,
                        kind=GiftKind(kind),
                        title=title,
                        description=description,
                        share=share,
                        learn=learn,
                        created_by=recorder,
                    )
                )
                gift_tags.append(names)
        Gift.objects.bulk_create(gifts)
        Through = Gift.tags.through
        Through.objects.bulk_create(
            [
                Through(gift_id=gift.pk, tag_id=tags[name].pk)
                for gift, names in zip(gifts, gift_tags, strict=True)
                for name in names
            ],
            batch_size=BATCH * 3,
        )


DEMO_RESIDENT_VISIBILITY = {
    "name": Audience.RESIDENTS.value,
    "street": Audience.RESIDENTS.value,
    "address": Audience.BUILDERS.value,
    "phone": Audience.BUILDERS.value,
    "email": Audience.RESIDENTS.value,
    "languages": Audience.RESIDENTS.value,
    "street_wish": Audience.PUBLIC.value,
    "photo": Audience.BUILDERS.value,
    "gifts": Audience.RESIDENTS.value,
    "ties": Audience.RESIDENTS.value,
}


def link_demo_resident(neighbourhood, user, recorder=None) -> Person:
    """The demo user ``resident`` owns a claimed profile: Ans Jansen.

    Who sees what is set when the profile is made, with Ans's consent given online for it
    (as when a resident widens it on their own page); seeding again changes neither, so a
    consent withdrawn in the demo stays withdrawn and its fields stay narrowed.
    """
    from .consent import give_online_for_visibility

    details = {
        "user": user,
        "name": f"{user.first_name} {user.last_name}".strip() or "Ans Jansen",
        "street": "Lindenlaan",
        "house_number": "12",
        "postcode": "1185 LB",
        "email": user.email,
        "languages": "Nederlands, Engels",
        "street_wish": "Een moestuin op het veldje achter de Lindenlaan.",
        "created_by": recorder,
        "updated_by": recorder,
    }
    person, _created = Person.objects.update_or_create(
        neighbourhood=neighbourhood,
        external_id="demo-resident",
        defaults=details,
        create_defaults={**details, "visibility": dict(DEMO_RESIDENT_VISIBILITY)},
    )
    if not person.consents.exists():
        give_online_for_visibility(person, person.visibility or {}, user)
    if not person.gifts.exists():
        gift = Gift.objects.create(
            person=person,
            kind=GiftKind.HEART,
            title="Buurtmoestuin",
            description="Samen groente kweken op het veldje; ik heb zaden en gereedschap.",
            share=True,
            created_by=recorder,
        )
        gift.tags.set(Tag.objects.resolve(neighbourhood, ["tuin", "natuur"]))
        gift = Gift.objects.create(
            person=person,
            kind=GiftKind.HANDS,
            title="Taarten bakken",
            description="Voor verjaardagen en buurtfeesten.",
            share=True,
            created_by=recorder,
        )
        gift.tags.set(Tag.objects.resolve(neighbourhood, ["koken"]))
    return person


@register_seeder(order=20)
def seed_demo_people(world: DemoWorld) -> None:
    builders = [world.users.get("builder"), world.users.get("builder2")]
    for index, neighbourhood in enumerate(world.neighbourhoods):
        count = world.people if index == 0 else DEFAULT_COUNT
        recorder = builders[index] if index < len(builders) else None
        seed_people(neighbourhood, count, recorder)
    resident = world.users.get("resident")
    if resident is not None and world.neighbourhoods:
        link_demo_resident(world.neighbourhoods[0], resident, world.users.get("builder"))
