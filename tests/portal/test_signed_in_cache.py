"""Signed-in pages' caches: the user row (portal/user_cache.py), one round trip for the versions
(portal.cache.prefetch), whole pages for everyone signed in with each person's own header
(public_page(signed_in=True)), the account form and the first page of notifications. Each change shows at once."""

from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from portal.cache import request_keys, request_memo, value_key, version_key, versions
from portal.models import CouncilArea, Sector
from portal.notifications.models import Notification
from portal.permissions import StaffGroup
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOME = reverse("portal:home")
ACCOUNT = reverse("portal:account")
NOTIFICATIONS = reverse("notifications:list")


def user_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if 'FROM "portal_user"' in q["sql"]]


# --- The user row -------------------------------------------------------------------------------------------------


def test_the_user_row_is_read_from_the_cache_after_the_first_request(member_client, django_assert_max_num_queries):
    member_client.get(ACCOUNT)
    with django_assert_max_num_queries(5) as queries:
        response = member_client.get(ACCOUNT)
    assert response.status_code == 200
    assert user_queries(queries) == []


def test_a_password_change_signs_other_sessions_out_at_once(user, client):
    other = Client()
    client.force_login(user)
    other.force_login(user)
    assert other.get(ACCOUNT).status_code == 200  # cached now
    user.set_password("a brand new long passphrase")
    user.save()
    assert other.get(ACCOUNT).status_code == 302  # sent to sign in: the session's hash no longer matches


def test_deactivating_an_account_turns_its_next_request_away(user, member_client):
    assert member_client.get(ACCOUNT).status_code == 200
    user.is_active = False
    user.save()
    assert member_client.get(ACCOUNT).status_code == 302


def test_a_group_change_shows_at_once(member_client, user):
    user.is_staff = True
    user.save()
    assert ">Staff<" not in member_client.get(ACCOUNT).content.decode()
    group, _ = Group.objects.get_or_create(name=StaffGroup.CONTENT_EDITORS.value)
    user.groups.add(group)
    assert ">Staff<" in member_client.get(ACCOUNT).content.decode()
    group.user_set.remove(user)
    assert ">Staff<" not in member_client.get(ACCOUNT).content.decode()


def test_the_cached_user_has_no_password_hash_in_the_cache(user, member_client):
    member_client.get(ACCOUNT)
    from portal.user_cache import USER_CACHE, _row_key

    namespace = f"{USER_CACHE}.{user.pk}"
    stored = cache.get(value_key(namespace, _row_key("django.contrib.auth.backends.ModelBackend")))
    row = stored[1][0]
    assert row["email"] == user.email and "password" not in row


# --- One round trip -------------------------------------------------------------------------------------------------


def test_a_signed_in_page_reads_its_versions_in_one_round_trip(member_client, user):
    url = reverse("training:my-learning")
    keys = request_keys(user.pk)
    assert version_key(f"learning.{user.pk}") in keys and version_key("training") in keys
    record = value_key(["training", "modules", f"learning.{user.pk}"], f"learning-record:{user.pk}")
    with mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many:
        assert member_client.get(url).status_code == 200
    # The first time in this process for this session: the prefetch (the session, every version), the person's own
    # keys (the user, the unread count) once the session says who they are, then the learning record's value alone;
    # no key is read twice.
    assert get_many.call_count <= 3
    (record_keys,), _ = get_many.call_args_list[-1]
    assert record_keys == [record]
    asked = [key for (keys,), _ in get_many.call_args_list for key in keys]
    assert len(asked) == len(set(asked))
    with mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many:
        assert member_client.get(url).status_code == 200
    # The next time, the person's keys and the record are read in the first round trip too (portal.cache.learn),
    # with the session's entry when sessions are kept in the cache (portal.sessions, with REDIS_URL).
    assert get_many.call_count == 1
    (first_keys,), _ = get_many.call_args_list[0]
    assert record in first_keys and version_key(f"learning.{user.pk}") in first_keys
    session = member_client.session
    if hasattr(session, "cache_key"):
        assert session.cache_key in first_keys


def test_what_a_page_learned_to_read_early_still_follows_bumps(member_client, user):
    from tests.training.catalogue_helpers import make_resource
    from training.models import SavedResource

    url = reverse("training:my-learning")
    member_client.get(url)
    member_client.get(url)  # the record now comes with the first round trip
    resource = make_resource(title="Kept For Later")
    SavedResource.objects.create(user=user, resource=resource)
    assert "Kept For Later" in member_client.get(url).content.decode()


def test_a_bump_inside_a_request_is_seen_by_the_rest_of_it():
    from portal.cache import bump

    with request_memo():
        before = versions(["things"])
        bump("things")
        assert versions(["things"]) != before


