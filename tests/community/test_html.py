"""The community's pages that need data (a category, a topic with posts in every state, forms with errors, member
and group pages) are valid HTML as the Nu Html Checker reads them: pages.py holds only pages that need none."""

import pytest
from django.test import Client
from django.urls import reverse

from community.models import CommunityProfile, Group, Post, Topic
from community.services import blocks, groups, posting
from tests.browser.test_html_valid import KNOWN_EXCEPTIONS, check_html, java  # noqa: F401 - `java` is a fixture
from tests.community.conftest import category, join, member, moderator, private_group, topic
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _pages() -> dict[str, tuple[Client, str, int]]:
    author, reader = member(name="Morven Reid"), member(name="Callum Baird")
    where = category()
    question = topic(author, where, kind=Topic.Kind.QUESTION, content_note="Mentions loss", replies=2)
    answer = question.posts.get(number=2)
    posting.answer_accept(topic=question, post=answer)
    posting.post_reply(author=reader, topic=question, body="> quoted\n\nThanks @morven-reid", reply_to=answer)
    gone = posting.post_reply(author=reader, topic=question, body="Oops")
    posting.post_delete_own(post=gone)
    hidden = posting.post_reply(author=author, topic=question, body="Hidden")
    Post.objects.filter(pk=hidden.pk).update(status=Post.Status.HIDDEN, moderation_reason="Shares a name.")
    blocks.member_block_set(member=reader, blocked=author, kind="mute")
    group = private_group(reader, name="Cohort")
    open_group = Group.objects.create(name="Housing", slug="housing", kind=Group.Kind.REQUEST)
    groups.group_join(group=open_group, user=author, message="Please")
    category("Cohort space", group=group)
    pending = join(UserFactory())
    CommunityProfile.objects.filter(user=pending).update(status="pending")

    as_reader, as_author, as_moderator, as_pending, signed_out = Client(), Client(), Client(), Client(), Client()
    as_reader.force_login(reader)
    as_author.force_login(author)
    as_moderator.force_login(moderator())
    as_pending.force_login(pending)
    topic_url = question.get_absolute_url() + "?page=1"
    return {
        "front-member": (as_reader, reverse("community:landing"), 200),
        "category-member": (as_reader, where.get_absolute_url(), 200),
        "category-signed-out": (signed_out, where.get_absolute_url(), 200),
        "topic-member": (as_reader, topic_url, 200),
        "topic-author": (as_author, topic_url, 200),
        "topic-moderator": (as_moderator, topic_url, 200),
        "topic-signed-out": (signed_out, topic_url, 200),
        "topic-create": (as_reader, reverse("community:topic-create", args=[where.slug]), 200),
        "reply-quote": (as_reader, reverse("community:topic-reply", args=[question.pk]) + f"?quote={answer.pk}", 200),
        "post-edit": (as_author, reverse("community:post-edit", args=[question.posts.get(number=1).pk]), 200),
        "post-delete": (as_author, reverse("community:post-delete", args=[question.posts.get(number=1).pk]), 200),
        "member-list": (as_reader, reverse("community:member-list"), 200),
        "member-detail": (as_reader, author.community_profile.get_absolute_url(), 200),
        "member-own": (as_author, author.community_profile.get_absolute_url(), 200),
        "profile-edit": (as_author, reverse("community:profile-edit"), 200),
        "group-private": (as_reader, group.get_absolute_url(), 200),
        "group-requests": (as_moderator, open_group.get_absolute_url(), 200),
        "group-open-member": (as_reader, open_group.get_absolute_url(), 200),
        "pending": (as_pending, reverse("community:join-pending"), 200),
        "not-a-member": (as_pending, reverse("community:topic-create", args=[where.slug]), 403),
    }


def test_community_pages_with_data_are_valid_html(java, tmp_path):  # noqa: F811 - the fixture
    documents = {}
    for name, (client, url, status) in _pages().items():
        response = client.get(url)
        assert response.status_code == status, f"{name}: {url} answered {response.status_code}"
        documents[f"community-{name}"] = response.content.decode()
    # Forms with errors, as a person sees them after a mistake.
    poster = Client()
    poster.force_login(member())
    where = category("Errors")
    documents["community-topic-create-errors"] = poster.post(
        reverse("community:topic-create", args=[where.slug]), {"title": "", "body": ""}
    ).content.decode()
    joiner = Client()
    joiner.force_login(UserFactory())
    documents["community-join-errors"] = joiner.post(reverse("community:join"), {}).content.decode()

    findings = check_html(documents, tmp_path, java=java)

    problems = [finding for finding in findings if not any(known.matches(finding) for known in KNOWN_EXCEPTIONS)]
    assert not problems, f"The Nu Html Checker found {len(problems)} problems:\n" + "\n".join(map(str, problems))
