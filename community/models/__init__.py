"""The community of practice: members, groups, categories, topics, posts, and what members and moderators do with
them.

Designed for the whole forum (issue 9), so the moderation, search and notification work adds modules, not columns:

- Counters live on the rows they describe (topic post/reply counts and last post, category topic/post counts,
  reaction counts on a post, a member's post count). Services keep them current in the same transaction as the
  change, so no page counts rows at request time.
- A topic's posts are numbered 1, 2, 3... in the order they were written (`Post.number`, unique per topic). Pages of
  a topic are ranges of numbers, read positions are numbers, "first unread" is `last_read_number + 1`.
- Topic lists order by (pinned, last activity, id), matched by one index per category.
- `search_vector` columns are left empty here; the search work fills and indexes them (see portal/search.py).
- Authors are nullable: when an account is deleted its posts stay under "former member" (portal.services).
"""

from community.models.discussions import (
    Attachment,
    Category,
    Mention,
    Post,
    PostRevision,
    Reaction,
    ReactionKind,
    Topic,
)
from community.models.members import (
    FORMER_MEMBER,
    CommunityProfile,
    CommunitySettings,
    Group,
    GroupMembership,
    GuidelinesVersion,
    MemberBlock,
    Visibility,
)
from community.models.moderation import Flag, ModerationAction
from community.models.tracking import ReadState, Watch, WatchLevel

__all__ = [
    "FORMER_MEMBER",
    "Attachment",
    "Category",
    "CommunityProfile",
    "CommunitySettings",
    "Flag",
    "Group",
    "GroupMembership",
    "GuidelinesVersion",
    "MemberBlock",
    "Mention",
    "ModerationAction",
    "Post",
    "PostRevision",
    "Reaction",
    "ReactionKind",
    "ReadState",
    "Topic",
    "Visibility",
    "Watch",
    "WatchLevel",
]
