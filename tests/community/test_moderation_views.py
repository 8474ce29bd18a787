"""Moderation pages through the test client: flagging, the moderators' pages and who may open them (a member, a
moderator with and without two-step verification, an IS admin), kind rate limits that keep what was written,
suspended and held members' messages, and query counts that stay flat as the queue and the log grow."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.models import CommunitySettings, Flag, ModerationAction, Post
from community.services import flags, moderation, posting, restructure
from portal.permissions import StaffGroup
from tests.community.conftest import category, member, moderator, topic
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _reply(where=None, *, author=None, body="A reply worth reading."):
    author = author or member()
    made = topic(author, where or category(), replies=0)
    return posting.post_reply(author=author, topic=made, body=body)


# --- Flagging ---------------------------------------------------------------------------------------------------


def test_a_member_flags_a_reply_and_is_told_what_happens_next(client):
    post, flagger = _reply(), member()
    client.force_login(flagger)
    page = client.get(reverse("community:topic-detail", args=[post.topic_id]) + "?page=1")
    assert reverse("community:post-flag", args=[post.pk]) in page.content.decode()
    form = client.get(reverse("community:post-flag", args=[post.pk]))
    assert form.status_code == 200 and "Why are you flagging this post?" in form.content.decode()
    done = client.post(reverse("community:post-flag", args=[post.pk]), {"reason": "unkind", "note": "Harsh."})
    assert done.status_code == 200 and "What happens next" in done.content.decode()
    flag = Flag.objects.get(post=post)
    assert (flag.member_id, flag.reason, flag.note) == (flagger.pk, "unkind", "Harsh.")


def test_a_needs_support_flag_shows_the_flagger_support_links(client):
    post = _reply()
    client.force_login(member())
    done = client.post(reverse("community:post-flag", args=[post.pk]), {"reason": "needs_support"})
    assert reverse("portal:support") in done.content.decode()
    assert "told straight away" in done.content.decode()


def test_a_flag_without_a_reason_changes_nothing_and_keeps_the_note(client):
    post = _reply()
    client.force_login(member())
    response = client.post(reverse("community:post-flag", args=[post.pk]), {"note": "Please look at this one."})
    body = response.content.decode()
    assert response.status_code == 400 and body.count("<title>Error: ") == 1
    assert "Please look at this one." in body and not Flag.objects.exists()


def test_own_posts_cannot_be_flagged_and_signed_out_people_sign_in(client):
    post = _reply()
    client.force_login(post.author)
    assert client.post(reverse("community:post-flag", args=[post.pk]), {"reason": "spam"}).status_code == 403
    client.logout()
    assert client.get(reverse("community:post-flag", args=[post.pk])).status_code == 302
    assert not Flag.objects.exists()


def test_flagging_too_often_keeps_the_note_and_says_so_kindly(client):
    post = _reply()
    client.force_login(member())
    url = reverse("community:post-flag", args=[post.pk])
    for _ in range(20):
        assert client.post(url, {"reason": "spam"}).status_code == 200
    response = client.post(url, {"reason": "other", "note": "My careful note."})
    assert response.status_code == 429
    body = response.content.decode()
    assert "My careful note." in body and "Nothing is lost" in body


# --- Rate limits on posting -------------------------------------------------------------------------------------


def test_replying_too_often_keeps_the_reply_in_the_form(client):
    author = member()
    made = topic(author, category())
    client.force_login(author)
    url = reverse("community:topic-reply", args=[made.pk])
    for n in range(30):
        assert client.post(url, {"body": f"Reply {n}."}).status_code == 302
    response = client.post(url, {"body": "The words I do not want to lose."})
    assert response.status_code == 429
    assert "The words I do not want to lose." in response.content.decode()
    assert "Nothing is lost" in response.content.decode()
    made.refresh_from_db()
    assert made.last_post_number == 31


def test_mentions_have_their_own_limit(client):
    author, friend = member(), member(name="Morven Reid")
    made = topic(author, category())
    client.force_login(author)
    url = reverse("community:topic-reply", args=[made.pk])
    handle = friend.community_profile.handle
    for n in range(20):
        assert client.post(url, {"body": f"@{handle} thought {n}"}).status_code == 302
    limited = client.post(url, {"body": f"@{handle} one more"})
    assert limited.status_code == 429 and f"@{handle} one more" in limited.content.decode()
    assert client.post(url, {"body": "No mention, so this goes through."}).status_code == 302


def test_new_topics_are_limited_with_the_text_kept(client):
    author, where = member(), category()
    client.force_login(author)
    url = reverse("community:topic-create", args=[where.slug])
    for n in range(10):
        data = {"title": f"Topic {n}", "kind": "discussion", "body": "Hello."}
        assert client.post(url, data).status_code == 302
    response = client.post(url, {"title": "Eleventh", "kind": "discussion", "body": "Kept words."})
    assert response.status_code == 429 and "Kept words." in response.content.decode()


# --- Held posts and suspended members ---------------------------------------------------------------------------


def test_a_held_reply_tells_its_author_it_waits_for_a_moderator(client):
    made = topic(member(), category())
    CommunitySettings.objects.filter(pk=1).update(held_first_posts=1)
    newcomer = member()
    client.force_login(newcomer)
    response = client.post(reverse("community:topic-reply", args=[made.pk]), {"body": "Hello all."}, follow=True)
    assert "A moderator reads the first posts of new members" in response.content.decode()
    assert Post.objects.get(topic=made, number=2).status == Post.Status.HELD


def test_a_suspended_member_reads_with_a_kind_message_and_cannot_reply(client):
    mod, person = moderator(), member()
    made = topic(member(), category())
    until = timezone.now() + datetime.timedelta(days=3)
    moderation.member_suspend(profile=person.community_profile, moderator=mod, until=until, reason="Time to reflect.")
    client.force_login(person)
    page = client.get(reverse("community:topic-detail", args=[made.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "Time to reflect." in body
    assert timezone.localtime(until).strftime("%-d %B %Y") in body
    reply = client.post(reverse("community:topic-reply", args=[made.pk]), {"body": "Can I?"})
    assert reply.status_code == 403
    made.refresh_from_db()
    assert made.last_post_number == 1


# --- Who may open the moderators' pages -------------------------------------------------------------------------


@pytest.fixture
def people():
    return {
        "member": member(),
        "moderator": moderator(),
        "moderator-without-2fa": moderator(second_factor=False),
        "is-admin": StaffFactory(groups=[StaffGroup.IS_ADMINS.value]),
    }


@pytest.mark.parametrize(
    ("who", "queue", "log"),
    [
        ("member", 404, 404),
        ("moderator", 200, 200),
        ("moderator-without-2fa", 302, 302),
        ("is-admin", 404, 200),
    ],
)
def test_who_may_open_the_queue_and_the_audit_log(client, people, who, queue, log):
    client.force_login(people[who])
    queue_response = client.get(reverse("community:moderation-queue"))
    log_response = client.get(reverse("community:moderation-log"))
    assert (queue_response.status_code, log_response.status_code) == (queue, log)
    if who == "moderator-without-2fa":
        assert queue_response["Location"] == reverse("mfa_index")


def test_a_moderator_without_2fa_cannot_hide_a_post(client, people):
    post = _reply()
    client.force_login(people["moderator-without-2fa"])
    client.post(reverse("community:moderation-post", args=[post.pk]), {"action": "hide", "reason": "No."})
    post.refresh_from_db()
    assert post.status == Post.Status.VISIBLE and not ModerationAction.objects.exists()


def test_a_moderator_hides_a_flagged_reply_and_the_log_shows_it(client, people):
    post = _reply()
    flags.flag_create(post=post, member=member(), reason=Flag.Reason.UNKIND, note="Unkind about a colleague.")
    client.force_login(people["moderator"])
    queue = client.get(reverse("community:moderation-queue")).content.decode()
    assert "Unkind about a colleague." in queue
    detail = reverse("community:moderation-post", args=[post.pk])
    missing_reason = client.post(detail, {"action": "hide"})
    assert missing_reason.status_code == 400 and "Give a reason" in missing_reason.content.decode()
    done = client.post(detail, {"action": "hide", "reason": "It was unkind to a colleague."})
    assert done.status_code == 302
    post.refresh_from_db()
    assert post.status == Post.Status.HIDDEN
    log = client.get(reverse("community:moderation-log")).content.decode()
    assert "Hid a post" in log and "It was unkind to a colleague." in log
    client.force_login(people["is-admin"])
    assert "It was unkind to a colleague." in client.get(reverse("community:moderation-log")).content.decode()


def test_a_moderator_sees_a_posts_edit_history_and_edits_with_a_reason(client, people):
    post = _reply(body="Call me on 07700 900000.")
    client.force_login(people["moderator"])
    edit = reverse("community:moderation-post-edit", args=[post.pk])
    assert client.post(edit, {"body": "Call me.", "content_note": ""}).status_code == 400
    assert client.post(edit, {"body": "Call me.", "content_note": "", "reason": "A phone number."}).status_code == 302
    detail = client.get(reverse("community:moderation-post", args=[post.pk])).content.decode()
    assert "07700 900000" in detail and "A phone number." in detail


def test_topic_tools_lock_move_and_split(client, people):
    mod = people["moderator"]
    here, there = category("Here"), category("There")
    made = topic(member(), here, replies=3)
    client.force_login(mod)
    url = reverse("community:moderation-topic", args=[made.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"form": "state", "action": "lock"}).status_code == 302
    assert client.post(url, {"form": "move", "category": there.pk}).status_code == 302
    made.refresh_from_db()
    assert made.locked and made.category_id == there.pk
    bad_merge = client.post(url, {"form": "merge", "target": 999999})
    assert bad_merge.status_code == 400 and "no topic with that number" in bad_merge.content.decode()
    assert bad_merge.content.decode().count("<title>Error: ") == 1
    split = reverse("community:moderation-split", args=[made.pk])
    assert client.get(split).status_code == 200
    third = Post.objects.get(topic=made, number=3)
    response = client.post(split, {"posts": [third.pk], "title": "Split off", "category": here.pk})
    assert response.status_code == 302
    third.refresh_from_db()
    assert third.number == 1 and third.topic.title == "Split off"


def test_a_moderator_suspends_and_lifts_from_the_member_page(client, people):
    person = member()
    client.force_login(people["moderator"])
    url = reverse("community:moderation-member", args=[person.community_profile.pk])
    assert client.post(url, {"form": "suspend", "days": "7"}).status_code == 400
    assert client.post(url, {"form": "suspend", "days": "7", "reason": "A pause."}).status_code == 302
    person.community_profile.refresh_from_db()
    assert person.community_profile.status == "suspended"
    suspended = client.get(reverse("community:moderation-suspended")).content.decode()
    assert person.community_profile.display_name in suspended
    assert client.post(url, {"form": "lift"}).status_code == 302
    person.community_profile.refresh_from_db()
    assert person.community_profile.status == "active"


def test_the_audit_log_filters_and_pages_with_a_keyset(client, people):
    mod, other = people["moderator"], moderator()
    made = topic(member(), category())
    for n in range(52):
        restructure.topic_set_pinned(topic=made, moderator=mod, pinned=bool(n % 2), reason=f"Reason {n}")
    restructure.topic_set_locked(topic=made, moderator=other, locked=True, reason="Other's lock")
    client.force_login(mod)
    url = reverse("community:moderation-log")
    first = client.get(url).content.decode()
    assert "Other&#x27;s lock" in first and "Older actions" in first
    only_other = client.get(url, {"moderator": other.pk}).content.decode()
    assert "Other&#x27;s lock" in only_other and "Reason 1" not in only_other
    only_locks = client.get(url, {"action": "lock_topic"}).content.decode()
    assert "Other&#x27;s lock" in only_locks and "Reason 3" not in only_locks
    oldest = ModerationAction.objects.order_by("created_at", "pk")[1]
    stamp = f"{int(oldest.created_at.timestamp() * 1_000_000)}-{oldest.pk}"
    last_page = client.get(url, {"before": stamp}).content.decode()
    assert "Reason 0" in last_page and "Reason 1<" not in last_page and "Older actions" not in last_page


# --- Query counts -----------------------------------------------------------------------------------------------


def _queries(client, url: str) -> tuple[int, str]:
    """The queries of a warm request: the first after sign-in also reads the person's account row into the cache."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_queue_makes_the_same_queries_at_two_sizes(client, people):
    """Guards the N+1 on each queued post's topic, category and author, and on each post's flags and flaggers."""
    client.force_login(people["moderator"])
    url = reverse("community:moderation-queue")
    where = category("Busy")
    sizes = []
    for size in (2, 12):
        while Flag.objects.values("post_id").distinct().count() < size:
            post = _reply(where)
            for reason in (Flag.Reason.SPAM, Flag.Reason.HARMFUL):
                flags.flag_create(post=post, member=member(), reason=reason)
        count, body = _queries(client, url)
        assert body.count('class="ds_search-result"') == size
        sizes.append(count)
    assert sizes[0] == sizes[1] <= 14, sizes


