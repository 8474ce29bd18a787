"""The staff area: one page, linked from the header for staff only, listing the tools each person's groups open."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

REVIEW = reverse("pledges:review-list")
FIGURES = reverse("training:resource-figures")
ADMIN = reverse("admin:index")
STAFF = reverse("portal:staff")


def tool_links(client) -> set[str]:
    html = client.get(STAFF).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return {url for url in (REVIEW, FIGURES, ADMIN) if f'href="{url}"' in main}


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"groups": ["IS admins"]}, {REVIEW, ADMIN}),
        ({"groups": ["Content editors"]}, {FIGURES, ADMIN}),
        ({"groups": ["Moderators"]}, {ADMIN}),
        ({"is_superuser": True}, {REVIEW, FIGURES, ADMIN}),
    ],
    ids=["is-admin", "content-editor", "moderator", "superuser"],
)
def test_the_staff_page_lists_the_tools_each_group_opens(client, kwargs, expected):
    client.force_login(StaffFactory(**kwargs))

    assert tool_links(client) == expected
    # Every tool listed opens for them: the list and the tools ask the same permission.
    for url in expected:
        assert client.get(url).status_code == 200, url


def test_the_staff_page_is_for_staff_members_only(client):
    assert client.get(STAFF)["Location"].startswith(reverse("account_login"))
    client.force_login(UserFactory())
    assert client.get(STAFF).status_code == 404
    client.force_login(StaffFactory(groups=["IS admins"], second_factor=False))
    assert client.get(STAFF)["Location"] == reverse("mfa_index")


def test_the_header_links_to_the_staff_area_for_staff_only(client):
    client.force_login(UserFactory())
    assert f'href="{STAFF}"' not in client.get("/").content.decode()

    client.force_login(StaffFactory(groups=["Content editors"]))
    header = client.get("/").content.decode().split("</header>")[0]
    assert f'href="{STAFF}">Staff</a>' in header


def test_the_header_costs_people_who_are_not_staff_no_query(client):
    """The header asks whether someone is staff on every page: for everyone else it is answered without a query."""
    client.force_login(UserFactory())
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("portal:about"))
    assert queries.captured_queries
    assert not [query["sql"] for query in queries.captured_queries if "auth_group" in query["sql"]]
