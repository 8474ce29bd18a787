"""Query counts for the forum's pages stay flat however much they show: each page is asked for at two data sizes and
must make the same number of queries (and no more than a small ceiling)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community.services import blocks, posting, reactions, reading
from tests.community.conftest import category, member, private_group, topic

pytestmark = pytest.mark.django_db


def _count(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), [q["sql"] for q in queries.captured_queries]


def _grow(author, others, where, *, topics: int, replies: int) -> list:
    made = []
    for _ in range(topics):
        one = topic(author, where, title=f"Topic {len(made)} in {where.name}")
        for r in range(replies):
            post = posting.post_reply(author=others[r % len(others)], topic=one, body=f"Reply {r} by @{r}")
            reactions.reaction_toggle(post=post, member=author, kind="thanks")
        made.append(one)
    return made


def _warm(client) -> None:
    """The first request of a signed-in person fills per-process caches (the header's counts): not the page's cost."""
    client.get(reverse("portal:home"))


def _flat(client, url_for, grow, *, ceiling: int) -> None:
    _warm(client)
    small, _ = _count(client, url_for())
    grow()
    _warm(client)  # growing wrote notifications, so the header's count is read afresh once
    large, sql = _count(client, url_for())
    assert small == large <= ceiling, f"{small} {large}\n" + "\n".join(sql)


def test_front_page(client):
    """Guards the N+1 on each category's group and latest topic, and against counting topics per category."""
    reader, author = member(), member()
    others = [member() for _ in range(3)]
    group = private_group(reader)
    wheres = [category("One"), category("Two", group=group)]
    for where in wheres:
        for one in _grow(author, others, where, topics=2, replies=1):
            reading.read_state_mark(member_id=reader.pk, topic_id=one.pk, number=1)
    client.force_login(reader)

    def grow():
        for n in range(6):
            where = category(f"More {n}", group=group if n % 2 else None)
            for one in _grow(author, others, where, topics=3, replies=2):
                reading.read_state_mark(member_id=reader.pk, topic_id=one.pk, number=1)

    _flat(client, lambda: reverse("community:landing"), grow, ceiling=6)
    client.logout()
    _flat(client, lambda: reverse("community:landing"), lambda: category("Later"), ceiling=1)


def test_category_topic_list(client):
    """Guards the N+1 on each topic's author and last poster (and their profiles) and on read positions."""
    reader, author = member(), member()
    others = [member() for _ in range(4)]
    where = category()
    _grow(author, others, where, topics=2, replies=1)
    client.force_login(reader)

    def grow():
        made = _grow(author, others, where, topics=30, replies=2)
        for one in made[::3]:
            reading.read_state_mark(member_id=reader.pk, topic_id=one.pk, number=1)
        made[0].pinned = True
        made[0].save(update_fields=["pinned"])

    # 8: the session (a query without Redis), the category, the reader's profile, pinned and other topics, the
    # topics they muted, their read positions and their choice for the category.
    _flat(client, lambda: where.get_absolute_url(), grow, ceiling=8)


def test_topic_page(client):
    """Guards the N+1 on each post's author, profile, quoted post, attachments and the reader's reactions, and
    checks the read position is one statement however long the page."""
    reader, author = member(), member()
    others = [member() for _ in range(5)]
    where = category()
    made = topic(author, where, replies=1)
    blocks.member_block_set(member=reader, blocked=others[0], kind="mute")
    client.force_login(reader)
    url = made.get_absolute_url() + "?page=1"

    def grow():
        previous = None
        for n in range(30):
            previous = posting.post_reply(
                author=others[n % 5], topic=made, body=f"Reply {n}", reply_to=previous, content_note="Note" * (n % 2)
            )
            reactions.reaction_toggle(post=previous, member=reader, kind="support")

    # Both visits move the read position forward: one statement each time.
    _warm(client)
    small, _ = _count(client, url)
    grow()
    _warm(client)  # growing wrote notifications, so the header's count is read afresh once
    large, sql = _count(client, url)
    assert small == large <= 10, "\n".join(sql)
    last_page, _ = _count(client, made.get_absolute_url() + "?page=2")
    assert last_page == large


def test_topic_page_signed_out(client, django_assert_max_num_queries):
    """Signed out: the topic and its page of posts, nothing per post."""
    made = topic(member(), category(), replies=25)
    with django_assert_max_num_queries(4):
        assert client.get(made.get_absolute_url() + "?page=2").status_code == 200
