"""Staff pages outside the admin: allowed and denied cases share one setup."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory

from portal.permissions import StaffGroup, staff_page
from tests.factories import UserFactory


@staff_page(StaffGroup.IS_ADMINS)
def review_queue(request):
    return HttpResponse("the queue")


def call(user):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/pledge/review/")
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return review_queue(request)


@pytest.fixture
def second_factor():
    def add(user):
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "set-up-in-tests"})
        return user

    return add


@pytest.mark.django_db
def test_group_member_with_a_second_factor_is_let_in(second_factor):
    assert call(second_factor(UserFactory(groups=["IS admins"], is_staff=True))).content == b"the queue"


@pytest.mark.django_db
def test_superuser_with_a_second_factor_is_let_in(second_factor):
    assert call(second_factor(UserFactory(is_superuser=True, is_staff=True))).status_code == 200


@pytest.mark.django_db
def test_group_member_without_a_second_factor_is_sent_to_set_one_up():
    response = call(UserFactory(groups=["IS admins"], is_staff=True))
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/"


@pytest.mark.django_db
def test_someone_outside_the_group_is_refused_even_with_a_second_factor(second_factor):
    from django.http import Http404

    with pytest.raises(Http404):
        call(second_factor(UserFactory(groups=["Moderators"], is_staff=True)))


@pytest.mark.django_db
def test_signed_out_people_are_asked_to_sign_in():
    response = call(None)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.django_db
def test_a_blocked_rate_limit_gets_the_kind_429_page(rf):
    from django_ratelimit.exceptions import Ratelimited
    from django_ratelimit.middleware import RatelimitMiddleware

    def view(request):
        raise Ratelimited()

    request = rf.post("/somewhere/")
    request.user = None
    response = RatelimitMiddleware(view).process_exception(request, Ratelimited())
    assert response.status_code == 429
    assert "Please wait a moment" in response.content.decode()


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.2"),  # no trusted proxy: whatever the client claims is ignored
        (1, "203.0.113.9", "203.0.113.9"),  # one load balancer appended the client's address
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # the client forged the left-hand entry
        (2, "203.0.113.9, 10.0.0.7", "203.0.113.9"),
        (2, "", "10.0.0.2"),  # a request that bypassed the proxies
    ],
)
def test_rate_limits_count_the_persons_own_address(rf, settings, proxies, forwarded, expected):
    from portal.ratelimits import ip_for_request

    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.post("/pledge/sign/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert ip_for_request(request) == expected


@pytest.mark.django_db
def test_people_behind_one_proxy_do_not_share_a_limit(rf, settings):
    from django.core.cache import cache
    from django_ratelimit.core import is_ratelimited

    settings.TRUSTED_PROXY_COUNT = 1
    cache.clear()

    def limited(address):
        request = rf.post("/x/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=address)
        return is_ratelimited(request, group="t", key="ip", rate="2/m", method="POST", increment=True)

    assert [limited("203.0.113.1") for _ in range(3)] == [False, False, True]
    assert limited("203.0.113.2") is False
