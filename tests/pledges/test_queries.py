"""Query counts for the pledge pages stay flat however many rows they show."""

import pytest
from django.urls import reverse

from pledges import review, services
from portal.models import Sector
from tests.pledges.conftest import approved, make_reviewer, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(db):
    """Eight pledges on the register over several areas, each with a published update, plus some waiting."""
    reviewer = make_reviewer()
    third = Sector.objects.get(slug="third-sector")
    made = []
    for n in range(8):
        pledge = approved(
            reviewer=reviewer,
            organisation_name=f"Organisation {n}",
            website=f"https://org{n}.example.org",
            contact_email=f"c{n}@example.org",
            areas=["fife", "angus", "highland"][: n % 3 + 1],
            sector=third if n % 2 else Sector.objects.get(slug="public-sector"),
        )
        update = services.update_submit(pledge=pledge, done=f"Did {n}.", next_steps="More.")
        review.update_approve(update=update, reviewer=reviewer)
        services.update_submit(pledge=pledge, done="Waiting.", next_steps="Waiting.")
        made.append(pledge)
    for n in range(5):
        waiting = sign(organisation_name=f"Waiting {n}", website=f"https://w{n}.example.org", areas=["fife", "moray"])
        services.pledge_confirm(pledge=waiting)
    services.pledge_edit(pledge=made[0], statement="Edited.", actions=["roadmap"], own_actions="")
    return {"pledges": made, "reviewer": reviewer}


def test_register_with_filters(client, many, django_assert_max_num_queries):
    """Guards the N+1 on each row's sector and council areas, and on the filter choices."""
    with django_assert_max_num_queries(9):
        response = client.get(reverse("pledges:register-list"), {"area": "fife", "sector": "third-sector", "q": "Org"})
    assert response.status_code == 200
    assert response.content.decode().count('class="ds_search-result"') == 4


def test_organisation_page(client, many, django_assert_max_num_queries):
    """Guards the N+1 on the organisation's council areas and its published progress updates."""
    pledge = many["pledges"][2]
    for n in range(3):
        update = services.update_submit(pledge=pledge, done=f"More {n}.", next_steps="x")
        review.update_approve(update=update, reviewer=many["reviewer"])
    with django_assert_max_num_queries(4):
        response = client.get(pledge.get_absolute_url())
    assert response.status_code == 200 and response.content.decode().count("portal-pledge-update") == 4


def test_summary_page(client, many, django_assert_max_num_queries):
    """Guards against one count query per month, per organisation type or per council area."""
    with django_assert_max_num_queries(6):
        response = client.get(reverse("pledges:summary"))
    assert response.status_code == 200


def test_review_queue(client, many, django_assert_max_num_queries):
    """Guards the N+1 on each waiting pledge's areas and possible duplicate, and on each update's organisation."""
    client.force_login(many["reviewer"])
    with django_assert_max_num_queries(10):
        response = client.get(reverse("pledges:review-list"))
    text = response.content.decode()
    assert text.count("/pledge/review/updates/") == 8
    assert "Changes to a published pledge" in text and text.count("New pledge") == 5


def test_review_detail(client, many, django_assert_max_num_queries):
    """Guards the N+1 on the history rows' users and the pledge's updates."""
    client.force_login(many["reviewer"])
    pledge = many["pledges"][0]
    with django_assert_max_num_queries(11):
        response = client.get(reverse("pledges:review-detail", kwargs={"pk": pledge.pk}))
    assert response.status_code == 200


def test_open_data(client, many, django_assert_max_num_queries):
    """Guards the N+1 on each row's sector and areas in the CSV and JSON."""
    for name in ["pledges:register-csv", "pledges:register-json"]:
        with django_assert_max_num_queries(3):
            assert client.get(reverse(name)).status_code == 200
