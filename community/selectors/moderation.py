"""What the moderators read: the flag queue, held posts, waiting and suspended members, a post's flags and edit
history, and the audit log. Every list pages with a keyset and a fixed number of queries, whatever its length.

The flag queue starts from the open flags (the partial index community_flag_queue), grouped by post: a post's
severity is its most serious open flag ("needs support" and "harmful" first), then the oldest flag waits longest.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Min, Prefetch, Q, QuerySet, Value, When

from community.models import CommunityProfile, Flag, ModerationAction, Post, PostRevision
from portal.models import User

QUEUE_PAGE_SIZE = 25
LOG_PAGE_SIZE = 50
MEMBERS_PAGE_SIZE = 50

# Most serious first: the order of the flag queue.
SEVERITY = [
    Flag.Reason.NEEDS_SUPPORT,
    Flag.Reason.HARMFUL,
    Flag.Reason.PERSONAL_INFORMATION,
    Flag.Reason.UNKIND,
    Flag.Reason.SPAM,
    Flag.Reason.OTHER,
]
_SEVERITY_RANK = Case(
    *[When(reason=reason, then=Value(rank)) for rank, reason in enumerate(SEVERITY)],
    default=Value(len(SEVERITY)),
    output_field=IntegerField(),
)
_POST_RELATED = ("topic__category", "author__community_profile")


@dataclass
class QueueItem:
    post: Post
    severity: int
    oldest: datetime.datetime
    count: int
    flags: list[Flag] = field(default_factory=list)

    @property
    def needs_support(self) -> bool:
        return self.severity == 0

    @property
    def cursor(self) -> str:
        return f"{self.severity}_{int(self.oldest.timestamp() * 1_000_000)}_{self.post.pk}"


def parse_queue_cursor(value: str | None) -> tuple[int, datetime.datetime, int] | None:
    """`?after=<severity>_<microseconds>_<post id>`, as QueueItem.cursor writes it; None if absent or broken."""
    if not value:
        return None
    try:
        severity, stamp, pk = value.split("_")
        return int(severity), datetime.datetime.fromtimestamp(int(stamp) / 1_000_000, tz=datetime.UTC), int(pk)
    except (ValueError, OverflowError, OSError):
        return None


def flag_queue(
    *, after: tuple[int, datetime.datetime, int] | None = None, limit: int = QUEUE_PAGE_SIZE
) -> list[QueueItem]:
    """Posts with open flags, most serious first, then longest waiting; up to limit + 1 (the extra one says there
    is more). Three queries: the grouped flags, their posts, and the open flags of those posts."""
    groups = (
        Flag.objects.filter(status=Flag.Status.OPEN)
        .values("post_id")
        .annotate(severity=Min(_SEVERITY_RANK), oldest=Min("created_at"), count=Count("pk"))
        .order_by("severity", "oldest", "post_id")
    )
    if after is not None:
        severity, oldest, pk = after
        groups = groups.filter(
            Q(severity__gt=severity)
            | Q(severity=severity, oldest__gt=oldest)
            | Q(severity=severity, oldest=oldest, post_id__gt=pk)
        )
    rows = list(groups[: limit + 1])
    if not rows:
        return []
    ids = [row["post_id"] for row in rows]
    open_flags = Flag.objects.filter(status=Flag.Status.OPEN).select_related("member__community_profile")
    posts = Post.objects.select_related(*_POST_RELATED).prefetch_related(
        Prefetch("flags", queryset=open_flags.order_by("created_at", "pk"), to_attr="open_flags")
    )
    by_id = posts.in_bulk(ids)
    return [
        QueueItem(
            post=by_id[row["post_id"]],
            severity=row["severity"],
            oldest=row["oldest"],
            count=row["count"],
            flags=list(getattr(by_id[row["post_id"]], "open_flags", [])),
        )
        for row in rows
        if row["post_id"] in by_id
    ]


def queue_counts() -> dict[str, int]:
    """How many posts have open flags, how many posts and members wait: for the tabs. Each bounded by its partial
    index (open flags, posts not visible, waiting members), never the whole forum."""
    return {
        "flagged": Flag.objects.filter(status=Flag.Status.OPEN).values("post_id").distinct().count(),
        "held": Post.objects.filter(status=Post.Status.HELD).count(),
        "pending": CommunityProfile.objects.filter(status=CommunityProfile.Status.PENDING)
        .exclude(guidelines_version=None)
        .count(),
    }


def held_posts(*, after: tuple[datetime.datetime, int] | None = None, limit: int = QUEUE_PAGE_SIZE) -> list[Post]:
    """Posts waiting for a moderator, oldest first (index community_post_not_visible); up to limit + 1."""
    posts = Post.objects.filter(status=Post.Status.HELD).select_related(*_POST_RELATED)
    if after is not None:
        when, pk = after
        posts = posts.filter(Q(created_at__gt=when) | Q(created_at=when, pk__gt=pk))
    return list(posts.order_by("created_at", "pk")[: limit + 1])


def pending_members(*, limit: int = MEMBERS_PAGE_SIZE) -> list[CommunityProfile]:
    """Members who accepted the guidelines and wait for approval, longest waiting first; up to limit + 1."""
    return list(
        CommunityProfile.objects.filter(status=CommunityProfile.Status.PENDING)
        .exclude(guidelines_version=None)
        .select_related("role", "sector", "council_area")
        .order_by("guidelines_accepted_at", "pk")[: limit + 1]
    )


def suspended_members(*, limit: int = MEMBERS_PAGE_SIZE) -> list[CommunityProfile]:
    """Suspended members, the suspension ending soonest first; up to limit + 1."""
    return list(
        CommunityProfile.objects.filter(status=CommunityProfile.Status.SUSPENDED).order_by("suspended_until", "pk")[
            : limit + 1
        ]
    )


def post_flags(post: Post) -> list[Flag]:
    """Every flag on a post, open first, newest first, with who flagged it."""
    return list(
        post.flags.select_related("member__community_profile", "resolved_by").order_by(
            Case(When(status=Flag.Status.OPEN, then=Value(0)), default=Value(1)), "-created_at", "-pk"
        )
    )


def post_history(post: Post) -> list[PostRevision]:
    """A post's earlier versions, newest first, with who edited it (the author or a moderator)."""
    return list(post.revisions.select_related("editor__community_profile").order_by("-created_at", "-pk"))


