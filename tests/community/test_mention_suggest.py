"""The members suggested as someone types an @mention (GET /community/members/suggest/?q=...): who is suggested,
who is not, what comes back, its limit, its rate limit and its query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.models import CommunityProfile
from community.selectors.members import SUGGESTIONS
from community.services import blocks, posting
from community.services.mentions import link_mentions
from tests.community.conftest import category, join, member, pending_member, suspended_member
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("community:member-suggest")


def suggest(client, q: str) -> list[dict[str, str]]:
    response = client.get(URL, {"q": q})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    return response.json()["members"]


def listed(name: str, **fields) -> object:
    return join(name=name, listed_in_directory=True, **fields)


def test_members_are_suggested_by_the_start_of_their_handle_name_or_a_word_of_it(client):
    writer = member(name="Ailsa Grant")
    listed("Morven Reid")
    listed("Eilidh Morrison")
    listed("Callum Baird")
    client.force_login(writer)
    assert [m["handle"] for m in suggest(client, "mor")] == ["eilidh-morrison", "morven-reid"]
    assert suggest(client, "@morven-r") == [{"name": "Morven Reid", "handle": "morven-reid"}]
    assert suggest(client, "BAIRD") == [{"name": "Callum Baird", "handle": "callum-baird"}]
    assert suggest(client, "m") == []  # one letter: nothing looked up
    assert suggest(client, "zz") == []


def test_only_members_an_at_mention_would_reach_are_suggested(client):
    writer = member(name="Ailsa Grant")
    listed("Mora Listed")
    unlisted = join(name="Mora Unlisted")  # not in the directory and never posted: not revealed
    poster = join(name="Mora Poster")  # not in the directory, but their name shows beside their post
    posting.topic_create(author=poster, category=category(), title="Hello", body="Hi.")
    blocker = listed("Mora Blocker")
    blocks.member_block_set(member=blocker, blocked=writer, kind="block")
    muter = listed("Mora Muter")  # a mute hides posts from the muter; it does not stop mentions
    blocks.member_block_set(member=muter, blocked=writer, kind="mute")
    suspended = suspended_member()
    CommunityProfile.objects.filter(user=suspended).update(display_name="Mora Suspended", listed_in_directory=True)
    ended = suspended_member()
    CommunityProfile.objects.filter(user=ended).update(
        display_name="Mora Ended", listed_in_directory=True, suspended_until=timezone.now()
    )
    waiting = pending_member()
    CommunityProfile.objects.filter(user=waiting).update(display_name="Mora Waiting", listed_in_directory=True)
    odd = listed("Mora Odd")
    CommunityProfile.objects.filter(user=odd).update(handle="mora_odd")  # an old handle the parser cannot read
    listed("Ailsa Other")
    client.force_login(writer)

    names = [m["name"] for m in suggest(client, "mora")]
    assert names == ["Mora Ended", "Mora Listed", "Mora Muter", "Mora Poster"]
    assert [m["name"] for m in suggest(client, "ailsa")] == ["Ailsa Other"]  # never the writer themselves
    assert unlisted.community_profile.handle not in {m["handle"] for m in suggest(client, "mora-u")}
    # Each one suggested is mentioned by the text the list inserts; the blocker would not be.
    for suggestion in suggest(client, "mora"):
        _, mentioned = link_mentions(f"Hello @{suggestion['handle']} ", author=writer)
        assert [p.handle for p in mentioned] == [suggestion["handle"]]
    _, mentioned = link_mentions(f"Hello @{blocker.community_profile.handle}", author=writer)
    assert mentioned == []


def test_at_most_eight_are_suggested_in_name_order(client):
    writer = member(name="Ailsa Grant")
    for n in range(SUGGESTIONS + 3):
        listed(f"Rowan {n:02d}")
    client.force_login(writer)
    found = suggest(client, "rowan")
    assert [m["name"] for m in found] == [f"Rowan {n:02d}" for n in range(SUGGESTIONS)]


def test_names_come_back_as_data_never_as_markup(client):
    writer = member(name="Ailsa Grant")
    listed('Mhairi </script><img src=x onerror=alert(1)> "Q"')
    client.force_login(writer)
    response = client.get(URL, {"q": "mhairi"})
    assert response["Content-Type"] == "application/json"
    assert response.json()["members"][0]["name"] == 'Mhairi </script><img src=x onerror=alert(1)> "Q"'


def test_only_members_who_may_post_are_answered(client):
    assert client.get(URL, {"q": "mo"}).status_code == 302  # signed out: to sign in
    client.force_login(UserFactory())
    assert client.get(URL, {"q": "mo"}).status_code == 403  # not joined
    client.force_login(pending_member())
    assert client.get(URL, {"q": "mo"}).status_code == 403
    client.force_login(suspended_member())
    assert client.get(URL, {"q": "mo"}).status_code == 403
    assert client.post(URL, {"q": "mo"}).status_code == 405


def test_asking_is_rate_limited(client):
    client.force_login(member(name="Ailsa Grant"))
    for _ in range(60):
        assert client.get(URL, {"q": "mo"}).status_code == 200
    assert client.get(URL, {"q": "mo"}).status_code == 429


def test_the_query_count_stays_flat(client):
    """Guards against reading each suggested member's profile, user or blocks one by one."""
    writer = member(name="Ailsa Grant")
    for n in range(2):
        listed(f"Skye {n}")
    client.force_login(writer)
    suggest(client, "sk")  # the first request reads the session and the person once per process's caches

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert len(suggest(client, "skye")) > 0
        return len(queries)

    small = count()
    for n in range(2, 12):
        blocker = listed(f"Skye {n}")
        if n % 3 == 0:
            blocks.member_block_set(member=blocker, blocked=writer, kind="block")
    large = count()
    assert small == large <= 6
