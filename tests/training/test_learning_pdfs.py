"""What the two PDFs say and how they are built: the certificate's code reads back intact and its check address is
a link; the learning record names the learner, totals hours at each practice level, and its tables carry the
/IDTree that their header references need (ISO 32000-1, 14.7.2)."""

import contextlib
import re
import shutil
import subprocess
import tempfile
import zlib
from itertools import count

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import UserFactory
from tests.training.learning_helpers import complete_module, make_external, make_module
from training import certificates
from training.learning import records, selectors
from training.models import Certificate, ExternalCompletion

pytestmark = pytest.mark.django_db

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="needs pdftotext to read a PDF's text as a reader would: apt-get install poppler-utils",
)


def opened(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) opened, to read its structure."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompress(match.group(1)))
    return b"\n".join(parts)


def text_of(pdf: bytes) -> str:
    """The text a PDF reader extracts (and a screen reader or copy-paste gets)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        return subprocess.run(["pdftotext", file.name, "-"], capture_output=True, text=True, check=True).stdout


def a_certificate() -> Certificate:
    return Certificate(
        code="4KQ2MX9PRT4B", learner_name="Morag", module_title="M", level_name="L", completed_on=timezone.localdate()
    )


@needs_pdftotext
def test_the_certificate_code_reads_back_intact_and_checks_out_as_printed():
    """Letter-spacing used to come out as "4 K Q 2 M X ...": now the code reads back as printed, in groups of four,
    and that is exactly what the check accepts."""
    text = text_of(certificates.certificate_pdf(certificate=a_certificate(), site_url="https://example.org"))
    assert "Certificate code: 4KQ2-MX9P-RT4B" in text
    assert "4 K Q 2" not in text
    printed = re.search(r"Certificate code: (\S+)", text).group(1)
    assert selectors.certificate_code_normalise(printed) == "4KQ2MX9PRT4B"


def test_the_check_address_on_the_certificate_is_a_link():
    pdf = opened(certificates.certificate_pdf(certificate=a_certificate(), site_url="https://example.org/"))
    assert b"/S /URI/URI (https://example.org/training/certificates/4KQ2MX9PRT4B/)" in pdf
    assert b"/Subtype /Link" in pdf


_numbers = count(71)


def a_record(user):
    client = Client()
    client.force_login(user)
    module = make_module(kinds=("reading",), level="trauma-informed")  # 30 minutes
    complete_module(client, module)
    skilled = make_external(next(_numbers), duration_minutes=90)
    skilled.levels.set(skilled.levels.model.objects.filter(slug__in=["trauma-skilled", "trauma-informed"]))
    ExternalCompletion.objects.create(user=user, resource=skilled, completed_on=timezone.localdate())
    return records.learning_record(user=user)


def record_pdf(user) -> bytes:
    record = a_record(user)
    return certificates.learning_record_pdf(
        record=record, user=user, site_url="https://example.org", today=timezone.localdate()
    )


def test_hours_are_totalled_at_each_practice_level():
    record = a_record(UserFactory())
    assert [(row.level.name, row.minutes, row.hours) for row in record.hours_by_level] == [
        ("Trauma Informed", 120, "2"),  # the module's 30 minutes and the 90 minutes elsewhere, for both levels
        ("Trauma Skilled", 90, "1.5"),
    ]


@needs_pdftotext
def test_the_learning_record_names_the_learner_and_shows_hours_by_level():
    user = UserFactory(display_name="Morag MacLeod")
    text = text_of(record_pdf(user))
    assert "Morag MacLeod" in text
    assert user.email not in text
    assert "Hours of learning by practice level" in text
    assert re.search(r"Trauma Informed\s+2\b", text) or "Trauma Informed\n\n2" in text
    no_name = UserFactory(display_name="")
    assert no_name.email in text_of(record_pdf(no_name))  # only when there is no name to show


def test_the_learning_records_tables_have_an_id_tree_for_their_header_references():
    """WeasyPrint gives each header cell an /ID and each data cell /Headers naming them; the PDF is only valid (and
    a screen reader can only follow them) with an /IDTree in the structure tree root mapping every ID."""
    pdf = opened(record_pdf(UserFactory(display_name="Morag")))
    ids = set(re.findall(rb"/ID \(([\d-]+)\)", pdf))
    referenced = {
        ref for refs in re.findall(rb"/Headers \[([^\]]*)\]", pdf) for ref in re.findall(rb"\(([\d-]+)\)", refs)
    }
    assert ids and referenced <= ids
    assert re.search(rb"/StructTreeRoot[^>]*/IDTree \d+ 0 R", pdf)
    names = re.search(rb"/Names \[((?:\([\d-]+\) \d+ 0 R ?)+)\]", pdf)
    assert names, "no name tree of IDs"
    keys = re.findall(rb"\(([\d-]+)\)", names.group(1))
    assert set(keys) == ids
    assert keys == sorted(keys)  # a name tree's keys are in order
