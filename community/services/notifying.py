"""Who hears about what happens in the forum, through portal's notification API (kinds in community/notifications.py).

- A reply: the members watching its topic, or watching its category without a choice of their own for the topic
  (a topic's choice wins over its category's: muting a topic in a watched category silences it). Tracking is a
  count only and mutes tell nothing.
- A mention: the members whose @handle became a link (community.services.mentions leaves out anyone who blocked the
  author). A quote: the author of the post quoted.
- A reaction: the post's author.

Always left out: the person who acted; anyone who muted or blocked them (a blocked member cannot reach the blocker at
all); anyone who cannot read the topic (a private group's topic reaches its members and the moderators only); and
people without a community profile. A member mentioned or quoted in a reply is told that, not also "a new reply".
Each recipient's delivery choice (in the portal, straight away, daily summary, off) is applied by `notify()`, which
writes set-wise in the caller's transaction: the cost does not grow with the number of people told.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.html import strip_tags
from django.utils.text import Truncator

from community import display
from community.models import GroupMembership, MemberBlock, Post, ReactionKind, Topic, Watch, WatchLevel
from community.notifications import MENTION, QUOTE, REACTION, REPLY
from portal.models import User
from portal.notifications.services import notify

EXCERPT_WORDS = 40


def excerpt(post: Post) -> str:
    """A short plain-text excerpt of a post for a notification; a post with a content note gives its note instead,
    so nobody meets a sensitive subject in their inbox without choosing to."""
    if post.content_note:
        return f"This post has a content note: {post.content_note}. Open it to choose whether to read it."
    return Truncator(strip_tags(post.body_html).strip()).words(EXCERPT_WORDS, truncate=" …")


def readers_of(topic: Topic, *, actor_id: int | None) -> QuerySet[User]:
    """Members who may read `topic` and have not muted or blocked `actor_id` (never the actor)."""
    users = User.objects.filter(is_active=True, community_profile__isnull=False)
    category = topic.category
    if category.group_id is not None and category.group is not None and category.group.is_private:
        from community.permissions import moderators

        in_group = GroupMembership.objects.filter(
            user=OuterRef("pk"), group_id=category.group_id, status=GroupMembership.Status.MEMBER
        )
        users = users.filter(Q(Exists(in_group)) | Q(pk__in=moderators().values("pk")))
    if actor_id is not None:
        users = users.exclude(pk=actor_id).exclude(
            Exists(MemberBlock.objects.filter(member=OuterRef("pk"), blocked_id=actor_id))
        )
    return users


def watchers_of(topic: Topic) -> Q:
    """Watching the topic, or its category with no choice made for the topic itself."""
    own = Watch.objects.filter(member=OuterRef("pk"), topic_id=topic.pk)
    category_watch = Watch.objects.filter(
        member=OuterRef("pk"), category_id=topic.category_id, level=WatchLevel.WATCHING
    )
    return Q(Exists(own.filter(level=WatchLevel.WATCHING))) | (Q(Exists(category_watch)) & ~Q(Exists(own)))


def _context(post: Post, topic: Topic) -> dict[str, object]:
    return {"topic_title": topic.title, "author_name": display.member_name(post.author), "excerpt": excerpt(post)}


def post_published(*, post: Post, mentioned_ids: Iterable[int] = ()) -> None:
    """Tell people about a post that has just become visible (written, or let through by a moderator): mentions,
    the quoted author, then the topic's watchers. Call inside the transaction that made it visible."""
    topic = Topic.objects.select_related("category__group").get(pk=post.topic_id)
    told = set(mentions_notify(post=post, member_ids=mentioned_ids, topic=topic))
    if post.reply_to_id is not None:
        quoted = Post.objects.filter(pk=post.reply_to_id).values_list("author_id", flat=True).first()
        if quoted is not None:
            recipients = readers_of(topic, actor_id=post.author_id).filter(pk=quoted).exclude(pk__in=told)
            notify(
                recipients=recipients,
                kind=QUOTE,
                title=f"{display.member_name(post.author)} replied to your post in {topic.title}",
                context=_context(post, topic),
                subject_object=topic,
                url=post.get_absolute_url(),
                group_key=f"topic:{topic.pk}:quotes",
            )
            told.add(quoted)
    if post.number > 1:
        notify(
            recipients=readers_of(topic, actor_id=post.author_id).filter(watchers_of(topic)).exclude(pk__in=told),
            kind=REPLY,
            title=f"New reply in {topic.title}",
            context=_context(post, topic),
            subject_object=topic,
            url=post.get_absolute_url(),
            group_key=f"topic:{topic.pk}",
        )


def mentions_notify(*, post: Post, member_ids: Iterable[int], topic: Topic | None = None) -> list[int]:
    """Tell the members newly mentioned in `post` (user ids) who may read it. Returns the ids considered told."""
    ids = sorted(set(member_ids))
    if not ids or post.status != Post.Status.VISIBLE:
        return []
    topic = topic or Topic.objects.select_related("category__group").get(pk=post.topic_id)
    notify(
        recipients=readers_of(topic, actor_id=post.author_id).filter(pk__in=ids),
        kind=MENTION,
        title=f"{display.member_name(post.author)} mentioned you in {topic.title}",
        context=_context(post, topic),
        subject_object=topic,
        url=post.get_absolute_url(),
        group_key=f"topic:{topic.pk}:mentions",
    )
    return ids


def reaction_notify(*, post: Post, member: User, kind: str) -> None:
    """Tell a post's author that `member` reacted to it (folded per post)."""
    if post.author_id is None or post.author_id == member.pk:
        return
    topic = Topic.objects.select_related("category__group").get(pk=post.topic_id)
    label = dict(ReactionKind.choices).get(kind, kind)
    notify(
        recipients=readers_of(topic, actor_id=member.pk).filter(pk=post.author_id),
        kind=REACTION,
        title=f"{display.member_name(member)} reacted to your post in {topic.title}: {label}",
        context={"topic_title": topic.title, "author_name": display.member_name(member), "reaction": label},
        subject_object=topic,
        url=post.get_absolute_url(),
        group_key=f"post:{post.pk}:reactions",
    )
