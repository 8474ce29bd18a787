"""`manage.py seed_scale --forum-posts N`: the forum's scale data is whole and consistent (counters, last posts,
vectors), on PostgreSQL's set-wise path and on SQLite's bulk_create path (whichever database the tests run on), and
a second run with 0 removes it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Max, Sum

from community.models import Category, CommunityProfile, Post, Topic
from community.selectors import search as search_selectors
from portal.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def seed(posts: int) -> None:
    call_command(
        "seed_scale",
        allow_production=True,
        forum_posts=posts,
        forum_topics=posts // 10,
        forum_members=12,
        forum_categories=5,
        stdout=open("/dev/null", "w"),  # noqa: SIM115 - closed with the process; only the output is unwanted
    )


def test_seed_scale_makes_consistent_data_and_removes_it():
    seed(400)
    topics = Topic.objects.filter(category__slug__startswith="scale-")
    posts = Post.objects.filter(topic__in=topics)
    assert topics.count() == 40
    assert posts.count() == 400
    assert User.objects.filter(email__startswith="scale-member-").count() == 12
    assert CommunityProfile.objects.filter(handle__startswith="scale-member-", status="active").count() == 12
    # Counters match the rows, and the last post is the highest-numbered one.
    for topic in topics.annotate(n=Count("posts"), top=Max("posts__number")).select_related("last_post"):
        assert topic.post_count == topic.n == topic.last_post_number == topic.top
        assert topic.reply_count == topic.n - 1
        assert topic.last_post.number == topic.top
        assert topic.last_activity_at >= topic.created_at
    for category in Category.objects.filter(slug__startswith="scale-"):
        mine = topics.filter(category=category)
        assert category.topic_count == mine.count()
        assert category.post_count == (mine.aggregate(total=Sum("post_count"))["total"] or 0)
        if category.topic_count:
            assert category.last_topic_id == mine.order_by("-last_activity_at", "-id").first().pk
    by_author = dict(posts.values("author_id").annotate(n=Count("pk")).values_list("author_id", "n"))
    for profile in CommunityProfile.objects.filter(handle__startswith="scale-member-"):
        assert profile.post_count == by_author.get(profile.user_id, 0)
    # The common word is found, through the vectors on PostgreSQL and the fallback elsewhere.
    found = search_selectors.search_posts(search_selectors.SearchFilters(text="trauma"), readable=None)
    assert found.hits
    if connection.vendor == "postgresql":
        assert not posts.filter(search_vector=None).exists()

    seed(0)
    assert not Topic.objects.filter(category__slug__startswith="scale-").exists()
    assert not Category.objects.filter(slug__startswith="scale-").exists()
    assert not User.objects.filter(email__startswith="scale-member-").exists()
