"""Moderators' changes to whole topics: lock or unlock, pin or unpin, move to another category, merge two topics,
split posts off into a new topic. Each is recorded in the audit log in the same transaction, and keeps the stored
counters true (topic post and reply counts, last post, category topic and post counts) so no page counts rows.

Merging moves the source topic's posts to the end of the target, numbered on from the target's last number (in
their order), and leaves the source as a pointer (`merged_into`) that sends readers on. Splitting moves the chosen
replies, in order, to a new topic numbered from 1. Post numbers left behind may have gaps; pages are ranges of
numbers, so a page may show fewer posts, and nothing breaks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.db.models.functions import Greatest

from community.models import Category, ModerationAction, Post, Topic
from community.services.moderation import NotAllowedNow, action_record, tell_member

if TYPE_CHECKING:
    from portal.models import User

Action = ModerationAction.Action


def topic_set_locked(*, topic: Topic, moderator: User, locked: bool, reason: str = "") -> Topic:
    """Close a topic to new replies (moderators can still reply), or open it again."""
    with transaction.atomic():
        Topic.objects.filter(pk=topic.pk).update(locked=locked)
        topic.locked = locked
        action_record(
            moderator=moderator,
            action=Action.LOCK_TOPIC if locked else Action.UNLOCK_TOPIC,
            reason=reason,
            topic_id=topic.pk,
        )
    return topic


def topic_set_pinned(*, topic: Topic, moderator: User, pinned: bool, reason: str = "") -> Topic:
    """Keep a topic at the top of its category, or let it take its place by activity again."""
    with transaction.atomic():
        Topic.objects.filter(pk=topic.pk).update(pinned=pinned)
        topic.pinned = pinned
        action_record(
            moderator=moderator,
            action=Action.PIN_TOPIC if pinned else Action.UNPIN_TOPIC,
            reason=reason,
            topic_id=topic.pk,
        )
    return topic


def topic_hide(*, topic: Topic, moderator: User, reason: str) -> Topic:
    """Hide a whole topic: "not found" to everyone but its author and the moderators, gone from lists, and no longer
    counted by its category (its topic and its visible posts; the category's latest topic moves on). Its posts keep
    their own states, so restoring it brings back exactly what was showing. Its author is told, with the reason.
    Raises NotAllowedNow for a topic already hidden (by a moderator, or waiting with its opening post) or merged."""
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        if topic.hidden or topic.merged_into_id:
            raise NotAllowedNow("This topic is already hidden or merged into another.")
        Topic.objects.filter(pk=topic.pk).update(hidden=True)
        topic.hidden = True
        _category_add(topic.category_id, topics=-1 if _counted(topic) else 0, posts=-topic.post_count)
        _category_latest(topic.category_id)
        action_record(moderator=moderator, action=Action.HIDE_TOPIC, reason=reason, topic_id=topic.pk)
        tell_member(
            user_id=topic.author_id,
            headline="A moderator has hidden a topic you started",
            message=f'Your topic "{topic.title}" is hidden for now while the moderators keep the community safe. You '
            "can still read it, and nothing else about your membership has changed.",
            reason=reason,
            url=topic.get_absolute_url(),
        )
    return topic


def topic_restore(*, topic: Topic, moderator: User, reason: str = "") -> Topic:
    """Show a hidden topic again and count it in its category. A topic hidden because its opening post waits for a
    moderator is shown by approving that post instead. Raises NotAllowedNow for a topic that is not hidden, or whose
    opening post is waiting."""
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        if not topic.hidden:
            raise NotAllowedNow("This topic is already showing.")
        if Post.objects.filter(topic=topic, number=1, status=Post.Status.HELD).exists():
            raise NotAllowedNow("Its opening post is waiting for a moderator: approve the post to show the topic.")
        Topic.objects.filter(pk=topic.pk).update(hidden=False)
        topic.hidden = False
        _category_add(topic.category_id, topics=1 if _counted(topic) else 0, posts=topic.post_count)
        _category_arrived(category_id=topic.category_id, topic=topic)
        action_record(moderator=moderator, action=Action.RESTORE_TOPIC, reason=reason, topic_id=topic.pk)
        tell_member(
            user_id=topic.author_id,
            headline="Your topic is showing again",
            message=f'A moderator looked again at your topic "{topic.title}", and everyone can read it now.',
            reason=reason,
            url=topic.get_absolute_url(),
        )
    return topic


def _counted(topic: Topic) -> bool:
    """Whether the category counts the topic: its opening post is visible."""
    return Post.objects.filter(topic=topic, number=1, status=Post.Status.VISIBLE).exists()


def _category_latest(category_id: int) -> None:
    """A category's latest activity and topic after topics left it: its most recently active visible topic."""
    latest = (
        Topic.objects.filter(category_id=category_id, hidden=False, merged_into__isnull=True)
        .order_by("-last_activity_at", "-id")
        .values("pk", "last_activity_at")
        .first()
    )
    Category.objects.filter(pk=category_id).update(
        last_topic_id=latest["pk"] if latest else None, last_activity_at=latest["last_activity_at"] if latest else None
    )


def _category_arrived(*, category_id: int, topic: Topic) -> None:
    if topic.hidden:
        return
    Category.objects.filter(pk=category_id).exclude(last_activity_at__gt=topic.last_activity_at).update(
        last_activity_at=topic.last_activity_at, last_topic_id=topic.pk
    )


def _category_add(category_id: int, *, topics: int, posts: int) -> None:
    Category.objects.filter(pk=category_id).update(
        topic_count=Greatest(F("topic_count") + topics, 0), post_count=Greatest(F("post_count") + posts, 0)
    )


def topic_recount(topic_id: int) -> None:
    """Count a topic's visible posts again and find its last one: after posts left or joined it. One topic's posts,
    read through the (topic, number) index."""
    visible = Post.objects.filter(topic_id=topic_id, status=Post.Status.VISIBLE)
    stats = visible.aggregate(count=Count("pk"), replies=Count("pk", filter=Q(number__gt=1)), latest=Max("created_at"))
    last = visible.order_by("-number").first()
    highest = Post.objects.filter(topic_id=topic_id).aggregate(n=Max("number"))["n"] or 0
    changes = {
        "post_count": stats["count"],
        "reply_count": stats["replies"],
        "last_post": last,
        "last_post_number": Greatest(F("last_post_number"), highest),
    }
    if stats["latest"] is not None:
        changes["last_activity_at"] = Greatest(F("last_activity_at"), stats["latest"])
    Topic.objects.filter(pk=topic_id).update(**changes)


def topic_move(*, topic: Topic, category: Category, moderator: User, reason: str = "") -> Topic:
    """Move a topic (with its posts) to another category. Raises NotAllowedNow for the category it is in."""
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        old_category_id = topic.category_id
        if old_category_id == category.pk:
            raise NotAllowedNow("The topic is already in that category.")
        counted = 1 if _counted(topic) else 0
        Topic.objects.filter(pk=topic.pk).update(category=category)
        topic.category = category
        _category_add(old_category_id, topics=-counted, posts=-topic.post_count)
        _category_add(category.pk, topics=counted, posts=topic.post_count)
        _category_latest(old_category_id)
        _category_arrived(category_id=category.pk, topic=topic)
        action_record(
            moderator=moderator,
            action=Action.MOVE_TOPIC,
            reason=reason,
            topic_id=topic.pk,
            from_category=old_category_id,
            to_category=category.pk,
        )
    return topic


def topic_merge(*, source: Topic, target: Topic, moderator: User, reason: str = "") -> Topic:
    """Move every post of `source` to the end of `target`; `source` then points readers to `target` and leaves the
    lists. Raises NotAllowedNow for a topic merged with itself or one already merged."""
    if source.pk == target.pk:
        raise NotAllowedNow("Choose a different topic to merge with.")
    with transaction.atomic():
        first, second = sorted([source.pk, target.pk])
        locked = {t.pk: t for t in Topic.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk")}
        source, target = locked[source.pk], locked[target.pk]
        if source.merged_into_id or target.merged_into_id:
            raise NotAllowedNow("One of these topics has already been merged into another.")
        source_counted = 1 if _counted(source) else 0
        offset = target.last_post_number
        moved = Post.objects.filter(topic=source).update(topic=target, number=F("number") + offset)
        Topic.objects.filter(pk=target.pk).update(last_post_number=offset + source.last_post_number)
        Topic.objects.filter(pk=source.pk).update(
            merged_into=target, hidden=True, post_count=0, reply_count=0, last_post=None, accepted_post=None
        )
        topic_recount(target.pk)
        # The source's opening post is now a reply: the source no longer counts as a topic in its category.
        _category_add(source.category_id, topics=-source_counted, posts=-source.post_count)
        _category_add(target.category_id, topics=0, posts=source.post_count)
        if source.category_id != target.category_id:
            _category_latest(source.category_id)
        target.refresh_from_db()
        _category_arrived(category_id=target.category_id, topic=target)
        action_record(
            moderator=moderator,
            action=Action.MERGE_TOPICS,
            reason=reason,
            topic_id=target.pk,
            source_topic=source.pk,
            target_topic=target.pk,
            posts=moved,
        )
    return target


def topic_split(
    *, topic: Topic, post_ids: list[int], title: str, category: Category, moderator: User, reason: str = ""
) -> Topic:
    """Move the chosen replies of `topic` (never its opening post) to a new topic with `title` in `category`, in
    their order, numbered from 1; the first becomes the new topic's opening post and its author the topic's. Raises
    NotAllowedNow when no reply of this topic is chosen."""
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        posts = list(
            Post.objects.select_for_update()
            .filter(topic=topic, pk__in=post_ids, number__gt=1)
            .order_by("number")
            .only("pk", "number", "status", "author_id", "created_at")
        )
        if not posts:
            raise NotAllowedNow("Choose at least one reply to move.")
        visible = sum(1 for post in posts if post.status == Post.Status.VISIBLE)
        new = Topic.objects.create(
            category=category,
            title=title.strip(),
            author_id=posts[0].author_id,
            created_at=posts[0].created_at,
            last_activity_at=max(post.created_at for post in posts),
            hidden=posts[0].status != Post.Status.VISIBLE,
        )
        # The new topic is empty, so numbering its posts 1, 2, 3... one by one never meets a taken number. A split
        # moves the replies a moderator ticked on one page, so this is a handful of statements.
        for n, post in enumerate(posts, start=1):
            Post.objects.filter(pk=post.pk).update(topic=new, number=n)
        Post.objects.filter(topic=new, reply_to__isnull=False).exclude(reply_to__topic=new).update(reply_to=None)
        Topic.objects.filter(pk=new.pk).update(last_post_number=len(posts))
        Topic.objects.filter(pk=topic.pk, accepted_post_id__in=[post.pk for post in posts]).update(accepted_post=None)
        topic_recount(topic.pk)
        topic_recount(new.pk)
        new_counted = 1 if posts[0].status == Post.Status.VISIBLE else 0
        _category_add(topic.category_id, topics=0, posts=-visible)
        _category_add(category.pk, topics=new_counted, posts=visible)
        new.refresh_from_db()
        _category_arrived(category_id=category.pk, topic=new)
        action_record(
            moderator=moderator,
            action=Action.SPLIT_TOPIC,
            reason=reason,
            topic_id=topic.pk,
            new_topic=new.pk,
            posts=[post.pk for post in posts],
        )
    return new