def test_the_audit_log_makes_the_same_queries_at_two_sizes(client, people):
    """Guards the N+1 on each row's moderator, member, topic and post."""
    mod, where = people["moderator"], category()
    client.force_login(mod)
    url = reverse("community:moderation-log")
    sizes = []
    for size in (3, 30):
        while ModerationAction.objects.count() < size:
            moderation.post_hide(post=_reply(where), moderator=mod, reason="Hidden.")
        count, body = _queries(client, url)
        assert body.count("<td>Hid a post</td>") == size
        sizes.append(count)
    assert sizes[0] == sizes[1] <= 10, sizes


def test_the_waiting_page_makes_the_same_queries_at_two_sizes(client, people):
    """Guards the N+1 on each held post's topic, category and author, and each waiting member."""
    made = topic(member(), category())
    CommunitySettings.objects.filter(pk=1).update(held_first_posts=1, require_member_approval=True)
    client.force_login(people["moderator"])
    url = reverse("community:moderation-waiting")
    sizes = []
    for size in (2, 10):
        while Post.objects.filter(status=Post.Status.HELD).count() < size:
            newcomer = member()
            moderation.member_approve(profile=newcomer.community_profile, moderator=people["moderator"])
            posting.post_reply(author=newcomer, topic=made, body="First words.")
            member()  # one more waiting to join
        count, body = _queries(client, url)
        assert body.count('class="ds_search-result"') == size
        sizes.append(count)
    assert sizes[0] == sizes[1] <= 12, sizes


