"""Searching the forum: posts (and, through each opening post, topic titles) that the reader may see.

PostgreSQL: the posts' stored, weighted vectors (community/search.py) through their GIN index, English
configuration, websearch syntax (quotes, `-word`, `or`). Two queries whatever the data (one when the candidates
are cached):

1. the candidates: the newest `CANDIDATES` matching posts the reader may see, with their rank. A common word is
   found by walking the posts newest first and stopping at `CANDIDATES`; a rare word through the GIN index. Either
   way the work is bounded, and nothing counts every match. The candidates are ordered by rank (best first), then
   newest first, and cut into pages;
2. the page's rows with their topic, category and author, and `ts_headline` snippets for those rows only.

The candidates are cached for everyone who reads the same categories until the forum changes (the `community`
version); the page's rows are always read fresh, with every visibility rule applied again.

Only visible posts in topics that are not hidden, in categories the reader may read: a private group's posts never
reach anyone outside it, and nothing held, hidden or deleted is ever found (its text may be gone; its vector must
not speak for it). SQLite (development and the default test run): every word somewhere in the post or its topic's
title (for the opening post), newest first, and a snippet cut in Python.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from community.caching import FORUM_CACHE
from community.models import Category, Post
from portal import search
from portal.cache import cached, digest

PAGE_SIZE = 20
CANDIDATES = 1000
MAX_PAGES = CANDIDATES // PAGE_SIZE
CANDIDATES_TIMEOUT = 10 * 60
SNIPPET_WORDS = 30
# Markers ts_headline puts around a match; the text is escaped first, then they become <mark>.
_START, _STOP = "\ue000", "\ue001"


@dataclass(frozen=True)
class SearchFilters:
    text: str
    category_ids: frozenset[int] | None = None  # None: every category the reader may read
    author_id: int | None = None  # a user id
    since: datetime.date | None = None
    until: datetime.date | None = None


@dataclass
class Hit:
    post: Post
    title: SafeString
    snippet: SafeString
    rank: float = 0.0


@dataclass
class Results:
    hits: list[Hit] = field(default_factory=list)
    page: int = 1
    has_next: bool = False
    # More matched than the candidates hold: the reader is asked to narrow the search rather than page on.
    capped: bool = False


def searchable_posts(filters: SearchFilters, *, readable: list[int] | None) -> QuerySet[Post]:
    """Visible posts in visible topics, in categories both readable (`readable`; None: all) and chosen."""
    posts = Post.objects.filter(status=Post.Status.VISIBLE, topic__hidden=False)
    categories: set[int] | None = None if readable is None else set(readable)
    if filters.category_ids is not None:
        categories = set(filters.category_ids) if categories is None else categories & filters.category_ids
    if categories is not None:
        posts = posts.filter(topic__category_id__in=sorted(categories))
    if filters.author_id is not None:
        posts = posts.filter(author_id=filters.author_id)
    # Whole days in the portal's time zone, as ranges on the column (no cast per row).
    if filters.since is not None:
        posts = posts.filter(created_at__gte=_day_start(filters.since))
    if filters.until is not None:
        posts = posts.filter(created_at__lt=_day_start(filters.until + datetime.timedelta(days=1)))
    return posts


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def search_posts(filters: SearchFilters, *, readable: list[int] | None, page: int = 1) -> Results:
    """A page of the posts matching `filters.text` that the reader may see (see the module's docstring)."""
    text = filters.text.strip()
    page = min(max(page, 1), MAX_PAGES)
    if not text:
        return Results(page=page)
    posts = searchable_posts(filters, readable=readable)
    on_postgres = search.available(posts.db)

    def candidates() -> list[tuple[int, float]]:
        if on_postgres:
            matched = search.search(posts, text).order_by("-id")
            return [(pk, float(rank)) for pk, rank in matched.values_list("pk", "rank")[: CANDIDATES + 1]]  # type: ignore[misc]  # rank is search()'s annotation
        return [
            (pk, 1.0) for pk in _fallback(posts, text).order_by("-id").values_list("pk", flat=True)[: CANDIDATES + 1]
        ]

    # The candidates are the same for everyone who may read the same categories: cached under the forum's version,
    # with that set in the key. The page's rows below are read with every visibility rule applied again, so a cached
    # list never shows what has since been hidden or deleted, whether or not that change bumped the version.
    chosen_ids = None if filters.category_ids is None else sorted(filters.category_ids)
    key = repr(
        (
            text,
            None if readable is None else sorted(readable),
            chosen_ids,
            filters.author_id,
            filters.since,
            filters.until,
            on_postgres,
        )
    )
    found = cached(FORUM_CACHE, f"search:{digest(key)}", candidates, timeout=CANDIDATES_TIMEOUT, local=False)
    capped = len(found) > CANDIDATES
    found = found[:CANDIDATES]
    found.sort(key=lambda row: (-row[1], -row[0]))
    start = (page - 1) * PAGE_SIZE
    chosen = found[start : start + PAGE_SIZE]
    ranks = dict(chosen)
    rows = (
        searchable_posts(filters, readable=readable)
        .filter(pk__in=list(ranks))
        .select_related("topic__category__group", "author__community_profile")
        .defer("search_vector", "body_html", "topic__search_vector")
    )
    if on_postgres:
        query = SearchQuery(text, search_type="websearch", config=search.CONFIG)
        rows = rows.annotate(
            snippet=SearchHeadline(
                "body_markdown",
                query,
                config=search.CONFIG,
                start_sel=_START,
                stop_sel=_STOP,
                max_words=SNIPPET_WORDS,
                min_words=15,
                max_fragments=2,
            ),
            title_marked=SearchHeadline(
                "topic__title", query, config=search.CONFIG, start_sel=_START, stop_sel=_STOP, highlight_all=True
            ),
        )
    by_pk = {post.pk: post for post in rows}
    hits = []
    for pk, rank in chosen:
        post = by_pk.get(pk)
        if post is None:  # gone between the two queries
            continue
        if on_postgres:
            title, snippet = _marked(getattr(post, "title_marked", "")), _marked(getattr(post, "snippet", ""))
        else:
            title, snippet = _highlight(post.topic.title, text), _excerpt(post.body_markdown, text)
        hits.append(Hit(post=post, title=title, snippet=snippet, rank=float(rank)))
    return Results(hits=hits, page=page, has_next=len(found) > start + PAGE_SIZE, capped=capped)


def _marked(headline: str) -> SafeString:
    """ts_headline's text, escaped, with its markers turned into <mark>."""
    escaped = str(escape(headline))
    return mark_safe(escaped.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308 - escaped above


# --- SQLite ------------------------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return [word for word in re.findall(r"[\w'-]+", text.lower()) if word not in {"or", "and"}][:8]


def _fallback(posts: QuerySet[Post], text: str) -> QuerySet[Post]:
    for word in _words(text):
        posts = posts.filter(Q(body_markdown__icontains=word) | Q(number=1, topic__title__icontains=word))
    return posts


def _highlight(text: str, query: str) -> SafeString:
    """`text` escaped, each word of `query` in it marked."""
    words = _words(query)
    if not words:
        return mark_safe(escape(text))  # noqa: S308 - escaped
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(str(escape(text[last : match.start()])))
        out.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    out.append(str(escape(text[last:])))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped


def _excerpt(text: str, query: str, *, width: int = 220) -> SafeString:
    """About `width` characters of `text` around the first word of `query` it holds, marked."""
    lower = text.lower()
    positions = [lower.find(word) for word in _words(query) if word in lower]
    start = max(0, min(positions, default=0) - width // 3)
    piece = text[start : start + width]
    prefix, suffix = ("… " if start else ""), (" …" if start + width < len(text) else "")
    return mark_safe(f"{prefix}{_highlight(piece, query)}{suffix}")  # noqa: S308 - _highlight escapes


def search_categories(readable: list[int] | None) -> list[Category]:
    """The categories a reader may choose among (with their group): one query."""
    categories = Category.objects.select_related("group").order_by("order", "name")
    if readable is not None:
        categories = categories.filter(pk__in=readable)
    return list(categories)
