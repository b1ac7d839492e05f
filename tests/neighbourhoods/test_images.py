"""Photo hardening: type by content, limits before decode, orientation, no metadata."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

from neighbourhoods import images
from neighbourhoods.images import CleanImage, SafeImageField, process_image


@pytest.fixture(autouse=True)
def english():
    """The messages below are asserted in English (the default language is Dutch)."""
    from django.utils import translation

    with translation.override("en"):
        yield


GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps_and_orientation(width: int = 40, height: int = 20) -> bytes:
    """A real JPEG: left half red, right half blue; EXIF says 'rotate 90° CW' and has GPS."""
    image = Image.new("RGB", (width, height), "blue")
    image.paste((255, 0, 0), (0, 0, width // 2, height))
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (52.0, 17.0, 30.0)
    gps[3] = "E"
    gps[4] = (4.0, 51.0, 10.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), comment=b"secret comment")
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def bomb_png(width: int = 10_000, height: int = 10_000) -> bytes:
    """A valid 1-bit greyscale PNG of width×height pixels that is only a few KB."""
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", body)
        + png_chunk(b"IEND", b"")
    )


def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def encoded(fmt: str, size=(30, 20), mode="RGB", **params) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "green").save(out, fmt, **params)
    return out.getvalue()


def codes(excinfo) -> list[str]:
    return [error.code for error in excinfo.value.error_list]


def test_jpeg_is_rotated_and_loses_all_metadata():
    original = jpeg_with_gps_and_orientation()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the fixture is real

    clean = process_image(upload(original))

    assert isinstance(clean, CleanImage)
    result = Image.open(io.BytesIO(clean.read()))
    assert result.format == "JPEG"
    assert result.size == (20, 40)  # rotated a quarter turn
    assert (clean.width, clean.height) == (20, 40)
    # orientation 6 means "rotate 90° clockwise": the red left half ends up on top
    assert result.getpixel((10, 5))[0] > 200
    assert result.getpixel((10, 35))[2] > 200
    assert len(result.getexif()) == 0
    assert "exif" not in result.info
    assert "comment" not in result.info
    clean.seek(0)
    raw = clean.read()
    assert b"Exif" not in raw
    assert b"PhoneMaker" not in raw
    assert b"secret comment" not in raw


def test_names_are_random_and_types_follow_the_content():
    a = process_image(upload(jpeg_with_gps_and_orientation(), name="Holiday at home.jpg"))
    b = process_image(upload(jpeg_with_gps_and_orientation(), name="Holiday at home.jpg"))
    assert a.name != b.name
    assert "Holiday" not in a.name
    assert a.name.endswith(".jpg")
    assert a.content_type == "image/jpeg"
    assert a.thumbnail.name.endswith("_thumb.webp")

    # a PNG uploaded under a .jpg name stays a PNG
    png = process_image(upload(encoded("PNG"), name="looks-like.jpg"))
    assert png.name.endswith(".png")
    assert Image.open(io.BytesIO(png.read())).format == "PNG"


def test_png_keeps_transparency_and_loses_text_chunks():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "home address here")
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(out, "PNG", pnginfo=info)
    clean = process_image(upload(out.getvalue(), name="a.png", content_type="image/png"))
    result = Image.open(io.BytesIO(clean.read()))
    assert result.mode == "RGBA"
    assert result.getpixel((0, 0))[3] == 0
    assert not getattr(result, "text", {})
    clean.seek(0)
    assert b"home address" not in clean.read()


def test_webp_is_accepted():
    clean = process_image(upload(encoded("WEBP"), name="a.webp", content_type="image/webp"))
    assert clean.name.endswith(".webp")
    assert clean.content_type == "image/webp"


def test_large_photo_is_scaled_down_and_has_a_small_thumbnail():
    clean = process_image(upload(encoded("JPEG", size=(3000, 1500))))
    assert max(clean.width, clean.height) == images.MAX_SIDE
    thumb = Image.open(io.BytesIO(clean.thumbnail.read()))
    assert max(thumb.size) == images.THUMBNAIL_SIDE
    assert thumb.format == "WEBP"


def test_hundred_megapixel_png_of_a_few_kb_is_refused_before_decoding():
    bomb = bomb_png()
    assert len(bomb) < 50_000
    with pytest.raises(ValidationError) as excinfo:
        process_image(upload(bomb, name="bomb.png", content_type="image/png"))
    assert codes(excinfo) == ["image_pixels"]
    assert "more than 40 megapixels" in str(excinfo.value)


def test_fifty_megapixels_is_refused_by_our_own_limit():
    # below Pillow's hard error (2× the limit) but above ours
    with (
        pytest.warns(Image.DecompressionBombWarning),
        pytest.raises(ValidationError) as excinfo,
    ):
        process_image(upload(bomb_png(10_000, 5_000), name="big.png"))
    assert codes(excinfo) == ["image_pixels"]


def test_text_file_named_jpg_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        process_image(upload(b"this is not a photo\n" * 10, name="photo.jpg"))
    assert codes(excinfo) == ["image_format"]
    assert "Only JPEG, PNG or WebP photos" in str(excinfo.value)


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_image_formats_are_refused(fmt):
    with pytest.raises(ValidationError) as excinfo:
        process_image(upload(encoded(fmt), name="photo.jpg"))
    assert codes(excinfo) == ["image_format"]


def test_truncated_jpeg_is_refused_cleanly():
    noisy = Image.effect_noise((300, 300), 80).convert("RGB")
    out = io.BytesIO()
    noisy.save(out, "JPEG", quality=95)
    truncated = out.getvalue()[: len(out.getvalue()) // 2]
    with pytest.raises(ValidationError) as excinfo:
        process_image(upload(truncated))
    assert codes(excinfo) == ["image_broken"]


def test_too_many_bytes_is_refused_without_reading_the_image():
    content = b"\xff\xd8\xff" + b"\x00" * (images.MAX_BYTES)
    with pytest.raises(ValidationError) as excinfo:
        process_image(upload(content))
    assert codes(excinfo) == ["image_bytes"]
    assert "larger than 10 MB" in str(excinfo.value)


def test_empty_file_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        images.check_image(io.BytesIO(b""))
    assert codes(excinfo) == ["image_empty"]


class PhotoForm(forms.Form):
    photo = SafeImageField()


class OptionalPhotoForm(forms.Form):
    photo = SafeImageField(required=False)


def test_form_field_returns_a_clean_image():
    form = PhotoForm(files={"photo": upload(jpeg_with_gps_and_orientation())})
    assert form.is_valid(), form.errors
    assert isinstance(form.cleaned_data["photo"], CleanImage)
    assert 'accept="image/jpeg,image/png,image/webp"' in str(form["photo"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello", "Only JPEG, PNG or WebP photos."),
        (bomb_png(), "This photo has more than 40 megapixels."),
    ],
)
def test_form_field_errors_are_clear(content, message):
    form = PhotoForm(files={"photo": upload(content)})
    assert not form.is_valid()
    assert form.errors["photo"] == [message]


def test_form_field_optional_and_required():
    assert OptionalPhotoForm(data={}, files={}).is_valid()
    assert not PhotoForm(data={}, files={}).is_valid()


def test_serve_image_headers(db, tmp_path):
    from django.core.files.storage import FileSystemStorage
    from django.db.models.fields.files import FieldFile, ImageField

    storage = FileSystemStorage(location=tmp_path)
    clean = process_image(upload(jpeg_with_gps_and_orientation()))
    name = storage.save(clean.name, clean)
    field = ImageField(storage=storage)
    field.name = "image"
    response = images.serve_image(FieldFile(None, field, name))
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    response.close()


def test_serve_image_missing_file_is_404(tmp_path):
    from django.core.files.storage import FileSystemStorage
    from django.db.models.fields.files import FieldFile, ImageField
    from django.http import Http404

    field = ImageField(storage=FileSystemStorage(location=tmp_path))
    field.name = "image"
    with pytest.raises(Http404):
        images.serve_image(FieldFile(None, field, "gone.jpg"))
    with pytest.raises(Http404):
        images.serve_image(FieldFile(None, field, ""))


def test_multi_picture_jpeg_from_a_phone_is_stored_as_plain_jpeg():
    out = io.BytesIO()
    first, second = Image.new("RGB", (20, 10), "red"), Image.new("RGB", (20, 10), "blue")
    first.save(out, "MPO", save_all=True, append_images=[second])
    clean = process_image(upload(out.getvalue()))
    assert clean.name.endswith(".jpg")
    assert Image.open(io.BytesIO(clean.read())).format == "JPEG"
