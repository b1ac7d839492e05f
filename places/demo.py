"""Demo places: about 20 per demo neighbourhood, inside its boundary, some with photos.

Keyed by ``external_id`` ("demo-place-<key>"): running again adds nothing. The places open
to everyone (``PUBLIC``) are marked for the published page when they are created. Photos are drawn
with Pillow and go through ``neighbourhoods.images`` like any upload; a place that has photos
gets no more. Runs after the organisations seeder, and links places to their managers and
organisations to their usual place.
"""

from __future__ import annotations

import io
import random

from django.db import transaction
from PIL import Image, ImageDraw

from neighbourhoods import geo
from neighbourhoods.demo import DemoWorld, register_seeder
from neighbourhoods.images import process_image
from neighbourhoods.models import Neighbourhood
from organisations.demo import SHORT, STREETS
from organisations.demo import external_id as organisation_id
from organisations.models import Organisation

from .models import Place, PlaceKind, PlacePhoto
from .photos import add_photos

SEED = 3131
K = PlaceKind

KITCHEN = "Keuken met fornuis, oven en vaatwasser; te gebruiken in overleg."

# key, name, kind, description, availability, accessibility, managing organisation key,
# organisations (keys) that usually meet here, number of demo photos
PLACES: list[tuple[str, str, str, str, str, str, str, tuple[str, ...], int]] = [
    (
        "buurthuis",
        "Buurthuis {buurt}",
        K.COMMUNITY_CENTRE,
        "Buurthuis met een grote zaal (80 personen), twee vergaderruimtes en een grote keuken.",
        "maandag t/m zaterdag 9:00–22:00",
        "Drempelvrij, invalidentoilet, ringleiding. " + KITCHEN,
        "stichting",
        ("koffie", "bewoners", "senioren", "brei"),
        2,
    ),
    (
        "buurtkamer",
        "Buurtkamer Keizer Karelpark",
        K.COMMUNITY_CENTRE,
        "Huiskamer van de wijk: koffie, krant, spelletjes en een kleine keuken (pantry).",
        "doordeweeks 10:00–16:00",
        "Gelijkvloers; kleine keuken met koffiezetapparaat.",
        "participe",
        ("huiswerk",),
        1,
    ),
    (
        "speeltuin",
        "Speeltuin {buurt}",
        K.PLAYGROUND,
        "Omheinde speeltuin met klimrek, schommels, zandbak en een kantine.",
        "dagelijks 9:00–19:00 (zomer tot 21:00)",
        "Rolstoeltoegankelijk pad; kantine met keukentje.",
        "speeltuin",
        (),
        1,
    ),
    (
        "park",
        "Park De Poel",
        K.PARK,
        "Parkje rond de vijver met bankjes, een jeu-de-boulesbaan en grote bomen.",
        "altijd open",
        "Verharde paden, bankjes om de 50 meter.",
        "",
        ("wandel",),
        1,
    ),
    (
        "moestuin",
        "Buurtmoestuin achter het buurthuis",
        K.GARDEN,
        "Twaalf verhoogde bakken, een kas en een gereedschapsschuur.",
        "zaterdag 10:00–12:00",
        "Verhoogde bakken, ook vanuit een rolstoel te bereiken.",
        "moestuin",
        ("moestuin",),
        1,
    ),
    (
        "pluktuin",
        "Pluktuin Lindenlaan",
        K.GARDEN,
        "Bloemen en fruitstruiken die iedereen mag plukken.",
        "altijd open",
        "Grindpad.",
        "",
        (),
        0,
    ),
    (
        "plein",
        "Keizer Karelplein",
        K.SQUARE,
        "Plein bij de winkels; geschikt voor een markt of straatfeest (stroom aanwezig).",
        "vergunning nodig voor evenementen",
        "Vlak, verhard.",
        "",
        (),
        0,
    ),
    (
        "pleintje",
        "Pleintje {short}",
        K.SQUARE,
        "Klein pleintje met een bank en een boom; hier begint elk jaar het straatfeest.",
        "altijd open",
        "",
        "",
        (),
        0,
    ),
    (
        "eetcafe",
        "Eetcafé {short}",
        K.CAFE,
        "Buurtcafé met een zaaltje achter voor 30 personen en een professionele keuken.",
        "dinsdag t/m zondag 11:00–23:00",
        "Eén trede bij de ingang; " + KITCHEN,
        "cafe",
        (),
        1,
    ),
    (
        "lunchroom",
        "Lunchroom Het Hoekje",
        K.CAFE,
        "Lunchroom met een leestafel.",
        "maandag t/m zaterdag 8:30–17:00",
        "Drempelvrij.",
        "",
        ("koffie",),
        0,
    ),
    (
        "leegstand1",
        "Lege winkel Van der Hooplaan",
        K.EMPTY_SHOP,
        "Voormalige schoenenwinkel, 60 m², staat al een jaar leeg. De eigenaar wil tijdelijk "
        "verhuren aan een buurtinitiatief.",
        "op afspraak met de eigenaar",
        "Drempelvrij.",
        "",
        (),
        0,
    ),
    (
        "leegstand2",
        "Voormalige bakkerij",
        K.EMPTY_SHOP,
        "Oude bakkerij met de ovens er nog in; ideaal voor een buurtkeuken.",
        "",
        "Twee treden bij de ingang; oude bakkerskeuken aanwezig.",
        "eigenhaard",
        (),
        1,
    ),
    (
        "kerkzaal",
        "Kerkzaal van de Paaskerk",
        K.CHURCH_HALL,
        "Zaal naast de kerk voor 100 personen, met podium en piano.",
        "doordeweeks op aanvraag",
        "Hellingbaan bij de zijingang. " + KITCHEN,
        "kerk",
        ("harmonie",),
        1,
    ),
    (
        "school",
        "Basisschool {short}",
        K.SCHOOL,
        "School met een aula; het schoolplein is na schooltijd een speelplek.",
        "aula op zaterdag te huur",
        "Lift naar de eerste verdieping.",
        "school",
        (),
        0,
    ),
    (
        "bieb",
        "Bibliotheek Keizer Karelpark",
        K.LIBRARY,
        "Kleine vestiging met studieplekken, computers en een leesclubruimte.",
        "di–za 10:00–17:00",
        "Drempelvrij, invalidentoilet.",
        "bieb",
        (),
        0,
    ),
    (
        "sporthal",
        "Gymzaal Keizer Karel",
        K.SPORTS,
        "Gymzaal die 's avonds en in het weekend te huur is.",
        "avonden en weekend",
        "Kleedkamers gelijkvloers.",
        "sport",
        ("sport",),
        0,
    ),
    (
        "trapveld",
        "Trapveldje aan de Handweg",
        K.SPORTS,
        "Kunstgrasveldje met twee doeltjes.",
        "altijd open",
        "",
        "",
        (),
        0,
    ),
    (
        "huisarts",
        "Gezondheidscentrum Keizer Karelweg",
        K.HEALTH,
        "Huisartsen, fysiotherapie en een wachtkamer met een prikbord voor de buurt.",
        "werkdagen 8:00–17:00",
        "Drempelvrij, invalidentoilet.",
        "huisarts",
        (),
        0,
    ),
    (
        "fietsenmaker",
        "Fietsenmaker Keizer Karel",
        K.SHOP,
        "Werkplaats waar het Repair Café zijn fietsreparaties doet.",
        "di–za 9:00–18:00",
        "",
        "fiets",
        ("repair",),
        0,
    ),
    (
        "ateliers",
        "Ateliers 2005",
        K.OTHER,
        "Ateliergebouw van kunstenaars met een expositieruimte voor de buurt.",
        "open atelierdagen in het voorjaar",
        "",
        "",
        (),
        1,
    ),
]


