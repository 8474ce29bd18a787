"""Moderation services: flags and auto-hide, hiding and restoring, edits with a reason, held posts and waiting
members, suspensions, and the topic tools; each action leaves one audit-log row, and the stored counters stay true."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from community import permissions
from community.models import (
    Category,
    CommunityProfile,
    CommunitySettings,
    Flag,
    ModerationAction,
    Post,
    PostRevision,
    Topic,
)
from community.notifications import (
    MODERATION_DECISION,
    MODERATION_FLAGS,
    MODERATION_NEEDS_SUPPORT,
    MODERATION_SUPPORT_OFFERED,
    MODERATION_WAITING,
)
from community.selectors import moderation as selectors
from community.services import flags, moderation, posting, restructure
from portal.notifications.models import Notification
from tests.community.conftest import category, member, moderator, pending_member, topic

pytestmark = pytest.mark.django_db
Action = ModerationAction.Action


def _established(days: int = 30, posts: int = 5):
    """A member who joined `days` ago with `posts` visible posts."""
    person = member()
    CommunityProfile.objects.filter(user=person).update(
        created_at=timezone.now() - datetime.timedelta(days=days), post_count=posts
    )
    return person


def _reply(where=None, *, author=None):
    author = author or member()
    made = topic(author, where or category(), replies=1)
    return Post.objects.get(topic=made, number=2)


def _kinds(user) -> set[str]:
    return set(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


# --- Flags ------------------------------------------------------------------------------------------------------


def test_a_flag_counts_on_the_post_and_reaches_the_moderators_as_one_grouped_line():
    mod = moderator()
    post = _reply()
    flags.flag_create(post=post, member=member(), reason=Flag.Reason.SPAM)
    flags.flag_create(post=post, member=member(), reason=Flag.Reason.UNKIND, note="Sharp words.")
    post.refresh_from_db()
    assert post.flag_count == 2
    notes = Notification.objects.filter(recipient=mod, kind=MODERATION_FLAGS.name)
    assert notes.count() == 1 and notes.get().count == 2


def test_one_open_flag_per_member_and_post_and_a_closed_one_can_be_raised_again():
    post, flagger, mod = _reply(), member(), moderator()
    flags.flag_create(post=post, member=flagger, reason=Flag.Reason.SPAM)
    with pytest.raises(flags.AlreadyFlagged):
        flags.flag_create(post=post, member=flagger, reason=Flag.Reason.HARMFUL)
    moderation.flags_dismiss(post=post, moderator=mod)
    again = flags.flag_create(post=post, member=flagger, reason=Flag.Reason.HARMFUL)
    assert again.status == Flag.Status.OPEN and again.reason == Flag.Reason.HARMFUL
    assert Flag.objects.filter(post=post, member=flagger).count() == 1
    post.refresh_from_db()
    assert post.flag_count == 1


def test_needs_support_tells_moderators_at_once_and_offers_the_author_support():
    mod = moderator()
    post = _reply()
    flags.flag_create(post=post, member=member(), reason=Flag.Reason.NEEDS_SUPPORT)
    assert MODERATION_NEEDS_SUPPORT.name in _kinds(mod)
    assert MODERATION_SUPPORT_OFFERED.name in _kinds(post.author)
    assert MODERATION_NEEDS_SUPPORT.can_opt_out is False


def test_only_members_may_flag_other_peoples_visible_posts():
    post = _reply()
    assert permissions.can_flag(member(), post)
    assert not permissions.can_flag(post.author, post)
    assert not permissions.can_flag(pending_member(), post)
    post.status = Post.Status.HIDDEN
    assert not permissions.can_flag(member(), post)


def test_auto_hide_after_enough_flags_from_established_members_only():
    CommunitySettings.objects.filter(pk=1).update(auto_hide_flags=2, established_after_days=7, established_min_posts=2)
    where = category()
    post = _reply(where)
    newcomer_flags = [member(), member()]
    for person in newcomer_flags:
        flags.flag_create(post=post, member=person, reason=Flag.Reason.UNKIND)
    post.refresh_from_db()
    assert post.status == Post.Status.VISIBLE, "new members' flags alone do not hide a post"
    flags.flag_create(post=post, member=_established(), reason=Flag.Reason.UNKIND)
    post.refresh_from_db()
    assert post.status == Post.Status.VISIBLE
    flags.flag_create(post=post, member=_established(), reason=Flag.Reason.HARMFUL)
    post.refresh_from_db()
    assert post.status == Post.Status.HIDDEN
    log = ModerationAction.objects.get(action=Action.AUTO_HIDE)
    assert log.moderator is None and log.post_id == post.pk
    assert Flag.objects.filter(post=post, status=Flag.Status.OPEN).count() == 4, "flags wait for a moderator"
    assert Topic.objects.get(pk=post.topic_id).reply_count == 0


def test_auto_hide_off_when_the_setting_is_zero():
    CommunitySettings.objects.filter(pk=1).update(auto_hide_flags=0, established_after_days=0, established_min_posts=0)
    post = _reply()
    for _ in range(3):
        flags.flag_create(post=post, member=_established(), reason=Flag.Reason.SPAM)
    post.refresh_from_db()
    assert post.status == Post.Status.VISIBLE


# --- The queue --------------------------------------------------------------------------------------------------


def test_the_queue_puts_needs_support_and_harm_first_then_the_longest_waiting():
    where = category()
    spam_old, unkind, harmful, support = (_reply(where) for _ in range(4))
    flags.flag_create(post=spam_old, member=member(), reason=Flag.Reason.SPAM)
    flags.flag_create(post=unkind, member=member(), reason=Flag.Reason.UNKIND)
    flags.flag_create(post=harmful, member=member(), reason=Flag.Reason.HARMFUL)
    flags.flag_create(post=support, member=member(), reason=Flag.Reason.OTHER)
    flags.flag_create(post=support, member=member(), reason=Flag.Reason.NEEDS_SUPPORT)
    items = selectors.flag_queue()
    assert [item.post.pk for item in items] == [support.pk, harmful.pk, unkind.pk, spam_old.pk]
    assert items[0].needs_support and items[0].count == 2 and len(items[0].flags) == 2
    second_page = selectors.flag_queue(after=selectors.parse_queue_cursor(items[1].cursor))
    assert [item.post.pk for item in second_page] == [unkind.pk, spam_old.pk]


# --- Posts ------------------------------------------------------------------------------------------------------


def test_hide_and_restore_keep_the_counters_true_close_flags_and_tell_the_author():
    mod = moderator()
    post = _reply()
    flags.flag_create(post=post, member=member(), reason=Flag.Reason.UNKIND)
    moderation.post_hide(post=post, moderator=mod, reason="It named a colleague.")
    post.refresh_from_db()
    the_topic = Topic.objects.get(pk=post.topic_id)
    assert post.status == Post.Status.HIDDEN and post.moderation_reason == "It named a colleague."
    assert (the_topic.reply_count, the_topic.post_count, post.flag_count) == (0, 1, 0)
    assert Flag.objects.get(post=post).status == Flag.Status.ACTIONED
    assert MODERATION_DECISION.name in _kinds(post.author)
    with pytest.raises(moderation.NotAllowedNow):
        moderation.post_hide(post=post, moderator=mod, reason="Again.")
    moderation.post_restore(post=post, moderator=mod, reason="Looked again.")
    post.refresh_from_db()
    assert post.status == Post.Status.VISIBLE and Topic.objects.get(pk=post.topic_id).reply_count == 1
    assert list(ModerationAction.objects.order_by("pk").values_list("action", "moderator_id")) == [
        (Action.HIDE_POST, mod.pk),
        (Action.RESTORE_POST, mod.pk),
    ]


def test_a_moderators_edit_keeps_the_earlier_text_with_the_reason():
    mod = moderator()
    post = _reply()
    before = post.body_markdown
    moderation.post_moderator_edit(
        post=post, moderator=mod, body="Reply, without the phone number.", content_note="", reason="A phone number."
    )
    revision = PostRevision.objects.get(post=post)
    assert (revision.body_markdown, revision.reason, revision.editor_id) == (before, "A phone number.", mod.pk)
    assert selectors.post_history(post) == [revision]
    log = ModerationAction.objects.get()
    assert (log.action, log.reason, log.post_id) == (Action.EDIT_POST, "A phone number.", post.pk)


def test_held_first_posts_wait_then_approval_shows_them_and_counts_them():
    CommunitySettings.objects.filter(pk=1).update(held_first_posts=1)
    mod, newcomer, where = moderator(), member(), category()
    made = posting.topic_create(author=newcomer, category=where, title="Hello", body="My first post.")
    opening = Post.objects.get(topic=made, number=1)
    assert opening.status == Post.Status.HELD and Topic.objects.get(pk=made.pk).hidden
    assert selectors.held_posts() == [opening]
    moderation.post_approve(post=opening, moderator=mod)
    made.refresh_from_db()
    profile = CommunityProfile.objects.get(user=newcomer)
    assert not made.hidden and made.post_count == 1 and Category.objects.get(pk=where.pk).topic_count == 1
    assert (profile.post_count, profile.approved_post_count) == (1, 1)
    second = posting.post_reply(author=newcomer, topic=made, body="And now I am trusted.")
    assert second.status == Post.Status.VISIBLE


def test_a_turned_down_held_post_stays_readable_by_its_author():
    CommunitySettings.objects.filter(pk=1).update(held_first_posts=1)
    mod, newcomer = moderator(), member()
    made = posting.topic_create(author=newcomer, category=category(), title="Sell", body="Buy my course.")
    opening = Post.objects.get(topic=made, number=1)
    moderation.post_reject(post=opening, moderator=mod, reason="Adverts are not allowed.")
    opening.refresh_from_db()
    assert opening.status == Post.Status.HIDDEN and opening.body_markdown == "Buy my course."
    assert permissions.can_see_post_body(newcomer, opening)
    entry = ModerationAction.objects.get()
    assert selectors.action_label(entry) == "Turned down a held post"


# --- Members ----------------------------------------------------------------------------------------------------


def test_approve_and_decline_waiting_members():
    mod = moderator()
    waiting, other = pending_member(), pending_member()
    assert {p.user_id for p in selectors.pending_members()} == {waiting.pk, other.pk}
    moderation.member_approve(profile=waiting.community_profile, moderator=mod)
    assert permissions.is_member(type(waiting).objects.get(pk=waiting.pk))
    moderation.member_decline(profile=other.community_profile, moderator=mod, reason="Not working in Scotland.")
    assert not CommunityProfile.objects.filter(user=other).exists()
    labels = [selectors.action_label(e) for e in ModerationAction.objects.order_by("pk")]
    assert labels == ["Approved a member", "Declined a waiting member"]


def test_suspend_then_lift():
    mod, person = moderator(), member()
    until = timezone.now() + datetime.timedelta(days=7)
    moderation.member_suspend(profile=person.community_profile, moderator=mod, until=until, reason="A cooling-off.")
    fresh = type(person).objects.get(pk=person.pk)
    assert not permissions.is_member(fresh) and permissions.membership_state(fresh) == "suspended"
    assert MODERATION_DECISION.name in _kinds(person)
    with pytest.raises(moderation.NotAllowedNow):
        moderation.member_suspend(
            profile=person.community_profile,
            moderator=mod,
            until=timezone.now() - datetime.timedelta(days=1),
            reason="",
        )
    moderation.member_unsuspend(profile=person.community_profile, moderator=mod)
    assert permissions.is_member(type(person).objects.get(pk=person.pk))
    assert [e.action for e in selectors.audit_log(selectors.LogFilters())] == [
        Action.UNSUSPEND_MEMBER,
        Action.SUSPEND_MEMBER,
    ]


# --- Topics -----------------------------------------------------------------------------------------------------


def test_lock_and_pin_are_recorded():
    mod = moderator()
    made = topic(member(), category())
    restructure.topic_set_locked(topic=made, moderator=mod, locked=True)
    restructure.topic_set_pinned(topic=made, moderator=mod, pinned=True, reason="Useful for everyone.")
    made.refresh_from_db()
    assert made.locked and made.pinned
    with pytest.raises(posting.TopicLocked):
        posting.post_reply(author=member(), topic=made, body="Too late.")


def test_move_carries_the_counts_to_the_new_category():
    mod = moderator()
    here, there = category("Here"), category("There")
    made = topic(member(), here, replies=2)
    restructure.topic_move(topic=made, category=there, moderator=mod, reason="Fits better there.")
    here.refresh_from_db()
    there.refresh_from_db()
    assert (here.topic_count, here.post_count, here.last_topic_id) == (0, 0, None)
    assert (there.topic_count, there.post_count, there.last_topic_id) == (1, 3, made.pk)
    assert ModerationAction.objects.get().target_ids["to_category"] == there.pk


def test_merge_appends_the_posts_and_leaves_a_pointer():
    mod, author = moderator(), member()
    where = category()
    target = topic(author, where, title="Letters", replies=1)
    source = topic(author, where, title="Letters again", replies=2)
    restructure.topic_merge(source=source, target=target, moderator=mod)
    target.refresh_from_db()
    source.refresh_from_db()
    numbers = list(Post.objects.filter(topic=target).order_by("number").values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5]
    assert (target.post_count, target.reply_count, target.last_post_number) == (5, 4, 5)
    assert source.merged_into_id == target.pk and source.hidden
    where.refresh_from_db()
    assert (where.topic_count, where.post_count) == (1, 5)
    with pytest.raises(moderation.NotAllowedNow):
        restructure.topic_merge(source=target, target=target, moderator=mod)


def test_split_moves_chosen_replies_to_a_new_topic_numbered_from_one():
    mod, author = moderator(), member()
    where, elsewhere = category("Here"), category("Elsewhere")
    made = topic(author, where, replies=4)
    moving = list(Post.objects.filter(topic=made, number__in=[3, 5]).order_by("number"))
    new = restructure.topic_split(
        topic=made,
        post_ids=[p.pk for p in moving] + [Post.objects.get(topic=made, number=1).pk],
        title="A side question",
        category=elsewhere,
        moderator=mod,
    )
    new.refresh_from_db()
    made.refresh_from_db()
    assert list(Post.objects.filter(topic=new).order_by("number").values_list("pk", "number")) == [
        (moving[0].pk, 1),
        (moving[1].pk, 2),
    ]
    assert (new.post_count, new.reply_count, new.author_id) == (2, 1, author.pk)
    assert (made.post_count, made.reply_count) == (3, 2)
    where.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (where.topic_count, where.post_count) == (1, 3)
    assert (elsewhere.topic_count, elsewhere.post_count) == (1, 2)
    with pytest.raises(moderation.NotAllowedNow):
        restructure.topic_split(topic=made, post_ids=[], title="None", category=where, moderator=mod)


def test_moderators_hear_of_held_posts_and_waiting_members_as_one_grouped_line():
    mod = moderator()
    CommunitySettings.objects.filter(pk=1).update(held_first_posts=1)
    made = topic(moderator(), category())
    posting.post_reply(author=member(), topic=made, body="Hello, I am new.")
    pending_member()
    waiting = Notification.objects.filter(recipient=mod, kind=MODERATION_WAITING.name)
    assert waiting.count() == 1 and waiting.get().count == 2


def test_an_approved_held_reply_tells_the_people_it_mentions_and_the_topics_watchers_then_and_not_before():
    from community.notifications import MENTION, REPLY

    CommunitySettings.objects.filter(pk=1).update(held_first_posts=1)
    mod, starter, newcomer, named = moderator(), member(), member(), member()
    made = topic(starter, category())  # the starter watches the topic they started
    handle = CommunityProfile.objects.get(user=named).handle
    held = posting.post_reply(author=newcomer, topic=made, body=f"Thank you @{handle} and everyone.")
    assert held.status == Post.Status.HELD
    assert not Notification.objects.filter(kind__in=[MENTION.name, REPLY.name]).exists()
    moderation.post_approve(post=held, moderator=mod)
    assert Notification.objects.filter(recipient=named, kind=MENTION.name).count() == 1
    assert Notification.objects.filter(recipient=starter, kind=REPLY.name).count() == 1
