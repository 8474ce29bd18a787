"""Certificates: the PDF for the learner, the public check page, forged codes and correcting the name."""

import contextlib
import re
import zlib

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests.factories import UserFactory
from tests.training.learning_helpers import complete_module, make_module
from training import certificates
from training.learning.services import certificate_issue
from training.models import Certificate, ModuleProgress

pytestmark = pytest.mark.django_db


NAME = "Morag MacLeod"


@pytest.fixture
def certificate(user, member_client) -> Certificate:
    """A certificate the learner has put their name on."""
    module = make_module(title="Kind responses", kinds=("reading", "check"))
    complete_module(member_client, module)
    certificate = Certificate.objects.get(user=user, module=module)
    member_client.post(reverse("training:certificate-name", args=[certificate.code]), {"learner_name": NAME})
    certificate.refresh_from_db()
    return certificate


def test_a_new_certificate_waits_for_the_name_the_learner_chooses(client):
    """The community display name may be a pseudonym: it is never printed or shown on the public check page
    unless the learner writes it as the name they want."""
    person = UserFactory(display_name="Sunny Pseudonym")
    client.force_login(person)
    module = make_module(kinds=("reading",))
    complete_module(client, module)
    certificate = Certificate.objects.get(user=person)
    assert certificate.learner_name == ""
    verify = reverse("training:certificate-verify", args=[certificate.code])
    name_url = reverse("training:certificate-name", args=[certificate.code])
    assert Client().get(verify).status_code == 404

    complete = reverse("training:module-complete", args=[module.resource.slug])
    page = client.get(complete).content.decode()
    assert f'href="{name_url}"' in page
    assert "Add your name and get your certificate" in page
    assert reverse("training:certificate-download", args=[certificate.code]) not in page
    assert client.get(reverse("training:certificate-download", args=[certificate.code]))["Location"] == name_url

    response = client.post(name_url, {"learner_name": "Morag MacLeod"})
    assert response["Location"] == complete  # back to the download, the check page link and the questions
    page = client.get(complete).content.decode()
    assert "Your certificate is ready to download" in page
    assert reverse("training:certificate-download", args=[certificate.code]) in page
    checked = Client().get(verify).content.decode()
    assert "Morag MacLeod" in checked
    assert "Sunny Pseudonym" not in checked


def test_issuing_twice_gives_the_same_certificate():
    module = make_module(kinds=("reading",))
    progress = ModuleProgress.objects.create(user=UserFactory(), module=module, completed_at=timezone.now())
    first = certificate_issue(progress=progress)
    assert certificate_issue(progress=progress) == first
    assert Certificate.objects.count() == 1