# Shown on the published page (``Place.public``): places open to everyone. Not the empty
# shops (talks with an owner), cafés and shops, the school, the health centre or the ateliers.
PUBLIC = frozenset(
    {"buurthuis", "buurtkamer", "speeltuin", "park", "moestuin", "plein", "kerkzaal", "bieb"}
)


def external_id(key: str) -> str:
    return f"demo-place-{key}"


def random_point(neighbourhood: Neighbourhood, rng: random.Random) -> tuple[float, float]:
    """A point inside the boundary (or near the centre when there is none)."""
    box = geo.bounds(neighbourhood.boundary)
    if box is None:
        lat = (neighbourhood.centre_lat or 52.2935) + rng.uniform(-0.002, 0.002)
        lon = (neighbourhood.centre_lon or 4.8478) + rng.uniform(-0.003, 0.003)
        return round(lat, 6), round(lon, 6)
    south, west, north, east = box
    for _attempt in range(1000):
        lat, lon = rng.uniform(south, north), rng.uniform(west, east)
        if geo.contains(neighbourhood.boundary, lat, lon):
            return round(lat, 6), round(lon, 6)
    return round((south + north) / 2, 6), round((west + east) / 2, 6)


def demo_photo(rng: random.Random, label: int) -> io.BytesIO:
    """A calm, made-up picture: sky, grass, a building with windows, a tree."""
    width, height = 1200, 800
    sky = (rng.randint(120, 170), rng.randint(170, 210), rng.randint(220, 250))
    image = Image.new("RGB", (width, height), sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 560, width, height), fill=(rng.randint(70, 110), 150, 80))
    left = rng.randint(80, 500)
    top = rng.randint(220, 360)
    wall = (rng.randint(150, 200), rng.randint(90, 140), rng.randint(70, 110))
    draw.rectangle((left, top, left + 520, 600), fill=wall)
    draw.polygon([(left - 30, top), (left + 260, top - 140), (left + 550, top)], fill=(90, 60, 55))
    for row in range(2):
        for col in range(4):
            x = left + 40 + col * 120
            y = top + 40 + row * 120
            draw.rectangle((x, y, x + 70, y + 80), fill=(235, 235, 210))
    tree = rng.randint(900, 1100)
    draw.rectangle((tree - 12, 430, tree + 12, 600), fill=(100, 70, 40))
    draw.ellipse((tree - 90, 300, tree + 90, 470), fill=(50, 120 + label % 60, 60))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    out.seek(0)
    return out


