"""Per-member reading: how far each member has read a topic, and what they watch, track or mute."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from community.models.discussions import Category, Topic


class ReadState(models.Model):
    """How far a member has read a topic: the highest post number they have seen. Upserted once per topic page GET."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_reads")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="read_states")
    last_read_number = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["member", "topic"], name="community_one_read_state")]

    def __str__(self) -> str:
        return f"{self.member_id} read topic {self.topic_id} to #{self.last_read_number}"


class WatchLevel(models.TextChoices):
    WATCHING = "watching", "Watching: tell me about every reply"
    TRACKING = "tracking", "Tracking: show a count of new replies"
    MUTED = "muted", "Muted: never tell me, and leave it out of my lists"


class Watch(models.Model):
    """A member's choice for one topic or one category (exactly one of them)."""

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_watches")
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="watches")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE, related_name="watches")
    level = models.CharField(max_length=10, choices=WatchLevel.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__isnull=False, category__isnull=True) | Q(topic__isnull=True, category__isnull=False),
                name="community_watch_one_target",
            ),
            models.UniqueConstraint(
                fields=["member", "topic"], condition=Q(topic__isnull=False), name="community_one_topic_watch"
            ),
            models.UniqueConstraint(
                fields=["member", "category"], condition=Q(category__isnull=False), name="community_one_category_watch"
            ),
        ]
        indexes = [
            models.Index(fields=["topic", "level"], name="community_watch_topic"),
            models.Index(fields=["category", "level"], name="community_watch_category"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.level} ({self.topic_id or self.category_id})"
