"""The spreadsheet columns of DESIGN.md and the words for kinds, in English and Dutch.

Exports write ``Column.name`` (English) in this order; imports accept the name or any alias,
case-insensitive, with spaces, hyphens or underscores. The first columns of each inventory
are the stable ones of DESIGN.md; the ones after them are extras an export also writes so
that a round trip keeps everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from organisations.models import OrganisationKind
from places.models import PlaceKind
from residents.models import GiftKind, normalise

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PEOPLE = "people"
ORGANISATIONS = "organisations"
PLACES = "places"
INVENTORIES = (PEOPLE, ORGANISATIONS, PLACES)
INVENTORY_LABELS = {
    PEOPLE: _("people"),
    ORGANISATIONS: _("organisations"),
    PLACES: _("places"),
}


@dataclass(frozen=True)
class Column:
    name: str
    aliases: tuple[str, ...] = ()
    label: StrOrPromise = ""


COLUMNS: dict[str, tuple[Column, ...]] = {
    PLACES: (
        Column("name", ("naam",), _("name")),
        Column("kind", ("soort", "type"), _("kind")),
        Column("street", ("straat", "straatnaam"), _("street")),
        Column("house_number", ("huisnummer", "nummer"), _("house number")),
        Column("postcode", ("postal_code", "zip"), _("postcode")),
        Column("latitude", ("lat", "breedtegraad"), _("latitude")),
        Column("longitude", ("lon", "lng", "lengtegraad"), _("longitude")),
        Column("description", ("omschrijving", "beschrijving"), _("description")),
        Column("external_id", ("extern_id", "externe_id"), _("external id")),
    ),
    ORGANISATIONS: (
        Column("name", ("naam",), _("name")),
        Column("kind", ("soort", "type"), _("kind")),
        Column("description", ("omschrijving", "beschrijving"), _("description")),
        Column("email", ("e_mail", "mail"), _("email")),
        Column("phone", ("telefoon", "telefoonnummer"), _("phone")),
        Column("website", ("site", "url"), _("website")),
        Column("street", ("straat", "straatnaam"), _("street")),
        Column("external_id", ("extern_id", "externe_id"), _("external id")),
        Column("house_number", ("huisnummer", "nummer"), _("house number")),
        Column("postcode", ("postal_code", "zip"), _("postcode")),
        Column("contact", ("contactpersoon",), _("contact person")),
        Column("usual_place", ("vaste_plek", "plek"), _("usual place")),
    ),
    PEOPLE: (
        Column("name", ("naam",), _("name")),
        Column("street", ("straat", "straatnaam"), _("street")),
        Column("email", ("e_mail", "mail"), _("email")),
        Column("phone", ("telefoon", "telefoonnummer"), _("phone")),
        Column("gifts", ("gaven", "talenten"), _("gifts")),
        Column("external_id", ("extern_id", "externe_id"), _("external id")),
        Column("house_number", ("huisnummer", "nummer"), _("house number")),
        Column("postcode", ("postal_code", "zip"), _("postcode")),
        Column("languages", ("talen",), _("languages")),
    ),
}


def header_key(header: object) -> str:
    """ "Huis-nummer " → "huis_nummer": how headers are compared."""
    text = normalise(str(header or "")).lstrip("\ufeff")
    return "_".join(text.replace("-", " ").replace("_", " ").split())


def lookup(inventory: str) -> dict[str, str]:
    """Header key → column name, for every name and alias of the inventory."""
    table: dict[str, str] = {}
    for column in COLUMNS[inventory]:
        for word in (column.name, *column.aliases):
            table[header_key(word)] = column.name
    return table


def guess_inventory(headers: list[str], kinds: Sequence[str] = ()) -> str | None:
    """The inventory whose own columns the headers match best; None when nothing matches.

    Places and organisations share most columns: a tie is broken by the words in the kind
    column (``kinds``), and else goes to places.
    """
    keys = {header_key(h) for h in headers}
    scores = {}
    for inventory in (PLACES, ORGANISATIONS, PEOPLE):
        table = lookup(inventory)
        matched = {table[k] for k in keys if k in table}
        others = set().union(*(set(lookup(i).values()) for i in INVENTORIES if i != inventory))
        own = matched - others
        scores[inventory] = [len(own), len(matched), 0]
    for inventory, find in ((PLACES, place_kind), (ORGANISATIONS, organisation_kind)):
        scores[inventory][2] = sum(1 for word in kinds if word and find(word))
    best = max((PLACES, ORGANISATIONS, PEOPLE), key=lambda i: scores[i])
    if scores[best][1] == 0 or "name" not in {lookup(best).get(k) for k in keys}:
        return None
    return best


# --- kinds -------------------------------------------------------------------------------

PLACE_KIND_WORDS: dict[str, tuple[str, ...]] = {
    PlaceKind.COMMUNITY_CENTRE: (
        "community center",
        "buurthuis",
        "wijkcentrum",
        "buurtcentrum",
        "wijkgebouw",
    ),
    PlaceKind.PARK: ("park", "plantsoen"),
    PlaceKind.GARDEN: ("garden", "tuin", "moestuin", "buurttuin", "community garden"),
    PlaceKind.SQUARE: ("square", "plein", "marktplein"),
    PlaceKind.CAFE: ("cafe", "koffiehuis", "restaurant", "bar", "horeca"),
    PlaceKind.EMPTY_SHOP: ("empty shop", "leegstaande winkel", "lege winkel", "leegstand"),
    PlaceKind.PLAYGROUND: ("playground", "speeltuin", "speelplaats", "speelveld"),
    PlaceKind.CHURCH_HALL: ("church hall", "kerkzaal", "kerk", "church", "moskee", "mosque"),
    PlaceKind.SCHOOL: ("school", "basisschool"),
    PlaceKind.LIBRARY: ("library", "bibliotheek", "bieb"),
    PlaceKind.SPORTS: ("sports facility", "sport", "sports", "sportveld", "sporthal"),
    PlaceKind.SHOP: ("shop", "winkel", "store"),
    PlaceKind.HEALTH: ("health care", "health", "zorg", "gezondheidszorg", "huisarts"),
    PlaceKind.OTHER: ("other", "overig", "anders", "overige"),
}
ORGANISATION_KIND_WORDS: dict[str, tuple[str, ...]] = {
    OrganisationKind.INFORMAL: ("informal", "informal group", "informele groep", "bewonersgroep"),
    OrganisationKind.ASSOCIATION: ("association", "vereniging", "stichting", "club"),
    OrganisationKind.INSTITUTION: ("institution", "instelling", "organisatie"),
    OrganisationKind.BUSINESS: ("business", "bedrijf", "onderneming", "ondernemer"),
}
GIFT_KIND_WORDS: dict[str, tuple[str, ...]] = {
    GiftKind.HEAD: ("head", "hoofd", "knowledge", "kennis"),
    GiftKind.HANDS: ("hands", "handen", "hand", "skills", "vaardigheden"),
    GiftKind.HEART: ("heart", "hart", "passion", "passie"),
}


def _kind_table(choices, words: dict[str, tuple[str, ...]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for value, label in choices.choices:
        table[header_key(value)] = value
        for language in ("en", "nl"):
            with translation.override(language):
                table[header_key(str(label))] = value
                # "head (knowledge)" is also known as "head"
                table[header_key(str(label).split("(")[0])] = value
        for word in words.get(value, ()):
            table[header_key(word)] = value
    return table


_TABLES: dict[str, dict[str, str]] = {}


def kind_value(choices, words, text: str) -> str | None:
    """The kind for an English or Dutch word (any case, accents, _ or spaces); None if unknown."""
    key = choices.__name__
    if key not in _TABLES:
        _TABLES[key] = _kind_table(choices, words)
    return _TABLES[key].get(header_key(text))


def place_kind(text: str) -> str | None:
    return kind_value(PlaceKind, PLACE_KIND_WORDS, text)


def organisation_kind(text: str) -> str | None:
    return kind_value(OrganisationKind, ORGANISATION_KIND_WORDS, text)


def gift_kind(text: str) -> str | None:
    return kind_value(GiftKind, GIFT_KIND_WORDS, text)


# OpenStreetMap tags (amenity / leisure / shop / healthcare …) → place kinds.
OSM_KINDS: dict[tuple[str, str], str] = {
    ("amenity", "community_centre"): PlaceKind.COMMUNITY_CENTRE,
    ("amenity", "social_centre"): PlaceKind.COMMUNITY_CENTRE,
    ("amenity", "social_facility"): PlaceKind.COMMUNITY_CENTRE,
    ("amenity", "arts_centre"): PlaceKind.COMMUNITY_CENTRE,
    ("amenity", "cafe"): PlaceKind.CAFE,
    ("amenity", "bar"): PlaceKind.CAFE,
    ("amenity", "pub"): PlaceKind.CAFE,
    ("amenity", "restaurant"): PlaceKind.CAFE,
    ("amenity", "fast_food"): PlaceKind.CAFE,
    ("amenity", "ice_cream"): PlaceKind.CAFE,
    ("amenity", "school"): PlaceKind.SCHOOL,
    ("amenity", "kindergarten"): PlaceKind.SCHOOL,
    ("amenity", "college"): PlaceKind.SCHOOL,
    ("amenity", "university"): PlaceKind.SCHOOL,
    ("amenity", "library"): PlaceKind.LIBRARY,
    ("amenity", "public_bookcase"): PlaceKind.LIBRARY,
    ("amenity", "place_of_worship"): PlaceKind.CHURCH_HALL,
    ("amenity", "doctors"): PlaceKind.HEALTH,
    ("amenity", "dentist"): PlaceKind.HEALTH,
    ("amenity", "clinic"): PlaceKind.HEALTH,
    ("amenity", "hospital"): PlaceKind.HEALTH,
    ("amenity", "pharmacy"): PlaceKind.HEALTH,
    ("amenity", "marketplace"): PlaceKind.SQUARE,
    ("leisure", "park"): PlaceKind.PARK,
    ("leisure", "common"): PlaceKind.PARK,
    ("leisure", "garden"): PlaceKind.GARDEN,
    ("leisure", "playground"): PlaceKind.PLAYGROUND,
    ("leisure", "sports_centre"): PlaceKind.SPORTS,
    ("leisure", "sports_hall"): PlaceKind.SPORTS,
    ("leisure", "pitch"): PlaceKind.SPORTS,
    ("leisure", "stadium"): PlaceKind.SPORTS,
    ("leisure", "fitness_centre"): PlaceKind.SPORTS,
    ("leisure", "swimming_pool"): PlaceKind.SPORTS,
    ("leisure", "track"): PlaceKind.SPORTS,
    ("place", "square"): PlaceKind.SQUARE,
    ("shop", "vacant"): PlaceKind.EMPTY_SHOP,
    ("disused:shop", "*"): PlaceKind.EMPTY_SHOP,
    ("shop", "*"): PlaceKind.SHOP,
    ("healthcare", "*"): PlaceKind.HEALTH,
}
OSM_KEYS = ("amenity", "leisure", "shop", "healthcare", "place", "disused:shop")


def osm_kind(tags: dict) -> str:
    """The place kind for an OSM object's tags (``addr_street`` style keys work too)."""
    for key in OSM_KEYS:
        value = tags.get(key) or tags.get(key.replace(":", "_"))
        if not value:
            continue
        value = str(value)
        for candidate in ((key, value), (key, "*")):
            if candidate in OSM_KINDS:
                return OSM_KINDS[candidate]
    return PlaceKind.OTHER
