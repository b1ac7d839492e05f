"""Plain factories for places and their photos."""

from __future__ import annotations

import io
import itertools

from PIL import Image

from neighbourhoods.images import process_image
from places.models import Place, PlaceKind, PlacePhoto
from places.photos import add_photos

_seq = itertools.count(1)


def make_place(neighbourhood, name: str | None = None, **extra) -> Place:
    extra.setdefault("kind", PlaceKind.COMMUNITY_CENTRE)
    return Place.objects.create(
        neighbourhood=neighbourhood, name=name or f"Plek {next(_seq)}", **extra
    )


def make_places(neighbourhood, count: int) -> list[Place]:
    return Place.objects.bulk_create(
        Place(neighbourhood=neighbourhood, name=f"Plek {next(_seq)}", kind="park")
        for _ in range(count)
    )


def jpeg_bytes(size=(64, 48), colour="orange") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def make_photo(place: Place, caption: str = "") -> PlacePhoto:
    """A real, hardened photo stored in (the test's temporary) MEDIA_ROOT."""
    clean = process_image(io.BytesIO(jpeg_bytes()))
    return add_photos(place, [clean], caption, user=None)[0]
