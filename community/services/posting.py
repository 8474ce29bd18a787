"""Topics and posts: starting a topic, replying, quoting, editing, deleting one's own post, accepting an answer.

Every post gets the next number in its topic under a row lock on the topic, so numbers never repeat or skip. Its
Markdown is rendered and sanitised once, here, and stored (body_html). The counters on the topic, the category and
the author's profile change in the same transaction as the post, and count visible posts only: a held post is
counted when a moderator lets it through (counters_post_visible), a deleted or hidden one stops counting
(counters_post_gone).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import File
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.text import get_valid_filename

from community.models import (
    Attachment,
    Category,
    CommunityProfile,
    Mention,
    Post,
    PostRevision,
    Topic,
    WatchLevel,
)
from community.search import topic_vectors_update
from community.selectors.members import community_settings
from community.services.mentions import link_mentions
from community.services.notifying import mentions_notify, post_published
from community.services.waiting import moderators_tell_waiting
from community.services.watching import watch_default
from portal.markdown import render_member_markdown
from portal.permissions import StaffGroup, has_staff_power

if TYPE_CHECKING:
    from portal.models import User


@dataclass(frozen=True)
class Upload:
    """A file already checked by its content (community.forms), ready to store with a post."""

    content: File[bytes]
    name: str
    kind: str  # an Attachment.Kind
    size: int


class TopicLocked(Exception):
    """The topic takes no more replies (a moderator locked it)."""


def render(text: str, *, author: User | None) -> tuple[str, list[CommunityProfile]]:
    """The stored HTML of a post and the members it mentions."""
    linked, mentioned = link_mentions(text, author=author)
    return str(render_member_markdown(linked)), mentioned


def should_hold(author: User) -> bool:
    """A new member's first posts wait for a moderator when the moderators asked for that (held_first_posts) and
    the member has fewer visible posts than that. Moderators' posts never wait."""
    held_first = community_settings().held_first_posts
    if not held_first or has_staff_power(author, StaffGroup.MODERATORS):
        return False
    count = CommunityProfile.objects.filter(user=author).values_list("post_count", flat=True).first() or 0
    return count < held_first


def topic_create(
    *,
    author: User,
    category: Category,
    title: str,
    body: str,
    kind: str = Topic.Kind.DISCUSSION,
    content_note: str = "",
    attachment: Upload | None = None,
) -> Topic:
    """A new topic and its opening post (number 1). If the post is held for a moderator, the topic is hidden with
    it until the post is approved."""
    now = timezone.now()
    held = should_hold(author)
    with transaction.atomic():
        topic = Topic.objects.create(
            category=category,
            title=title.strip(),
            author=author,
            kind=kind,
            hidden=held,
            created_at=now,
            last_activity_at=now,
        )
        _post_add(
            topic=topic,
            author=author,
            body=body,
            content_note=content_note,
            held=held,
            now=now,
            attachment=attachment,
        )
    return topic


def post_reply(
    *,
    author: User,
    topic: Topic,
    body: str,
    content_note: str = "",
    reply_to: Post | None = None,
    attachment: Upload | None = None,
) -> Post:
    """A reply at the end of the topic, perhaps quoting `reply_to` (a post of the same topic). Raises TopicLocked
    if the topic is locked, unless the author is a moderator."""
    if reply_to is not None and reply_to.topic_id != topic.pk:
        raise ValueError("A reply can only quote a post in its own topic.")
    now = timezone.now()
    held = should_hold(author)
    with transaction.atomic():
        return _post_add(
            topic=topic,
            author=author,
            body=body,
            content_note=content_note,
            held=held,
            now=now,
            reply_to=reply_to,
            attachment=attachment,
        )


def _post_add(
    *,
    topic: Topic,
    author: User,
    body: str,
    content_note: str,
    held: bool,
    now: datetime.datetime,
    reply_to: Post | None = None,
    attachment: Upload | None = None,
) -> Post:
    locked = Topic.objects.select_for_update().get(pk=topic.pk)
    if locked.locked and locked.last_post_number and not has_staff_power(author, StaffGroup.MODERATORS):
        raise TopicLocked
    html, mentioned = render(body, author=author)
    post = Post.objects.create(
        topic=locked,
        number=locked.last_post_number + 1,
        author=author,
        reply_to=reply_to,
        body_markdown=body,
        body_html=html,
        content_note=content_note.strip(),
        status=Post.Status.HELD if held else Post.Status.VISIBLE,
        created_at=now,
    )
    Topic.objects.filter(pk=locked.pk).update(last_post_number=post.number)
    Mention.objects.bulk_create(
        [Mention(post=post, member_id=profile.user_id, created_at=now) for profile in mentioned],
        ignore_conflicts=True,
    )
    if attachment is not None:
        attachment_add(post=post, upload=attachment)
    watch_default(
        member_id=author.pk, topic_id=locked.pk, level=WatchLevel.WATCHING if post.number == 1 else WatchLevel.TRACKING
    )
    if not held:
        counters_post_visible(post=post)
        post_published(post=post, mentioned_ids=[profile.user_id for profile in mentioned])
    else:
        moderators_tell_waiting(what=f"A new member's post in “{locked.title}” is waiting")
    topic.last_post_number = post.number
    return post


def attachment_add(*, post: Post, upload: Upload) -> Attachment:
    """Store a checked file with its post. Readers see the name it was uploaded with; on disk it has a name made
    safe from that one, or a plain one when nothing of it is usable (a file named `'>` would otherwise be refused
    as suspicious, losing the whole post)."""
    attachment = Attachment(post=post, name=upload.name[:200], kind=upload.kind, size=upload.size)
    attachment.file.save(storage_name(upload), upload.content, save=False)
    attachment.save()
    return attachment


