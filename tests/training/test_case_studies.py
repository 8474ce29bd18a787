"""Case studies: browsable by sector and principle."""

import pytest
from django.urls import reverse

from tests.training.catalogue_helpers import make_case_study

pytestmark = pytest.mark.django_db
LIST = reverse("training:case-study-list")


def titles(response) -> list[str]:
    return sorted(case.title for case in response.context["results"].page)


def test_browse_by_sector_and_principle(client):
    make_case_study(title="Council safety", sector="public-sector", principles=("safety", "trust"))
    make_case_study(title="Charity choice", sector="third-sector", principles=("choice",))
    make_case_study(title="Care home safety", sector="private-sector", principles=("safety",))
    make_case_study(title="Draft", published_at=None)

    assert titles(client.get(LIST)) == ["Care home safety", "Charity choice", "Council safety"]
    assert titles(client.get(LIST, {"sector": "third-sector"})) == ["Charity choice"]
    assert titles(client.get(LIST, {"principle": "safety"})) == ["Care home safety", "Council safety"]
    response = client.get(LIST, {"principle": "safety", "sector": "public-sector"})
    assert titles(response) == ["Council safety"]
    assert b"1 case study" in response.content


def test_unknown_sector_shows_none_without_failing(client):
    make_case_study()
    response = client.get(LIST, {"sector": "no-such-sector", "page": "x"})
    assert response.status_code == 200
    assert b"No case studies match" in response.content


def test_case_study_list_query_count(client, django_assert_max_num_queries):
    """Guards the N+1 on each case study's sector, service area (joined) and principles (prefetched)."""
    for _ in range(10):
        make_case_study(principles=("safety", "choice", "trust"))
    with django_assert_max_num_queries(6):
        response = client.get(LIST)
    assert len(response.context["results"].page) == 10


def test_case_study_page(client, django_assert_max_num_queries):
    """Guards the N+1 on principles."""
    case = make_case_study(
        principles=("safety", "choice"), lived_experience="Tenants chose the changes.", credit="the tenants' panel"
    )
    with django_assert_max_num_queries(3):
        response = client.get(reverse("training:case-study-detail", args=[case.slug]))
    content = response.content.decode()
    assert "Tenants chose the changes." in content
    assert "With thanks to the tenants&#x27; panel." in content
    assert "?principle=choice" in content


def test_draft_case_study_is_not_found(client):
    case = make_case_study(published_at=None)
    assert client.get(reverse("training:case-study-detail", args=[case.slug])).status_code == 404
