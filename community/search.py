"""What the forum's stored search vectors are made of, and their updaters (see portal/search.py).

One index answers a search: the post's. A post's vector holds its text (B) and its content note (C); an opening
post's also holds its topic's title (A), so a title match finds the topic through its first post and ranks above a
match in the text. The topic's own vector (its title, A) is kept too, for the site-wide search to come.

Kept current by community/receivers.py on every save of a post or topic (the services, the admin, the demo and the
moderators' tools alike), and by community.services.posting when a title changes through an UPDATE. On SQLite the
columns stay empty and community.selectors.search uses its own fallback.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Case, OuterRef, Subquery, TextField, Value, When
from django.db.models.functions import Coalesce

from community.models import Post, Topic
from portal.search import Weighted, update_vectors

# A post's columns that feed its vector: a save touching none of them leaves the vector as it was.
POST_FIELDS = frozenset({"body_markdown", "content_note", "number", "topic"})
TOPIC_FIELDS = frozenset({"title"})


def post_parts(post_model: Any, topic_model: Any) -> list[Weighted]:  # models, real or historical: untyped here
    title = Subquery(topic_model.objects.filter(pk=OuterRef("topic_id")).values("title")[:1])
    opening_title = Case(When(number=1, then=Coalesce(title, Value(""))), default=Value(""), output_field=TextField())
    return [Weighted(opening_title, "A"), Weighted("body_markdown", "B"), Weighted("content_note", "C")]


def topic_parts() -> list[Weighted]:
    return [Weighted("title", "A")]


def post_vectors_update(post_ids: Iterable[int]) -> int:
    """Rewrite the vectors of these posts: one UPDATE (nothing on SQLite)."""
    ids = list(post_ids)
    if not ids:
        return 0
    return update_vectors(Post.objects.filter(pk__in=ids), post_parts(Post, Topic))


def topic_vectors_update(topic_ids: Iterable[int]) -> int:
    """Rewrite the vectors of these topics and of their opening posts (which carry the title): two UPDATEs."""
    ids = list(topic_ids)
    if not ids:
        return 0
    update_vectors(Post.objects.filter(topic_id__in=ids, number=1), post_parts(Post, Topic))
    return update_vectors(Topic.objects.filter(pk__in=ids), topic_parts())
