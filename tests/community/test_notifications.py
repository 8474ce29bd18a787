"""Watching and notifications: who hears about replies, mentions, quotes and reactions, how (each member's delivery
choice), grouped per topic or post, never from someone they blocked, never about what they cannot read; the
watch / track / mute forms; the opt-in weekly digest through the outbox."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from community.models import CommunitySettings, Post, Topic, Watch, WatchLevel
from community.notifications import MENTION, QUOTE, REACTION, REPLY, WEEKLY_DIGEST
from community.services import blocks, digests, groups, posting, reactions, watching
from portal.notifications.models import Notification, OutboundEmail
from portal.notifications.registry import Delivery
from portal.notifications.services import preference_set
from portal.notifications.services.sending import outbound_email_send
from tests.community.conftest import category, member, private_group, topic

pytestmark = pytest.mark.django_db


def told(user, kind=None) -> list[Notification]:
    rows = Notification.objects.filter(recipient=user).order_by("pk")
    return list(rows.filter(kind=kind.name) if kind else rows)


def emails(user, kind) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(recipient=user, kind=kind.name))


@pytest.fixture
def thread():
    starter, replier = member(name="Ali Starter"), member(name="Bea Replier")
    made = topic(starter, category(), title="Waiting rooms")
    return starter, replier, made


def test_replies_reach_the_topics_starter_grouped_in_one_line_and_one_email(thread):
    starter, replier, made = thread
    posting.post_reply(author=replier, topic=made, body="First thought.")
    posting.post_reply(author=replier, topic=made, body="Second thought.")
    posting.post_reply(author=starter, topic=made, body="Thank you.")  # nobody is told about their own reply

    [line] = told(starter, REPLY)
    assert line.count == 2
    assert line.display_title == "2 new replies in Waiting rooms"
    assert line.group_key == f"topic:{made.pk}"
    assert len(emails(starter, REPLY)) == 1  # straight away (the default), folded, after five minutes
    assert told(replier, REPLY) == []  # replying tracks a topic: a count, no notifications


@pytest.mark.parametrize(
    ("delivery", "in_portal", "email", "digest"),
    [
        (Delivery.IMMEDIATE, True, True, False),
        (Delivery.IN_APP, True, False, False),
        (Delivery.DIGEST, True, False, True),
        (Delivery.OFF, False, False, False),
    ],
)
def test_each_members_delivery_choice_is_honoured(thread, delivery, in_portal, email, digest):
    starter, replier, made = thread
    preference_set(user_id=starter.pk, kind=REPLY, delivery=delivery)
    posting.post_reply(author=replier, topic=made, body="Hello.")
    lines = told(starter, REPLY)
    assert bool(lines) is in_portal
    assert bool(emails(starter, REPLY)) is email
    assert any(line.digest_pending for line in lines) is digest


def test_a_mention_tells_the_member_once_and_not_also_as_a_reply(thread):
    starter, replier, made = thread
    handle = starter.community_profile.handle
    posting.post_reply(author=replier, topic=made, body=f"What do you think, @{handle}?")
    assert [n.title for n in told(starter)] == ["Bea Replier mentioned you in Waiting rooms"]
    assert told(starter, MENTION)[0].group_key == f"topic:{made.pk}:mentions"


def test_an_edit_tells_only_people_newly_mentioned(thread):
    starter, replier, made = thread
    third = member(name="Cal Third")
    reply = posting.post_reply(author=replier, topic=made, body=f"Hi @{starter.community_profile.handle}.")
    posting.post_edit(
        post=reply,
        editor=replier,
        body=f"Hi @{starter.community_profile.handle} and @{third.community_profile.handle}.",
        content_note="",
    )
    assert len(told(starter, MENTION)) == 1 and told(starter, MENTION)[0].count == 1
    assert len(told(third, MENTION)) == 1


def test_a_quote_tells_the_quoted_author(thread):
    _starter, replier, made = thread
    third = member(name="Cal Third")
    quoted = posting.post_reply(author=replier, topic=made, body="Something worth quoting.")
    posting.post_reply(author=third, topic=made, body="Agreed.", reply_to=quoted)
    assert [n.title for n in told(replier)] == ["Cal Third replied to your post in Waiting rooms"]
    assert told(replier, QUOTE)[0].group_key == f"topic:{made.pk}:quotes"


def test_reactions_tell_the_author_in_the_portal_grouped_per_post(thread):
    starter, replier, made = thread
    third = member()
    opening = made.posts.get(number=1)
    reactions.reaction_toggle(post=opening, member=replier, kind="thanks")
    reactions.reaction_toggle(post=opening, member=third, kind="support")
    [line] = told(starter, REACTION)
    assert line.count == 2 and line.display_title == "2 reactions to your post in Waiting rooms"
    assert emails(starter, REACTION) == []  # in the portal only, unless the member chose email
    reactions.reaction_toggle(post=opening, member=third, kind="support")  # taking it back tells nobody
    assert told(starter, REACTION)[0].count == 2


@pytest.mark.parametrize("kind", ["block", "mute"])
def test_a_blocked_or_muted_member_cannot_reach_the_member_at_all(thread, kind):
    starter, replier, made = thread
    blocks.member_block_set(member=starter, blocked=replier, kind=kind)
    opening = made.posts.get(number=1)
    posting.post_reply(author=replier, topic=made, body=f"@{starter.community_profile.handle} hello", reply_to=opening)
    reactions.reaction_toggle(post=opening, member=replier, kind="thanks")
    assert told(starter) == []
    third = member()
    posting.post_reply(author=third, topic=made, body="Still told about others.")
    assert len(told(starter, REPLY)) == 1


def test_watch_track_and_mute_for_topics_and_categories(thread):
    starter, replier, made = thread
    watcher, tracker = member(), member()
    watching.watch_set(member=watcher, category=made.category, level=WatchLevel.WATCHING)
    watching.watch_set(member=tracker, topic=made, level=WatchLevel.TRACKING)
    posting.post_reply(author=replier, topic=made, body="One.")
    assert len(told(watcher, REPLY)) == 1 and told(tracker) == []

    watching.watch_set(member=watcher, topic=made, level=WatchLevel.MUTED)  # the topic's choice wins
    watching.watch_set(member=starter, topic=made, level=WatchLevel.MUTED)
    Notification.objects.update(read_at=timezone.now())
    posting.post_reply(author=replier, topic=made, body="Two.")
    assert Notification.objects.filter(read_at=None).count() == 0

    watching.watch_set(member=watcher, topic=made, level="")  # back to the category's watching
    posting.post_reply(author=replier, topic=made, body="Three.")
    assert Notification.objects.filter(read_at=None, recipient=watcher).count() == 1
    with pytest.raises(ValueError):
        watching.watch_set(member=watcher, topic=made, level="loud")


def test_private_group_topics_reach_only_its_members(thread):
    starter, _replier, _made = thread
    insider, leaver = member(), member()
    cohort = private_group(insider, leaver)
    place = category("Cohort space", group=cohort)
    secret = topic(insider, place, title="Cohort only")
    for person in (leaver, starter):
        watching.watch_set(member=person, category=place, level=WatchLevel.WATCHING)
    groups.group_leave(group=cohort, user=leaver)
    posting.post_reply(
        author=insider,
        topic=secret,
        body=f"@{starter.community_profile.handle} and @{leaver.community_profile.handle}, see this.",
    )
    assert told(leaver) == [] and told(starter) == []


def test_held_posts_tell_nobody_until_let_through(thread):
    starter, _replier, made = thread
    CommunitySettings.objects.filter(pk=1).update(held_first_posts=3)
    newcomer = member()
    held = posting.post_reply(author=newcomer, topic=made, body="My first post.")
    assert held.status == Post.Status.HELD
    assert told(starter) == []


def test_the_forms_on_topic_and_category_pages_set_the_choice(client, thread):
    _starter, replier, made = thread
    client.force_login(replier)
    page = client.get(made.get_absolute_url()).content.decode()
    assert 'action="{}"'.format(reverse("community:topic-watch", args=[made.pk])) in page
    response = client.post(reverse("community:topic-watch", args=[made.pk]), {"level": "watching"})
    assert response.status_code == 302 and response["Location"].endswith("#notifications")
    assert Watch.objects.get(member=replier, topic=made).level == "watching"
    followed = client.get(response["Location"]).content.decode()
    assert "You are watching" in followed and 'value="watching" id="watch-topic-2" checked' in followed

    client.post(reverse("community:category-watch", args=[made.category.slug]), {"level": "muted"})
    assert Watch.objects.get(member=replier, category=made.category).level == "muted"
    response = client.post(reverse("community:topic-watch", args=[made.pk]), {"level": "loudly"}, follow=True)
    assert "Nothing was changed" in response.content.decode()
    assert Watch.objects.get(member=replier, topic=made).level == "watching"


def test_the_forms_refuse_people_who_cannot_use_them(client, thread):
    starter, _replier, made = thread
    url = reverse("community:topic-watch", args=[made.pk])
    assert client.post(url, {"level": "watching"}).status_code == 302  # to sign in
    outsider_page = member()
    cohort = private_group(starter)
    secret = topic(starter, category("Inside", group=cohort), title="Inside")
    client.force_login(outsider_page)
    assert client.post(reverse("community:topic-watch", args=[secret.pk]), {"level": "watching"}).status_code == 404
    assert client.get(url).status_code == 405
    assert not Watch.objects.filter(member=outsider_page).exists()


def test_weekly_digest_goes_to_those_who_asked_once_a_week(thread, mailoutbox, django_capture_on_commit_callbacks):
    starter, replier, made = thread
    posting.post_reply(author=replier, topic=made, body="A reply this week.")
    insider = member()
    cohort = private_group(insider)
    secret = topic(insider, category("Cohort", group=cohort), title="Secret cohort topic")
    posting.post_reply(author=insider, topic=secret, body="Only us.")
    old = topic(starter, made.category, title="Quiet topic")
    posting.post_reply(author=replier, topic=old, body="Long ago.")
    Topic.objects.filter(pk=old.pk).update(last_activity_at=timezone.now() - datetime.timedelta(days=20))
    for person in (replier, insider):
        person.community_profile.weekly_digest = True
        person.community_profile.save(update_fields=["weekly_digest"])
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert digests.weekly_digests_send() == 2
    sent = [m for m in mailoutbox if "active topic" in m.subject]
    assert sorted(m.to[0] for m in sent) == sorted([replier.email, insider.email])
    body = sent[0].body
    assert "Waiting rooms" in body and "Secret cohort topic" not in body and "Quiet topic" not in body
    assert len(OutboundEmail.objects.filter(kind=WEEKLY_DIGEST.name)) == 2

    assert digests.weekly_digests_send() == 0  # a second run this week sends nothing
    later = timezone.now() + datetime.timedelta(days=7)
    assert digests.weekly_digests_send(now=later) == 0  # nothing was active in that week


def test_weekly_digest_respects_turning_the_kind_off(thread):
    _starter, replier, made = thread
    posting.post_reply(author=replier, topic=made, body="A reply.")
    replier.community_profile.weekly_digest = True
    replier.community_profile.save(update_fields=["weekly_digest"])
    preference_set(user_id=replier.pk, kind=WEEKLY_DIGEST, delivery=Delivery.OFF)
    digests.weekly_digests_send()
    assert emails(replier, WEEKLY_DIGEST) == []


def test_the_profile_form_offers_the_weekly_digest(client, thread):
    _starter, replier, _made = thread
    client.force_login(replier)
    page = client.get(reverse("community:profile-edit")).content.decode()
    assert 'name="weekly_digest"' in page


def test_reading_the_topic_marks_its_notifications_read_and_skips_the_waiting_email(client, thread, mailoutbox):
    starter, replier, made = thread
    posting.post_reply(author=replier, topic=made, body="Have a look.")
    [email] = emails(starter, REPLY)
    assert email.status == OutboundEmail.Status.PENDING
    client.force_login(starter)
    assert client.get(made.get_absolute_url(), {"page": 1}).status_code == 200
    assert told(starter, REPLY)[0].read_at is not None
    OutboundEmail.objects.filter(pk=email.pk).update(due_at=timezone.now())  # the five minutes are up
    assert outbound_email_send(email_id=email.pk) == "skipped"
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SKIPPED and mailoutbox == []
