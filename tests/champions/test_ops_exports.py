"""CSV exports of every list: formula-safe, for IS admins only; the confidential support log is never in them, and
its own export is a deliberate, access-logged request."""

import csv
import io

import pytest
from django.urls import reverse

from champions import exports
from champions.models import AccessAction, SupportLogAccess
from champions.services import programme
from tests.champions.helpers import (
    make_champion,
    make_cohort,
    make_delivery,
    make_plan,
    make_session,
    make_support_log,
)
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("https://evil.example","x")'


def read(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode())))


@pytest.fixture
def filled(is_admin):
    champion = make_champion(by=is_admin, name=EVIL, organisation_name="+SUM(A1:A9)", notes="@cmd")
    cohort = make_cohort(members=[champion], name="-Cohort")
    session = make_session(cohort=cohort, theme="=1+1")
    programme.attendance_record(session=session, statuses={champion.pk: "present"}, by=is_admin)
    make_delivery(champion=champion, by=is_admin)
    make_plan(by=is_admin)
    make_support_log(champion=champion, by=is_admin)
    return champion


@pytest.mark.parametrize("slug", list(exports.EXPORTS))
def test_every_list_exports_formula_safe_and_without_the_support_log(client, is_admin, filled, slug):
    client.force_login(is_admin)

    response = client.get(reverse("champions:admin-export", args=[slug]))

    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="trauma-champions-{slug}-')
    rows = read(response)
    assert len(rows) >= 2
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells), cells
    assert not any("Confidential worries" in cell for cell in cells)


def test_the_champions_export_has_each_record_with_its_areas(client, is_admin, filled):
    make_champion(by=is_admin, name="Plain Person", areas=("fife", "angus"))
    client.force_login(is_admin)

    rows = read(client.get(reverse("champions:admin-export", args=["champions"])))

    header, *data = rows
    assert header[:3] == ["Name", "Job title", "Email"]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in data}
    assert by_name["'" + EVIL]["Organisation"] == "'+SUM(A1:A9)"
    assert by_name["Plain Person"]["Council areas"] == "Angus; Fife"
    assert by_name["Plain Person"]["Status"] == "Active"


def test_training_totals_export_follows_the_filters(client, is_admin, filled):
    make_delivery(champion=make_champion(by=is_admin, areas=("angus",)), by=is_admin)
    client.force_login(is_admin)

    rows = read(client.get(reverse("champions:admin-export", args=["training-totals"]), {"area": "angus"}))

    assert rows[0] == ["Totals by", "Group", "Sessions", "People who attended", "Hours"]
    assert ["Council area", "Angus", "1", "12", "1.5"] in rows
    assert not any(row[1] == "Fife" for row in rows)


def test_the_support_log_export_is_deliberate_and_written_in_the_access_log(client, is_admin, filled):
    client.force_login(is_admin)
    url = reverse("champions:admin-support-export")

    assert client.get(url).status_code == 200
    refused = client.post(url, {})
    assert refused.status_code == 400 and "Confirm you will keep the file safe." in refused.content.decode()
    assert not SupportLogAccess.objects.filter(action=AccessAction.EXPORTED).exists()

    response = client.post(url, {"understood": "on"})

    rows = read(response)
    assert response["Content-Disposition"] == 'attachment; filename="confidential-one-to-one-support.csv"'
    assert rows[1][0] == "'" + EVIL and "Confidential worries about the leadership team" in rows[1]
    assert SupportLogAccess.objects.filter(user=is_admin, action=AccessAction.EXPORTED).count() == 1


@pytest.mark.parametrize(
    "who", [lambda: UserFactory(), lambda: StaffFactory(groups=["IS admins"], second_factor=False)]
)
def test_the_support_log_export_is_not_found_for_anyone_else(client, filled, who):
    client.force_login(who())
    url = reverse("champions:admin-support-export")
    assert client.get(url).status_code == 404
    assert client.post(url, {"understood": "on"}).status_code == 404
    assert not SupportLogAccess.objects.filter(action=AccessAction.EXPORTED).exists()


def test_exports_are_for_is_admins_only(client, filled):
    client.force_login(UserFactory())
    assert client.get(reverse("champions:admin-export", args=["champions"])).status_code == 404
    client.logout()
    assert client.get(reverse("champions:admin-export", args=["champions"])).status_code == 302


def test_an_unknown_list_is_not_found(client, is_admin):
    client.force_login(is_admin)
    assert client.get(reverse("champions:admin-export", args=["support-log"])).status_code == 404


def test_exports_stream_in_a_flat_number_of_queries(client, is_admin, django_assert_max_num_queries):
    """Guards the N+1 on each champion's areas, each training record's areas of work and each row's session."""
    for _ in range(12):
        champion = make_champion(by=is_admin, areas=("fife", "angus"))
        make_delivery(champion=champion, by=is_admin)
    client.force_login(is_admin)
    for slug in exports.EXPORTS:
        with django_assert_max_num_queries(10):
            response = client.get(reverse("champions:admin-export", args=[slug]))
            read(response)
