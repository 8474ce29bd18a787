"""Moderators hide and show again a whole topic: members get "not found" and it leaves the lists, its author and
the moderators still read it, the category's counters leave it out and take it back, and the audit log has both."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from community.models import Category, ModerationAction, Topic
from community.services import moderation, posting, restructure
from tests.community.conftest import category, member, moderator, topic

pytestmark = pytest.mark.django_db
Action = ModerationAction.Action


def _counts(where: Category) -> tuple[int, int, int | None]:
    where.refresh_from_db()
    return where.topic_count, where.post_count, where.last_topic_id


def test_hiding_and_showing_a_topic_keeps_the_counters_right():
    mod, author = moderator(), member()
    where = category()
    older = topic(author, where, title="Older", replies=1)
    newer = topic(author, where, title="Newer", replies=2)
    assert _counts(where) == (2, 5, newer.pk)

    restructure.topic_hide(topic=newer, moderator=mod, reason="Shares a family's details.")
    assert _counts(where) == (1, 2, older.pk)
    # What happens inside a hidden topic does not reach its category's counts.
    extra = posting.post_reply(author=mod, topic=Topic.objects.get(pk=newer.pk), body="A note for the author.")
    moderation.post_hide(post=newer.posts.get(number=2), moderator=mod, reason="Names someone.")
    assert _counts(where) == (1, 2, older.pk)

    restructure.topic_restore(topic=newer, moderator=mod, reason="Details taken out.")
    newer.refresh_from_db()
    assert _counts(where) == (2, 2 + newer.post_count, newer.pk)
    assert newer.post_count == 3 and extra.topic_id == newer.pk
    logged = list(ModerationAction.objects.filter(topic=newer).values_list("action", "reason"))
    assert (Action.HIDE_TOPIC, "Shares a family's details.") in logged
    assert (Action.RESTORE_TOPIC, "Details taken out.") in logged
    with pytest.raises(moderation.NotAllowedNow):
        restructure.topic_restore(topic=newer, moderator=mod)


def test_a_hidden_topic_is_not_found_by_members_and_leaves_the_lists(client):
    mod, author, reader = moderator(), member(), member()
    where = category()
    shown = topic(author, where, title="Still here")
    gone = topic(author, where, title="Taken down for now")
    as_moderator, as_author = Client(), Client()
    as_moderator.force_login(mod)
    as_author.force_login(author)
    client.force_login(reader)

    tools = reverse("community:moderation-topic", args=[gone.pk])
    assert as_moderator.post(tools, {"form": "hide", "reason": ""}).status_code == 400  # the author is told why
    assert as_moderator.post(tools, {"form": "hide", "reason": "Please take out the names."}).status_code == 302

    assert client.get(gone.get_absolute_url()).status_code == 404
    assert client.get(reverse("community:topic-reply", args=[gone.pk])).status_code == 404
    listing = client.get(where.get_absolute_url()).content.decode()
    assert "Still here" in listing and "Taken down for now" not in listing
    assert Client().get(gone.get_absolute_url()).status_code == 404
    assert as_author.get(gone.get_absolute_url()).status_code == 200
    page = as_moderator.get(tools).content.decode()
    assert "Show the topic to members again" in page
    assert ModerationAction.objects.filter(action=Action.HIDE_TOPIC, topic=gone).exists()
    log = as_moderator.get(reverse("community:moderation-log"), {"action": Action.HIDE_TOPIC}).content.decode()
    assert "Hid a topic" in log and "Please take out the names." in log

    assert as_moderator.post(tools, {"form": "state", "action": "show"}).status_code == 302
    assert client.get(gone.get_absolute_url()).status_code == 200
    assert "Taken down for now" in client.get(where.get_absolute_url()).content.decode()
    assert shown.pk != gone.pk


def test_the_topic_tools_link_is_on_the_topic_page_for_moderators():
    mod = moderator()
    made = topic(member(), category())
    as_moderator = Client()
    as_moderator.force_login(mod)
    page = as_moderator.get(made.get_absolute_url()).content.decode()
    assert reverse("community:moderation-topic", args=[made.pk]) in page and "hide" in page
    tools = as_moderator.get(reverse("community:moderation-topic", args=[made.pk])).content.decode()
    assert "Hide the whole topic" in tools
