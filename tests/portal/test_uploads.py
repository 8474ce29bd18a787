"""portal.uploads: images and documents checked by content, images re-encoded without their metadata."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal import uploads

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def picture(fmt: str = "PNG", size=(40, 20), exif: Image.Exif | None = None) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, "teal")
    image.save(buffer, format=fmt, **({"exif": exif} if exif is not None else {}))
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def refusal(call) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value


@pytest.mark.parametrize(
    ("name", "content", "code", "message"),
    [
        ("logo.svg", SVG, "svg", "SVG logos cannot be accepted. Please save your logo as a PNG or JPEG and try again."),
        ("logo.png", b'<?xml version="1.0"?>\n' + SVG, "svg", "SVG logos cannot be accepted."),
        ("logo.svg", picture(), "svg", "SVG logos cannot be accepted."),
        ("logo.png", b"not a picture", "not_image", "Please choose a PNG or JPEG file of your logo."),
        ("logo.png", picture()[:60], "not_image", "We could not read this file as an image."),
        ("logo.gif", picture("GIF"), "wrong_format", "The logo must be a PNG or JPEG image."),
        ("logo.webp", picture("WEBP"), "wrong_format", "The logo must be a PNG or JPEG image."),
        ("logo.png", b"\x89PNG" + b"\0" * 3000, "too_large", "Please choose a PNG or JPEG of"),
    ],
)
def test_what_is_refused_and_what_it_says(name, content, code, message):
    error = refusal(
        lambda: uploads.clean_image(upload(name, content), formats=("PNG", "JPEG"), max_bytes=2048, noun="logo")
    )
    assert error.code == code
    assert message in error.messages[0]


def test_too_many_pixels_is_refused_before_the_picture_is_decoded():
    error = refusal(lambda: uploads.check_image(upload("big.png", picture(size=(40, 20))), max_pixels=799))
    assert error.code == "too_many_pixels"
    uploads.check_image(upload("ok.png", picture(size=(40, 20))), max_pixels=800)


def test_size_limits_say_the_size_and_the_limit():
    big = SimpleUploadedFile("a.pdf", PDF + b"\0" * (3 * 1024 * 1024))
    error = refusal(lambda: uploads.check_pdf(big, max_bytes=2 * 1024 * 1024))
    assert error.messages == ["The document is 3.0 MB. Please choose a PDF of 2 MB or less."]
    uploads.check_pdf(big, max_bytes=4 * 1024 * 1024)


def test_the_copy_keeps_the_format_drops_metadata_turns_upright_and_fits_the_square():
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"  # Make
    exif[0x0112] = 6  # Orientation: the camera was turned; the picture must be rotated to show upright
    original = upload("Our Team Photo.JPG", picture("JPEG", size=(300, 100), exif=exif))

    copy = uploads.clean_image(original, formats=("PNG", "JPEG"), max_side=150)

    assert copy.name == "our-team-photo.jpg"
    with Image.open(io.BytesIO(copy.read())) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (50, 150)  # rotated upright (100 x 300), then shrunk to fit 150
        assert not stored.getexif()
    assert original.tell() == 0  # the upload can still be read from the start


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_each_allowed_format_comes_back_as_itself(fmt):
    copy = uploads.clean_image(upload("a.bin", picture(fmt)))
    with Image.open(io.BytesIO(copy.read())) as stored:
        assert stored.format == fmt
    assert copy.name == f"a.{uploads.EXTENSIONS[fmt]}"


def test_pdfs_are_known_by_their_first_bytes():
    uploads.check_pdf(SimpleUploadedFile("guide.pdf", PDF))
    for name, content in [("guide.pdf", b"<html>"), ("guide.pdf", SVG), ("guide.pdf", b"")]:
        error = refusal(lambda content=content, name=name: uploads.check_pdf(SimpleUploadedFile(name, content)))
        assert error.messages == ["The document must be a PDF. This file is not one."]


def test_serving_checks_sniff_the_content():
    assert uploads.image_format(upload("a.png", picture("JPEG"))) == "JPEG"
    assert uploads.image_format(upload("a.png", picture("GIF"))) is None
    assert uploads.image_format(upload("a.png", picture("WEBP")), ("PNG", "JPEG")) is None
    assert uploads.is_pdf(SimpleUploadedFile("a.txt", PDF))
    assert not uploads.is_pdf(SimpleUploadedFile("a.pdf", SVG))
