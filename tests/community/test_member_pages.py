"""The forum pages kept for each signed-in member (portal/member_pages.py): served again until something they show
changes, and never to anyone else."""

import re
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client

from community.models import ReactionKind, ReadState
from community.services import blocks, groups, posting
from community.views import forum, search
from portal.notifications.models import Notification
from tests.community.conftest import category, member, private_group, topic
from tests.portal.test_signed_in_cache import _event

pytestmark = pytest.mark.django_db


@pytest.fixture
def built():
    """Counts the topic, category, front and search pages actually built (not served from what was kept)."""
    patches = [
        mock.patch.object(view, "get", autospec=True, side_effect=view.get)
        for view in (forum.TopicDetailView, forum.CategoryDetailView, forum.FrontPageView, search.SearchView)
    ]
    mocks = [patch.start() for patch in patches]
    yield lambda: sum(m.call_count for m in mocks)
    for patch in patches:
        patch.stop()


def _tokenless(response) -> str:
    """The page without its CSRF tokens (masked afresh on every request, kept page or not)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _url(made) -> str:
    return made.get_absolute_url() + "?page=1"


def test_a_members_second_visit_is_served_from_what_was_kept(client, built):
    author, reader = member(), member()
    made = topic(author, category(), replies=1)
    client.force_login(reader)
    client.get(_url(made))  # built, and the read position moves: what was kept then is stale
    first = client.get(_url(made))
    second = client.get(_url(made))
    assert built() == 2
    assert second.status_code == 200 and _tokenless(second) == _tokenless(first)
    assert b"Reply 1." in second.content


def test_another_member_never_gets_it(client, built):
    author, reader, other = member(), member(), member()
    made = topic(author, category(), replies=1)
    client.force_login(reader)
    client.get(_url(made))
    elsewhere = Client()
    elsewhere.force_login(other)
    elsewhere.get(_url(made))
    assert built() == 2


def test_a_new_reply_shows_at_once(client, built):
    author, reader = member(), member()
    made = topic(author, category(), replies=1)
    client.force_login(reader)
    client.get(_url(made))
    posting.post_reply(author=author, topic=made, body="A fresh reply.")
    assert b"A fresh reply." in client.get(_url(made)).content


def test_what_the_member_does_shows_on_their_next_page(client):
    author, reader = member(), member()
    made = topic(author, category(), replies=1)
    client.force_login(reader)
    post = made.posts.get(number=2)
    assert b'aria-pressed="true"' not in client.get(_url(made)).content
    client.post(f"/community/p/{post.pk}/react/", {"kind": ReactionKind.THANKS})
    assert b'aria-pressed="true"' in client.get(_url(made)).content


def test_a_group_membership_decided_by_someone_else_shows_at_once(client):
    reader = member()
    group = private_group(name="Cohort 9")
    category("Cohort 9 talk", group=group)
    client.force_login(reader)
    assert b"Cohort 9 talk" not in client.get("/community/").content
    groups.group_member_add(group=group, user=reader)
    assert b"Cohort 9 talk" in client.get("/community/").content


def test_a_block_shows_at_once(client):
    author, reader = member(name="Ailsa Blocked"), member()
    made = topic(author, category(), replies=1)
    client.force_login(reader)
    assert b"You muted or blocked" not in client.get(_url(made)).content
    blocks.member_block_set(member=reader, blocked=author, kind="mute")
    assert b"You muted or blocked" in client.get(_url(made)).content


def test_the_headers_unread_count_is_always_fresh(client, built):
    author, reader = member(), member()
    made = topic(author, category(), replies=1)
    client.force_login(reader)
    assert b"portal-count" not in client.get(_url(made)).content
    Notification.objects.create(recipient=reader, event=_event(), title="Hello")
    page = client.get(_url(made)).content.decode()
    assert built() == 2  # the body was kept (the first build moved the read position, the second was kept)...
    assert 'portal-count">1<' in page  # ...the header was not


def test_reading_moves_the_read_position_once_and_then_opens_where_they_left_off(client):
    author, reader = member(), member()
    made = topic(author, category(), replies=2)
    client.force_login(reader)
    assert client.get(made.get_absolute_url()).status_code == 200
    assert ReadState.objects.get(member=reader, topic=made).last_read_number == 3
    # The kept page was built before the reader had read anything: it is not served now.
    again = client.get(made.get_absolute_url())
    assert again.status_code == 302 and again["Location"].endswith("#post-3")


def test_a_kept_pages_form_still_posts(client):
    author, reader = member(), member()
    made = topic(author, category(), replies=1)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(reader)
    strict.get(_url(made))
    page = strict.get(_url(made)).content.decode()  # served from what was kept
    token = page.split('name="csrfmiddlewaretoken" value="', 2)[-1].split('"', 1)[0]
    answer = strict.post(
        f"/community/t/{made.pk}/reply/", {"body": "Posted from a kept page.", "csrfmiddlewaretoken": token}
    )
    assert answer.status_code == 302
    assert made.posts.filter(body_markdown__contains="Posted from a kept page.").exists()


def test_a_missing_topic_shows_the_members_own_header(client):
    client.force_login(member())
    page = client.get("/community/t/999999/")
    assert page.status_code == 404
    assert b"portal:account-links" not in page.content and b"Sign out" in page.content


def test_a_browser_without_the_csrf_cookie_is_given_the_kept_pages_secret(client):
    author, reader = member(), member()
    made = topic(author, category(), replies=1)
    client.force_login(reader)
    client.get(_url(made))
    client.get(_url(made))  # kept, with the secret its forms were made with
    fresh = Client(enforce_csrf_checks=True)
    fresh.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    page = fresh.get(_url(made))
    assert page.cookies[settings.CSRF_COOKIE_NAME].value == client.cookies[settings.CSRF_COOKIE_NAME].value
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="', 2)[-1].split('"', 1)[0]
    reply = {"body": "From a fresh browser.", "csrfmiddlewaretoken": token}
    answer = fresh.post(f"/community/t/{made.pk}/reply/", reply)
    assert answer.status_code == 302


def test_a_browser_with_another_csrf_secret_gets_a_page_built_for_it(client, built):
    author, reader = member(), member()
    made = topic(author, category(), replies=1)
    client.force_login(reader)
    client.get(_url(made))
    client.get(_url(made))
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    other.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32
    other.get(_url(made))
    assert built() == 3


def test_a_kept_page_answered_early_has_the_same_headers_and_never_hides_a_message(client):
    author, reader = member(), member()
    made = topic(author, category(), replies=1)
    client.force_login(reader)
    client.get(_url(made))
    built = client.get(_url(made))
    kept = client.get(_url(made))  # answered by portal.middleware before the URL resolver
    for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Content-Type"):
        assert kept[header] == built[header], header
    # Marking everything read leaves a message for the next page: it is shown, not skipped by what was kept.
    client.get("/community/")
    client.get("/community/")
    answer = client.post("/community/read-all/", follow=True)
    assert b"Everything is marked as read" in answer.content


def test_a_password_changed_elsewhere_ends_the_session_even_for_a_kept_page(client):
    author, reader = member(), member()
    made = topic(author, category(), replies=1)
    client.force_login(reader)
    client.get(_url(made))
    client.get(_url(made))
    reader.set_password("a whole new password 2026")
    reader.save()
    page = client.get(_url(made))
    assert b"Sign out" not in page.content and b"Sign in" in page.content
