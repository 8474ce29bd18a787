"""Scale data for the forum (portal's seed_scale command): `--forum-posts 1000000` makes 1,000,000 posts in 100,000
topics by 20,000 members over 30 categories, in minutes.

Realistic skew: a few categories hold most topics (Zipf), a few members write most posts, most topics have a handful
of replies and a few have thousands (`--forum-big-topics`, 2,000 to 3,000 posts each), last activity spread over
three years. Three categories belong to a private group nobody joins. About a third of posts say "trauma" (a common
word); "kaleidoscope" is in about one post in 50,000 (a rare one).

On PostgreSQL the members and categories are bulk-inserted, and the topics and posts are made by the database
(`INSERT ... SELECT` over `unnest` of a plan made here, and `generate_series` for each topic's posts), with each
post's search vector computed in the same statement and the GIN index rebuilt once afterwards. Counters (topics,
categories, members), last post and last activity are then filled in set-wise. SQLite gets the same data through
bulk_create (slowly: keep it small there) and has no vectors. Rows made by an earlier run (slugs and emails starting
"scale-") are removed first, by SQL, without loading them.
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db import connection
from django.db.models import CASCADE, SET_NULL, ForeignObjectRel, Model
from django.utils import timezone

from community.caching import forum_changed
from community.models import Category, CommunityProfile, Group, GuidelinesVersion, Post, Topic
from portal.models import User

BATCH = 2000
BIG_TOPIC_POSTS = (2000, 3000)
COMMON_WORD, RARE_WORD = "trauma", "kaleidoscope"
OPENINGS = [
    "How do you approach",
    "Ideas for",
    "Sharing our experience of",
    "Question about",
    "Resources on",
    "Reflections on",
    "Getting started with",
    "What helped with",
]
SUBJECTS = [
    "trauma-informed letters",
    "safety planning",
    "supervision and reflective practice",
    "staff wellbeing after a difficult week",
    "first appointments",
    "waiting rooms",
    "working with families",
    "housing allocations",
    "language in case notes",
    "peer support",
    "lived experience panels",
    "adverse childhood experiences",
    "compassionate leadership",
    "school transitions",
    "court and justice settings",
]
# Three pools of sentences: a post is one from each, so bodies vary without Python making a million strings.
FIRST = [
    "We have been thinking about trauma and how our service responds to it.",
    "Our team tried a new approach this month.",
    "I wanted to share something that worked for us.",
    "Has anyone found a good way to start this conversation?",
    "This came up in supervision last week.",
    "Thank you for raising this, it is something we struggle with too.",
    "A trauma-informed lens changed how we wrote our letters.",
    "We asked people who use our service what felt safe.",
    "Our managers made time for reflective practice.",
]
SECOND = [
    "Choice and control matter more than we expected.",
    "Small changes to the waiting area made a real difference.",
    "Staff said they felt more confident after the training.",
    "We still find the paperwork gets in the way of relationships.",
    "Listening first, then explaining what happens next, helped everyone.",
    "The national training programme resources were useful here.",
    "People told us the old wording felt blaming.",
    "We now check in with colleagues after difficult calls.",
    "Trust takes time and consistency.",
    "Collaboration with housing and health partners helped.",
    "Understanding the effects of trauma helped us plan.",
]
THIRD = [
    "Happy to share our template if it helps.",
    "I would love to hear how others do this.",
    "We are going to review it again in three months.",
    "It is still a work in progress.",
    "Does anyone have evidence on what works?",
    "Our council area has a network that meets monthly.",
    "Next we want to involve people with lived experience in the design.",
]


def add_arguments(parser: Any) -> None:
    parser.add_argument("--forum-posts", type=int, default=0, help="forum posts to add (1000000 at full scale)")
    parser.add_argument("--forum-topics", type=int, default=0, help="topics (default: a tenth of the posts)")
    parser.add_argument("--forum-members", type=int, default=0, help="members (default: one per 50 posts)")
    parser.add_argument("--forum-categories", type=int, default=30, help="categories (default 30)")
    parser.add_argument("--forum-big-topics", type=int, default=5, help="topics of 2,000 to 3,000 posts (default 5)")


def seed(*, options: dict[str, Any], stdout: Any) -> None:
    remove()
    posts = options.get("forum_posts") or 0
    if not posts:
        forum_changed()
        return
    topics = min(options.get("forum_topics") or max(1, posts // 10), posts)
    members = options.get("forum_members") or max(2, posts // 50)
    category_count = max(1, options.get("forum_categories") or 30)
    rng = random.Random(2026)  # noqa: S311 - fictional data, the same every run so figures compare
    now = timezone.now()
    member_ids = _members(members, now=now)
    category_ids = _categories(category_count, now=now)
    plan = _plan(rng, posts=posts, topics=topics, members=member_ids, categories=category_ids, now=now, big=options)
    if connection.vendor == "postgresql":
        _topics_and_posts_sql(plan, member_ids=member_ids)
    else:
        _topics_and_posts_orm(plan, member_ids=member_ids, rng=rng)
    _counters(category_ids)
    forum_changed()
    stdout.write(f"  community: {posts} posts in {topics} topics by {members} members over {category_count} categories")


def _members(count: int, *, now: datetime.datetime) -> list[int]:
    version = GuidelinesVersion.objects.order_by("-pk").first()
    User.objects.bulk_create(
        [
            # "!": an unusable password (nobody signs in as a scale member)
            User(email=f"scale-member-{n}@example.org", display_name=f"Scale Member {n}", password="!")  # noqa: S106
            for n in range(count)
        ],
        batch_size=BATCH,
    )
    ids = dict(User.objects.filter(email__startswith="scale-member-").values_list("email", "pk"))
    ordered = [ids[f"scale-member-{n}@example.org"] for n in range(count)]
    CommunityProfile.objects.bulk_create(
        [
            CommunityProfile(
                user_id=user_id,
                display_name=f"Scale Member {n}",
                handle=f"scale-member-{n}",
                status=CommunityProfile.Status.ACTIVE,
                guidelines_version=version,
                guidelines_accepted_at=now,
                approved_at=now,
                created_at=now,
            )
            for n, user_id in enumerate(ordered)
        ],
        batch_size=BATCH,
    )
    return ordered


def _categories(count: int, *, now: datetime.datetime) -> list[int]:
    private = Group.objects.create(
        name="Scale private group", slug="scale-private-group", kind=Group.Kind.PRIVATE, created_at=now
    )
    Category.objects.bulk_create(
        [
            Category(
                name=f"Scale category {n}",
                slug=f"scale-category-{n}",
                description=f"Fictional discussions, number {n}.",
                order=100 + n,
                group=private if count > 3 and n >= count - 3 else None,
                created_at=now,
            )
            for n in range(count)
        ]
    )
    found = dict(Category.objects.filter(slug__startswith="scale-category-").values_list("slug", "pk"))
    return [found[f"scale-category-{n}"] for n in range(count)]


def _plan(
    rng: random.Random,
    *,
    posts: int,
    topics: int,
    members: list[int],
    categories: list[int],
    now: datetime.datetime,
    big: dict[str, Any],
) -> dict[str, list[Any]]:
    """One row per topic: category, author, title, number of posts, created, last activity."""
    big_count = min(big.get("forum_big_topics", 5) or 0, topics) if posts >= 20_000 else 0
    sizes = [rng.randint(*BIG_TOPIC_POSTS) for _ in range(big_count)]
    rest = topics - big_count
    left = max(posts - sum(sizes) - rest, 0)  # every other topic has its opening post, plus a share of these
    weights = [rng.expovariate(1.0) ** 2 for _ in range(rest)]
    total = sum(weights) or 1.0
    shares = [int(w / total * left) for w in weights]
    for n in rng.sample(range(rest), min(rest, left - sum(shares))) if rest else []:
        shares[n] += 1
    sizes += [1 + share for share in shares]
    category_weights = [1 / (k + 1) for k in range(len(categories))]
    plan: dict[str, list[Any]] = {key: [] for key in ("category", "author", "title", "size", "created", "last")}
    for n, size in enumerate(sizes):
        # The big topics sit in the busiest public category; the rest follow Zipf.
        plan["category"].append(categories[0] if n < big_count else rng.choices(categories, category_weights)[0])
        plan["author"].append(members[int(len(members) * rng.random() ** 3)])
        rare = f" {RARE_WORD}" if n % 9973 == 17 else ""
        plan["title"].append(f"{rng.choice(OPENINGS)} {rng.choice(SUBJECTS)}{rare} ({n + 1})")
        created = now - datetime.timedelta(days=3 * 365 * rng.random() ** 1.5, seconds=rng.randint(0, 86400))
        # Busy topics run on for a long time; most go quiet soon after they start.
        span = (now - created).total_seconds() * rng.random() ** (1 if size > 100 else 4)
        plan["size"].append(size)
        plan["created"].append(created)
        plan["last"].append(created + datetime.timedelta(seconds=span if size > 1 else 0))
    return plan


_TOPICS_SQL = """
INSERT INTO community_topic (category_id, title, author_id, kind, pinned, locked, hidden, created_at,
    last_activity_at, last_post_number, post_count, reply_count, search_vector)
