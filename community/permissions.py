"""Who may do what in the community, and the getters that fetch what a person may open. Views, templates and
services ask these, nothing else.

- Reading: anyone may read categories outside groups and those of open or by-request groups. A private group's
  categories, topics, posts and attachments are "not found" to everyone but its members and the moderators.
- Writing: members only: a community profile, the guidelines accepted, approved (when moderators require it) and
  not suspended. In a group's categories, only the group's members.
- Moderating: the Moderators staff group, with two-step verification (portal.permissions).

A person's community profile and group memberships are read once per request and kept on the user object, like
portal.permissions keeps their staff groups. Getters raise Http404 for missing and forbidden alike.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404
from django.utils import timezone

from community.models import Attachment, Category, CommunityProfile, Group, GroupMembership, Post, Topic
from community.selectors import members as member_selectors
from community.selectors import topics as topic_selectors
from portal.permissions import StaffGroup, group_members, has_staff_power

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from portal.models import User
    from portal.permissions import Person

MODERATORS = (StaffGroup.MODERATORS,)
MODERATOR_SECOND_FACTOR_MESSAGE = (
    "Before you moderate the community, set up two-step verification: moderators can see every member's posts."
)
_PROFILE_ATTR = "_community_profile"
_GROUPS_ATTR = "_community_group_ids"
_NO_PROFILE = object()


def moderators() -> QuerySet[User]:
    """Who is told about waiting work (new members to approve, flags): moderators with a staff account, superusers."""
    return group_members(*MODERATORS)


def can_moderate(user: Person) -> bool:
    """Moderate the community: Moderators (and superusers) with two-step verification."""
    return has_staff_power(user, *MODERATORS)


def profile_of(user: Person) -> CommunityProfile | None:
    """The person's community profile, or None (signed out, or not joined). One query per request at most."""
    if user is None or not user.is_authenticated:
        return None
    cached = getattr(user, _PROFILE_ATTR, _NO_PROFILE)
    if cached is _NO_PROFILE:
        cached = member_selectors.profile_for_user_id(user.pk)
        setattr(user, _PROFILE_ATTR, cached)
    return cached  # type: ignore[return-value]


def forget(user: Person) -> None:
    """Drop what this request knows about the person's membership (after a service changed it)."""
    for attr in (_PROFILE_ATTR, _GROUPS_ATTR):
        if user is not None and hasattr(user, attr):
            delattr(user, attr)


def group_ids(user: Person) -> frozenset[int]:
    """The groups the person is a member of (not those they asked to join). One query per request at most."""
    if user is None or not user.is_authenticated:
        return frozenset()
    cached: frozenset[int] | None = getattr(user, _GROUPS_ATTR, None)
    if cached is None:
        cached = member_selectors.group_ids_for_user_id(user.pk)
        setattr(user, _GROUPS_ATTR, cached)
    return cached


def is_suspended(profile: CommunityProfile | None) -> bool:
    return profile is not None and profile.is_suspended_now(timezone.now())


def is_member(user: Person) -> bool:
    """A member who may take part: joined, guidelines accepted, approved, and not suspended now. A suspension whose
    time is up counts as over at once, without waiting for anything to write it."""
    profile = profile_of(user)
    if profile is None or profile.guidelines_version_id is None:
        return False
    if profile.status == CommunityProfile.Status.PENDING:
        return False
    return not is_suspended(profile)


def membership_state(user: Person) -> str:
    """One word for the templates and the join pages: anonymous, visitor (signed in, not joined), joining (profile
    made, guidelines not yet accepted), pending, suspended or member."""
    if user is None or not user.is_authenticated:
        return "anonymous"
    profile = profile_of(user)
    if profile is None:
        return "visitor"
    if profile.guidelines_version_id is None:
        return "joining"
    if profile.status == CommunityProfile.Status.PENDING:
        return "pending"
    if is_suspended(profile):
        return "suspended"
    return "member"


# --- Reading ----------------------------------------------------------------------------------------------------


def can_read_group(user: Person, group: Group | None) -> bool:
    """What is in a group is read by everyone unless the group is private; then by its members and moderators."""
    if group is None or not group.is_private:
        return True
    return group.pk in group_ids(user) or can_moderate(user)