def storage_name(upload: Upload) -> str:
    try:
        return get_valid_filename(upload.name)[-60:].lstrip(".") or _plain_name(upload)
    except SuspiciousFileOperation:
        return _plain_name(upload)


def _plain_name(upload: Upload) -> str:
    return "attachment.pdf" if upload.kind == Attachment.Kind.PDF else "attachment"


def counters_post_visible(*, post: Post) -> None:
    """Count a post that has just become visible (written, or let through by a moderator): the topic's and the
    category's counts and latest activity, and the author's post count."""
    is_reply = 1 if post.number > 1 else 0
    Topic.objects.filter(pk=post.topic_id).update(
        post_count=F("post_count") + 1,
        reply_count=F("reply_count") + is_reply,
        last_activity_at=Greatest(F("last_activity_at"), post.created_at),
    )
    Topic.objects.filter(pk=post.topic_id).exclude(last_post__number__gt=post.number).update(last_post=post)
    topic = Topic.objects.only("category_id", "hidden").get(pk=post.topic_id)
    if not topic.hidden:  # a hidden topic is not counted by its category (restructure.topic_hide / topic_restore)
        category_changes = {"post_count": F("post_count") + 1}
        if post.number == 1:
            category_changes["topic_count"] = F("topic_count") + 1
        Category.objects.filter(pk=topic.category_id).update(**category_changes)
        Category.objects.filter(pk=topic.category_id).exclude(last_activity_at__gt=post.created_at).update(
            last_activity_at=post.created_at, last_topic_id=post.topic_id
        )
    if post.author_id is not None:
        CommunityProfile.objects.filter(user_id=post.author_id).update(post_count=F("post_count") + 1)


def counters_post_gone(*, post: Post) -> None:
    """Stop counting a post that was visible (deleted, or hidden by a moderator). The topic's last post becomes the
    latest post still visible; its last activity stays, so the topic does not jump down the list."""
    is_reply = 1 if post.number > 1 else 0
    Topic.objects.filter(pk=post.topic_id).update(
        post_count=Greatest(F("post_count") - 1, 0), reply_count=Greatest(F("reply_count") - is_reply, 0)
    )
    topic = Topic.objects.only("category_id", "last_post_id", "hidden").get(pk=post.topic_id)
    if topic.last_post_id == post.pk:
        latest = Post.objects.filter(topic_id=post.topic_id, status=Post.Status.VISIBLE).order_by("-number").first()
        Topic.objects.filter(pk=post.topic_id).update(last_post=latest)
    if not topic.hidden:
        changes = {"post_count": Greatest(F("post_count") - 1, 0)}
        if post.number == 1:
            changes["topic_count"] = Greatest(F("topic_count") - 1, 0)
        Category.objects.filter(pk=topic.category_id).update(**changes)
    if post.author_id is not None:
        CommunityProfile.objects.filter(user_id=post.author_id).update(post_count=Greatest(F("post_count") - 1, 0))


def post_edit(
    *, post: Post, editor: User, body: str, content_note: str, title: str | None = None, reason: str = ""
) -> Post:
    """Change a post's text (and, for an opening post, its topic's title). The text before is kept as a
    PostRevision for the moderators; readers see that the post was edited. New @mentions are recorded; people
    mentioned before are not told again."""
    now = timezone.now()
    with transaction.atomic():
        post = Post.objects.select_for_update().select_related("topic").get(pk=post.pk)
        old_title = post.topic.title
        new_title = title.strip() if title is not None and post.number == 1 else old_title
        if body == post.body_markdown and content_note.strip() == post.content_note and new_title == old_title:
            return post
        PostRevision.objects.create(
            post=post,
            editor=editor,
            body_markdown=post.body_markdown,
            content_note=post.content_note,
            title=old_title if new_title != old_title else "",
            reason=reason,
            created_at=now,
        )
        html, mentioned = render(body, author=post.author)
        post.body_markdown = body
        post.body_html = html
        post.content_note = content_note.strip()
        post.edited_at = now
        post.save(update_fields=["body_markdown", "body_html", "content_note", "edited_at"])
        told_before = set(post.mentions.values_list("member_id", flat=True))
        Mention.objects.bulk_create(
            [Mention(post=post, member_id=profile.user_id, created_at=now) for profile in mentioned],
            ignore_conflicts=True,
        )
        mentions_notify(post=post, member_ids={p.user_id for p in mentioned} - told_before)
        if new_title != old_title:
            Topic.objects.filter(pk=post.topic_id).update(title=new_title)
            post.topic.title = new_title
            topic_vectors_update([post.topic_id])  # an UPDATE sends no signal: the receivers cannot see it
    return post


def post_delete_own(*, post: Post) -> Post:
    """The author deletes their post: its text, note, attachments and edit history go, and its place in the thread
    stays with "deleted by its author". If it was the accepted answer, the topic has none again."""
    from community.services.membership import post_remove_text

    with transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        if post.is_deleted:
            return post
        post_remove_text(post=post, status=Post.Status.DELETED_BY_AUTHOR)
        Topic.objects.filter(pk=post.topic_id, accepted_post=post).update(accepted_post=None)
    return post


def answer_accept(*, topic: Topic, post: Post | None) -> Topic:
    """The question's author marks the reply that answered it (or, with None, takes the mark away). Only a visible
    reply in the same question topic can be the answer."""
    if post is not None and (post.topic_id != topic.pk or post.number == 1 or not post.is_visible):
        raise ValueError("Only a visible reply in this topic can be its answer.")
    if not topic.is_question:
        raise ValueError("Only a question has an accepted answer.")
    topic.accepted_post = post
    topic.save(update_fields=["accepted_post"])
    return topic
