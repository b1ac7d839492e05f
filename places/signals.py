"""Photo files follow their rows: deleted with a photo, a place, or anything cascading."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import PlacePhoto
from .photos import delete_files_on_commit


@receiver(post_delete, sender=PlacePhoto, dispatch_uid="places_photo_files")
def remove_photo_files(sender, instance: PlacePhoto, **kwargs) -> None:
    delete_files_on_commit(instance)
