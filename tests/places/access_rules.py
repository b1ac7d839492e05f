"""Access rules of the place pages and their photos."""

from neighbourhoods.models import Role

from .factories import make_photo, make_place

EXPECTED_ROLE = {
    "places:list": Role.RESIDENT,
    "places:new": Role.BUILDER,
    "places:detail": Role.RESIDENT,
    "places:edit": Role.BUILDER,
    "places:delete": Role.BUILDER,
    "places:photo_add": Role.BUILDER,
    "places:photo": Role.RESIDENT,
    "places:photo_thumbnail": Role.RESIDENT,
    "places:photo_delete": Role.BUILDER,
}

KWARGS = {
    "place_id": lambda side: side.objects["places_place"].pk,
    "photo_id": lambda side: side.objects["places_photo"].pk,
}


def populate(side) -> None:
    place = make_place(side.neighbourhood, "Walk place")
    side.objects["places_place"] = place
    side.objects["places_photo"] = make_photo(place, "Walk photo")
