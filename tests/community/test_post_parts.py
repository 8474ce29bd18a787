"""A post's shared part is cached as HTML (community.caching.post_parts_attach) and goes stale at once on a change."""

import pytest

from community.models import CommunityProfile, Post
from community.services import moderation, posting
from tests.community.conftest import category, member, moderator, topic

pytestmark = pytest.mark.django_db


def _page(client, made) -> str:
    return client.get(made.get_absolute_url() + "?page=1").content.decode()


def test_the_shared_part_is_served_from_the_cache_until_the_forum_changes(client):
    author, reader = member(), member()
    made = topic(author, category(), replies=1)
    client.force_login(reader)
    assert "Reply 1." in _page(client, made)

    # A write that bypasses the services and receivers is not seen: the part came from the cache...
    Post.objects.filter(topic=made, number=2).update(body_html="<p>Changed behind its back.</p>")
    page = _page(client, made)
    assert "Reply 1." in page and "Changed behind its back." not in page

    # ...and an edit through the service shows at once.
    post = made.posts.get(number=2)
    posting.post_edit(post=post, editor=author, body="Edited reply.", content_note="")
    page = _page(client, made)
    assert "Edited reply." in page and "Reply 1." not in page


def test_hiding_a_post_and_renaming_its_author_show_at_once(client):
    author, reader = member(), member()
    made = topic(author, category(), replies=1)
    client.force_login(reader)
    assert "Reply 1." in _page(client, made)

    moderation.post_hide(post=made.posts.get(number=2), moderator=moderator(), reason="Off topic")
    page = _page(client, made)
    assert "Reply 1." not in page and "Hidden by a moderator." in page

    profile = CommunityProfile.objects.get(user=author)
    profile.display_name = "Morag Renamed"
    profile.save()
    assert "Morag Renamed" in _page(client, made)


def test_the_readers_own_controls_are_not_shared(client):
    author, reader = member(), member()
    made = topic(author, category(), replies=1)
    client.force_login(author)
    assert "Edit<span" in _page(client, made)  # warms the cache as the author
    client.force_login(reader)
    page = _page(client, made)
    assert "Edit<span" not in page and "Flag<span" in page


def test_a_categorys_cached_topic_list_shows_a_new_topic_at_once(client):
    author, reader = member(), member()
    where = category()
    topic(author, where, title="The first topic")
    client.force_login(reader)
    assert "The first topic" in client.get(where.get_absolute_url()).content.decode()

    topic(author, where, title="A second topic")
    page = client.get(where.get_absolute_url()).content.decode()
    assert "The first topic" in page and "A second topic" in page
