"""Muting and blocking another member."""

from __future__ import annotations

from typing import TYPE_CHECKING

from community.models import MemberBlock

if TYPE_CHECKING:
    from portal.models import User


def member_block_set(*, member: User, blocked: User, kind: str | None) -> None:
    """Mute or block `blocked` for `member`, or (kind None) stop. Muting collapses their posts for the member;
    blocking also stops them mentioning the member. Raises ValueError for oneself or an unknown kind."""
    if member.pk == blocked.pk:
        raise ValueError("Members cannot mute or block themselves.")
    if kind is None:
        MemberBlock.objects.filter(member=member, blocked=blocked).delete()
        return
    if kind not in MemberBlock.Kind.values:
        raise ValueError(f"Unknown kind {kind!r}")
    MemberBlock.objects.update_or_create(member=member, blocked=blocked, defaults={"kind": kind})
