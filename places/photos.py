"""Storing and removing place photos. Every photo was hardened by neighbourhoods.images."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.fields.files import FieldFile

from neighbourhoods.images import CleanImage

from .models import Place, PlacePhoto


def _store(field_file: FieldFile, content: ContentFile) -> tuple[Storage, str]:
    """Write ``content`` under its own name (not saving the model); the storage and the name
    it was stored under."""
    assert content.name is not None  # a CleanImage and its thumbnail always have a name
    field_file.save(content.name, content, save=False)
    assert field_file.name is not None  # save() just set it
    return field_file.storage, field_file.name


def add_photos(place: Place, images: list[CleanImage], caption: str, user) -> list[PlacePhoto]:
    """Store all photos or none: files written for a failed batch are removed again."""
    written: list[tuple[Storage, str]] = []
    photos: list[PlacePhoto] = []
    try:
        with transaction.atomic():
            for image in images:
                photo = PlacePhoto(place=place, caption=caption, uploaded_by=user)
                written.append(_store(photo.image, image))
                written.append(_store(photo.thumbnail, image.thumbnail))
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
