"""Flags and the moderators' audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from community.models.discussions import Post, Topic


class Flag(models.Model):
    class Reason(models.TextChoices):
        NEEDS_SUPPORT = "needs_support", "Someone may need support"
        HARMFUL = "harmful", "Harmful or dangerous"
        PERSONAL_INFORMATION = "personal_information", "Shares personal information"
        UNKIND = "unkind", "Unkind or disrespectful"
        SPAM = "spam", "Spam or advertising"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for a moderator"
        ACTIONED = "actioned", "A moderator acted on it"
        DISMISSED = "dismissed", "A moderator looked and left the post"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="community_flags"
    )
    reason = models.CharField(max_length=24, choices=Reason.choices)
    note = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "member"], name="community_one_flag_per_member")]
        indexes = [
            models.Index(fields=["status", "created_at"], name="community_flag_queue", condition=Q(status="open"))
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on post {self.post_id}"


class ModerationAction(models.Model):
    """The audit log: one row per moderator action, never edited. Targets are kept as ids as well as links, so the
    log still says what was acted on after a post, topic or account is gone."""

    class Action(models.TextChoices):
        APPROVE_MEMBER = "approve_member", "Approved a member"
        DECLINE_MEMBER = "decline_member", "Declined a waiting member"
        SUSPEND_MEMBER = "suspend_member", "Suspended a member"
        UNSUSPEND_MEMBER = "unsuspend_member", "Lifted a suspension"
        APPROVE_POST = "approve_post", "Approved a held post"
        REJECT_POST = "reject_post", "Turned down a held post"
        HIDE_POST = "hide_post", "Hid a post"
        RESTORE_POST = "restore_post", "Restored a post"
        EDIT_POST = "edit_post", "Edited a post"
        DELETE_POST = "delete_post", "Removed a post"
        DISMISS_FLAGS = "dismiss_flags", "Dismissed flags"
        HIDE_TOPIC = "hide_topic", "Hid a topic"
        RESTORE_TOPIC = "restore_topic", "Restored a topic"
        LOCK_TOPIC = "lock_topic", "Locked a topic"
        UNLOCK_TOPIC = "unlock_topic", "Unlocked a topic"
        PIN_TOPIC = "pin_topic", "Pinned a topic"
        UNPIN_TOPIC = "unpin_topic", "Unpinned a topic"
        MOVE_TOPIC = "move_topic", "Moved a topic"
        MERGE_TOPICS = "merge_topics", "Merged topics"
        SPLIT_TOPIC = "split_topic", "Split a topic"
        CHANGE_SETTINGS = "change_settings", "Changed the community settings"
        GROUP_DECISION = "group_decision", "Decided a group request"
        AUTO_HIDE = "auto_hide", "Hid a post after flags (automatic)"

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target_ids = models.JSONField(
        default=dict, blank=True, help_text='Every id acted on, e.g. {"post": 7, "topic": 3, "to_category": 2}.'
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.created_at:%Y-%m-%d %H:%M})"
