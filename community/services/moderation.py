"""What moderators do to posts and members, each recorded in the audit log (ModerationAction) in the same
transaction: hiding and restoring posts, editing with a reason, letting held posts through or not, dismissing
flags, approving waiting members, suspending members and lifting a suspension.

Callers check can_moderate first (community.permissions); these functions enforce the state rules. The member
concerned is told through the notification API (community.notifications.MODERATION_DECISION), in kind words with
the moderator's reason. Topic-wide actions (lock, pin, move, merge, split) are in community.services.restructure,
flags in community.services.flags.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from community.caching import forum_changed
from community.models import (
    Category,
    CommunityProfile,
    CommunitySettings,
    Flag,
    Mention,
    ModerationAction,
    Post,
    Topic,
)
from community.notifications import MODERATION_DECISION
from community.services import membership, posting
from community.services.notifying import post_published
from portal.notifications.services import notify

if TYPE_CHECKING:
    from portal.models import User

Action = ModerationAction.Action


class NotAllowedNow(Exception):
    """The action does not fit the thing's state (restoring a visible post, suspending a waiting member...)."""


def action_record(
    *,
    moderator: User | None,
    action: str,
    reason: str = "",
    member_id: int | None = None,
    topic_id: int | None = None,
    post_id: int | None = None,
    **ids: Any,
) -> ModerationAction:
    """One audit-log row. Ids are kept in target_ids as well as in the links, so the row still says what was acted
    on after the post, topic or account is gone. `moderator` None: the portal acted by itself (auto-hide).

    Every moderator action passes through here, so this is also where the pages cached for people signed out are
    made stale: several actions write with UPDATE, which sends no signal to community/receivers.py."""
    forum_changed()
    targets = {key: value for key, value in {"member": member_id, "topic": topic_id, "post": post_id}.items() if value}
    targets.update(ids)
    return ModerationAction.objects.create(
        moderator=moderator,
        action=action,
        member_id=member_id,
        topic_id=topic_id,
        post_id=post_id,
        target_ids=targets,
        reason=reason.strip(),
    )


def tell_member(*, user_id: int | None, headline: str, message: str, reason: str = "", url: str = "") -> None:
    """Tell a member what a moderator decided, kindly, in the portal and by email (inside the caller's
    transaction, so a rolled-back decision tells nobody)."""
    if user_id is None:
        return
    from portal.models import User

    notify(
        recipients=User.objects.filter(pk=user_id, is_active=True),
        kind=MODERATION_DECISION,
        title=headline,
        context={"headline": headline, "message": message, "reason": reason},
        url=url or reverse("community:landing"),
    )


def _flags_close(*, post: Post, moderator: User | None, status: str) -> int:
    """Close the post's open flags (acted on, or dismissed); its open-flag count goes back to 0."""
    closed = Flag.objects.filter(post=post, status=Flag.Status.OPEN).update(
        status=status, resolved_by=moderator, resolved_at=timezone.now()
    )
    Post.objects.filter(pk=post.pk).update(flag_count=0)
    return closed


def _locked_post(post: Post) -> Post:
    return Post.objects.select_for_update().select_related("topic").get(pk=post.pk)


def _post_action(
    *,
    post: Post,
    moderator: User | None,
    action: str,
    reason: str = "",
    tell: tuple[str, str] | None = None,
    reason_told: str | None = None,
    **ids: Any,
) -> None:
    """A moderator's action on a post, in the audit log; with `tell` (headline, message), its author is told too,
    with the reason (or `reason_told`, when they are told something else)."""
    action_record(
        moderator=moderator,
        action=action,
        reason=reason,
        member_id=post.author_id,
        topic_id=post.topic_id,
        post_id=post.pk,
        **ids,
    )
    if tell is not None:
        headline, message = tell
        told = reason if reason_told is None else reason_told
        tell_member(
            user_id=post.author_id, headline=headline, message=message, reason=told, url=post.get_absolute_url()
        )


# --- Posts ------------------------------------------------------------------------------------------------------


def post_hide(*, post: Post, moderator: User | None, reason: str, automatic: bool = False) -> Post:
    """Hide a visible or held post: its place in the thread stays ("hidden by a moderator"), its author still sees
    it with the reason, the counters stop counting it and its open flags are closed as acted on. `automatic`: hidden
    by the portal after enough flags (moderator None), which leaves the flags open for a moderator to look at.
    A held post hidden this way is turned down (post_reject), and the audit log says so (REJECT_POST).
    Raises NotAllowedNow for a post already hidden or deleted."""
    with transaction.atomic():
        post = _locked_post(post)
        if post.status not in (Post.Status.VISIBLE, Post.Status.HELD):
            raise NotAllowedNow("Only a visible or waiting post can be hidden.")
        was_visible, was_held = post.is_visible, post.status == Post.Status.HELD
        post.status = Post.Status.HIDDEN
        post.moderation_reason = reason.strip()
        post.save(update_fields=["status", "moderation_reason"])
        if was_visible:
            posting.counters_post_gone(post=post)
        if not automatic:
            _flags_close(post=post, moderator=moderator, status=Flag.Status.ACTIONED)
        action = Action.AUTO_HIDE if automatic else Action.REJECT_POST if was_held else Action.HIDE_POST
        if was_held:
            told = (
                "About your post that was waiting for a moderator",
                f'A moderator has not let your post in "{post.topic.title}" through this time. You can still see it, '
                "and copy your words if you would like to post them another way.",
            )
            _post_action(post=post, moderator=moderator, action=action, reason=reason, tell=told)
            return post
        told = (
            "A moderator has hidden one of your posts",
            f'Your post in "{post.topic.title}" is hidden for now while '
            + ("the moderators look at it. " if automatic else "the moderators keep the community safe. ")
            + "You can still see it, and nothing else about your membership has changed.",
        )
        told_why = "" if automatic else None  # hidden by the portal: no moderator's reason to pass on
        _post_action(post=post, moderator=moderator, action=action, reason=reason, tell=told, reason_told=told_why)
    return post


