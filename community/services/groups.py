"""Groups: joining an open group, asking to join one by request, leaving, and deciding requests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.text import slugify

from community.caching import member_changed
from community.models import Category, Group, GroupMembership

if TYPE_CHECKING:
    from portal.models import User


def group_join(*, group: Group, user: User, message: str = "") -> GroupMembership:
    """Join an open group at once, or ask to join a group by request (a group manager or moderator decides).
    Private groups are joined only by being added. Joining again changes nothing. Raises ValueError for a private
    group."""
    if group.kind == Group.Kind.PRIVATE:
        raise ValueError("Members are added to a private group; they do not join it themselves.")
    status = GroupMembership.Status.MEMBER if group.kind == Group.Kind.OPEN else GroupMembership.Status.REQUESTED
    with transaction.atomic():
        membership, created = GroupMembership.objects.get_or_create(
            group=group, user=user, defaults={"status": status, "message": message.strip()}
        )
        if created and status == GroupMembership.Status.MEMBER:
            membership.decided_at = membership.created_at
            membership.save(update_fields=["decided_at"])
            Group.objects.filter(pk=group.pk).update(member_count=F("member_count") + 1)
    return membership


def group_member_add(*, group: Group, user: User, role: str = GroupMembership.Role.MEMBER) -> GroupMembership:
    """Add someone to a group of any kind (a private group's only door), or accept their request."""
    with transaction.atomic():
        membership, created = GroupMembership.objects.select_for_update().get_or_create(
            group=group, user=user, defaults={"status": GroupMembership.Status.MEMBER, "role": role}
        )
        was_member = not created and membership.status == GroupMembership.Status.MEMBER
        membership.status = GroupMembership.Status.MEMBER
        membership.role = role
        membership.decided_at = timezone.now()
        membership.save(update_fields=["status", "role", "decided_at"])
        if not was_member:
            Group.objects.filter(pk=group.pk).update(member_count=F("member_count") + 1)
    return membership


def group_request_decide(*, membership: GroupMembership, accept: bool) -> None:
    """Accept a request to join (the person becomes a member) or decline it (the request goes; they may ask again)."""
    if accept:
        group_member_add(group=membership.group, user=membership.user)
    else:
        GroupMembership.objects.filter(pk=membership.pk, status=GroupMembership.Status.REQUESTED).delete()


def group_leave(*, group: Group, user: User) -> None:
    """Leave a group, or withdraw a request to join."""
    with transaction.atomic():
        was_member = GroupMembership.objects.filter(
            group=group, user=user, status=GroupMembership.Status.MEMBER
        ).exists()
        GroupMembership.objects.filter(group=group, user=user).delete()
        if was_member:
            Group.objects.filter(pk=group.pk).update(member_count=Greatest(F("member_count") - 1, 0))


def group_recount(*, group: Group) -> None:
    """Count the group's members again (after the admin changed memberships directly)."""
    count = GroupMembership.objects.filter(group=group, status=GroupMembership.Status.MEMBER).count()
    Group.objects.filter(pk=group.pk).update(member_count=count)


def _free_slug(model: type[Group] | type[Category], base: str) -> str:
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def group_sync(*, key: str, name: str, description: str, user_ids: Iterable[int]) -> Group:
    """Make the private group named by `key` hold exactly `user_ids` as members (another app decides who: see
    portal.services.private_group_sync). The first call makes the group and one category for its discussions; later
    calls rename them if `name` changed, add who is missing and remove who should no longer be there. Three
    statements when nothing changed."""
    wanted = set(user_ids)
    with transaction.atomic():
        group = Group.objects.select_for_update().filter(key=key).first()
        if group is None:
            base = slugify(key)[:120] or "group"
            group = Group.objects.create(
                key=key, name=name, description=description, kind=Group.Kind.PRIVATE, slug=_free_slug(Group, base)
            )
            Category.objects.create(group=group, name=name, description=description, slug=_free_slug(Category, base))
        elif group.name != name or group.description != description:
            group.name, group.description = name, description
            group.save(update_fields=["name", "description"])
            Category.objects.filter(group=group).update(name=name, description=description)
        current = set(
            GroupMembership.objects.filter(group=group, status=GroupMembership.Status.MEMBER).values_list(
                "user_id", flat=True
            )
        )
        if wanted == current:
            return group
        GroupMembership.objects.filter(group=group).exclude(user_id__in=wanted).delete()
        now = timezone.now()
        GroupMembership.objects.filter(group=group, user_id__in=wanted).exclude(
            status=GroupMembership.Status.MEMBER
        ).update(status=GroupMembership.Status.MEMBER, decided_at=now)
        GroupMembership.objects.bulk_create(
            [
                GroupMembership(group=group, user_id=user_id, status=GroupMembership.Status.MEMBER, decided_at=now)
                for user_id in wanted
            ],
            ignore_conflicts=True,
        )
        Group.objects.filter(pk=group.pk).update(member_count=len(wanted))
        group.member_count = len(wanted)
        # Bulk statements send no signals: the pages kept for whoever joined or left are stale.
        for user_id in wanted ^ current:
            member_changed(user_id)
    return group


def group_paths(*, keys: Iterable[str]) -> dict[str, str]:
    """The page of each group kept in step by another app, by key (one query)."""
    return {
        group.key: group.get_absolute_url()
        for group in Group.objects.filter(key__in=list(keys)).only("key", "slug")
        if group.key
    }
