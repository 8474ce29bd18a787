"""Muting takes things out of the member's lists, as the choice says ("never tell me, and leave it out of my lists"):
a muted topic leaves its category's list (a link shows it again, marked), and neither a muted topic nor the topics
of a muted category count as new on the front page, unless the member chose otherwise for the topic itself."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community.models import WatchLevel
from community.services.watching import watch_set
from tests.community.conftest import category, member, topic
from tests.community.test_queries import _flat, _grow

pytestmark = pytest.mark.django_db


def _titles(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_muted_topic_leaves_the_members_category_list_and_no_one_elses(client):
    reader, other, author = member(), member(), member()
    where = category("Sharing practice")
    kept = topic(author, where, title="Letters that help")
    muted = topic(author, where, title="A topic I muted")
    watch_set(member=reader, level=WatchLevel.MUTED, topic=muted)
    client.force_login(reader)

    page = _titles(client, where.get_absolute_url())
    assert kept.title in page and muted.title not in page
    assert "1 topic you muted is left out." in page

    shown = _titles(client, f"{where.get_absolute_url()}?muted=show")
    assert muted.title in shown and ">Muted</strong>" in shown and "Leave them out" in shown

    watch_set(member=reader, level="", topic=muted)  # unmuted: back in the list
    assert muted.title in _titles(client, where.get_absolute_url())

    watch_set(member=reader, level=WatchLevel.MUTED, topic=muted)
    client.force_login(other)
    page = _titles(client, where.get_absolute_url())
    assert muted.title in page and "you muted" not in page
    client.logout()
    assert muted.title in _titles(client, where.get_absolute_url())


def test_muted_topics_and_categories_do_not_count_as_new(client):
    reader, author = member(), member()
    quiet = category("Quiet place", order=1)
    busy = category("Busy place", order=2)
    topic(author, busy, title="New and wanted")
    muted_topic = topic(author, busy, title="New but muted")
    watch_set(member=reader, level=WatchLevel.MUTED, topic=muted_topic)
    topic(author, quiet, title="In a muted category")
    wanted_there = topic(author, quiet, title="Watched in a muted category")
    watch_set(member=reader, level=WatchLevel.MUTED, category=quiet)
    watch_set(member=reader, level=WatchLevel.WATCHING, topic=wanted_there)
    client.force_login(reader)

    page = _titles(client, reverse("community:landing"))
    # One new topic in each: the wanted one in the busy place, the watched one in the muted place.
    assert page.count("1 with new posts") == 2

    watch_set(member=reader, level="", topic=wanted_there)
    page = _titles(client, reverse("community:landing"))
    assert page.count("1 with new posts") == 1


def test_the_category_list_with_mutes_keeps_its_query_count(client):
    """Guards against looking up the member's choice for each topic of the page one by one."""
    reader, author = member(), member()
    others = [member() for _ in range(3)]
    where = category()
    muted, _kept = _grow(author, others, where, topics=2, replies=1)
    watch_set(member=reader, level=WatchLevel.MUTED, topic=muted)
    client.force_login(reader)

    def grow():
        for n, one in enumerate(_grow(author, others, where, topics=30, replies=1)):
            if n % 2:
                watch_set(member=reader, level=WatchLevel.MUTED, topic=one)

    _flat(client, lambda: where.get_absolute_url(), grow, ceiling=8)
