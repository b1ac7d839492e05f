"""Photo hardening: the one module that reads uploaded images.

Every uploaded photo (people, places, outcome evidence) goes through :func:`process_image`
or the :class:`SafeImageField` form field that calls it:

1. size in bytes checked first (``MAX_BYTES``);
2. the header only is read (``Image.open`` + ``.size``, restricted to JPEG, PNG and WebP, so
   the type is decided by content, never by the file name); more than ``MAX_PIXELS`` is
   refused *before* the pixels are decoded, so a decompression bomb costs nothing;
3. the pixels are decoded, EXIF orientation applied, colours converted to sRGB;
4. the image is re-encoded from bare pixels, so every piece of metadata (EXIF with GPS, XMP,
   IPTC, comments, text chunks) is gone; large photos are scaled down to ``MAX_SIDE``;
5. a thumbnail is made; both files get random names (uuid4).

Photos are served only through views that check access first, with :func:`serve_image`.

Usage::

    clean = process_image(request.FILES["photo"])   # raises ValidationError
    photo.image = clean
    photo.thumbnail = clean.thumbnail

or in a form ``photo = SafeImageField()``: ``form.cleaned_data["photo"]`` is that
:class:`CleanImage` (a ContentFile, so a ModelForm saves it into an ImageField as is).
"""

from __future__ import annotations

import io
import uuid
from typing import IO

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2560  # longest side of the stored photo, in pixels
THUMBNAIL_SIDE = 480  # longest side of the thumbnail

# What Pillow may even try to recognise. "MPO" is how Pillow names the multi-picture JPEGs
# many phones write; it is opened through the JPEG plugin and stored as a plain JPEG.
_OPEN_FORMATS = ("JPEG", "PNG", "WEBP")
_ACCEPTED = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP"}
_EXTENSION = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}
ACCEPT_ATTRIBUTE = "image/jpeg,image/png,image/webp"

# Pillow's own guard, tightened for the whole process: anything that decodes an image
# (here or elsewhere) refuses more than twice our limit instead of allocating gigabytes.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
ImageFile.LOAD_TRUNCATED_IMAGES = False

MESSAGES = {
    "format": _("Only JPEG, PNG or WebP photos."),
    "bytes": _("This photo is larger than 10 MB."),
    "pixels": _("This photo has more than 40 megapixels."),
    "broken": _("This photo could not be read; it may be damaged or incomplete."),
    "empty": _("The file is empty."),
}


def _error(code: str) -> ValidationError:
    return ValidationError(MESSAGES[code], code=f"image_{code}")


class CleanImage(ContentFile):
    """A re-encoded, metadata-free photo ready for an ImageField, with its thumbnail."""

    def __init__(
        self,
        content: bytes,
        name: str,
        *,
        thumbnail: ContentFile,
        width: int,
        height: int,
        content_type: str,
    ) -> None:
        super().__init__(content, name=name)
        self.thumbnail = thumbnail
        self.width = width
        self.height = height
        self.content_type = content_type


def _size_of(file: IO[bytes]) -> int:
    size = getattr(file, "size", None)
    if size is not None:
        return size
    position = file.tell()
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(position)
    return size


def check_image(file: IO[bytes]) -> str:
    """Cheap checks that read the header only. Returns the output format ("JPEG", ...).

    Raises ValidationError for too many bytes, a type other than JPEG/PNG/WebP (by content),
    or too many pixels. The file position is left at the start.
    """
    size = _size_of(file)
    if size == 0:
        raise _error("empty")
    if size > MAX_BYTES:
        raise _error("bytes")
    file.seek(0)
    try:
        with Image.open(file, formats=_OPEN_FORMATS) as image:
            width, height = image.size
            fmt = image.format
    except Image.DecompressionBombError as exc:
        raise _error("pixels") from exc
    except UnidentifiedImageError as exc:
        raise _error("format") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _error("broken") from exc
    finally:
        file.seek(0)
    if fmt not in _ACCEPTED:
        raise _error("format")
    if width * height > MAX_PIXELS:
        raise _error("pixels")
    if width < 1 or height < 1:
        raise _error("broken")
    return _ACCEPTED[fmt]


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert an embedded colour profile to sRGB so dropping the profile keeps the colours."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        from PIL import ImageCms

        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        target = ImageCms.createProfile("sRGB")
        return ImageCms.profileToProfile(image, source, target, outputMode=image.mode) or image
    except Exception:  # a broken profile is not worth refusing the photo for
        return image


