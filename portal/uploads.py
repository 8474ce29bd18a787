"""Uploaded images and documents: checked by what they contain, not by their name, with kind messages.

- `clean_image(upload, ...)` for a form's `clean_<field>`: refuses SVG, anything Pillow does not read as one of the
  allowed formats, files over the size limit and pictures over the pixel limit; returns a re-encoded copy (same
  format, turned upright, metadata such as camera and location dropped, optionally shrunk to fit a square).
- `check_image` / `check_pdf` for model field validators: the same checks, no copy (a validator cannot change the
  file).
- `image_format` / `is_pdf` for serving: a stored file is sniffed again before it is sent, so a file that got into
  storage some other way is never served as something a browser would run.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import IO, TypeAlias

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db.models.fields.files import FieldFile
from django.utils.text import slugify
from PIL import Image, ImageOps

PDF_MAGIC = b"%PDF-"
# Pillow's format name -> the content type it is served with and the extension it is saved with. No SVG (it can
# carry scripts), no GIF or BMP.
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
NAMES = {"PNG": "PNG", "JPEG": "JPEG", "WEBP": "WebP"}
# Refuse decompression bombs long before Pillow's own limit (about 179 million pixels).
MAX_PIXELS = 40_000_000

# A new upload (UploadedFile) or a stored one (a model's FieldFile): both are Django Files of bytes.
Upload: TypeAlias = "File[bytes]"  # a string: Django's File is not subscriptable at run time


def _kinds(formats: Sequence[str]) -> str:
    """'PNG or JPEG', 'PNG, JPEG or WebP'."""
    names = [NAMES.get(kind, kind) for kind in formats]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size % (1024 * 1024) == 0 else f"{size / (1024 * 1024):.1f} MB"


def _open(value: Upload) -> tuple[IO[bytes], bool]:
    """The file to read and whether we opened it (so must close it). A new upload is read where it is; a stored one
    is opened from storage."""
    if isinstance(value, FieldFile) and getattr(value, "_committed", True):
        if value.name is None:
            raise ValueError("The stored file has no name: there is nothing to open.")
        return value.storage.open(value.name, "rb"), True
    file: IO[bytes] = getattr(value, "file", value)
    return file, False


def _head(value: Upload, size: int) -> bytes:
    file, opened = _open(value)
    try:
        file.seek(0)
        head = file.read(size)
    finally:
        if opened:
            file.close()
        else:
            file.seek(0)
    return head if isinstance(head, bytes) else head.encode()


def _size(value: Upload) -> int | None:
    try:
        return value.size
    except (AttributeError, OSError):
        return None


def _check_size(value: Upload, *, max_bytes: int | None, noun: str, kinds: str) -> None:
    size = _size(value)
    if max_bytes is not None and size is not None and size > max_bytes:
        raise ValidationError(
            f"The {noun} is {size / (1024 * 1024):.1f} MB. Please choose a {kinds} of {_megabytes(max_bytes)} or less.",
            code="too_large",
        )


# --- Documents ----------------------------------------------------------------------------------------------------


def is_pdf(value: Upload) -> bool:
    try:
        return _head(value, len(PDF_MAGIC)) == PDF_MAGIC
    except OSError:
        return False


def check_pdf(value: Upload, *, max_bytes: int | None = None, noun: str = "document") -> None:
    """Raise ValidationError unless the file starts as a PDF does (and fits `max_bytes`)."""
    _check_size(value, max_bytes=max_bytes, noun=noun, kinds="PDF")
    if not is_pdf(value):
        raise ValidationError(f"The {noun} must be a PDF. This file is not one.", code="not_pdf")


# --- Images -------------------------------------------------------------------------------------------------------


def image_format(value: Upload, formats: Sequence[str] = tuple(IMAGE_TYPES)) -> str | None:
    """The Pillow format name if the file reads as one of `formats`; None for anything else or a broken file."""
    try:
        file, opened = _open(value)
    except OSError:
        return None
    try:
        file.seek(0)
        with Image.open(file) as image:
            found = image.format
            image.verify()
    except Exception:  # noqa: BLE001 - Pillow raises many kinds (UnidentifiedImageError, SyntaxError, DecompressionBomb...)
        return None
    finally:
        if opened:
            file.close()
        else:
            file.seek(0)
    return found if found in formats else None


def _load_image(
    value: Upload, *, formats: Sequence[str], max_bytes: int | None, max_pixels: int, noun: str
) -> Image.Image:
    kinds = _kinds(formats)
    _check_size(value, max_bytes=max_bytes, noun=noun, kinds=kinds)
    try:
        head = _head(value, 1024).lower()
    except OSError:
        head = b""
    name = str(getattr(value, "name", "") or "").lower()
    if b"<svg" in head or name.endswith((".svg", ".svgz")):
        raise ValidationError(
            f"SVG {noun}s cannot be accepted. Please save your {noun} as a {kinds} and try again.", code="svg"
        )
    unreadable = ValidationError(
        f"We could not read this file as an image. Please choose a {kinds} file of your {noun}.", code="not_image"
    )
    try:
        file, opened = _open(value)
    except OSError:
        raise unreadable from None
    try:
        file.seek(0)
        with Image.open(file) as probe:
            if probe.format not in formats:
                raise ValidationError(
                    f"The {noun} must be a {kinds} image. Please save it in one of those formats and try again.",
                    code="wrong_format",
                )
            width, height = probe.size
            if width * height > max_pixels:
                raise ValidationError(
                    f"The {noun} is too large in pixels. Please choose a smaller image.", code="too_many_pixels"
                )
            probe.load()
            image = probe.copy()
            image.format = probe.format
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        # OSError covers UnidentifiedImageError and truncated files.
        raise unreadable from None
    finally:
        if opened:
            file.close()
        else:
            file.seek(0)
    return image


def check_image(
    value: Upload,
    *,
    formats: Sequence[str] = tuple(IMAGE_TYPES),
    max_bytes: int | None = None,
    max_pixels: int = MAX_PIXELS,
    noun: str = "image",
) -> None:
    """Raise ValidationError unless the file is a readable image in one of `formats`, within the limits."""
    _load_image(value, formats=formats, max_bytes=max_bytes, max_pixels=max_pixels, noun=noun)


def clean_image(
    upload: Upload,
    *,
    formats: Sequence[str] = tuple(IMAGE_TYPES),
    max_bytes: int | None = None,
    max_pixels: int = MAX_PIXELS,
    max_side: int | None = None,
    noun: str = "image",
) -> ContentFile[bytes]:
    """Check an upload as `check_image` does and return it re-encoded in its own format, named `<slug>.<ext>`.

    Re-encoding keeps only the pixels: EXIF (camera, location), comments and extra chunks are gone. The picture is
    turned upright first, since dropping EXIF drops its orientation too. `max_side` shrinks it to fit that square.
    """
    image = _load_image(upload, formats=formats, max_bytes=max_bytes, max_pixels=max_pixels, noun=noun)
    kind = image.format
    if kind is None:  # cannot happen: _load_image refused anything Pillow did not read as one of `formats`
        raise ValueError("The image has no format.")
    image = ImageOps.exif_transpose(image)
    if max_side:
        image.thumbnail((max_side, max_side))
    out = io.BytesIO()
    if kind == "JPEG":
        image.convert("RGB").save(out, format="JPEG", quality=88)
    elif kind == "WEBP":
        image.convert("RGBA" if "A" in image.getbands() else "RGB").save(out, format="WEBP", quality=85)
    else:
        image.convert("RGBA").save(out, format=kind, optimize=True)
    stem = slugify(str(getattr(upload, "name", "") or "").rsplit("/", 1)[-1].rsplit(".", 1)[0])[:40] or noun
    return ContentFile(out.getvalue(), name=f"{stem}.{EXTENSIONS.get(kind, kind.lower())}")