# --- The audit log ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogFilters:
    action: str = ""
    moderator_id: int | None = None


def audit_log(
    filters: LogFilters, *, before: tuple[datetime.datetime, int] | None = None, limit: int = LOG_PAGE_SIZE
) -> list[ModerationAction]:
    """Moderator actions, newest first, a page at a time before the keyset (created_at, id); up to limit + 1."""
    rows: QuerySet[ModerationAction] = ModerationAction.objects.select_related(
        "moderator__community_profile", "member__community_profile", "topic", "post"
    )
    if filters.action:
        rows = rows.filter(action=filters.action)
    if filters.moderator_id:
        rows = rows.filter(moderator_id=filters.moderator_id)
    if before is not None:
        when, pk = before
        rows = rows.filter(Q(created_at__lt=when) | Q(created_at=when, pk__lt=pk))
    return list(rows.order_by("-created_at", "-pk")[: limit + 1])


def log_moderators() -> list[User]:
    """The people who appear as moderators in the log, for its filter: moderators past and present (a small set)."""
    ids = ModerationAction.objects.exclude(moderator=None).values("moderator_id").distinct()
    return list(User.objects.filter(pk__in=ids).select_related("community_profile").order_by("display_name", "pk"))


def action_label(entry: ModerationAction) -> str:
    """What the log row says: the action's label (each decision has its own action, so filters match labels)."""
    return entry.get_action_display()
