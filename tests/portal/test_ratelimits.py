"""One way to rate-limit: portal.ratelimits.rate_limit, answered by the middleware's 429 page, counted in a cache
every process shares (the deploy check portal.E001 says so when it is not)."""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.http import HttpResponse
from django.test import override_settings
from django_ratelimit.exceptions import Ratelimited
from django_ratelimit.middleware import RatelimitMiddleware

from portal.checks import rate_limits_are_shared
from portal.ratelimits import rate_limit

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://example:6379"}}


@pytest.fixture
def view():
    calls = []

    @rate_limit(group="tests:limited", rate="2/m")
    def limited(request):
        calls.append(request.method)
        return HttpResponse("done")

    cache.clear()
    middleware = RatelimitMiddleware(limited)

    def call(request):
        request.user = None
        try:
            return limited(request)
        except Ratelimited as exception:  # as Django's handler would pass it to the middleware
            return middleware.process_exception(request, exception)

    def as_user(request):
        try:
            return limited(request)
        except Ratelimited as exception:
            return middleware.process_exception(request, exception)

    call.calls = calls
    call.limited = as_user
    return call


@pytest.mark.django_db
def test_over_the_limit_the_view_does_not_run_and_the_kind_page_answers(rf, view):
    statuses = [view(rf.post("/x/", REMOTE_ADDR="203.0.113.1")).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert view.calls == ["POST", "POST"]
    assert "Please wait a moment" in view(rf.post("/x/", REMOTE_ADDR="203.0.113.1")).content.decode()
    # Reading is never limited, and another address has its own count.
    assert view(rf.get("/x/", REMOTE_ADDR="203.0.113.1")).status_code == 200
    assert view(rf.post("/x/", REMOTE_ADDR="203.0.113.2")).status_code == 200


@pytest.mark.parametrize(
    ("debug", "caches", "use_cache", "errors"),
    [
        (False, LOCMEM, "default", ["portal.E001"]),
        (False, {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}, "default", ["portal.E001"]),
        (False, {**REDIS, "local": LOCMEM["default"]}, "local", ["portal.E001"]),  # the cache the limits use
        (False, {**LOCMEM, "limits": REDIS["default"]}, "limits", []),
        (False, REDIS, "default", []),
        (True, LOCMEM, "default", []),  # development runs in one process
    ],
)
def test_the_deploy_check_refuses_a_per_process_rate_limit_cache(debug, caches, use_cache, errors):
    with override_settings(DEBUG=debug, CACHES=caches, RATELIMIT_USE_CACHE=use_cache):
        found = rate_limits_are_shared(None)
    assert [error.id for error in found] == errors
    if found:
        assert "Set REDIS_URL" in found[0].hint


def test_check_deploy_fails_on_it_at_its_default_level():
    # Only the cache checks: the rest of `check --deploy` depends on the test run (the browser tests allow async).
    def check_deploy():
        call_command("check", "--deploy", "--tag", "caches", stdout=io.StringIO(), stderr=io.StringIO())

    with override_settings(DEBUG=False, CACHES=LOCMEM, RATELIMIT_USE_CACHE="default"):
        with pytest.raises(SystemCheckError, match=r"portal\.E001.*LocMemCache"):
            check_deploy()
        call_command("check", stdout=io.StringIO())  # the plain `check` is not troubled by it
    with override_settings(DEBUG=False, CACHES=REDIS, RATELIMIT_USE_CACHE="default"):
        check_deploy()


@pytest.mark.django_db
def test_a_signed_in_person_is_counted_per_account_from_any_address(rf, view):
    from tests.factories import UserFactory

    person, other = UserFactory(), UserFactory()

    def post(user, address):
        request = rf.post("/x/", REMOTE_ADDR=address)
        request.user = user
        return view.limited(request).status_code

    assert [post(person, "203.0.113.1"), post(person, "198.51.100.7")] == [200, 200]
    assert post(person, "192.0.2.9") == 429  # a third address, but the account is over its limit
    assert post(other, "192.0.2.10") == 200  # another account from another address has its own counts
