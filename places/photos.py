"""Storing and removing place photos. Every photo was hardened by neighbourhoods.images."""

from __future__ import annotations

from django.core.files.storage import Storage
from django.db import transaction

from neighbourhoods.images import CleanImage

from .models import Place, PlacePhoto


def add_photos(place: Place, images: list[CleanImage], caption: str, user) -> list[PlacePhoto]:
    """Store all photos or none: files written for a failed batch are removed again."""
    written: list[tuple[Storage, str]] = []
    photos: list[PlacePhoto] = []
    try:
        with transaction.atomic():
            for image in images:
                photo = PlacePhoto(place=place, caption=caption, uploaded_by=user)
                photo.image.save(image.name, image, save=False)
                written.append((photo.image.storage, photo.image.name))
                photo.thumbnail.save(image.thumbnail.name, image.thumbnail, save=False)
                written.append((photo.thumbnail.storage, photo.thumbnail.name))
                photo.save()
                photos.append(photo)
    except Exception:
        for storage, name in written:
            storage.delete(name)
        raise
    return photos


def delete_files_on_commit(photo: PlacePhoto) -> None:
    """Remove a deleted photo's files once the deletion is committed (never on rollback)."""
    files = [(f.storage, f.name) for f in (photo.image, photo.thumbnail) if f and f.name]

    def remove() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove)
