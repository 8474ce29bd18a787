"""portal/front_cache.py: a signed-out visitor's cached page answered before the rest of the middleware runs."""

from unittest import mock

import pytest
from django.test import Client

from portal import middleware
from portal.cache import bump
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def behind_the_front():
    """Counts requests that reach the middleware behind the front cache (the session, the user, the view)."""
    original = middleware.AuthenticationMiddleware.__call__
    with mock.patch.object(
        middleware.AuthenticationMiddleware, "__call__", autospec=True, side_effect=original
    ) as passed:
        yield passed


def test_a_signed_out_page_is_answered_from_the_front_with_the_same_headers(client, behind_the_front):
    first = client.get("/about/")
    second = client.get("/about/")
    assert behind_the_front.call_count == 1  # the second never reached the session, the user or the view
    assert second.status_code == 200 and second.content == first.content
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Vary"):
        assert second[header] == first[header], header
    assert not second.cookies


def test_a_bump_shows_at_once(client, behind_the_front):
    client.get("/about/")
    client.get("/about/")
    bump("reference")
    client.get("/about/")
    assert behind_the_front.call_count == 2


def test_anyone_with_a_session_or_a_message_waiting_goes_the_whole_way(client, behind_the_front):
    client.get("/about/")
    signed_in = Client()
    signed_in.force_login(UserFactory())
    page = signed_in.get("/about/")
    assert b"Sign out" in page.content
    with_message = Client()
    with_message.cookies["messages"] = "anything"
    with_message.get("/about/")
    assert behind_the_front.call_count == 3


def test_only_pages_that_public_page_offers_are_kept(client, behind_the_front):
    # The sign-in page asks for a CSRF token (its form posts): never stored, so never answered from the front.
    for _ in range(2):
        client.get("/accounts/login/")
    # A query string on a page that does not vary on it is not the cached page either.
    for _ in range(2):
        client.get("/about/?utm=x")
    assert behind_the_front.call_count == 4


def test_posts_and_heads_are_never_answered_from_the_front(client, behind_the_front):
    client.get("/about/")
    client.head("/about/")
    client.post("/about/")
    assert behind_the_front.call_count == 3


def test_a_signed_out_page_makes_no_query_from_the_front(client, django_assert_num_queries):
    client.get("/training/resources/")
    with django_assert_num_queries(0):
        page = client.get("/training/resources/")
    assert page.status_code == 200 and b"</html>" in page.content


def test_a_bump_made_by_another_process_shows_within_a_second(client, behind_the_front, monkeypatch):
    from django.core.cache import cache

    from portal import front_cache

    clock = [1000.0]
    monkeypatch.setattr(front_cache.time, "monotonic", lambda: clock[0])
    client.get("/about/")
    client.get("/about/")
    assert behind_the_front.call_count == 1
    cache.incr("portal:version:reference")  # another process's bump: nothing here is told
    clock[0] += front_cache.VERSIONS_TRUSTED_FOR / 2
    client.get("/about/")
    assert behind_the_front.call_count == 1  # still the page this process answered a moment ago
    clock[0] += front_cache.VERSIONS_TRUSTED_FOR
    client.get("/about/")
    assert behind_the_front.call_count == 2  # the versions read afresh: the page is built again