def can_read_category(user: Person, category: Category) -> bool:
    return can_read_group(user, category.group)


def can_read_topic(user: Person, topic: Topic) -> bool:
    """A hidden topic (by a moderator, or held with its first post) is seen by its author and the moderators."""
    if not can_read_category(user, topic.category):
        return False
    if topic.hidden:
        return _is_author(user, topic.author_id) or can_moderate(user)
    return True


def can_see_post_body(user: Person, post: Post) -> bool:
    """Visible posts are read by everyone who can read the topic. A held or hidden post is read by its author and
    the moderators; others see that something is there (the thread keeps its shape), not what it says."""
    if post.status == Post.Status.VISIBLE:
        return True
    if post.status in (Post.Status.HELD, Post.Status.HIDDEN):
        return _is_author(user, post.author_id) or can_moderate(user)
    return False


def readable_category_ids(user: Person) -> list[int] | None:
    """None when every category is readable by the person; otherwise the readable ids (private groups shut out)."""
    if can_moderate(user):
        return None
    return topic_selectors.readable_category_ids(group_ids(user))


# --- Writing ----------------------------------------------------------------------------------------------------


def can_join(user: Person) -> bool:
    """Signed in (which means a confirmed email address: the portal asks for one at sign-up) and not yet a member."""
    return bool(user is not None and user.is_authenticated) and membership_state(user) in ("visitor", "joining")


def can_write_in_group(user: Person, group: Group | None) -> bool:
    return group is None or group.pk in group_ids(user) or can_moderate(user)


def can_start_topic(user: Person, category: Category) -> bool:
    return is_member(user) and can_read_category(user, category) and can_write_in_group(user, category.group)


def can_reply(user: Person, topic: Topic) -> bool:
    """Members who can read the topic and write in its group; a locked topic takes replies from moderators only."""
    if not (is_member(user) and can_read_topic(user, topic) and can_write_in_group(user, topic.category.group)):
        return False
    return not topic.locked or can_moderate(user)


def can_edit_post(user: Person, post: Post) -> bool:
    """Authors edit their own posts while they may take part, unless a moderator hid the post or it is deleted."""
    return (
        _is_author(user, post.author_id)
        and is_member(user)
        and post.status in (Post.Status.VISIBLE, Post.Status.HELD)
        and not post.topic.locked
    )


def can_delete_post(user: Person, post: Post) -> bool:
    """Authors may always delete what they wrote (suspended members too): it is theirs."""
    return _is_author(user, post.author_id) and not post.is_deleted


def can_react(user: Person, post: Post) -> bool:
    return is_member(user) and post.is_visible and not _is_author(user, post.author_id)


def can_accept_answer(user: Person, topic: Topic) -> bool:
    """The person who asked a question marks the answer that helped."""
    return topic.is_question and _is_author(user, topic.author_id) and is_member(user)


def can_join_group(user: Person, group: Group) -> bool:
    return is_member(user) and group.kind in (Group.Kind.OPEN, Group.Kind.REQUEST)


def can_decide_group_requests(user: Person, group: Group) -> bool:
    """Group managers and moderators accept or decline requests to join."""
    if can_moderate(user):
        return True
    if user is None or not user.is_authenticated or not is_member(user):
        return False
    return member_selectors.is_group_manager(group_id=group.pk, user_id=user.pk)


def _is_author(user: Person, author_id: int | None) -> bool:
    return bool(user is not None and user.is_authenticated and author_id is not None and author_id == user.pk)


# --- Getters ----------------------------------------------------------------------------------------------------


def category_get_for_user(*, slug: str, user: Person) -> Category:
    category = topic_selectors.category_by_slug(slug)
    if category is None or not can_read_category(user, category):
        raise Http404("No such category")
    return category


def topic_get_for_user(*, pk: int, user: Person) -> Topic:
    topic = topic_selectors.topic_by_pk(pk)
    if topic is None or not can_read_topic(user, topic):
        raise Http404("No such topic")
    return topic


