"""What a resource accepts as its PDF and picture: the training policy for portal.uploads.

Checked by content when an editor uploads them (the model fields' validators, so the admin form says what is wrong;
the admin form also re-encodes a new picture to drop its metadata), and again when they are served
(training.views.resource_document and resource_image). The validators keep their names here because migrations
refer to them.
"""

from __future__ import annotations

from django.core.files.base import ContentFile

from portal import uploads

IMAGE_FORMATS = ("PNG", "JPEG", "WEBP")
IMAGE_EXTENSIONS = ["png", "jpg", "jpeg", "webp"]
IMAGE_MAX_BYTES = 5 * 1024 * 1024
# Wide enough for the resource page on a large screen; anything bigger only slows the page.
IMAGE_MAX_SIDE = 1600
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024


def validate_pdf(value) -> None:
    uploads.check_pdf(value, max_bytes=DOCUMENT_MAX_BYTES, noun="document")


def validate_image(value) -> None:
    uploads.check_image(value, formats=IMAGE_FORMATS, max_bytes=IMAGE_MAX_BYTES, noun="image")


def clean_image(upload) -> ContentFile:
    return uploads.clean_image(
        upload, formats=IMAGE_FORMATS, max_bytes=IMAGE_MAX_BYTES, max_side=IMAGE_MAX_SIDE, noun="image"
    )


def image_format(value) -> str | None:
    return uploads.image_format(value, IMAGE_FORMATS)
