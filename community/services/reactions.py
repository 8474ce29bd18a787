"""Reactions: thanks, helpful, support. A member gives each kind to a post once; giving it again takes it back. The
counts are kept on the post."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest

from community.models import Post, Reaction, ReactionKind
from community.services.notifying import reaction_notify

if TYPE_CHECKING:
    from portal.models import User


def reaction_toggle(*, post: Post, member: User, kind: str) -> bool:
    """Give the reaction, or take it back if already given. Returns True when it is now given. Raises ValueError
    for an unknown kind or the member's own post."""
    if kind not in ReactionKind.values:
        raise ValueError(f"Unknown reaction {kind!r}")
    if post.author_id == member.pk:
        raise ValueError("Members do not react to their own posts.")
    counter = f"{kind}_count"
    with transaction.atomic():
        removed, _ = Reaction.objects.filter(post=post, member=member, kind=kind).delete()
        if removed:
            Post.objects.filter(pk=post.pk).update(**{counter: Greatest(F(counter) - 1, 0)})
            return False
        try:
            with transaction.atomic():
                Reaction.objects.create(post=post, member=member, kind=kind)
        except IntegrityError:  # the same reaction sent twice at once: it is given, once
            return True
        Post.objects.filter(pk=post.pk).update(**{counter: F(counter) + 1})
        reaction_notify(post=post, member=member, kind=kind)
    return True
