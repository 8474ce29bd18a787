"""A resource's PDF and picture: checked by content on upload, and served by the portal (not from /media/) only for a
published resource or a staff preview, as a download or the image type it really is."""

import io

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image

from tests.factories import StaffFactory, UserFactory
from tests.training.catalogue_helpers import make_resource
from training.models import Resource

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
HTML = b"<html><script>alert(document.cookie)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def picture(fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def document_url(resource: Resource) -> str:
    return reverse("training:resource-document", args=[resource.slug])


def image_url(resource: Resource) -> str:
    return reverse("training:resource-image", args=[resource.slug])


# --- Uploading ----------------------------------------------------------------------------------------------------


def field_errors(resource: Resource) -> dict:
    try:
        resource.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}


@pytest.mark.parametrize(
    ("name", "content"),
    [("page.html", HTML), ("drawing.svg", SVG), ("disguised.pdf", HTML), ("guide.PDF.html", PDF)],
)
def test_a_document_that_is_not_a_pdf_is_refused(name, content):
    resource = make_resource()
    resource.document = SimpleUploadedFile(name, content, content_type="application/pdf")
    assert "document" in field_errors(resource)


def test_a_real_pdf_is_accepted():
    resource = make_resource()
    resource.document = SimpleUploadedFile("guide.pdf", PDF, content_type="application/pdf")
    assert field_errors(resource) == {}


@pytest.mark.parametrize(
    ("name", "content"),
    [("drawing.svg", SVG), ("drawing.png", SVG), ("moving.gif", picture("GIF")), ("old.bmp", picture("BMP"))],
)
def test_an_image_that_is_not_png_jpeg_or_webp_is_refused(name, content):
    resource = make_resource()
    resource.image = SimpleUploadedFile(name, content, content_type="image/png")
    assert "image" in field_errors(resource)


@pytest.mark.parametrize(("name", "fmt"), [("a.png", "PNG"), ("a.jpg", "JPEG"), ("a.webp", "WEBP")])
def test_png_jpeg_and_webp_images_are_accepted(name, fmt):
    resource = make_resource()
    resource.image = SimpleUploadedFile(name, picture(fmt), content_type="image/png")
    assert field_errors(resource) == {}


def admin_form(resource: Resource, files: dict):
    request = RequestFactory().get("/")
    request.user = StaffFactory(is_superuser=True)
    form_class = admin_site._registry[Resource].get_form(request, resource)
    data = {
        field: value
        for field, value in form_class(instance=resource).initial.items()
        if field not in ("document", "image") and value is not None
    }
    data["levels"] = [level.pk for level in resource.levels.all()]
    return form_class(data, files, instance=resource)


def test_the_admin_form_says_what_is_wrong_with_a_disguised_document():
    form = admin_form(make_resource(), {"document": SimpleUploadedFile("guide.pdf", HTML, "application/pdf")})
    assert not form.is_valid()
    assert "The document must be a PDF" in str(form.errors["document"])


def test_the_admin_form_refuses_an_svg_picture_by_name():
    form = admin_form(make_resource(), {"image": SimpleUploadedFile("drawing.svg", SVG, "image/svg+xml")})
    assert not form.is_valid()
    assert "SVG images cannot be accepted" in str(form.errors["image"])


def test_a_new_picture_is_stored_without_its_metadata():
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 1200), "teal").save(buffer, format="JPEG", exif=exif)
    form = admin_form(make_resource(), {"image": SimpleUploadedFile("Team Photo.jpg", buffer.getvalue(), "image/jpeg")})
    assert form.is_valid(), form.errors
    resource = form.save()
    with Image.open(resource.image.path) as stored:
        assert stored.format == "JPEG" and stored.size == (1600, 800)
        assert not stored.getexif()
    assert resource.image.name.startswith("training/images/team-photo")


# --- Serving ------------------------------------------------------------------------------------------------------


def test_the_document_is_served_as_a_pdf_download(client):
    resource = make_resource()
    resource.document.save("guide.pdf", ContentFile(PDF))
    response = client.get(document_url(resource))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f'filename="{resource.slug}.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF


def test_the_image_is_served_as_the_type_it_really_is(client):
    resource = make_resource()
    resource.image.save("photo.png", ContentFile(picture("JPEG")))
    response = client.get(image_url(resource))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == picture("JPEG")


def test_a_stored_file_that_is_not_what_it_claims_is_never_served(client):
    # Files that got into storage without the upload checks (older uploads, a script) are not sent at all.
    resource = make_resource()
    resource.document.save("guide.pdf", ContentFile(HTML))
    resource.image.save("photo.png", ContentFile(SVG))
    assert client.get(document_url(resource)).status_code == 404
    assert client.get(image_url(resource)).status_code == 404


def test_no_file_or_no_resource_is_not_found(client):
    resource = make_resource()
    assert client.get(document_url(resource)).status_code == 404
    assert client.get(image_url(resource)).status_code == 404
    assert client.get(reverse("training:resource-document", args=["no-such-thing"])).status_code == 404


def test_a_drafts_files_are_only_for_a_staff_preview(client):
    draft = make_resource(published=False)
    draft.document.save("guide.pdf", ContentFile(PDF))
    draft.image.save("photo.png", ContentFile(picture()))
    for url in (document_url(draft), image_url(draft)):
        assert client.get(url).status_code == 404
        assert client.get(url + "?preview=1").status_code == 404
    client.force_login(UserFactory())
    for url in (document_url(draft), image_url(draft)):
        assert client.get(url + "?preview=1").status_code == 404
    client.force_login(StaffFactory(groups=["Content editors"]))
    for url in (document_url(draft), image_url(draft)):
        response = client.get(url + "?preview=1")
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


def test_the_resource_page_links_to_the_served_files_not_media(client):
    resource = make_resource(image_alt="A person listening")
    resource.document.save("guide.pdf", ContentFile(PDF))
    resource.image.save("photo.png", ContentFile(picture()))
    page = client.get(resource.get_absolute_url()).content.decode()
    assert f'href="{document_url(resource)}"' in page
    assert f'src="{image_url(resource)}"' in page
    assert "/media/" not in page
    assert client.get(image_url(resource)).status_code == 200


def test_a_staff_preview_page_links_to_the_draft_files_with_preview(client):
    draft = make_resource(published=False)
    draft.document.save("guide.pdf", ContentFile(PDF))
    client.force_login(StaffFactory(groups=["Content editors"]))
    page = client.get(draft.get_absolute_url() + "?preview=1").content.decode()
    assert f'href="{document_url(draft)}?preview=1"' in page


def currently_links(html: str) -> list[str]:
    """The addresses of the admin's "Currently: <file>" links."""
    import re

    return re.findall(r'<p class="file-upload">Currently: <a href="([^"]+)">', html)


@pytest.mark.parametrize(("published", "query"), [(True, ""), (False, "?preview=1")], ids=["published", "draft"])
def test_the_admins_currently_links_open_the_served_files_not_media(client, published, query):
    """Production serves nothing from /media/: the admin's link to the saved file goes to the view that serves it,
    as an editor's preview for a draft, and it opens for the editor who follows it."""
    resource = make_resource(published=published)
    resource.document.save("guide.pdf", ContentFile(PDF))
    resource.image.save("photo.png", ContentFile(picture()))
    client.force_login(StaffFactory(groups=["Content editors"]))

    page = client.get(reverse("admin:training_resource_change", args=[resource.pk]))

    assert page.status_code == 200
    links = currently_links(page.content.decode())
    assert sorted(links) == sorted([document_url(resource) + query, image_url(resource) + query])
    for link in links:
        assert client.get(link).status_code == 200, link
