"""How members are named on pages: their community display name, or "Former member" once their account is gone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from community.models import FORMER_MEMBER, CommunityProfile

if TYPE_CHECKING:
    from portal.models import User


def profile_or_none(user: User | None) -> CommunityProfile | None:
    """The profile already fetched with the user (select_related), never a new query for a missing one."""
    if user is None:
        return None
    try:
        # The reverse one-to-one accessor, which the type checker does not see on the User model.
        profile: CommunityProfile = getattr(user, "community_profile")  # noqa: B009
    except CommunityProfile.DoesNotExist:
        return None
    return profile


def member_name(user: User | None) -> str:
    """The display name readers see. An account without a community profile (staff who never joined) shows its
    portal display name, never an email address."""
    if user is None:
        return FORMER_MEMBER
    profile = profile_or_none(user)
    if profile is not None:
        return profile.display_name
    return user.display_name or "A portal member"