def _bare_pixels(image: Image.Image, keep_alpha: bool) -> Image.Image:
    """The pixels only, in a plain mode, with no metadata attached at all."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    if image.mode == "CMYK":
        image = image.convert("RGB")
    mode = "RGBA" if (keep_alpha and has_alpha) else "RGB"
    if image.mode == "L" and not has_alpha:
        mode = "L"
    if image.mode != mode:
        image = image.convert(mode)
    bare = Image.new(mode, image.size)
    bare.paste(image)
    return bare  # a fresh image: empty .info, no EXIF, no ICC, no text chunks


def _encode(image: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    elif fmt == "PNG":
        image.save(out, "PNG", optimize=True)
    else:
        image.save(out, "WEBP", quality=82, method=4)
    return out.getvalue()


def process_image(file: IO[bytes]) -> CleanImage:
    """Validate, orient, strip and re-encode an uploaded photo; make its thumbnail.

    Raises ValidationError with a clear, translated message; never anything else for bad
    input.
    """
    fmt = check_image(file)
    try:
        with Image.open(file, formats=_OPEN_FORMATS) as source:
            source.load()  # the full decode, only after the checks above
            try:
                oriented = ImageOps.exif_transpose(source) or source
            except Exception:  # unreadable EXIF: keep the pixels as they are
                oriented = source
            oriented = _to_srgb(oriented)
            image = _bare_pixels(oriented, keep_alpha=fmt != "JPEG")
    except Image.DecompressionBombError as exc:
        raise _error("pixels") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise _error("broken") from exc
    finally:
        file.seek(0)

    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    thumb = image.copy()
    thumb.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)

    stem = uuid.uuid4().hex
    extension = _EXTENSION[fmt]
    thumbnail = ContentFile(_encode(thumb, "WEBP"), name=f"{stem}_thumb.webp")
    return CleanImage(
        _encode(image, fmt),
        name=f"{stem}.{extension}",
        thumbnail=thumbnail,
        width=image.width,
        height=image.height,
        content_type=CONTENT_TYPES[extension],
    )


def validate_image(file: IO[bytes]) -> None:
    """Validator for plain FileFields: the cheap header checks (bytes, type, pixels)."""
    check_image(file)


class SafeImageField(forms.FileField):
    """A form field that accepts JPEG, PNG or WebP photos and returns a :class:`CleanImage`.

    All checks of :func:`process_image` run in ``clean``, so a bad photo is a form error
    next to the field, and nothing reaches storage before the form is valid.
    """

    default_error_messages = {
        **forms.FileField.default_error_messages,
        "invalid_image": MESSAGES["format"],
    }

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(**kwargs)

    def to_python(self, data):
        data = super().to_python(data)
        if data is None or isinstance(data, CleanImage):
            return data
        return process_image(data)

    def widget_attrs(self, widget) -> dict:
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs.setdefault("accept", ACCEPT_ATTRIBUTE)
        return attrs


def serve_image(file: FieldFile, *, filename: str | None = None) -> FileResponse:
    """Stream a stored photo AFTER the caller has checked access. 404 when it is missing.

    Never kept by a browser or proxy (a photo of a person is personal data), no content
    sniffing, and the content type from our own extension table (we wrote the file, so the
    extension is ours, not the uploader's).
    """
    if not file or not file.name:
        raise Http404("No photo.")
    extension = file.name.rsplit(".", 1)[-1].lower()
    content_type = CONTENT_TYPES.get(extension)
    if content_type is None:
        raise Http404("Not a photo.")
    try:
        handle = file.storage.open(file.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("Photo file is missing.") from exc
    response = FileResponse(handle, content_type=content_type, filename=filename or "")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