SELECT plan.category, plan.title, plan.author, 'discussion', false, false, false, plan.created, plan.last, plan.size,
    plan.size, plan.size - 1, setweight(to_tsvector('english', plan.title), 'A')
FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::int[], %s::timestamptz[], %s::timestamptz[])
    AS plan(category, author, title, size, created, last)
"""

# Every topic's posts, numbered 1..size, spread evenly from its creation to its last activity. The body is chosen in
# a fenced subquery (OFFSET 0) so the vector is computed from the same random choice as the stored text.
_POSTS_SQL = """
INSERT INTO community_post (topic_id, number, author_id, body_markdown, body_html, content_note, status,
    moderation_reason, created_at, thanks_count, helpful_count, support_count, flag_count, search_vector)
SELECT topic_id, number, author_id, body, '<p>' || body || '</p>', '', 'visible', '', created_at,
    thanks, helpful, 0, 0,
    setweight(to_tsvector('english', CASE WHEN number = 1 THEN title ELSE '' END), 'A')
    || setweight(to_tsvector('english', body), 'B')
FROM (
    SELECT t.id AS topic_id, n AS number, t.title,
        CASE WHEN n = 1 THEN t.author_id
             ELSE (%(members)s::bigint[])[1 + floor(cardinality(%(members)s::bigint[]) * random() ^ 3)::int] END
            AS author_id,
        (%(first)s::text[])[1 + floor(random() * cardinality(%(first)s::text[]))::int] || ' '
        || (%(second)s::text[])[1 + floor(random() * cardinality(%(second)s::text[]))::int] || ' '
        || (%(third)s::text[])[1 + floor(random() * cardinality(%(third)s::text[]))::int]
        || CASE WHEN random() < 0.00002 THEN ' A %(rare)s of feelings.' ELSE '' END AS body,
        t.created_at + (t.last_activity_at - t.created_at) * ((n - 1)::float / greatest(t.last_post_number - 1, 1))
            AS created_at,
        (random() < 0.2)::int AS thanks, (random() < 0.1)::int AS helpful
    FROM community_topic t
    CROSS JOIN LATERAL generate_series(1, t.last_post_number) AS n
    WHERE t.category_id IN (SELECT id FROM community_category WHERE slug LIKE 'scale-%%')
    OFFSET 0
) AS made
"""


def _topics_and_posts_sql(plan: dict[str, list[Any]], *, member_ids: list[int]) -> None:
    with connection.cursor() as cursor:
        # Foreign keys checked as each statement ends, not at commit: PostgreSQL will not build an index on a table
        # with checks still pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SELECT setseed(0.2026)")
        cursor.execute(
            _TOPICS_SQL,
            [plan["category"], plan["author"], plan["title"], plan["size"], plan["created"], plan["last"]],
        )
        # Built once after the rows are in: far quicker than keeping a GIN index current row by row.
        cursor.execute("DROP INDEX IF EXISTS community_post_search_gin")
        cursor.execute(
            _POSTS_SQL.replace("%(rare)s", RARE_WORD),
            {"members": member_ids, "first": FIRST, "second": SECOND, "third": THIRD},
        )
        cursor.execute("CREATE INDEX community_post_search_gin ON community_post USING gin (search_vector)")


def _topics_and_posts_orm(plan: dict[str, list[Any]], *, member_ids: list[int], rng: random.Random) -> None:
    """SQLite: the same rows through bulk_create (no vectors: SQLite's search does not read them)."""
    Topic.objects.bulk_create(
        [
            Topic(
                category_id=plan["category"][n],
                title=plan["title"][n],
                author_id=plan["author"][n],
                created_at=plan["created"][n],
                last_activity_at=plan["last"][n],
                last_post_number=plan["size"][n],
                post_count=plan["size"][n],
                reply_count=plan["size"][n] - 1,
            )
            for n in range(len(plan["size"]))
        ],
        batch_size=BATCH,
    )
    made = Topic.objects.filter(category__slug__startswith="scale-").values_list(
        "pk", "author_id", "last_post_number", "created_at", "last_activity_at"
    )
    batch: list[Post] = []
    for topic_id, author_id, size, created, last in made.iterator():
        step = (last - created) / max(size - 1, 1)
        for number in range(1, size + 1):
            body = f"{rng.choice(FIRST)} {rng.choice(SECOND)} {rng.choice(THIRD)}"
            batch.append(
                Post(
                    topic_id=topic_id,
                    number=number,
                    author_id=author_id if number == 1 else member_ids[int(len(member_ids) * rng.random() ** 3)],
                    body_markdown=body,
                    body_html=f"<p>{body}</p>",
                    created_at=created + step * (number - 1),
                )
            )
            if len(batch) >= BATCH:
                Post.objects.bulk_create(batch)
                batch = []
    Post.objects.bulk_create(batch)


_COUNTERS_SQL = [
    # Each topic's last post: the one with its highest number (unique (topic, number) index).
    """UPDATE community_topic SET last_post_id = (SELECT p.id FROM community_post p
        WHERE p.topic_id = community_topic.id AND p.number = community_topic.last_post_number)
    WHERE category_id IN ({categories})""",
    """UPDATE community_category SET
        topic_count = (SELECT count(*) FROM community_topic t WHERE t.category_id = community_category.id),
        post_count = (SELECT coalesce(sum(t.post_count), 0) FROM community_topic t
            WHERE t.category_id = community_category.id),
        last_activity_at = (SELECT max(t.last_activity_at) FROM community_topic t
            WHERE t.category_id = community_category.id)
    WHERE id IN ({categories})""",
    """UPDATE community_category SET last_topic_id = (SELECT t.id FROM community_topic t
        WHERE t.category_id = community_category.id ORDER BY t.last_activity_at DESC, t.id DESC LIMIT 1)
    WHERE id IN ({categories})""",
    """UPDATE community_communityprofile SET post_count = (SELECT count(*) FROM community_post p
        WHERE p.author_id = community_communityprofile.user_id)
    WHERE handle LIKE 'scale-member-%%'""",
]


def _counters(category_ids: list[int]) -> None:
    listed = ", ".join(str(int(pk)) for pk in category_ids)
    with connection.cursor() as cursor:
        for statement in _COUNTERS_SQL:
            cursor.execute(statement.format(categories=listed))
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE community_topic")
            cursor.execute("ANALYZE community_post")
            cursor.execute("ANALYZE community_category")


# --- Removing an earlier run --------------------------------------------------------------------------------------

_SCALE_CATEGORIES = "SELECT id FROM community_category WHERE slug LIKE 'scale-%%'"
_SCALE_TOPICS = f"SELECT id FROM community_topic WHERE category_id IN ({_SCALE_CATEGORIES})"  # noqa: S608
_SCALE_POSTS = f"SELECT id FROM community_post WHERE topic_id IN ({_SCALE_TOPICS})"  # noqa: S608
_SCALE_USERS = "SELECT id FROM portal_user WHERE email LIKE 'scale-member-%%@example.org'"


def _detach(model: type[Model], ids_sql: str, cursor: Any, *, skip: set[type[Model]]) -> None:
    """Delete (CASCADE) or unlink (SET_NULL) the rows of other tables that point at these rows, by SQL."""
    relations = [
        field
        for field in model._meta.get_fields(include_hidden=True)
        if isinstance(field, ForeignObjectRel) and (field.one_to_many or field.one_to_one)
    ]
    for relation in relations:
        related = relation.related_model
        if not isinstance(related, type) or related in skip:
            continue
        column = relation.field.column
        table = related._meta.db_table
        if relation.on_delete is CASCADE:
            cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({ids_sql})")  # noqa: S608 - names from models
        elif relation.on_delete is SET_NULL:
            cursor.execute(f"UPDATE {table} SET {column} = NULL WHERE {column} IN ({ids_sql})")  # noqa: S608


def remove() -> None:
    forum = {Post, Topic, Category}
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE community_category SET last_topic_id = NULL WHERE id IN ({_SCALE_CATEGORIES})")  # noqa: S608
        unlink = "UPDATE community_topic SET last_post_id = NULL, accepted_post_id = NULL WHERE id IN ({})"
        cursor.execute(unlink.format(_SCALE_TOPICS))
        _detach(Post, _SCALE_POSTS, cursor, skip=forum)
        cursor.execute(f"DELETE FROM community_post WHERE topic_id IN ({_SCALE_TOPICS})")  # noqa: S608
        _detach(Topic, _SCALE_TOPICS, cursor, skip=forum)
        cursor.execute(f"DELETE FROM community_topic WHERE id IN ({_SCALE_TOPICS})")  # noqa: S608
        _detach(Category, _SCALE_CATEGORIES, cursor, skip=forum)
        cursor.execute("DELETE FROM community_category WHERE slug LIKE 'scale-%%'")
        groups = "SELECT id FROM community_group WHERE slug LIKE 'scale-%%'"
        cursor.execute(f"DELETE FROM community_groupmembership WHERE group_id IN ({groups})")  # noqa: S608
        cursor.execute("DELETE FROM community_group WHERE slug LIKE 'scale-%%'")
        _detach(User, _SCALE_USERS, cursor, skip={Post, Topic})
        cursor.execute(f"DELETE FROM portal_user WHERE id IN ({_SCALE_USERS})")  # noqa: S608
