"""The IS admins' network tool pages are valid HTML as the Nu Html Checker reads them (as test_html_valid.py checks
the pages in pages.py): they need an IS admin with two-step verification and some data, so they are fetched here,
with rows in every table, an import preview with rows to fix, and an email with its recipients."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from champions.services import messaging, programme
from tests.browser.test_html_valid import KNOWN_EXCEPTIONS, check_html, java  # noqa: F401 (java is a fixture)
from tests.champions.helpers import (
    make_champion,
    make_cohort,
    make_delivery,
    make_is_admin,
    make_session,
    make_support_log,
)

pytestmark = pytest.mark.django_db


def test_the_network_tool_pages_are_valid_html(java, tmp_path):  # noqa: F811 (the fixture imported above)
    admin = make_is_admin()
    champions = [make_champion(by=admin, areas=("fife", "angus")) for _ in range(3)]
    cohort = make_cohort(members=champions, name="Valid set")
    session = make_session(cohort=cohort)
    programme.attendance_record(session=session, statuses={champions[0].pk: "present"}, by=admin)
    make_delivery(champion=champions[0], by=admin)
    make_support_log(champion=champions[0], by=admin)
    message = messaging.message_send(subject="Hello", body="**Hi** all", cohort=cohort, filters={}, by=admin)
    client = Client()
    client.force_login(admin)
    client.post(
        reverse("champions:admin-import", args=["champions"]),
        {
            "file": SimpleUploadedFile(
                "c.csv",
                b"Name,Email,Organisation,Organisation type,Council areas\n"
                b"Good,good@example.org,Org,NHS board,Fife\nBad,bad-address,Org,Rocket,Atlantis\n",
                "text/csv",
            )
        },
    )
    pages = {
        "dashboard": reverse("champions:admin-dashboard"),
        "totals": reverse("champions:admin-training-totals") + "?period=year",
        "import": reverse("champions:admin-import", args=["attendance"]),
        "import-preview": reverse("champions:admin-import-preview", args=["champions"]),
        "exports": reverse("champions:admin-exports"),
        "support-export": reverse("champions:admin-support-export"),
        "emails": reverse("champions:admin-message-list"),
        "email-compose": reverse("champions:admin-message-compose"),
        "email": reverse("champions:admin-message-detail", args=[message.pk]),
    }
    documents = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        documents[f"ops-{name}"] = response.content.decode()
    preview = client.post(
        reverse("champions:admin-message-compose"),
        {"cohort": cohort.pk, "subject": "x", "body": "A *note*.", "status": "active", "action": "preview"},
    )
    documents["ops-email-preview"] = preview.content.decode()
    assert "Row 3, Email" in documents["ops-import-preview"]

    findings = check_html(documents, tmp_path, java=java)

    problems = [f for f in findings if not any(known.matches(f) for known in KNOWN_EXCEPTIONS)]
    assert not problems, "\n".join(str(problem) for problem in problems)
