"""Telling the moderators that something waits for them: a new member to approve, or a new member's post held for
approval. One grouped line per moderator ("3 things waiting for a moderator"), delivered as each chose (a daily
summary unless they change it). Called by the posting and joining services inside their transactions, so a
rolled-back post tells nobody."""

from __future__ import annotations

from django.urls import reverse

from community.notifications import MODERATION_WAITING
from community.permissions import moderators
from portal.notifications.services import notify


def moderators_tell_waiting(*, what: str) -> None:
    """`what` is a short plain sentence: "A new member's post is waiting in Sharing practice"."""
    notify(
        recipients=moderators(),
        kind=MODERATION_WAITING,
        title=what,
        context={"what": what},
        url=reverse("community:moderation-waiting"),
        group_key="community-waiting",
    )
