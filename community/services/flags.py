"""Members flag posts for the moderators.

- One open flag per member and post. The table keeps one row per member and post (a unique constraint), so a member
  who flags a post again after a moderator closed their first flag reopens that row with the new reason.
- `Post.flag_count` is the number of open flags on the post, kept here and by the moderators' services.
- "Needs support" tells the moderators at once (in the portal and by email, whatever the hour) and offers the
  post's author places to find support. Other reasons reach moderators as one grouped line.
- Auto-hide: once `auto_hide_flags` established members (CommunitySettings: a member for `established_after_days`
  days with `established_min_posts` visible posts) have open flags on a visible post, the portal hides it and
  records that in the audit log; the flags stay open for a moderator to decide.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from community.models import CommunityProfile, CommunitySettings, Flag, Post
from community.notifications import MODERATION_FLAGS, MODERATION_NEEDS_SUPPORT, MODERATION_SUPPORT_OFFERED
from community.permissions import moderators
from community.selectors.members import community_settings
from community.services.moderation import post_hide
from portal.notifications.services import notify

if TYPE_CHECKING:
    from portal.models import User

AUTO_HIDE_REASON = "Several members flagged this post, so it is hidden until a moderator has looked at it."


class AlreadyFlagged(Exception):
    """The member has an open flag on this post already."""


def flag_create(*, post: Post, member: User, reason: str, note: str = "") -> Flag:
    """Flag a post for the moderators (the caller checked can_flag). Raises AlreadyFlagged if this member's flag
    on the post is still open, ValueError for an unknown reason. Side effects: the post's open-flag count, the
    moderators told (at once for "needs support"), support offered to the author for "needs support", and perhaps
    the post hidden automatically (see the module's docstring)."""
    if reason not in Flag.Reason.values:
        raise ValueError(f"Not a flag reason: {reason!r}")
    now = timezone.now()
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
        flag = Flag.objects.filter(post=post, member=member).first()
        if flag is not None and flag.status == Flag.Status.OPEN:
            raise AlreadyFlagged
        if flag is None:
            flag = Flag.objects.create(post=post, member=member, reason=reason, note=note.strip(), created_at=now)
        else:
            flag.reason, flag.note, flag.status, flag.created_at = reason, note.strip(), Flag.Status.OPEN, now
            flag.resolved_by, flag.resolved_at = None, None
            flag.save(update_fields=["reason", "note", "status", "created_at", "resolved_by", "resolved_at"])
        Post.objects.filter(pk=post.pk).update(flag_count=F("flag_count") + 1)
        _tell(post=post, flag=flag)
        _auto_hide_if_due(post=post, settings=community_settings(), now=now)
    return flag


def _tell(*, post: Post, flag: Flag) -> None:
    queue = reverse("community:moderation-queue")
    context = {"topic_title": post.topic.title, "reason": flag.get_reason_display()}
    if flag.reason == Flag.Reason.NEEDS_SUPPORT:
        notify(
            recipients=moderators(),
            kind=MODERATION_NEEDS_SUPPORT,
            title=f"A member may need support: {post.topic.title}",
            context=context,
            subject_object=post,
            url=reverse("community:moderation-post", args=[post.pk]),
        )
        if post.author_id is not None and post.author_id != flag.member_id:
            from portal.models import User

            notify(
                recipients=User.objects.filter(pk=post.author_id, is_active=True),
                kind=MODERATION_SUPPORT_OFFERED,
                title="Support is here if you want it",
                context={"topic_title": post.topic.title},
                url=reverse("portal:support"),
                group_key=f"support:{post.pk}",
            )
        return
    notify(
        recipients=moderators(),
        kind=MODERATION_FLAGS,
        title=f"Flagged ({flag.get_reason_display().lower()}): {post.topic.title}",
        context=context,
        url=queue,
        group_key="community-flags",
    )


def established_member_ids(*, user_ids: list[int], settings: CommunitySettings, now: datetime.datetime) -> set[int]:
    """Which of these people are established members: active, joined at least `established_after_days` days ago
    and with at least `established_min_posts` visible posts."""
    joined_before = now - datetime.timedelta(days=settings.established_after_days)
    return set(
        CommunityProfile.objects.filter(
            user_id__in=user_ids,
            status=CommunityProfile.Status.ACTIVE,
            created_at__lte=joined_before,
            post_count__gte=settings.established_min_posts,
        ).values_list("user_id", flat=True)
    )


def _auto_hide_if_due(*, post: Post, settings: CommunitySettings, now: datetime.datetime) -> None:
    if not settings.auto_hide_flags or post.status != Post.Status.VISIBLE:
        return
    flaggers = [
        pk
        for pk in Flag.objects.filter(post=post, status=Flag.Status.OPEN).values_list("member_id", flat=True)
        if pk is not None
    ]
    if len(flaggers) < settings.auto_hide_flags:
        return
    if len(established_member_ids(user_ids=flaggers, settings=settings, now=now)) >= settings.auto_hide_flags:
        post_hide(post=post, moderator=None, reason=AUTO_HIDE_REASON, automatic=True)
