"""Discussions: categories, topics, numbered posts and what hangs off a post."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from community.models.members import Group


class Category(models.Model):
    """A place for topics. With a group, only what the group's kind allows: a private group's categories are seen by
    its members alone; an open or by-request group's are read by all and written in by its members."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.PROTECT, related_name="categories")
    # Counters kept by the services (visible topics and posts), and the latest visible activity for the front page.
    topic_count = models.PositiveIntegerField(default=0, editable=False)
    post_count = models.PositiveIntegerField(default=0, editable=False)
    last_activity_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_topic = models.ForeignKey(
        "Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:category-detail", args=[self.slug])


class Topic(models.Model):
    class Kind(models.TextChoices):
        DISCUSSION = "discussion", "Discussion"
        QUESTION = "question", "Question"

    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="topics")
    title = models.CharField(max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="community_topics"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.DISCUSSION)
    accepted_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    pinned = models.BooleanField(default=False)
    locked = models.BooleanField(default=False)
    # Hidden by a moderator, or held with its first post: out of lists for everyone but moderators (and its author).
    hidden = models.BooleanField(default=False)
    # After a merge, the topic this one's posts went to: its URL sends readers there.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)

    # Counters kept by the services in the write's transaction.
    last_post_number = models.PositiveIntegerField(default=0, editable=False, help_text="Highest number given.")
    post_count = models.PositiveIntegerField(default=0, editable=False, help_text="Visible posts, opening included.")
    reply_count = models.PositiveIntegerField(default=0, editable=False, help_text="Visible replies.")
    last_post = models.ForeignKey(
        "Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-pinned", "-last_activity_at", "-id"]
        indexes = [
            # The category list: WHERE category_id = %s ORDER BY pinned DESC, last_activity_at DESC, id DESC.
            models.Index(
                "category",
                models.F("pinned").desc(),
                models.F("last_activity_at").desc(),
                models.F("id").desc(),
                name="community_topic_list_idx",
            ),
            # "Latest" across categories (front page, digests).
            models.Index(models.F("last_activity_at").desc(), models.F("id").desc(), name="community_topic_latest"),
            models.Index(fields=["author", "-created_at"], name="community_topic_author"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:topic-detail", args=[self.pk])

    @property
    def is_question(self) -> bool:
        return self.kind == self.Kind.QUESTION


class Post(models.Model):
    class Status(models.TextChoices):
        VISIBLE = "visible", "Visible"
        HELD = "held", "Waiting for a moderator"
        HIDDEN = "hidden", "Hidden by a moderator"
        DELETED_BY_AUTHOR = "deleted_by_author", "Deleted by its author"
        DELETED = "deleted", "Removed"

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveIntegerField(help_text="1 for the opening post, then each reply in order.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="community_posts"
    )
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="The post quoted."
    )
    body_markdown = models.TextField()
    body_html = models.TextField(editable=False, help_text="Rendered and sanitised once, when the post is saved.")
    content_note = models.CharField(
        max_length=120, blank=True, help_text="A short note on a sensitive subject; readers choose to reveal the post."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.VISIBLE)
    # A moderator's reason for hiding or editing, shown to the author in kind words.
    moderation_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    thanks_count = models.PositiveIntegerField(default=0, editable=False)
    helpful_count = models.PositiveIntegerField(default=0, editable=False)
    support_count = models.PositiveIntegerField(default=0, editable=False)
    flag_count = models.PositiveIntegerField(default=0, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["topic", "number"]
        constraints = [models.UniqueConstraint(fields=["topic", "number"], name="community_post_number_in_topic")]
        indexes = [
            models.Index(fields=["author", "-created_at"], name="community_post_author"),
            # The moderators' queues: the few posts that are not plainly visible.
            models.Index(
                fields=["status", "created_at"], name="community_post_not_visible", condition=~Q(status="visible")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.topic_id} #{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("community:post-detail", args=[self.pk])

    @property
    def is_visible(self) -> bool:
        return self.status == self.Status.VISIBLE

    @property
    def is_deleted(self) -> bool:
        return self.status in (self.Status.DELETED_BY_AUTHOR, self.Status.DELETED)

    @property
    def is_edited(self) -> bool:
        return self.edited_at is not None


class PostRevision(models.Model):
    """The text of a post before an edit: the history moderators can read."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    body_markdown = models.TextField()
    content_note = models.CharField(max_length=120, blank=True)
    title = models.CharField(max_length=200, blank=True, help_text="The topic's title then, if it changed.")
    reason = models.TextField(blank=True, help_text="A moderator's reason for the edit.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["post", "-created_at"]

    def __str__(self) -> str:
        return f"Revision of post {self.post_id} ({self.created_at:%Y-%m-%d %H:%M})"


class ReactionKind(models.TextChoices):
    THANKS = "thanks", "Thanks"
    HELPFUL = "helpful", "Helpful"
    SUPPORT = "support", "Support"


class Reaction(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_reactions")
    kind = models.CharField(max_length=10, choices=ReactionKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "member", "kind"], name="community_one_reaction_of_a_kind")
        ]
        indexes = [models.Index(fields=["member", "post"])]

    def __str__(self) -> str:
        return f"{self.kind} on post {self.post_id}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", "Image"
        PDF = "pdf", "PDF"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="community/attachments/%Y/%m/")
    name = models.CharField(max_length=200, help_text="The name the file was uploaded with, shown to readers.")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["post", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:attachment-download", args=[self.pk])


class Mention(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_mentions")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "member"], name="community_one_mention_per_post")]

    def __str__(self) -> str:
        return f"Mention of {self.member_id} in post {self.post_id}"
