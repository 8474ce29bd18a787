"""Query counts for the network tools' lists and details stay flat however many rows they show, and who may open
them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from champions.models import Champion
from champions.permissions import message_get_for_user
from champions.services import messaging
from tests.champions.helpers import make_champion, make_cohort
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def _bulk(n: int, tag: str) -> list[Champion]:
    return Champion.objects.bulk_create(
        [
            Champion(
                name=f"Person {tag}{i:04d}",
                email=f"{tag}{i}@example.org",
                organisation_name="Org",
                organisation_type="nhs_board",
            )
            for i in range(n)
        ]
    )


def test_the_email_list_and_an_email_with_its_recipients(client, is_admin):
    """Guards the N+1 on each email's sender and count, and each recipient's champion and outbox row."""
    client.force_login(is_admin)
    small = make_cohort(members=_bulk(5, "a"), name="Small")
    first = messaging.message_send(subject="One", body="x", cohort=small, filters={}, by=is_admin)
    list_small, detail_small = (
        _count(client, reverse("champions:admin-message-list")),
        _count(client, reverse("champions:admin-message-detail", args=[first.pk])),
    )
    large = make_cohort(members=_bulk(300, "b"), name="Large")
    for n in range(8):
        messaging.message_send(subject=f"More {n}", body="x", cohort=large, filters={}, by=is_admin)
    latest = messaging.message_send(subject="Big", body="x", cohort=large, filters={}, by=is_admin)

    assert _count(client, reverse("champions:admin-message-list")) == list_small
    assert _count(client, reverse("champions:admin-message-detail", args=[latest.pk])) == detail_small


def test_the_import_preview_of_a_long_file(client, is_admin):
    """Guards against a query per row (areas, boards, partnerships and existing addresses are read once)."""
    client.force_login(is_admin)
    header = "Name,Email,Organisation,Organisation type,Council areas,NHS board\n"

    def upload(rows: int) -> int:
        lines = [f"P{i},p{rows}x{i}@example.org,Org,NHS board,Fife; Angus,NHS Fife" for i in range(rows)]
        client.post(
            reverse("champions:admin-import", args=["champions"]),
            {"file": SimpleUploadedFile("c.csv", (header + "\n".join(lines)).encode(), "text/csv")},
        )
        return _count(client, reverse("champions:admin-import-preview", args=["champions"]))

    assert upload(5) == upload(500)


def test_the_preview_of_an_email_to_many(client, is_admin):
    """Guards against a query per champion named in the preview."""
    client.force_login(is_admin)
    url = reverse("champions:admin-message-compose")
    data = {"subject": "x", "body": "y", "status": "active", "action": "preview"}
    _bulk(5, "c")

    def preview() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.post(url, data).status_code == 200
        return len(context.captured_queries)

    preview()
    small = preview()
    _bulk(400, "d")
    assert preview() == small


def test_an_email_is_found_only_by_is_admins_with_two_step_verification(is_admin):
    message = messaging.message_send(
        subject="x", body="y", cohort=make_cohort(members=[make_champion(by=is_admin)]), filters={}, by=is_admin
    )
    assert message_get_for_user(pk=message.pk, user=is_admin) == message
    for someone in (UserFactory(), StaffFactory(groups=["IS admins"], second_factor=False), None):
        with pytest.raises(Http404):
            message_get_for_user(pk=message.pk, user=someone)
    with pytest.raises(Http404):
        message_get_for_user(pk=message.pk + 1000, user=is_admin)
