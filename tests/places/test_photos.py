"""Place photos: hardened on upload, all-or-nothing, served only through an access check."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from places.models import PlacePhoto

from ..neighbourhoods.test_images import bomb_png, jpeg_with_gps_and_orientation
from .factories import jpeg_bytes, make_photo, make_place


def url(name, side, *args):
    return reverse(f"places:{name}", args=[side.slug, *args])


def upload(content: bytes, name: str = "foto.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_builder_uploads_several_photos(world, client_for):
    place = make_place(world.a.neighbourhood, "Buurthuis")
    client = client_for(world.a.builder)
    response = client.post(
        url("photo_add", world.a, place.pk),
        {
            "photos": [
                upload(jpeg_with_gps_and_orientation(), "IMG_0001.jpg"),
                upload(jpeg_bytes()),
            ],
            "caption": "De grote zaal",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#photos")
    photos = list(place.photos.all())
    assert len(photos) == 2
    assert all(p.caption == "De grote zaal" and p.uploaded_by == world.a.builder for p in photos)
    assert "IMG_0001" not in photos[0].image.name  # random names
    assert photos[0].image.name.startswith("places/")
    assert photos[0].thumbnail.name.startswith("places/thumbs/")
    with photos[0].image.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert len(image.getexif()) == 0  # GPS gone
        assert image.size == (20, 40)  # rotated upright

    detail = client.get(url("detail", world.a, place.pk))
    for photo in photos:
        assert url("photo_thumbnail", world.a, place.pk, photo.pk) in detail.text
        assert url("photo", world.a, place.pk, photo.pk) in detail.text
    assert settings.MEDIA_URL not in detail.text  # never a public media URL


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (bomb_png(), "bomb.png", "bomb.png: This photo has more than 40 megapixels."),
        (b"just some text\n" * 20, "notes.jpg", "notes.jpg: Only JPEG, PNG or WebP photos."),
    ],
)
def test_bad_photo_gives_a_clear_message_and_saves_nothing(
    world, client_for, content, name, message
):
    place = make_place(world.a.neighbourhood)
    response = client_for(world.a.builder).post(
        url("photo_add", world.a, place.pk),
        {"photos": [upload(jpeg_bytes(), "good.jpg"), upload(content, name)], "caption": "Zaal"},
    )
    assert response.status_code == 422
    assert message in response.text
    assert "No photo was saved" in response.text
    assert not PlacePhoto.objects.exists()
    assert stored_files() == []  # the good one was not stored either


def test_empty_upload_asks_for_a_photo(world, client_for):
    place = make_place(world.a.neighbourhood)
    response = client_for(world.a.builder).post(url("photo_add", world.a, place.pk), {})
    assert response.status_code == 422
    assert "Choose one or more photos." in response.text


def test_too_many_photos_at_once(world, client_for):
    place = make_place(world.a.neighbourhood)
    files = [upload(jpeg_bytes(), f"{n}.jpg") for n in range(11)]
    response = client_for(world.a.builder).post(
        url("photo_add", world.a, place.pk), {"photos": files}
    )
    assert response.status_code == 422
    assert "Choose at most 10 photos at a time." in response.text
    assert not PlacePhoto.objects.exists()


def test_resident_cannot_upload_or_delete(world, client_for):
    place = make_place(world.a.neighbourhood)
    photo = make_photo(place)
    client = client_for(world.a.resident)
    response = client.post(url("photo_add", world.a, place.pk), {"photos": [upload(jpeg_bytes())]})
    assert response.status_code == 403
    assert client.post(url("photo_delete", world.a, place.pk, photo.pk)).status_code == 403
    assert PlacePhoto.objects.count() == 1


def test_photo_is_served_to_members_only(world, client_for):
    place = make_place(world.a.neighbourhood)
    photo = make_photo(place, "Zaal")
    photo_url = url("photo", world.a, place.pk, photo.pk)
    thumb_url = url("photo_thumbnail", world.a, place.pk, photo.pk)

    for user in (world.a.resident, world.a.builder, world.a.coordinator, world.staff):
        response = client_for(user).get(photo_url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
        thumb = client_for(user).get(thumb_url)
        assert thumb.status_code == 200
        assert thumb["Content-Type"] == "image/webp"
        b"".join(thumb.streaming_content)

    assert client_for(world.a.resident).head(photo_url).status_code == 200
    assert client_for(world.a.resident).post(photo_url).status_code == 405

    for user in (world.b.builder, world.b.resident, world.stranger):
        assert client_for(user).get(photo_url).status_code == 404
        assert client_for(user).get(thumb_url).status_code == 404

    anonymous = client_for(None).get(photo_url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")


def test_photo_ids_must_match_their_place_and_neighbourhood(world, client_for):
    place_a = make_place(world.a.neighbourhood)
    other_place_a = make_place(world.a.neighbourhood)
    photo = make_photo(place_a)
    client = client_for(world.a.resident)
    assert client.get(url("photo", world.a, other_place_a.pk, photo.pk)).status_code == 404
    # B's builder cannot reach A's photo through B's slug either
    assert (
        client_for(world.b.builder).get(url("photo", world.b, place_a.pk, photo.pk)).status_code
        == 404
    )


def test_missing_file_is_404_not_500(world, client_for):
    place = make_place(world.a.neighbourhood)
    photo = make_photo(place)
    photo.image.storage.delete(photo.image.name)
    assert (
        client_for(world.a.resident).get(url("photo", world.a, place.pk, photo.pk)).status_code
        == 404
    )


def test_deleting_a_photo_removes_its_files_after_commit(
    world, client_for, django_capture_on_commit_callbacks
):
    place = make_place(world.a.neighbourhood)
    photo = make_photo(place)
    image, thumb = photo.image.name, photo.thumbnail.name
    storage = photo.image.storage
    client = client_for(world.a.builder)
    confirm = client.get(url("photo_delete", world.a, place.pk, photo.pk))
    assert confirm.status_code == 200
    assert "Delete this photo?" in confirm.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("photo_delete", world.a, place.pk, photo.pk))
    assert response.status_code == 302
    assert not PlacePhoto.objects.exists()
    assert not storage.exists(image) and not storage.exists(thumb)


def test_deleting_a_place_removes_its_photo_files(
    world, client_for, django_capture_on_commit_callbacks
):
    place = make_place(world.a.neighbourhood)
    make_photo(place)
    make_photo(place)
    assert len(stored_files()) == 4
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.a.builder).post(url("delete", world.a, place.pk))
    assert stored_files() == []


def test_caption_markup_is_escaped(world, client_for):
    place = make_place(world.a.neighbourhood)
    payload = '"><img src=x onerror=alert(1)><script>alert(1)</script>'
    client = client_for(world.a.builder)
    client.post(
        url("photo_add", world.a, place.pk), {"photos": [upload(jpeg_bytes())], "caption": payload}
    )
    detail = client.get(url("detail", world.a, place.pk))
    assert "<script>alert(1)</script>" not in detail.text
    assert "<img src=x onerror" not in detail.text
    assert "&lt;script&gt;" in detail.text
