"""The register's cached pages and open data: the same for everyone signed out, and a change shows at once."""

import csv
import io
import json

import pytest
from django.urls import reverse

from pledges import review, services
from tests.factories import UserFactory
from tests.pledges.conftest import approved, make_reviewer

pytestmark = pytest.mark.django_db

CSV = reverse("pledges:register-csv")
JSON = reverse("pledges:register-json")
REGISTER = reverse("pledges:register-list")
SUMMARY = reverse("pledges:summary")


def csv_names(client) -> list[str]:
    rows = list(csv.DictReader(io.StringIO(client.get(CSV).getvalue().decode())))
    return [row["name"] for row in rows]


def test_open_data_is_built_once_and_shows_an_approval_and_a_removal_at_once(client, django_assert_num_queries):
    reviewer = make_reviewer()
    first = approved(reviewer=reviewer, organisation_name="First Trust", website="https://first.example.org")
    assert csv_names(client) == ["First Trust"]
    with django_assert_num_queries(0):
        assert csv_names(client) == ["First Trust"]

    approved(
        reviewer=reviewer,
        organisation_name="Second Trust",
        website="https://second.example.org",
        contact_email="c2@example.org",
    )
    assert csv_names(client) == ["First Trust", "Second Trust"]
    organisations = json.loads(client.get(JSON).getvalue())["organisations"]
    assert [row["name"] for row in organisations] == ["First Trust", "Second Trust"]

    review.pledge_remove(pledge=first, reviewer=reviewer, reason="Asked to leave.")
    assert csv_names(client) == ["Second Trust"]
    assert json.loads(client.get(JSON).getvalue())["count"] == 1


def test_open_data_rows_hold_the_public_fields(client):
    pledge = approved(
        organisation_name="=Formula Trust",
        areas=["fife", "angus"],
        actions=["staff-training", "roadmap"],
        own_actions="Our own step\n\nAnother",
    )
    row = json.loads(client.get(JSON).getvalue())["organisations"][0]
    assert row["url"].endswith(pledge.get_absolute_url())
    assert row["council_areas"] == ["Angus", "Fife"]  # in the areas' own order
    assert row["organisation_type"] == "Local authority" and row["size"] == "250 to 999 people"
    assert row["actions"][-2:] == ["Our own step", "Another"] and len(row["actions"]) == 4
    assert row["logo_url"] == "" and row["date_signed"]
    assert "sam@kinlochfirth.example.org" not in json.dumps(row)
    assert "'=Formula Trust" in client.get(CSV).getvalue().decode()  # inert in a spreadsheet


def test_summary_and_register_show_a_withdrawal_at_once(client):
    pledge = approved(organisation_name="Leaving Trust")
    assert b"Leaving Trust" in client.get(REGISTER).content
    assert client.get(SUMMARY).context["total"] == 1
    assert client.get(SUMMARY).context is None  # served whole from the cache

    services.pledge_withdraw(pledge=pledge)
    assert b"Leaving Trust" not in client.get(REGISTER).content
    assert client.get(SUMMARY).context["total"] == 0


def test_cached_pages_are_the_same_page_and_never_served_to_people_signed_in(client):
    approved(organisation_name="Shown Trust")
    built = client.get(REGISTER)
    again = client.get(REGISTER)
    assert again.context is None and again.content == built.content
    assert "Cookie" in again["Vary"]
    assert again["Content-Security-Policy"] == built["Content-Security-Policy"]
    assert b'id="quick-exit"' in again.content

    client.force_login(UserFactory())
    signed_in = client.get(REGISTER)
    assert signed_in.context is not None  # built for them
    assert b"Sign out" in signed_in.content and b"Sign out" not in again.content


def test_a_page_with_a_form_that_posts_is_never_cached(client):
    first = client.get(reverse("pledges:pledge-sign"))
    second = client.get(reverse("pledges:pledge-sign"))
    assert first.context is not None and second.context is not None
    assert b"csrfmiddlewaretoken" in second.content


def test_register_counts_once_when_not_filtered(client, django_assert_max_num_queries):
    approved(organisation_name="Counted Trust")
    with django_assert_max_num_queries(6) as queries:
        response = client.get(REGISTER, {"sort": "name"})
    assert b"Counted Trust" in response.content
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1  # the cached total, read once; the page's own count is not asked again


def test_open_data_is_gzipped_for_clients_that_accept_it(client):
    import gzip

    approved(organisation_name="Zipped Trust")
    plain = client.get(CSV)
    zipped = client.get(CSV, headers={"accept-encoding": "gzip, br"})
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.getvalue()) == plain.getvalue()
    assert "Content-Encoding" not in plain


def test_open_data_is_sent_from_a_file_with_its_headers_and_a_new_file_after_a_change(client, settings, tmp_path):
    from django.http import FileResponse

    settings.FILE_CACHE_DIR = tmp_path
    reviewer = make_reviewer()
    approved(reviewer=reviewer, organisation_name="=Filed Trust")
    response = client.get(CSV)
    assert isinstance(response, FileResponse)  # gunicorn sends it with sendfile (wsgi.file_wrapper)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="leadership-pledge-register.csv"'
    body = response.getvalue()  # read once: a file's content is streamed
    assert int(response["Content-Length"]) == len(body)
    assert "Accept-Encoding" in response["Vary"] and "Content-Encoding" not in response
    assert "'=Filed Trust" in body.decode()  # formula-safe (portal/spreadsheets.py)
    files = sorted(path.name for path in tmp_path.iterdir())
    assert len(files) == 1 and files[0].startswith("register.csv.")

    # Asked again with its ETag: nothing to send.
    assert client.get(CSV, headers={"if-none-match": response["ETag"]}).status_code == 304

    approved(reviewer=reviewer, organisation_name="Second Filed Trust", contact_email="c2@example.org")
    after = client.get(CSV, headers={"if-none-match": response["ETag"]})
    assert after.status_code == 200 and after["ETag"] != response["ETag"]
    assert "Second Filed Trust" in after.getvalue().decode()
    # The old version's file is gone; one file per format and encoding.
    assert len([path for path in tmp_path.iterdir() if path.name.startswith("register.csv.")]) == 1
    zipped = client.get(CSV, headers={"accept-encoding": "gzip"})
    assert zipped["Content-Encoding"] == "gzip" and zipped["ETag"] != after["ETag"]