def post_restore(*, post: Post, moderator: User, reason: str = "") -> Post:
    """Show a hidden post again and count it; its open flags are dismissed. Raises NotAllowedNow unless hidden."""
    with transaction.atomic():
        post = _locked_post(post)
        if post.status != Post.Status.HIDDEN:
            raise NotAllowedNow("Only a hidden post can be restored.")
        post.status = Post.Status.VISIBLE
        post.moderation_reason = ""
        post.save(update_fields=["status", "moderation_reason"])
        posting.counters_post_visible(post=post)
        _flags_close(post=post, moderator=moderator, status=Flag.Status.DISMISSED)
        told = (
            "Your post is showing again",
            f'A moderator looked again at your post in "{post.topic.title}", and everyone can read it now.',
        )
        _post_action(post=post, moderator=moderator, action=Action.RESTORE_POST, reason=reason, tell=told)
    return post


def post_moderator_edit(
    *, post: Post, moderator: User, body: str, content_note: str, reason: str, title: str | None = None
) -> Post:
    """A moderator changes a post's text (for example to take out someone's personal details). The text before is
    kept as a PostRevision with the reason, the post shows "edited", and the author is told why."""
    with transaction.atomic():
        post = posting.post_edit(
            post=post, editor=moderator, body=body, content_note=content_note, title=title, reason=reason.strip()
        )
        told = (
            "A moderator edited one of your posts",
            f'A moderator changed some of the words in your post in "{post.topic.title}".',
        )
        _post_action(post=post, moderator=moderator, action=Action.EDIT_POST, reason=reason, tell=told)
    return post


def flags_dismiss(*, post: Post, moderator: User, reason: str = "") -> int:
    """The moderator looked and the post stays as it is: its open flags are dismissed. Returns how many."""
    with transaction.atomic():
        closed = _flags_close(post=post, moderator=moderator, status=Flag.Status.DISMISSED)
        _post_action(post=post, moderator=moderator, action=Action.DISMISS_FLAGS, reason=reason, flags=closed)
    return closed


def post_approve(*, post: Post, moderator: User) -> Post:
    """Let a held post through: it becomes visible and counted, its topic shows if it was held with its opening
    post, and the author's approved-post count goes up (so, after enough, their posts no longer wait). Raises
    NotAllowedNow unless the post is held."""
    with transaction.atomic():
        post = _locked_post(post)
        if post.status != Post.Status.HELD:
            raise NotAllowedNow("Only a waiting post can be approved.")
        post.status = Post.Status.VISIBLE
        post.save(update_fields=["status"])
        if post.number == 1 and post.topic.hidden:
            # The topic now counts in its category, with any replies already showing in it.
            Topic.objects.filter(pk=post.topic_id).update(hidden=False)
            replies_showing = post.topic.post_count
            Category.objects.filter(pk=post.topic.category_id).update(post_count=F("post_count") + replies_showing)
        posting.counters_post_visible(post=post)
        # Held posts tell nobody until now: mentions, the quoted author and the topic's watchers hear of it here.
        post_published(post=post, mentioned_ids=Mention.objects.filter(post=post).values_list("member_id", flat=True))
        if post.author_id is not None:
            CommunityProfile.objects.filter(user_id=post.author_id).update(
                approved_post_count=F("approved_post_count") + 1
            )
        told = (
            "Your post is now in the community",
            f'A moderator approved your post in "{post.topic.title}". Everyone can read it now.',
        )
        _post_action(post=post, moderator=moderator, action=Action.APPROVE_POST, tell=told)
    return post


def post_reject(*, post: Post, moderator: User, reason: str) -> Post:
    """A held post that will not go in: it is hidden (its author can still read and copy what they wrote, with the
    reason), and its topic stays hidden if it was the opening post. Raises NotAllowedNow unless held."""
    if post.status != Post.Status.HELD:
        raise NotAllowedNow("Only a waiting post can be turned down.")
    return post_hide(post=post, moderator=moderator, reason=reason)


# --- Members ----------------------------------------------------------------------------------------------------