def test_moderators_change_the_settings_and_the_log_records_what_changed(client, people):
    client.force_login(people["moderator"])
    url = reverse("community:moderation-settings")
    assert client.get(url).status_code == 200
    data = {
        "require_member_approval": "on",
        "held_first_posts": "2",
        "auto_hide_flags": "3",
        "established_after_days": "14",
        "established_min_posts": "3",
        "reason": "A busy week.",
    }
    bad = client.post(url, {**data, "held_first_posts": "-1"})
    assert bad.status_code == 400 and bad.content.decode().count("<title>Error: ") == 1
    assert not CommunitySettings.objects.get(pk=1).require_member_approval
    assert client.post(url, data).status_code == 302
    row = CommunitySettings.objects.get(pk=1)
    assert row.require_member_approval and row.held_first_posts == 2
    entry = ModerationAction.objects.get()
    assert entry.action == ModerationAction.Action.CHANGE_SETTINGS
    assert entry.target_ids["changes"] == {"require_member_approval": [False, True], "held_first_posts": [0, 2]}
    assert client.post(url, data).status_code == 302
    assert ModerationAction.objects.count() == 1, "saving without a change records nothing"
    log = client.get(reverse("community:moderation-log")).content.decode()
    assert "held_first_posts: 0 to 2" in log


def test_a_moderator_approves_a_waiting_member_who_can_then_post(client, people):
    CommunitySettings.objects.filter(pk=1).update(require_member_approval=True)
    waiting = member()
    assert waiting.community_profile.status == "pending"
    client.force_login(people["moderator"])
    listed = client.get(reverse("community:moderation-waiting")).content.decode()
    assert waiting.community_profile.display_name in listed
    url = reverse("community:moderation-member", args=[waiting.community_profile.pk])
    assert client.post(url, {"form": "decide", "decision": "decline"}).status_code == 400
    assert client.post(url, {"form": "decide", "decision": "approve"}).status_code == 302
    waiting.community_profile.refresh_from_db()
    assert waiting.community_profile.status == "active"


def test_the_staff_area_lists_the_moderation_tools_for_those_who_may_use_them(client, people):
    client.force_login(people["moderator"])
    page = client.get(reverse("portal:staff")).content.decode()
    assert f'href="{reverse("community:moderation-queue")}"' in page and reverse("community:moderation-log") in page
    client.force_login(people["is-admin"])
    page = client.get(reverse("portal:staff")).content.decode()
    queue_link = f'href="{reverse("community:moderation-queue")}"'
    assert queue_link not in page and reverse("community:moderation-log") in page