# --- Whole pages for everyone signed in --------------------------------------------------------------------------


def from_the_cache(response) -> bool:
    """Served whole from the cache: no template rendered for it but (at most once per process for each unread count)
    the header's account links."""
    return {template.name for template in response.templates} <= {"includes/account_links.html"}


def test_home_and_the_catalogue_are_cached_for_people_signed_in_with_their_own_header(user, member_client):
    other_user = UserFactory()
    other = Client()
    other.force_login(other_user)
    Notification.objects.create(recipient=user, event=_event(), title="Hello")
    for path in (HOME, reverse("training:resource-list")):
        first = member_client.get(path)
        again = member_client.get(path)
        assert from_the_cache(again)
        theirs = other.get(path)
        assert from_the_cache(theirs)
        mine, yours = again.content.decode(), theirs.content.decode()
        assert "portal:account-links" not in mine and "Sign out" in mine and "My learning" in mine
        assert '1<span class="visually-hidden"> unread</span>' in mine  # my unread count, not theirs
        assert "unread</span>" not in yours
        assert first.content.decode().count("csrfmiddlewaretoken") == 1  # the sign-out form's, filled in
    # The signed-out page is a separate entry with the sign-in links.
    signed_out = Client().get(HOME).content.decode()
    assert "Sign in" in signed_out and "Sign out" not in signed_out


def test_the_sign_out_form_on_a_cached_page_works(user, member_client):
    member_client.get(HOME)
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(user)
    page = csrf.get(HOME)
    assert from_the_cache(page)
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert csrf.post(reverse("account_logout"), {"csrfmiddlewaretoken": token}).status_code == 302
    assert csrf.get(ACCOUNT).status_code == 302  # signed out


def test_a_catalogue_change_shows_at_once_to_people_signed_in(member_client):
    from tests.training.catalogue_helpers import make_resource

    url = reverse("training:resource-list")
    member_client.get(url)
    make_resource(title="Brand New Guide")
    assert "Brand New Guide" in member_client.get(url).content.decode()


# --- The account form -----------------------------------------------------------------------------------------------


def test_the_account_form_shows_a_change_to_the_details_or_the_choices_at_once(user, member_client):
    assert member_client.get(ACCOUNT).status_code == 200
    member_client.post(ACCOUNT, {"display_name": "Sam the Learner", "organisation": "", "role": "", "sector": ""})
    page = member_client.get(ACCOUNT).content.decode()
    assert 'value="Sam the Learner"' in page
    area = CouncilArea.objects.create(name="Northern Isles Test", slug="northern-isles-test")
    assert "Northern Isles Test" in member_client.get(ACCOUNT).content.decode()
    area.is_active = False
    area.save()
    assert "Northern Isles Test" not in member_client.get(ACCOUNT).content.decode()


def test_the_account_form_offers_the_same_choices_and_checks_answers_against_the_database(user, member_client):
    sector = Sector.objects.create(name="Test sector", slug="test-sector")
    page = member_client.get(ACCOUNT).content.decode()
    assert f'<option value="{sector.pk}">Test sector</option>' in page
    response = member_client.post(ACCOUNT, {"display_name": "", "sector": "999999"})
    assert response.status_code == 200 and "Error: " in response.content.decode()
    response = member_client.post(ACCOUNT, {"display_name": "", "sector": str(sector.pk)})
    assert response.status_code == 302
    assert f'<option value="{sector.pk}" selected>Test sector</option>' in member_client.get(ACCOUNT).content.decode()


# --- Notifications ----------------------------------------------------------------------------------------------------


def _event():
    from portal.notifications.models import Event

    return Event.objects.create(kind="test")


def test_the_first_page_of_notifications_is_cached_until_one_is_written_read_or_purged(
    user, member_client, django_assert_max_num_queries
):
    from django.utils import timezone

    from portal.notifications.services import notifications_mark_read
    from portal.notifications.services.retention import notifications_purge

    note = Notification.objects.create(recipient=user, event=_event(), title="First news")
    assert "First news" in member_client.get(NOTIFICATIONS).content.decode()
    with django_assert_max_num_queries(1) as queries:  # the session's, without Redis
        member_client.get(NOTIFICATIONS)
    assert not [q for q in queries.captured_queries if "portal_notification" in q["sql"]]

    notifications_mark_read(user=user, notification_ids=[note.pk])
    assert ">New<" not in member_client.get(NOTIFICATIONS).content.decode()

    Notification.objects.filter(pk=note.pk).update(created_at=timezone.now() - timezone.timedelta(days=3650))
    notifications_purge()
    assert "First news" not in member_client.get(NOTIFICATIONS).content.decode()
