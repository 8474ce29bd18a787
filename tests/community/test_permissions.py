"""The community's rules, allowed and denied from one setup each."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from community import permissions
from community.models import CommunityProfile, Post, Topic
from community.services import posting
from tests.community.conftest import category, member, moderator, pending_member, private_group, topic
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fresh(user):
    """The rules keep answers on the user object for one request: a new object is a new request."""
    return type(user).objects.get(pk=user.pk)


def test_who_takes_part():
    joined, waiting, visitor = member(), pending_member(), UserFactory()
    assert permissions.membership_state(AnonymousUser()) == "anonymous"
    assert [permissions.membership_state(u) for u in (joined, waiting, visitor)] == ["member", "pending", "visitor"]
    assert permissions.is_member(joined) and not permissions.is_member(waiting) and not permissions.is_member(visitor)
    assert permissions.can_join(visitor) and not permissions.can_join(joined)


def test_a_suspension_ends_on_its_own_when_its_time_is_up():
    person = member()
    CommunityProfile.objects.filter(user=person).update(
        status="suspended", suspended_until=timezone.now() + datetime.timedelta(days=1)
    )
    assert not permissions.is_member(_fresh(person))
    CommunityProfile.objects.filter(user=person).update(suspended_until=timezone.now() - datetime.timedelta(seconds=1))
    assert permissions.is_member(_fresh(person))


def test_private_group_content_is_read_by_its_members_and_moderators_only():
    insider, outsider = member(), member()
    where = category("Inside", group=private_group(insider))
    made = topic(insider, where)
    assert permissions.category_get_for_user(slug=where.slug, user=insider) == where
    assert permissions.topic_get_for_user(pk=made.pk, user=moderator()) == made
    for person in (outsider, AnonymousUser(), moderator(second_factor=False)):
        with pytest.raises(Http404):
            permissions.topic_get_for_user(pk=made.pk, user=person)
        with pytest.raises(Http404):
            permissions.category_get_for_user(slug=where.slug, user=person)
    assert permissions.can_start_topic(insider, where) and not permissions.can_start_topic(outsider, where)


def test_authors_edit_and_delete_their_own_posts_only():
    author, other = member(), member()
    post = topic(author, category()).posts.get()
    assert permissions.can_edit_post(author, post) and permissions.can_delete_post(author, post)
    assert not permissions.can_edit_post(other, post) and not permissions.can_delete_post(other, post)
    assert permissions.can_react(other, post) and not permissions.can_react(author, post)
    Post.objects.filter(pk=post.pk).update(status=Post.Status.HIDDEN)
    post.refresh_from_db()
    assert not permissions.can_edit_post(author, post) and permissions.can_see_post_body(author, post)
    assert not permissions.can_see_post_body(other, post)


def test_held_and_hidden_topics_are_for_their_author_and_moderators():
    author, other = member(), member()
    made = topic(author, category())
    Topic.objects.filter(pk=made.pk).update(hidden=True)
    assert permissions.topic_get_for_user(pk=made.pk, user=author)
    assert permissions.topic_get_for_user(pk=made.pk, user=moderator())
    with pytest.raises(Http404):
        permissions.topic_get_for_user(pk=made.pk, user=other)


def test_only_the_asker_accepts_an_answer_and_locked_topics_take_replies_from_moderators():
    asker, other = member(), member()
    question = topic(asker, category(), kind=Topic.Kind.QUESTION)
    assert permissions.can_accept_answer(asker, question) and not permissions.can_accept_answer(other, question)
    Topic.objects.filter(pk=question.pk).update(locked=True)
    question = permissions.topic_get_for_user(pk=question.pk, user=other)
    assert not permissions.can_reply(other, question)
    staff_member = moderator()
    assert permissions.can_reply(staff_member, question)
    posting.post_reply(author=staff_member, topic=question, body="Closing note from the moderators.")
