"""Forum search: what it finds, what it never shows, its filters, its snippets and its query count.

Each behaviour runs twice: on PostgreSQL's stored vectors ("postgres", skipped with its reason on SQLite) and on the
fallback SQLite uses ("fallback": portal.search.available answers False, so the same code path SQLite takes runs
on whatever database the tests have)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from community.models import CommunitySettings, Post, Topic
from community.selectors import search as search_selectors
from community.services import posting
from tests.community.conftest import category, member, moderator, private_group, topic

pytestmark = pytest.mark.django_db
URL = reverse("community:search")


@pytest.fixture(params=["postgres", "fallback"])
def engine(request, monkeypatch):
    if request.param == "postgres":
        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL: set DATABASE_URL to run it (the fallback case runs here)")
        request.applymarker(pytest.mark.postgres)
    else:
        monkeypatch.setattr("portal.search.available", lambda using="default": False)
    return request.param


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [hit.post.topic.title for hit in response.context["results"].hits]


def test_finds_titles_and_posts_and_marks_the_words(client, engine):
    author = member()
    where = category()
    topic(author, where, title="Trauma-informed tenancies")
    other = topic(author, where, title="Waiting rooms")
    posting.post_reply(author=author, topic=other, body="We repainted the waiting room and changed the tenancies.")
    topic(author, where, title="Something unrelated")

    response = client.get(URL, {"q": "tenancies"})

    assert sorted(titles(response)) == ["Trauma-informed tenancies", "Waiting rooms"]
    page = response.content.decode()
    assert "<mark>tenancies</mark>" in page
    assert "Something unrelated" not in page


def test_title_matches_rank_first_on_postgres(client, engine):
    if engine != "postgres":
        pytest.skip("ranking is PostgreSQL's; the fallback lists newest first")
    author = member()
    where = category()
    titled = topic(author, where, title="Supervision")
    mentioned = topic(author, where, title="Team meetings")
    posting.post_reply(author=author, topic=mentioned, body="Supervision came up again.")
    hits = client.get(URL, {"q": "supervision"}).context["results"].hits
    assert [hit.post.topic_id for hit in hits] == [titled.pk, mentioned.pk]


def test_private_group_content_is_found_by_its_members_only(client, engine):
    insider, outsider = member(), member()
    cohort = private_group(insider)
    hidden_place = category("Cohort space", group=cohort)
    topic(insider, hidden_place, title="Cohort reflections on resilience")
    topic(insider, category("Open space"), title="Open thoughts on resilience")

    for person, expected in [
        (None, ["Open thoughts on resilience"]),
        (outsider, ["Open thoughts on resilience"]),
        (insider, ["Cohort reflections on resilience", "Open thoughts on resilience"]),
        (moderator(), ["Cohort reflections on resilience", "Open thoughts on resilience"]),
    ]:
        client.logout()
        if person is not None:
            client.force_login(person)
        response = client.get(URL, {"q": "resilience"})
        assert sorted(titles(response)) == expected, person
        page = response.content.decode()
        if person in (None, outsider):
            assert "Cohort" not in page  # neither the hit, nor the group or its category among the filters


def test_choosing_a_private_category_by_hand_finds_nothing_for_a_non_member(client, engine):
    insider, outsider = member(), member()
    cohort = private_group(insider)
    secret = category("Cohort space", group=cohort)
    topic(insider, secret, title="Cohort resilience")
    client.force_login(outsider)
    response = client.get(URL, {"q": "resilience", "category": secret.pk, "group": cohort.pk})
    assert response.status_code == 200
    assert response.context["results"] is None  # not a choice they have: the form says so, nothing is searched
    assert "Cohort resilience" not in response.content.decode()


def test_held_hidden_and_deleted_posts_never_appear(client, engine):
    author, reader = member(), member()
    where = category()
    shown = topic(author, where, title="Kept topic")
    deleted = posting.post_reply(author=author, topic=shown, body="A note about marmalade.")
    posting.post_delete_own(post=deleted)
    hidden = posting.post_reply(author=author, topic=shown, body="Hidden marmalade thoughts.")
    hidden.status = Post.Status.HIDDEN
    hidden.save(update_fields=["status"])
    hidden_topic = topic(author, where, title="Marmalade recipes")
    Topic.objects.filter(pk=hidden_topic.pk).update(hidden=True)
    CommunitySettings.objects.filter(pk=1).update(held_first_posts=5)
    newcomer = member()
    posting.post_reply(author=newcomer, topic=shown, body="My first post, on marmalade.")
    assert Post.objects.filter(status=Post.Status.HELD).count() == 1
    CommunitySettings.objects.filter(pk=1).update(held_first_posts=0)
    posting.post_reply(author=author, topic=shown, body="Visible marmalade.")

    client.force_login(reader)
    hits = client.get(URL, {"q": "marmalade"}).context["results"].hits
    assert [hit.post.body_markdown for hit in hits] == ["Visible marmalade."]


def test_filters_by_category_group_author_and_date(client, engine):
    alex, sam = member(name="Alex Reid"), member(name="Sam Jones")
    open_group = private_group(alex, sam, name="Nurses")
    open_group.kind = "open"
    open_group.save()
    first, second = category("First"), category("Grouped", group=open_group)
    topic(alex, first, title="Kindness one")
    topic(sam, first, title="Kindness two")
    old = topic(sam, second, title="Kindness three")
    Post.objects.filter(topic=old).update(created_at=timezone.now() - datetime.timedelta(days=40))

    def found(**params) -> list[str]:
        return sorted(titles(client.get(URL, {"q": "kindness", **params})))

    assert found() == ["Kindness one", "Kindness three", "Kindness two"]
    assert found(category=first.pk) == ["Kindness one", "Kindness two"]
    assert found(group=open_group.pk) == ["Kindness three"]
    assert found(author="@" + sam.community_profile.handle) == ["Kindness three", "Kindness two"]
    recent = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    assert found(since=recent) == ["Kindness one", "Kindness two"]
    assert found(until=recent) == ["Kindness three"]
    assert found(category=first.pk, group=open_group.pk) == []


def test_an_unknown_author_or_dates_the_wrong_way_round_get_a_kind_message(client, engine):
    topic(member(), category(), title="Kindness")
    response = client.get(
        URL, {"q": "kindness", "author": "@nobody-here", "since": "2026-02-01", "until": "2026-01-01"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page and page.count("Error: ") == 1
    assert "No member has the handle @nobody-here" in page
    assert "on or after the" in page
    assert response.context["results"] is None


def test_snippets_are_escaped_and_content_notes_keep_the_text_back(client, engine):
    author = member()
    where = category()
    made = posting.topic_create(
        author=author,
        category=where,
        title="<img src=x onerror=alert(1)> sunflower",
        body="<script>alert(2)</script> sunflower",
    )
    posting.topic_create(
        author=author,
        category=where,
        title="A hard week",
        body="Sunflower and the details of what happened.",
        content_note="loss of a child",
    )
    page = client.get(URL, {"q": "sunflower"}).content.decode()
    assert "<script>alert(2)" not in page and "<img src=x" not in page
    assert "<mark>sunflower</mark>" in page
    assert "This post has a content note: loss of a child" in page
    assert "details of what happened" not in page
    assert made.pk


def test_edits_keep_the_vectors_current(client, engine):
    author = member()
    made = topic(author, category(), title="Original heading")
    opening = made.posts.get(number=1)
    posting.post_edit(
        post=opening, editor=author, body="Now about lighthouses.", content_note="", title="Fresh heading"
    )
    assert titles(client.get(URL, {"q": "lighthouses"})) == ["Fresh heading"]
    assert titles(client.get(URL, {"q": "fresh"})) == ["Fresh heading"]
    assert client.get(URL, {"q": "original"}).context["results"].hits == []
    assert client.get(URL, {"q": "letters"}).context["results"].hits == []  # the old body ("How do you write...")


def test_a_new_post_shows_at_once_in_a_cached_signed_out_search(client, engine):
    author = member()
    made = topic(author, category(), title="Gardens")
    assert titles(client.get(URL, {"q": "allotment"})) == []
    posting.post_reply(author=author, topic=made, body="Our allotment group helps.")
    assert titles(client.get(URL, {"q": "allotment"})) == ["Gardens"]


def test_pages_of_results(client, engine, monkeypatch):
    monkeypatch.setattr(search_selectors, "PAGE_SIZE", 3)
    author = member()
    made = topic(author, category(), title="Outdoors")
    for n in range(6):
        posting.post_reply(author=author, topic=made, body=f"Walking group note {n}.")
    first = client.get(URL, {"q": "walking"}).context["results"]
    second = client.get(URL, {"q": "walking", "page": 2}).context["results"]
    assert len(first.hits) == 3 and first.has_next
    assert len(second.hits) == 3 and not second.has_next
    assert {h.post.pk for h in first.hits}.isdisjoint({h.post.pk for h in second.hits})


def _world(size: int):
    author = member()
    places = [category(f"Place {n}") for n in range(3)]
    for n in range(size):
        made = topic(author, places[n % 3], title=f"Wellbeing topic {n}")
        posting.post_reply(author=member(), topic=made, body="Wellbeing matters, with a quote.", content_note="")
    return author


@pytest.mark.parametrize("size", [2, 12])
@pytest.mark.parametrize("signed_in", [False, True])
def test_query_count_is_flat(client, engine, size, signed_in, django_assert_max_num_queries):
    """Guards the N+1 on each hit's topic, category, group and author, and snippets made row by row; and that the
    reader's rights cost the same however many categories or hits there are."""
    author = _world(size)
    if signed_in:
        client.force_login(author)
        client.get(reverse("portal:home"))  # the person's account row is read into the cache on their first request
    # Signed in: the session's user, the profile, the groups, the categories, the candidates (cached after the
    # first search) and the page's rows.
    with django_assert_max_num_queries(6 if signed_in else 3):
        response = client.get(URL, {"q": "wellbeing"})
    assert len(response.context["results"].hits) == min(2 * size, search_selectors.PAGE_SIZE)


def test_cached_candidates_never_show_what_was_hidden_since(client, engine):
    """The candidate list is cached per readable-category set until the forum changes; a change made without a
    version bump (an UPDATE, which sends no signal) still never shows, because the page's rows are read afresh."""
    author = member()
    # Signed out, the whole page is cached too, and each member's own page is kept for them (portal.member_pages):
    # those rely on the bump. Another member of the same groups shares the cached candidates.
    client.force_login(member())
    made = topic(author, category(), title="Orchards")
    reply = posting.post_reply(author=author, topic=made, body="Apple orchards in spring.")
    assert len(client.get(URL, {"q": "apple"}).context["results"].hits) == 1
    Post.objects.filter(pk=reply.pk).update(status=Post.Status.HIDDEN)
    client.force_login(member())
    assert client.get(URL, {"q": "apple"}).context["results"].hits == []