def seed_places(neighbourhood: Neighbourhood, rng: random.Random) -> None:
    existing = set(
        Place.objects.in_neighbourhood(neighbourhood)
        .filter(external_id__startswith="demo-place-")
        .values_list("external_id", flat=True)
    )
    organisations = {
        o.external_id: o
        for o in Organisation.objects.in_neighbourhood(neighbourhood).filter(
            external_id__startswith="demo-org-"
        )
    }
    buurt = neighbourhood.name
    short = SHORT.get(neighbourhood.slug, neighbourhood.name)
    streets = STREETS.get(neighbourhood.slug) or STREETS["populierenbuurt"]
    new: list[Place] = []
    meeting: dict[str, str] = {}
    for key, name, kind, description, availability, access, manager, meets, _photos in PLACES:
        lat, lon = random_point(neighbourhood, rng)
        street, number = rng.choice(streets), str(rng.randint(1, 180))
        for organisation_key in meets:
            meeting.setdefault(organisation_key, external_id(key))
        if external_id(key) in existing:
            continue
        new.append(
            Place(
                neighbourhood=neighbourhood,
                external_id=external_id(key),
                name=name.format(buurt=buurt, short=short),
                kind=kind,
                description=description,
                availability=availability,
                accessibility=access,
                street=street,
                house_number=number if kind not in (K.PARK, K.SQUARE, K.GARDEN) else "",
                postcode=f"1185 {rng.choice('ABCDEGHJKL')}{rng.choice('MNPRSTVWXZ')}",
                latitude=lat,
                longitude=lon,
                managed_by_organisation=organisations.get(organisation_id(manager)),
                public=key in PUBLIC,
            )
        )
    Place.objects.bulk_create(new)

    places = {
        p.external_id: p
        for p in Place.objects.in_neighbourhood(neighbourhood).filter(
            external_id__startswith="demo-place-"
        )
    }
    for organisation_key, place_key in meeting.items():
        organisation = organisations.get(organisation_id(organisation_key))
        if organisation is not None and organisation.usual_place_id is None:
            organisation.usual_place = places.get(place_key)
            organisation.save(update_fields=["usual_place"])

    with_photos = set(
        PlacePhoto.objects.in_neighbourhood(neighbourhood).values_list("place_id", flat=True)
    )
    for index, (key, *_rest, photo_count) in enumerate(PLACES):
        place = places.get(external_id(key))
        if place is None or place.pk in with_photos or not photo_count:
            continue
        images = [process_image(demo_photo(rng, index * 7 + n)) for n in range(photo_count)]
        add_photos(place, images, caption="", user=None)


@register_seeder(order=31)
@transaction.atomic
def seed_demo_places(world: DemoWorld) -> None:
    for index, neighbourhood in enumerate(world.neighbourhoods):
        seed_places(neighbourhood, random.Random(SEED + index))  # noqa: S311 (demo data)