def test_two_requests_issuing_at_once_both_get_the_one_certificate():
    """The other request (a double click, a second tab) inserts its certificate just after this one looked."""
    module = make_module(kinds=("reading",))
    progress = ModuleProgress.objects.create(user=UserFactory(), module=module, completed_at=timezone.now())
    competing = []

    def other_request_inserts_after_we_look(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not competing and sql.lstrip().upper().startswith("SELECT") and '"training_certificate"' in sql:
            competing.append("OTHERREQUEST")
            Certificate.objects.bulk_create(
                [
                    Certificate(
                        user_id=progress.user_id,
                        module_id=module.pk,
                        code="OTHERREQUEST",
                        module_title="Kind responses",
                        level_name="Trauma Informed",
                        completed_on=timezone.localdate(),
                    )
                ]
            )
        return result

    with connection.execute_wrapper(other_request_inserts_after_we_look):
        certificate = certificate_issue(progress=progress)
    assert competing, "the race was not simulated"
    assert certificate.code == "OTHERREQUEST"
    assert list(Certificate.objects.values_list("code", flat=True)) == ["OTHERREQUEST"]


def test_the_learner_downloads_their_certificate_as_a_pdf(member_client, certificate):
    response = member_client.get(reverse("training:certificate-download", args=[certificate.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="certificate-{certificate.code}.pdf"'
    assert response.content.startswith(b"%PDF-")


def test_the_pdf_carries_the_name_module_level_date_and_code(certificate, user):
    """WeasyPrint compresses the PDF's text, so this reads the HTML it draws the PDF from."""
    from django.template.loader import render_to_string

    html = render_to_string(
        "training/certificate_pdf.html", {"certificate": certificate, "verify_url": "https://example.org/check"}
    )
    for expected in (
        NAME,
        "Kind responses",
        "Trauma Informed",
        certificate.code,
        "https://example.org/check",
    ):
        assert expected in html
    assert certificate.completed_on.strftime("%-d %B %Y") in html


def test_someone_else_cannot_download_it(certificate):
    other = Client()
    other.force_login(UserFactory())
    assert other.get(reverse("training:certificate-download", args=[certificate.code])).status_code == 404
    assert other.get(reverse("training:certificate-name", args=[certificate.code])).status_code == 404


def test_downloading_needs_sign_in(certificate):
    response = Client().get(reverse("training:certificate-download", args=[certificate.code]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_check_page_confirms_the_certificate_and_shows_nothing_else_about_the_person(user, certificate):
    response = Client().get(reverse("training:certificate-verify", args=[certificate.code]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "This certificate is genuine" in page
    assert NAME in page
    assert "Kind responses" in page
    assert "Trauma Informed" in page
    assert certificate.completed_on.strftime("%-d %B %Y") in page
    assert user.email not in page
    assert "noindex" in page


def test_a_code_typed_in_lower_case_still_checks_out(client, certificate):
    response = client.get(reverse("training:certificate-verify", args=[certificate.code.lower()]))
    assert response.status_code == 200


@pytest.mark.parametrize("code", ["AAAAAAAAAAAA", "not-a-code", "%3Cb%3Ebold%3Cb%3E", "A" * 300])
def test_a_forged_or_unknown_code_gets_a_clear_not_found_page(certificate, code):
    response = Client().get(f"/training/certificates/{code}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "We could not find a certificate with this code" in page
    assert "<b>bold" not in page
    assert Certificate.objects.count() == 1


def test_the_check_form_sends_people_to_the_certificate_page(client, certificate):
    response = client.get(reverse("training:certificate-check"), {"code": f" {certificate.code.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("training:certificate-verify", args=[certificate.code])
    response = client.get(reverse("training:certificate-check"), {"code": "../../etc"})
    assert response.status_code == 404
    assert client.get(reverse("training:certificate-check")).status_code == 200


def test_the_learner_corrects_their_name_and_the_code_stays_the_same(member_client, certificate):
    code = certificate.code
    url = reverse("training:certificate-name", args=[code])
    response = member_client.post(url, {"learner_name": "Morag A. MacLeod"})
    assert response["Location"] == reverse("training:my-learning")  # a correction: the download is there too
    certificate.refresh_from_db()
    assert (certificate.code, certificate.learner_name) == (code, "Morag A. MacLeod")
    assert "Morag A. MacLeod" in Client().get(reverse("training:certificate-verify", args=[code])).content.decode()


def test_an_empty_or_overlong_name_is_refused_and_nothing_changes(member_client, certificate, user):
    url = reverse("training:certificate-name", args=[certificate.code])
    for name in ("", "x" * 121):
        response = member_client.post(url, {"learner_name": name})
        assert response.status_code == 200
        assert "There is a problem" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.learner_name == NAME


def test_someone_without_a_display_name_is_asked_for_a_name_before_the_pdf(client):
    person = UserFactory(display_name="")
    client.force_login(person)
    module = make_module(kinds=("reading",))
    complete_module(client, module)
    certificate = Certificate.objects.get(user=person)
    assert certificate.learner_name == ""
    response = client.get(reverse("training:certificate-download", args=[certificate.code]))
    assert response["Location"] == reverse("training:certificate-name", args=[certificate.code])


def test_the_check_page_needs_the_same_few_queries(certificate, django_assert_max_num_queries):
    """The check page reads one certificate row: no lookups of the person, module or levels behind it."""
    with django_assert_max_num_queries(1):
        response = Client().get(reverse("training:certificate-verify", args=[certificate.code]))
    assert response.status_code == 200


# What WeasyPrint may read ------------------------------------------------------------------------------------------


def pdf_text(pdf: bytes) -> bytes:
    """The PDF with its compressed streams opened, to look for fonts and images."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompress(match.group(1)))
    return b"\n".join(parts)


def test_the_pdf_fetcher_opens_the_font_files_and_nothing_else(settings, tmp_path):
    fetcher = certificates.local_files_only()
    font = certificates._font_path() / "roboto-latin-400-normal.woff"
    response = fetcher.fetch(font.as_uri())
    assert response.read(4) == b"wOFF"
    response.close()
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    for url in (
        outside.as_uri(),
        "file:///etc/passwd",
        font.as_uri().replace("/files/", "/files/../../../../../../etc/passwd#"),
        (settings.BASE_DIR / "static" / ".." / "portal" / "settings.py").as_uri(),
        "http://169.254.169.254/latest/meta-data/",
        "https://example.org/logo.png",
        "data:text/plain,hello",
        "file://other-host/etc/passwd",
    ):
        with pytest.raises(ValueError, match="Not fetched"):
            fetcher.fetch(url)


def test_a_pdf_draws_its_fonts_but_leaves_out_a_file_from_elsewhere(monkeypatch, tmp_path):
    picture = tmp_path / "elsewhere.png"
    Image.new("RGB", (20, 20), "red").save(picture)
    real_render = certificates.render_to_string

    def with_a_stray_image(template, context):
        return real_render(template, context).replace("</body>", f'<img src="{picture.as_uri()}" alt=""></body>')

    monkeypatch.setattr(certificates, "render_to_string", with_a_stray_image)
    certificate = Certificate(
        code="ABCDEFGHJKLM", learner_name="Morag", module_title="M", level_name="L", completed_on=timezone.localdate()
    )
    text = pdf_text(certificates.certificate_pdf(certificate=certificate, site_url="https://example.org"))
    assert b"+Roboto" in text  # the font from node_modules is embedded
    assert b"/Subtype /Image" not in text


def test_pdfs_are_tagged_with_their_language_and_title_for_screen_readers():
    """PDF/UA-1: a structure tree (tagged PDF), the document's language from <html lang="en-GB"> and its title shown
    as the window title. `pdfinfo` then says "Tagged: yes"."""
    certificate = Certificate(
        code="ABCDEFGHJKLM", learner_name="Morag", module_title="M", level_name="L", completed_on=timezone.localdate()
    )
    text = pdf_text(certificates.certificate_pdf(certificate=certificate, site_url="https://example.org"))
    for expected in (b"/MarkInfo <</Marked true>>", b"/StructTreeRoot", b"/Lang (en-GB)", b"/DisplayDocTitle true"):
        assert expected in text
    assert b"Certificate ABCDEFGHJKLM: M" in text  # the title in the document's metadata


def test_making_a_pdf_leaves_pillow_refusing_truncated_images():
    """WeasyPrint switches on Pillow's LOAD_TRUNCATED_IMAGES when imported; after a PDF the process must still refuse
    broken images (the pledge form's logo check relies on it)."""
    from PIL import ImageFile

    certificate = Certificate(
        code="ABCDEFGHJKLM", learner_name="Morag", module_title="M", level_name="L", completed_on=timezone.localdate()
    )
    certificates.certificate_pdf(certificate=certificate, site_url="https://example.org")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
    ImageFile.LOAD_TRUNCATED_IMAGES = True  # as a fresh import of WeasyPrint leaves it
    certificates.local_files_only()
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


@pytest.mark.parametrize(
    "typed",
    [
        "{g}",  # as printed on the certificate: groups of four joined by hyphens
        "{g_lower}",
        " {spaced} ",
        "{g_dashes}",  # a word processor's en dashes
    ],
)
def test_the_check_accepts_the_code_as_the_certificate_prints_it(client, certificate, typed):
    from training.templatetags.learning_tags import certificate_code

    printed = certificate_code(certificate.code)
    assert printed.count("-") == 2
    typed = typed.format(
        g=printed,
        g_lower=printed.lower(),
        spaced=printed.replace("-", " "),
        g_dashes=printed.replace("-", "\u2013"),
    )
    response = client.get(reverse("training:certificate-check"), {"code": typed})
    assert response["Location"] == reverse("training:certificate-verify", args=[certificate.code])
    assert NAME in client.get(response["Location"]).content.decode()
    # ... and the address itself, with the hyphens, finds it too.
    assert client.get(reverse("training:certificate-verify", args=[printed])).status_code == 200
