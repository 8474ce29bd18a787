"""Community members, groups, categories and topics made through the real services, so tests start from states a
person could reach."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from community.models import Category, CommunityProfile, CommunitySettings, Group, Topic
from community.services import groups, membership, posting
from portal.models import User
from portal.permissions import StaffGroup
from tests.factories import StaffFactory, UserFactory


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Attachments go to a throw-away folder, and each test starts with fresh rate-limit counters."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    yield
    cache.clear()


def join(user: User | None = None, *, name: str | None = None, **fields) -> User:
    """A person who has joined: profile made and the guidelines accepted (a member unless approval is required)."""
    user = user or UserFactory()
    profile = membership.profile_create(user=user, display_name=name or user.display_name or "Member", **fields)
    membership.guidelines_accept(profile=profile, version=membership.latest_guidelines())
    return user


def member(**fields) -> User:
    return join(**fields)


def pending_member() -> User:
    settings = CommunitySettings.objects.get(pk=1)
    settings.require_member_approval = True
    settings.save()
    try:
        return join()
    finally:
        settings.require_member_approval = False
        settings.save()


def suspended_member() -> User:
    user = join()
    CommunityProfile.objects.filter(user=user).update(
        status=CommunityProfile.Status.SUSPENDED, suspension_reason="A pause to talk things over."
    )
    return user


def moderator(*, second_factor: bool = True) -> User:
    return join(StaffFactory(groups=[StaffGroup.MODERATORS.value], second_factor=second_factor))


def category(name: str = "Sharing practice", *, group: Group | None = None, order: int = 0) -> Category:
    from django.utils.text import slugify

    return Category.objects.create(
        name=name, slug=slugify(name), description=f"About {name}.", group=group, order=order
    )


def private_group(*members: User, name: str = "Cohort 3") -> Group:
    from django.utils.text import slugify

    group = Group.objects.create(name=name, slug=slugify(name), kind=Group.Kind.PRIVATE, description="A cohort.")
    for person in members:
        groups.group_member_add(group=group, user=person)
    return group


def topic(
    author: User, where: Category, *, title: str = "Trauma-informed letters", replies: int = 0, **kwargs
) -> Topic:
    made = posting.topic_create(author=author, category=where, title=title, body="How do you write letters?", **kwargs)
    for n in range(replies):
        posting.post_reply(author=author, topic=made, body=f"Reply {n + 1}.")
    made.refresh_from_db()
    return made
