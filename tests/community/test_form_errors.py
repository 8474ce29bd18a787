"""Every community and moderation form, posted with a mistake, shows ONE design-system error summary, a title that
starts "Error: " once, and no id twice on the page (a second summary would repeat `error-summary-title`)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse

from community.models import Topic
from community.services import membership
from tests.community.conftest import category, member, moderator, pending_member, suspended_member, topic
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _failed_forms() -> dict[str, tuple[Client, str, dict[str, str]]]:
    author, mod = member(name="Morven Reid"), moderator()
    where = category()
    made = topic(author, where, replies=2)
    reply = made.posts.get(number=2)
    as_author, as_reader, as_moderator, as_joining, as_half_joined = Client(), Client(), Client(), Client(), Client()
    as_author.force_login(author)
    as_reader.force_login(member())
    as_moderator.force_login(mod)
    as_joining.force_login(UserFactory())
    half = UserFactory()
    membership.profile_create(user=half, display_name="Half Joined")
    as_half_joined.force_login(half)
    waiting = pending_member().community_profile
    paused = suspended_member().community_profile
    opening = made.posts.get(number=1)
    return {
        "join": (as_joining, reverse("community:join"), {"display_name": " "}),
        "join-guidelines": (as_half_joined, reverse("community:join-guidelines"), {}),
        "profile-edit": (as_author, reverse("community:profile-edit"), {"display_name": ""}),
        "topic-create": (as_author, reverse("community:topic-create", args=[where.slug]), {"title": "", "body": ""}),
        "topic-reply": (as_author, reverse("community:topic-reply", args=[made.pk]), {"body": ""}),
        "post-edit": (as_author, reverse("community:post-edit", args=[opening.pk]), {"title": "", "body": ""}),
        "post-flag": (as_reader, reverse("community:post-flag", args=[reply.pk]), {"reason": "nonsense"}),
        "moderation-post": (as_moderator, reverse("community:moderation-post", args=[reply.pk]), {"action": "hide"}),
        "moderation-post-edit": (as_moderator, reverse("community:moderation-post-edit", args=[reply.pk]), {}),
        "moderation-settings": (as_moderator, reverse("community:moderation-settings"), {"held_first_posts": "-1"}),
        "moderation-topic-state": (
            as_moderator,
            reverse("community:moderation-topic", args=[made.pk]),
            {"form": "state", "action": "explode"},
        ),
        "moderation-topic-move": (
            as_moderator,
            reverse("community:moderation-topic", args=[made.pk]),
            {"form": "move", "category": "999999"},
        ),
        "moderation-topic-merge": (
            as_moderator,
            reverse("community:moderation-topic", args=[made.pk]),
            {"form": "merge", "target": "x"},
        ),
        "moderation-topic-hide": (
            as_moderator,
            reverse("community:moderation-topic", args=[made.pk]),
            {"form": "hide", "reason": ""},
        ),
        "moderation-split": (as_moderator, reverse("community:moderation-split", args=[made.pk]), {"title": ""}),
        "moderation-member-decide": (
            as_moderator,
            reverse("community:moderation-member", args=[waiting.pk]),
            {"form": "decide", "decision": "decline"},
        ),
        "moderation-member-suspend": (
            as_moderator,
            reverse("community:moderation-member", args=[author.community_profile.pk]),
            {"form": "suspend"},
        ),
        "moderation-member-lift": (
            as_moderator,
            reverse("community:moderation-member", args=[paused.pk]),
            {"form": "lift", "reason": "x" * 1001},
        ),
    }


SUMMARY = 'class="ds_error-summary"'


def _duplicate_ids(page: str) -> list[str]:
    return [name for name, count in Counter(re.findall(r'\sid="([^"]+)"', page)).items() if count > 1]


def test_every_failed_form_shows_one_error_summary_and_one_error_title():
    problems = []
    for name, (client, url, data) in _failed_forms().items():
        response = client.post(url, data)
        page = response.content.decode()
        if response.status_code != 400:
            problems.append(f"{name}: {url} answered {response.status_code}")
        summaries = page.count(SUMMARY)
        if summaries != 1:
            problems.append(f"{name}: {summaries} error summaries")
        if page.count("<title>Error: ") != 1 or "Error: Error:" in page:
            problems.append(f"{name}: the title does not start 'Error: ' once")
        if _duplicate_ids(page):
            problems.append(f"{name}: ids used twice: {_duplicate_ids(page)}")
    assert not problems, "\n".join(problems)


def test_the_rate_limited_form_shows_its_message_in_the_one_summary(client):
    author = member()
    where = category()
    client.force_login(author)
    url = reverse("community:topic-create", args=[where.slug])
    for n in range(10):
        client.post(url, {"title": f"Topic {n}", "kind": "discussion", "body": "Words."})

    response = client.post(url, {"title": "One more", "kind": "discussion", "body": "Keep these words."})

    page = response.content.decode()
    assert response.status_code == 429
    assert page.count(SUMMARY) == 1 and "Keep these words." in page
    assert page.count("<title>Error: ") == 1 and not _duplicate_ids(page)
    assert Topic.objects.filter(author=author).count() == 10


def test_a_member_is_limited_per_account_even_from_a_new_address(client):
    author = member()
    where = category()
    client.force_login(author)
    url = reverse("community:topic-create", args=[where.slug])
    for n in range(10):
        client.post(url, {"title": f"Topic {n}", "kind": "discussion", "body": "Words."}, REMOTE_ADDR=f"10.0.0.{n}")

    response = client.post(
        url, {"title": "From the train", "kind": "discussion", "body": "Keep these words."}, REMOTE_ADDR="10.0.1.1"
    )

    assert response.status_code == 429
    page = response.content.decode()
    assert "Keep these words." in page and "From the train" in page and page.count(SUMMARY) == 1
    assert Topic.objects.filter(author=author).count() == 10
    other = Client()
    other.force_login(member())
    assert (
        other.post(url, {"title": "Mine", "kind": "discussion", "body": "Mine."}, REMOTE_ADDR="10.0.2.1").status_code
        == 302
    )