def post_get_for_user(*, pk: int, user: Person) -> Post:
    """A post whose topic the person can read. Held and hidden posts only for their author and the moderators."""
    post = topic_selectors.post_by_pk(pk)
    if post is None or not can_read_topic(user, post.topic):
        raise Http404("No such post")
    if post.status in (Post.Status.HELD, Post.Status.HIDDEN) and not can_see_post_body(user, post):
        raise Http404("No such post")
    return post


def attachment_get_for_user(*, pk: int, user: Person) -> Attachment:
    attachment = topic_selectors.attachment_by_pk(pk)
    if attachment is None or not can_read_topic(user, attachment.post.topic):
        raise Http404("No such file")
    if not can_see_post_body(user, attachment.post):
        raise Http404("No such file")
    return attachment


def group_get_for_user(*, slug: str, user: Person) -> Group:
    group = member_selectors.group_by_slug(slug)
    if group is None or not can_read_group(user, group):
        raise Http404("No such group")
    return group


def group_request_get_for_user(*, pk: int, user: Person) -> GroupMembership:
    request = member_selectors.group_request_by_pk(pk)
    if request is None or not can_decide_group_requests(user, request.group):
        raise Http404("No such request")
    return request


def member_get_for_user(*, pk: int, user: Person) -> CommunityProfile:
    """A member's page: for signed-in members and moderators, about active members (suspended ones too: their posts
    still carry their name). Pending members have no page yet."""
    if not (is_member(user) or can_moderate(user)):
        raise Http404("No such member")
    profile = member_selectors.profile_by_pk(pk)
    if profile is None or profile.status == CommunityProfile.Status.PENDING:
        raise Http404("No such member")
    return profile


def visible_profile_fields(viewer: Person, profile: CommunityProfile) -> dict[str, str]:
    """The optional profile fields the viewer may see, as label -> value: each as the member chose (members, or only
    moderators); the member sees all of their own."""
    own = _is_author(viewer, profile.user_id)
    moderator = can_moderate(viewer)
    fields = [
        ("Role", profile.role.name if profile.role else "", profile.role_visibility),
        ("Organisation", profile.organisation, profile.organisation_visibility),
        ("Sector", profile.sector.name if profile.sector else "", profile.sector_visibility),
        ("Council area", profile.council_area.name if profile.council_area else "", profile.council_area_visibility),
    ]
    return {
        label: value for label, value, visibility in fields if value and (own or moderator or visibility == "members")
    }


# --- Moderation -------------------------------------------------------------------------------------------------

AUDIT_LOG_READERS = (StaffGroup.MODERATORS, StaffGroup.IS_ADMINS)


def can_flag(user: Person, post: Post) -> bool:
    """Members taking part flag visible posts by others, in topics they can read."""
    return (
        is_member(user)
        and post.status == Post.Status.VISIBLE
        and not _is_author(user, post.author_id)
        and can_read_topic(user, post.topic)
    )


def can_read_audit_log(user: Person) -> bool:
    """The moderators' audit log: Moderators and IS admins, with two-step verification."""
    return has_staff_power(user, *AUDIT_LOG_READERS)


def moderated_post_get_for_user(*, pk: int, user: Person) -> Post:
    """Any post, for a moderator (held, hidden and deleted ones too); "not found" for everyone else."""
    post = topic_selectors.post_by_pk(pk) if can_moderate(user) else None
    if post is None:
        raise Http404("No such post")
    return post


def moderated_topic_get_for_user(*, pk: int, user: Person) -> Topic:
    topic = topic_selectors.topic_by_pk(pk) if can_moderate(user) else None
    if topic is None:
        raise Http404("No such topic")
    return topic


def moderated_member_get_for_user(*, pk: int, user: Person) -> CommunityProfile:
    """Any member's profile (waiting and suspended ones too), for a moderator; "not found" for everyone else."""
    profile = member_selectors.profile_by_pk(pk) if can_moderate(user) else None
    if profile is None:
        raise Http404("No such member")
    return profile


def can_watch(user: Person) -> bool:
    """Members choose what to watch, track or mute (in what they can read: the getters check that); people waiting
    for approval or suspended too, so they can quieten things."""
    return membership_state(user) in ("member", "pending", "suspended")
