"""The community's part in deleting an account (portal.services.user_delete sends account_deleting)."""

from typing import Any

from community.services.membership import member_leaving
from portal.models import User


def account_deleting(sender: type[User], *, user: User, remove_writing: bool, **kwargs: Any) -> None:
    member_leaving(user=user, remove_posts=remove_writing)
