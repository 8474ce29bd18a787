"""Adding members on a cohort's page: a filtered, bounded list of checkboxes that works at 1,000 champions."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from champions.selectors.programme import CANDIDATES_SHOWN
from champions.services import people
from tests.champions.helpers import make_champion

pytestmark = pytest.mark.django_db


def _page(client, cohort, **query) -> str:
    response = client.get(reverse("champions:admin-cohort-detail", args=[cohort.pk]), query)
    assert response.status_code == 200
    return response.content.decode()


def _offered(html: str) -> int:
    return len(re.findall(r'type="checkbox" name="champions"', html))


def test_the_list_is_filtered_by_name_or_organisation_and_by_area(client, network):
    admin, cohort = network["admin"], network["mine"]
    make_champion(by=admin, areas=("highland",), name="Hamish Highland", organisation_name="Highland Council")
    make_champion(by=admin, areas=("fife",), name="Fiona Fife", organisation_name="Kingdom Council")
    client.force_login(admin)
    everyone = _page(client, cohort)
    assert "Hamish Highland" in everyone and "Fiona Fife" in everyone and "Oliver Other" in everyone
    assert f'name="champions" value="{network["me"].pk}"' not in everyone  # already in the cohort
    by_name = _page(client, cohort, **{"find-text": "hamish"})
    assert "Hamish Highland" in by_name and "Fiona Fife" not in by_name
    by_organisation = _page(client, cohort, **{"find-text": "kingdom"})
    assert "Fiona Fife" in by_organisation and "Hamish Highland" not in by_organisation
    by_area = _page(client, cohort, **{"find-area": "angus"})
    assert "Oliver Other" in by_area and "Fiona Fife" not in by_area and "Hamish Highland" not in by_area
    nobody = _page(client, cohort, **{"find-text": "zebedee"})
    assert _offered(nobody) == 0 and "No champions match what you looked for" in nobody


def test_a_stepped_down_champion_is_not_offered(client, network):
    admin = network["admin"]
    gone = make_champion(by=admin, name="Gone Gordon")
    people.champion_change_status(champion=gone, status="stepped_down", since=datetime.date(2026, 1, 1), by=admin)
    client.force_login(admin)
    assert "Gone Gordon" not in _page(client, network["mine"])


def test_the_list_is_bounded_and_says_more_match(client, network):
    admin = network["admin"]
    for n in range(CANDIDATES_SHOWN + 3):
        make_champion(by=admin, areas=("highland",), name=f"Highland {n:03d}")
    client.force_login(admin)
    html = _page(client, network["mine"])
    assert _offered(html) == CANDIDATES_SHOWN and "More champions match" in html
    narrowed = _page(client, network["mine"], **{"find-text": "Highland 05"})
    assert _offered(narrowed) == 3 and "More champions match" not in narrowed


def test_chosen_champions_join_and_the_filter_is_kept(client, network):
    admin, cohort = network["admin"], network["mine"]
    fiona = make_champion(by=admin, areas=("fife",), name="Fiona Fife")
    client.force_login(admin)
    url = reverse("champions:admin-cohort-members", args=[cohort.pk])
    response = client.post(url, {"champions": [fiona.pk, network["other"].pk], "find-text": "fi"})
    assert response.status_code == 302 and "find-text=fi" in response["Location"]
    assert set(cohort.memberships.filter(left_on__isnull=True).values_list("champion_id", flat=True)) == {
        network["me"].pk,
        fiona.pk,
        network["other"].pk,
    }


def test_choosing_nobody_or_someone_who_cannot_join_is_refused_kindly(client, network):
    admin, cohort = network["admin"], network["mine"]
    gone = make_champion(by=admin, name="Gone Gordon")
    people.champion_change_status(champion=gone, status="stepped_down", since=datetime.date(2026, 1, 1), by=admin)
    client.force_login(admin)
    url = reverse("champions:admin-cohort-members", args=[cohort.pk])
    empty = client.post(url, {"find-text": "o"})
    assert empty.status_code == 400 and "Choose at least one champion to add." in empty.content.decode()
    assert "<title>Error: " in empty.content.decode()
    refused = client.post(url, {"champions": [gone.pk]})
    assert refused.status_code == 400
    assert not cohort.memberships.filter(champion=gone).exists()


def test_the_page_makes_the_same_queries_for_few_and_many_champions(client, network):
    """Guards the N+1 on each offered champion's council areas, and a list that grew with the network."""
    admin, cohort = network["admin"], network["mine"]
    client.force_login(admin)
    url = reverse("champions:admin-cohort-detail", args=[cohort.pk])

    def count(query: dict) -> int:
        client.get(url, query)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, query).status_code == 200
        return len(queries)

    queries = ({}, {"find-area": "fife"}, {"find-text": "champion"})
    for _n in range(3):
        make_champion(by=admin, areas=("fife", "angus"))
    small = [count(query) for query in queries]
    for _n in range(CANDIDATES_SHOWN + 10):
        make_champion(by=admin, areas=("fife", "angus"))
    large = [count(query) for query in queries]
    assert large == small, (small, large)
