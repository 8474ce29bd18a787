"""portal/cache.py: versioned values, and whole pages for people who are not signed in."""

import pytest
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.response import TemplateResponse
from django.test import RequestFactory

from portal.cache import bump, cached, public_page
from tests.factories import UserFactory

# bump() registers its second bump with the transaction (on_commit), which needs the database.
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def test_cached_builds_once_per_version_and_bump_makes_it_stale():
    built = []

    def build():
        built.append(1)
        return len(built)

    assert cached("things", "answer", build) == 1
    assert cached("things", "answer", build) == 1
    bump("other")
    assert cached("things", "answer", build) == 1  # another namespace's bump changes nothing here
    bump("things")
    assert cached("things", "answer", build) == 2
    assert cached(["things", "other"], "answer", build) == 3  # a separate entry, under both versions
    bump("other")
    assert cached(["things", "other"], "answer", build) == 4


def test_bump_survives_a_lost_version_key():
    cached("things", "answer", lambda: "old")
    cache.delete("portal:version:things")
    bump("things")
    assert cached("things", "answer", lambda: "new") == "new"


def test_bump_inside_a_transaction_bumps_again_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        bump("things")
        value = cached("things", "answer", lambda: "read before the commit")
    for callback in callbacks:
        callback()  # the commit
    assert value == "read before the commit"
    assert cached("things", "answer", lambda: "read after the commit") == "read after the commit"


# --- Whole pages --------------------------------------------------------------------------------------------------

calls: list[str] = []


def plain_view(request):
    calls.append("plain")
    return HttpResponse(f"page {len(calls)}")


def _request(path="/page/", user=None, **extra):
    request = RequestFactory().get(path, **extra)
    request.user = user or _anonymous()
    request.session = _Session()
    request._messages = _NoMessages()
    return request


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


class _Session(dict):
    modified = False


class _NoMessages(list):
    pass


@pytest.fixture
def page():
    calls.clear()
    return public_page("things")(plain_view)


def test_a_public_page_is_built_once_until_its_namespace_is_bumped(page):
    first = page(_request())
    second = page(_request())
    assert first.content == second.content == b"page 1"
    assert calls == ["plain"]
    bump("things")
    assert page(_request()).content == b"page 2"


def test_signed_in_people_and_query_strings_and_posts_are_never_served_from_the_cache(page):
    page(_request())
    assert page(_request(user=UserFactory())).content == b"page 2"
    assert page(_request("/page/?q=x")).content == b"page 3"
    request = RequestFactory().post("/page/")
    request.user = _anonymous()
    assert page(request).content == b"page 4"
    assert page(_request()).content == b"page 1"  # the stored one, untouched by the others


def test_a_waiting_message_is_never_replaced_by_the_cached_page(page):
    page(_request())
    request = _request()
    request._messages = [messages.Message(messages.SUCCESS, "Thank you")]
    assert page(request).content == b"page 2"


def test_pages_with_a_csrf_token_or_a_cookie_are_not_stored():
    calls.clear()

    @public_page("things")
    def with_form(request):
        calls.append("form")
        return HttpResponse(f"token {get_token(request)}")

    @public_page("things")
    def with_cookie(request):
        calls.append("cookie")
        response = HttpResponse("cookie")
        response.set_cookie("seen", "1")
        return response

    with_form(_request("/form/"))
    with_form(_request("/form/"))
    with_cookie(_request("/cookie/"))
    with_cookie(_request("/cookie/"))
    assert calls == ["form", "form", "cookie", "cookie"]


def test_a_template_response_is_stored_as_rendered():
    calls.clear()

    @public_page("things")
    def templated(request):
        calls.append("template")
        return TemplateResponse(request, "pages/about.html", {"levels": [], "principles": []})

    first = templated(_request("/about/"))
    first.render()
    second = templated(_request("/about/"))
    assert calls == ["template"]
    assert second.content == first.content and b"</html>" in second.content


def test_the_redis_backend_reuses_one_client_per_pool():
    """portal.redis_cache: Django would build a new redis-py client for every call (no server needed to see it)."""
    from portal.redis_cache import RedisCache

    backend = RedisCache("redis://127.0.0.1:6379/0", {})
    client = backend._cache.get_client("a")
    assert backend._cache.get_client("b") is client
    assert backend._cache.get_client("c", write=True) is backend._cache.get_client("d", write=True)


def test_cached_without_the_local_copy_reads_in_one_round_trip_and_follows_bumps():
    """local=False (one person's values): the versions and the value in one get_many; a bump makes it stale."""
    from unittest import mock

    built = []

    def build():
        built.append(1)
        return len(built)

    assert cached(["things", "person.1"], "answer", build, local=False) == 1
    # One get_many for the versions and the value; no separate read of the versions (portal.cache.versions).
    with (
        mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many,
        mock.patch("portal.cache.versions") as versions,
    ):
        assert cached(["things", "person.1"], "answer", build, local=False) == 1
    assert (get_many.call_count, versions.call_count) == (1, 0)
    bump("person.1")
    assert cached(["things", "person.1"], "answer", build, local=False) == 2
    bump("things")
    assert cached(["things", "person.1"], "answer", build, local=False) == 3
    # Another person's namespace is another value.
    assert cached(["things", "person.2"], "answer", build, local=False) == 4
