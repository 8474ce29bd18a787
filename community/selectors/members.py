"""Members, their groups and blocks, and the opt-in directory."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from community.models import CommunityProfile, CommunitySettings, Group, GroupMembership, MemberBlock, Visibility

DIRECTORY_PAGE_SIZE = 30
SUGGESTIONS = 8
# A handle the mention parser reads whole (community.services.mentions.HANDLE), as a database pattern.
MENTIONABLE_HANDLE = r"^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$"


def community_settings() -> CommunitySettings:
    """The moderators' switches (one row, made by migration; made again here if someone deleted it)."""
    settings, _ = CommunitySettings.objects.get_or_create(pk=1)
    return settings


def profile_for_user_id(user_id: int) -> CommunityProfile | None:
    return CommunityProfile.objects.filter(user_id=user_id).first()


def profile_by_pk(pk: int) -> CommunityProfile | None:
    return CommunityProfile.objects.select_related("role", "sector", "council_area").filter(pk=pk).first()


def profiles_by_handles(handles: set[str]) -> dict[str, CommunityProfile]:
    """Active members with these handles (lower case), by handle: who an @mention can reach."""
    if not handles:
        return {}
    found = CommunityProfile.objects.filter(
        handle__in=handles, status__in=[CommunityProfile.Status.ACTIVE, CommunityProfile.Status.SUSPENDED]
    ).exclude(guidelines_version=None)
    return {profile.handle: profile for profile in found}


def group_ids_for_user_id(user_id: int) -> frozenset[int]:
    return frozenset(
        GroupMembership.objects.filter(user_id=user_id, status=GroupMembership.Status.MEMBER).values_list(
            "group_id", flat=True
        )
    )


def group_by_slug(slug: str) -> Group | None:
    return Group.objects.filter(slug=slug).first()


def group_request_by_pk(pk: int) -> GroupMembership | None:
    return (
        GroupMembership.objects.select_related("group", "user__community_profile")
        .filter(pk=pk, status=GroupMembership.Status.REQUESTED)
        .first()
    )


def is_group_manager(*, group_id: int, user_id: int) -> bool:
    return GroupMembership.objects.filter(
        group_id=group_id, user_id=user_id, status=GroupMembership.Status.MEMBER, role=GroupMembership.Role.MANAGER
    ).exists()


def groups_for_list(*, group_ids: frozenset[int], see_private: bool) -> QuerySet[Group]:
    """Every open and by-request group, and the private ones the person belongs to (all of them for moderators)."""
    groups = Group.objects.all()
    if not see_private:
        groups = groups.filter(~Q(kind=Group.Kind.PRIVATE) | Q(pk__in=group_ids))
    return groups.order_by("name")


def membership_of(*, group_id: int, user_id: int) -> GroupMembership | None:
    return GroupMembership.objects.filter(group_id=group_id, user_id=user_id).first()


def group_requests(group: Group) -> QuerySet[GroupMembership]:
    return (
        GroupMembership.objects.filter(group=group, status=GroupMembership.Status.REQUESTED)
        .select_related("user__community_profile")
        .order_by("created_at", "pk")
    )


def blocks_by(user_id: int) -> dict[int, str]:
    """The members this person muted or blocked: their user id -> "mute" or "block"."""
    return dict(MemberBlock.objects.filter(member_id=user_id).values_list("blocked_id", "kind"))


def blockers_among(*, user_ids: set[int], author_id: int) -> set[int]:
    """Which of `user_ids` have blocked `author_id`: they cannot be mentioned by them."""
    if not user_ids:
        return set()
    return set(
        MemberBlock.objects.filter(
            member_id__in=user_ids, blocked_id=author_id, kind=MemberBlock.Kind.BLOCK
        ).values_list("member_id", flat=True)
    )


@dataclass(frozen=True)
class DirectoryFilters:
    sector_id: int | None = None
    council_area_id: int | None = None
    role_id: int | None = None


def directory(
    filters: DirectoryFilters, *, after: tuple[str, int] | None = None, limit: int = DIRECTORY_PAGE_SIZE
) -> list[CommunityProfile]:
    """Listed members, by name, a page at a time after (display name, id). A filter matches only fields the member
    shows to members: filtering on a field kept for moderators would reveal it."""
    rows = CommunityProfile.objects.filter(
        listed_in_directory=True, status=CommunityProfile.Status.ACTIVE
    ).select_related("role", "sector", "council_area")
    if filters.sector_id:
        rows = rows.filter(sector_id=filters.sector_id, sector_visibility=Visibility.MEMBERS)
    if filters.council_area_id:
        rows = rows.filter(council_area_id=filters.council_area_id, council_area_visibility=Visibility.MEMBERS)
    if filters.role_id:
        rows = rows.filter(role_id=filters.role_id, role_visibility=Visibility.MEMBERS)
    if after is not None:
        name, pk = after
        rows = rows.filter(Q(display_name__gt=name) | Q(display_name=name, pk__gt=pk))
    return list(rows.order_by("display_name", "pk")[: limit + 1])


def suspension_over(profile: CommunityProfile, now: datetime.datetime) -> bool:
    return profile.suspended_until is not None and profile.suspended_until <= now


def mention_suggestions(*, prefix: str, author_id: int, limit: int = SUGGESTIONS) -> list[CommunityProfile]:
    """Members the author may mention whose handle, display name or a word of it starts with `prefix`, by name, at
    most `limit`, in one query. Only those an @mention would reach (active, or with a suspension that has ended; a
    handle the mention parser reads; not the author; not anyone who blocked the author), and only those whose name
    is already out there for members: listed in the directory, or shown beside a post they wrote. A member who chose
    not to be listed and never posted is not revealed by typing letters."""
    prefix = prefix.strip().lstrip("@")
    if not prefix:
        return []
    now = timezone.now()
    blocked_author = MemberBlock.objects.filter(
        member_id=OuterRef("user_id"), blocked_id=author_id, kind=MemberBlock.Kind.BLOCK
    )
    rows = (
        CommunityProfile.objects.filter(
            Q(status=CommunityProfile.Status.ACTIVE)
            | Q(status=CommunityProfile.Status.SUSPENDED, suspended_until__lte=now),
            Q(listed_in_directory=True) | Q(post_count__gt=0),
            Q(handle__istartswith=prefix)
            | Q(display_name__istartswith=prefix)
            | Q(display_name__icontains=f" {prefix}"),
            handle__regex=MENTIONABLE_HANDLE,
        )
        .exclude(guidelines_version=None)
        .exclude(user_id=author_id)
        .exclude(Exists(blocked_author))
        .only("pk", "user_id", "handle", "display_name")
        .order_by("display_name", "pk")
    )
    return list(rows[:limit])
