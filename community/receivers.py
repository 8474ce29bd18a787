"""The community's part in deleting an account (portal.services.user_delete sends account_deleting), and the private
groups other apps keep in step (portal.services.private_group_sync, private_group_paths_wanted)."""

from typing import Any

from community.services.groups import group_paths, group_sync
from community.services.membership import member_leaving
from portal.models import User


def account_deleting(sender: type[User], *, user: User, remove_writing: bool, **kwargs: Any) -> None:
    member_leaving(user=user, remove_posts=remove_writing)


def private_group_sync(
    sender: object, *, key: str, name: str, description: str, user_ids: list[int], **kwargs: Any
) -> None:
    group_sync(key=key, name=name, description=description, user_ids=user_ids)


def private_group_paths_wanted(sender: object, *, keys: list[str], **kwargs: Any) -> dict[str, str]:
    return group_paths(keys=keys)
