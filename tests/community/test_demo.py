"""The demo community gives the moderators something to do (two open flags, one "needs support", and a post
waiting), and the README's moderator account can moderate once it has set up two-step verification, as the README
says; seeding again adds nothing."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse

from community import permissions
from community.demo import seed as seed_community
from community.models import Flag, Post
from community.selectors import moderation as selectors
from portal.demo import seed as seed_people
from portal.models import User
from portal.notifications.models import OutboundEmail
from tests.factories import with_second_factor

pytestmark = pytest.mark.django_db


def _seed() -> None:
    seed_people(stdout=io.StringIO(), show_passwords=True)
    seed_community(stdout=io.StringIO(), show_passwords=True)


def test_the_demo_gives_the_moderators_open_flags_and_a_waiting_post():
    _seed()

    open_flags = Flag.objects.filter(status=Flag.Status.OPEN)
    assert open_flags.count() == 2
    assert open_flags.filter(reason=Flag.Reason.NEEDS_SUPPORT).count() == 1
    assert all(flag.post.flag_count == 1 and flag.post.author_id != flag.member_id for flag in open_flags)
    held = Post.objects.get(status=Post.Status.HELD)
    assert held.number == held.topic.last_post_number and not held.topic.hidden
    assert selectors.queue_counts()["flagged"] == 2 and selectors.queue_counts()["held"] == 1
    assert not OutboundEmail.objects.exists()  # nobody was emailed about made-up people

    _seed()
    assert Flag.objects.count() == 2 and Post.objects.filter(status=Post.Status.HELD).count() == 1


def test_the_readme_moderator_moderates_after_setting_up_two_step_verification():
    _seed()
    moderator = User.objects.get(email="moderator@example.org")
    client = Client()
    assert client.login(email="moderator@example.org", password="demo-moderator-password")
    assert permissions.is_member(moderator)
    assert not permissions.can_moderate(moderator)  # like every staff demo account: no second factor yet
    assert client.get(reverse("community:moderation-queue")).status_code in (302, 403)

    with_second_factor(moderator)
    client.force_login(User.objects.get(pk=moderator.pk))
    queue = client.get(reverse("community:moderation-queue"))
    waiting = client.get(reverse("community:moderation-waiting"))

    assert queue.status_code == 200 and "May need support" in queue.content.decode()
    assert waiting.status_code == 200 and "Sam Newcomer" in waiting.content.decode()
