"""Each moderator decision has its own audit-log action, so filtering the log by action is right: declining a waiting
member is not "approved a member", and turning down a held post is not "hid a post". Rows written before (with a
marker on the old action) are given their own action by migration 0005."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from community.models import CommunitySettings, ModerationAction, Post
from community.services import moderation, posting
from tests.community.conftest import category, member, moderator, pending_member, topic

pytestmark = pytest.mark.django_db
Action = ModerationAction.Action


def _log(client, action: str) -> str:
    return client.get(reverse("community:moderation-log"), {"action": action}).content.decode()


def test_declines_and_turn_downs_have_their_own_actions_and_filters(client):
    mod = moderator()
    approved, declined = pending_member(), pending_member()
    moderation.member_approve(profile=approved.community_profile, moderator=mod)
    moderation.member_decline(profile=declined.community_profile, moderator=mod, reason="Not in Scotland.")
    CommunitySettings.objects.filter(pk=1).update(held_first_posts=1)
    newcomer = member()
    shown = topic(member(), category())
    posting.post_reply(author=newcomer, topic=shown, body="Held and turned down.")
    held = Post.objects.get(topic=shown, author=newcomer)
    moderation.post_reject(post=held, moderator=mod, reason="Off topic.")
    CommunitySettings.objects.filter(pk=1).update(held_first_posts=0)
    visible = posting.post_reply(author=shown.author, topic=shown, body="Hidden later.")
    moderation.post_hide(post=visible, moderator=mod, reason="Shares a name.")

    actions = list(ModerationAction.objects.order_by("pk").values_list("action", flat=True))
    assert actions == [Action.APPROVE_MEMBER, Action.DECLINE_MEMBER, Action.REJECT_POST, Action.HIDE_POST]
    client.force_login(mod)
    declines = _log(client, Action.DECLINE_MEMBER)
    assert "Not in Scotland." in declines and "Declined a waiting member" in declines
    assert "Approved a member</td>" not in declines
    approvals = _log(client, Action.APPROVE_MEMBER)
    assert "Approved a member</td>" in approvals and "Not in Scotland." not in approvals
    assert "Off topic." in _log(client, Action.REJECT_POST) and "Shares a name." not in _log(client, Action.REJECT_POST)
    assert "Shares a name." in _log(client, Action.HIDE_POST) and "Off topic." not in _log(client, Action.HIDE_POST)


@pytest.mark.django_db(transaction=True)
def test_migration_gives_marked_rows_their_own_action():
    executor = MigrationExecutor(connection)
    executor.migrate([("community", "0004_search_indexes")])
    old = executor.loader.project_state([("community", "0004_search_indexes")]).apps
    log = old.get_model("community", "ModerationAction")
    log.objects.create(action="approve_member", target_ids={"member": 1, "declined": True})
    log.objects.create(action="approve_member", target_ids={"member": 2})
    log.objects.create(action="hide_post", target_ids={"post": 3, "held": True})
    log.objects.create(action="hide_post", target_ids={"post": 4})

    executor = MigrationExecutor(connection)
    executor.migrate([("community", "0005_audit_log_decline_and_reject")])

    rows = ModerationAction.objects.order_by("pk").values_list("action", flat=True)
    assert list(rows) == ["decline_member", "approve_member", "reject_post", "hide_post"]
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
