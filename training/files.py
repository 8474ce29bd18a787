"""Uploaded files on a resource: the PDF to download and the picture.

Checked by what they contain, not only by their name, when an editor uploads them (the model fields' validators, so
the admin form says what is wrong), and again when they are served (training.views.resource_document and
resource_image), so a file that got into storage some other way is never sent as something a browser would run.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db.models.fields.files import FieldFile

PDF_MAGIC = b"%PDF-"
# Pillow's format name -> the content type it is served with. No SVG (it can carry scripts), no GIF or BMP.
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
IMAGE_EXTENSIONS = ["png", "jpg", "jpeg", "webp"]


def _open(value) -> tuple[File, bool]:
    """The file to read and whether we opened it (so must close it). A new upload is read where it is; a stored
    one is opened from storage."""
    if isinstance(value, FieldFile) and getattr(value, "_committed", True):
        return value.storage.open(value.name, "rb"), True
    return getattr(value, "file", value), False


def _head(value, size: int) -> bytes:
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


def is_pdf(value) -> bool:
    try:
        return _head(value, len(PDF_MAGIC)) == PDF_MAGIC
    except OSError:
        return False


def image_format(value) -> str | None:
    """PNG, JPEG or WEBP if Pillow reads the file as one of those; None for anything else or a broken file."""
    from PIL import Image

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
    return found if found in IMAGE_TYPES else None


def validate_pdf(value) -> None:
    if not is_pdf(value):
        raise ValidationError("The document must be a PDF. This file is not one.", code="not_pdf")


def validate_image(value) -> None:
    if image_format(value) is None:
        raise ValidationError("The image must be a PNG, JPEG or WebP picture. This file is not one.", code="not_image")