def member_approve(*, profile: CommunityProfile, moderator: User) -> CommunityProfile:
    """A waiting member (guidelines accepted) becomes a member and is told. Raises NotAllowedNow otherwise."""
    with transaction.atomic():
        profile = CommunityProfile.objects.select_for_update().get(pk=profile.pk)
        if profile.status != CommunityProfile.Status.PENDING or profile.guidelines_version_id is None:
            raise NotAllowedNow("Only a member waiting for approval can be approved.")
        membership.member_approve(profile=profile)
        action_record(moderator=moderator, action=Action.APPROVE_MEMBER, member_id=profile.user_id)
        tell_member(
            user_id=profile.user_id,
            headline="Welcome to the community",
            message="A moderator approved your membership. You can now start topics and reply.",
        )
    return profile


def member_decline(*, profile: CommunityProfile, moderator: User, reason: str) -> None:
    """A waiting member is not approved: their community profile is removed (their account stays), so they could
    join again later, and they are told why. Raises NotAllowedNow unless the member is waiting."""
    with transaction.atomic():
        profile = CommunityProfile.objects.select_for_update().get(pk=profile.pk)
        if profile.status != CommunityProfile.Status.PENDING:
            raise NotAllowedNow("Only a member waiting for approval can be declined.")
        user_id = profile.user_id
        action_record(moderator=moderator, action=Action.DECLINE_MEMBER, reason=reason, member_id=user_id)
        profile.delete()
        tell_member(
            user_id=user_id,
            headline="About your request to join the community",
            message="A moderator has not approved your membership this time. You can still read the open "
            "discussions and use the rest of the portal.",
            reason=reason,
        )


def member_suspend(
    *, profile: CommunityProfile, moderator: User, until: datetime.datetime, reason: str
) -> CommunityProfile:
    """Pause a member's taking part until `until` (in the future): they can still read, and they see the end date
    and the reason; they are told now. Raises NotAllowedNow for a member who has not joined or a time in the past."""
    if until <= timezone.now():
        raise NotAllowedNow("A suspension must end in the future.")
    with transaction.atomic():
        profile = CommunityProfile.objects.select_for_update().get(pk=profile.pk)
        if profile.guidelines_version_id is None or profile.status == CommunityProfile.Status.PENDING:
            raise NotAllowedNow("Only a member can be suspended.")
        profile.status = CommunityProfile.Status.SUSPENDED
        profile.suspended_until = until
        profile.suspension_reason = reason.strip()
        profile.save(update_fields=["status", "suspended_until", "suspension_reason"])
        action_record(
            moderator=moderator,
            action=Action.SUSPEND_MEMBER,
            reason=reason,
            member_id=profile.user_id,
            until=until.isoformat(),
        )
        tell_member(
            user_id=profile.user_id,
            headline="Your community membership is paused",
            message=f"A moderator has paused your membership until {timezone.localtime(until):%d %B %Y, %H:%M}. "
            "You can still read the community, and you can post again after that.",
            reason=reason,
        )
    return profile


def member_unsuspend(*, profile: CommunityProfile, moderator: User, reason: str = "") -> CommunityProfile:
    """Lift a suspension now: the member takes part again and is told. Raises NotAllowedNow unless suspended."""
    with transaction.atomic():
        profile = CommunityProfile.objects.select_for_update().get(pk=profile.pk)
        if profile.status != CommunityProfile.Status.SUSPENDED:
            raise NotAllowedNow("Only a suspended member can have the suspension lifted.")
        profile.status = CommunityProfile.Status.ACTIVE
        profile.suspended_until = None
        profile.suspension_reason = ""
        profile.save(update_fields=["status", "suspended_until", "suspension_reason"])
        action_record(moderator=moderator, action=Action.UNSUSPEND_MEMBER, reason=reason, member_id=profile.user_id)
        tell_member(
            user_id=profile.user_id,
            headline="You can take part in the community again",
            message="A moderator has lifted the pause on your membership. You can start topics and reply again.",
            reason=reason,
        )
    return profile


# --- The moderators' switches -----------------------------------------------------------------------------------

SETTINGS_FIELDS = (
    "require_member_approval",
    "held_first_posts",
    "auto_hide_flags",
    "established_after_days",
    "established_min_posts",
)


def settings_change(*, moderator: User, reason: str = "", **values: Any) -> CommunitySettings:
    """Change the community's moderation switches (CommunitySettings, one row). Only what changed is written and
    recorded in the audit log, old and new values side by side; nothing changed records nothing. Raises TypeError
    for a name that is not one of SETTINGS_FIELDS."""
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"Not community settings: {sorted(unknown)}")
    with transaction.atomic():
        row, _ = CommunitySettings.objects.select_for_update().get_or_create(pk=1)
        changes = {name: [getattr(row, name), value] for name, value in values.items() if getattr(row, name) != value}
        if not changes:
            return row
        for name, (_, value) in changes.items():
            setattr(row, name, value)
        row.save(update_fields=[*changes, "updated_at"])
        action_record(moderator=moderator, action=Action.CHANGE_SETTINGS, reason=reason, changes=changes)
    return row
