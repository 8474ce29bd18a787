"""What is new to a member: topics started since they joined (or last marked all as read) count even if never
opened, opened topics count when posts came since, and "mark all as read" (a POST) clears both."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import CommunityProfile, Topic
from community.services import posting, reading
from tests.community.conftest import category, member, topic

pytestmark = pytest.mark.django_db


def _front(client) -> str:
    return client.get(reverse("community:landing")).content.decode()


def test_new_topics_count_before_they_are_opened_and_mark_all_read_clears_them(client):
    reader, author = member(), member()
    where = category("Sharing practice")
    opened = topic(author, where, title="Opened one")
    reading.read_state_mark(member_id=reader.pk, topic_id=opened.pk, number=1)
    topic(author, where, title="Never opened")
    topic(reader, where, title="My own")  # a member's own new topic is not new to them
    client.force_login(reader)

    assert "1 with new posts" in _front(client)  # the one never opened
    posting.post_reply(author=author, topic=opened, body="A reply since.")
    page = _front(client)
    assert "2 with new posts" in page and "Mark all as read" in page
    listing = client.get(where.get_absolute_url()).content.decode()
    assert "1 new</a>" in listing and ">New</strong>" in listing

    done = client.post(reverse("community:mark-all-read"))

    assert done.status_code == 302 and done["Location"] == reverse("community:landing")
    assert CommunityProfile.objects.get(user=reader).read_all_at is not None
    page = _front(client)
    assert "with new posts" not in page and "Mark all as read" not in page
    listing = client.get(where.get_absolute_url()).content.decode()
    assert "new</a>" not in listing and ">New</strong>" not in listing
    # Afterwards, a new topic is new again.
    topic(author, where, title="After marking")
    assert "1 with new posts" in _front(client)


def test_topics_from_before_joining_or_long_quiet_are_not_new(client):
    author = member()
    where = category()
    old = topic(author, where, title="Before you came")
    Topic.objects.filter(pk=old.pk).update(last_activity_at=timezone.now() - datetime.timedelta(days=1))
    reader = member()
    client.force_login(reader)
    assert "with new posts" not in _front(client)
    quiet = topic(author, where, title="Long ago")
    CommunityProfile.objects.filter(user=reader).update(created_at=timezone.now() - datetime.timedelta(days=400))
    Topic.objects.filter(pk__in=[old.pk, quiet.pk]).update(
        last_activity_at=timezone.now() - reading_window() - datetime.timedelta(1)
    )
    assert "with new posts" not in _front(client)


def reading_window() -> datetime.timedelta:
    from community.selectors.reading import UNREAD_WINDOW

    return UNREAD_WINDOW


def test_mark_all_read_is_a_post_for_signed_in_people(client):
    assert client.post(reverse("community:mark-all-read"))["Location"].startswith(reverse("account_login"))
    client.force_login(member())
    assert client.get(reverse("community:mark-all-read")).status_code == 405


def test_the_count_looks_at_a_bounded_number_of_recent_topics(monkeypatch):
    from community.selectors import reading as reading_selectors

    reader, author = member(), member()
    where = category()
    for n in range(4):
        topic(author, where, title=f"Topic {n}")
    since = reading_selectors.unread_since(CommunityProfile.objects.get(user=reader))
    assert reading_selectors.unread_topics_by_category(user_id=reader.pk, since=since) == {where.pk: 4}

    monkeypatch.setattr(reading_selectors, "UNREAD_SCAN", 2)

    assert reading_selectors.unread_topics_by_category(user_id=reader.pk, since=since) == {where.pk: 2}
