"""Signal receivers for the community, connected in CommunityConfig.ready(): its part in deleting an account
(portal.services.user_delete sends account_deleting), the private groups other apps keep in step
(portal.services.private_group_sync, private_group_paths_wanted), and keeping search vectors and cached pages current
on every save of what they are built from (the services, the moderators' tools, the admin and the demo alike)."""

from typing import Any

from community import search
from community.caching import forum_changed, member_changed
from community.models import (
    Attachment,
    Category,
    CommunityProfile,
    Flag,
    Group,
    GroupMembership,
    MemberBlock,
    Post,
    Topic,
    Watch,
)
from community.services.groups import group_paths, group_sync
from community.services.membership import member_leaving
from portal.models import User


def account_deleting(sender: type[User], *, user: User, remove_writing: bool, **kwargs: Any) -> None:
    member_leaving(user=user, remove_posts=remove_writing)


def _touches(update_fields: Any, fields: frozenset[str]) -> bool:
    return update_fields is None or bool(fields & set(update_fields))


def post_saved(sender: type[Post], instance: Post, update_fields: Any = None, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loaddata: rows as they were; fill vectors afterwards with community.search
        return
    if _touches(update_fields, search.POST_FIELDS):
        search.post_vectors_update([instance.pk])
    forum_changed()


def topic_saved(
    sender: type[Topic], instance: Topic, update_fields: Any = None, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    if _touches(update_fields, search.TOPIC_FIELDS):
        search.topic_vectors_update([instance.pk])
    forum_changed()


def forum_row_changed(sender: type[Any], raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        forum_changed()


# What a member's own forum pages show of their standing, and who the row belongs to.
_MEMBER_ROWS: dict[type[Any], str] = {
    GroupMembership: "user_id",
    MemberBlock: "member_id",
    Watch: "member_id",
    Flag: "member_id",
}


def member_row_changed(sender: type[Any], instance: Any, raw: bool = False, **kwargs: Any) -> None:
    user_id = getattr(instance, _MEMBER_ROWS[sender], None)
    if not raw and user_id is not None:
        member_changed(user_id)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from community.models import Reaction

    post_save.connect(post_saved, sender=Post, dispatch_uid="community.post_saved")
    post_save.connect(topic_saved, sender=Topic, dispatch_uid="community.topic_saved")
    saved: tuple[type[Any], ...] = (Category, Group, Reaction, Attachment, CommunityProfile)
    for model in saved:
        post_save.connect(forum_row_changed, sender=model, dispatch_uid=f"community.{model.__name__}.saved")
    deleted: tuple[type[Any], ...] = (Category, Group, Topic, Post, Reaction, Attachment, CommunityProfile)
    for model in deleted:
        post_delete.connect(forum_row_changed, sender=model, dispatch_uid=f"community.{model.__name__}.deleted")
    for model in _MEMBER_ROWS:
        for signal, done in ((post_save, "saved"), (post_delete, "deleted")):
            signal.connect(member_row_changed, sender=model, dispatch_uid=f"community.member.{model.__name__}.{done}")


def private_group_sync(
    sender: object, *, key: str, name: str, description: str, user_ids: list[int], **kwargs: Any
) -> None:
    group_sync(key=key, name=name, description=description, user_ids=user_ids)


def private_group_paths_wanted(sender: object, *, keys: list[str], **kwargs: Any) -> dict[str, str]:
    return group_paths(keys=keys)
