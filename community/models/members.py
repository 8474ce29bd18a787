"""Membership: profiles, the guidelines they accept, the moderators' settings, groups, and blocks between members."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portal.models import CouncilArea, Role, Sector

FORMER_MEMBER = "Former member"


class Visibility(models.TextChoices):
    """Who sees an optional profile field. The display name is always shown beside what a member posts."""

    MEMBERS = "members", "Community members"
    MODERATORS = "moderators", "Only the community moderators"


class GuidelinesVersion(models.Model):
    """One published version of the community guidelines. Members accept the latest; their profile keeps which."""

    version = models.PositiveSmallIntegerField(unique=True)
    summary = models.CharField(max_length=200, help_text="What changed, in a sentence.")
    body_markdown = models.TextField(help_text="Markdown. The guidelines in plain language.")
    body_html = models.TextField(editable=False, blank=True)
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = "community guidelines version"

    def __str__(self) -> str:
        return f"Guidelines version {self.version}"


class CommunitySettings(models.Model):
    """The moderators' switches: one row (pk=1), read through community.selectors.community_settings()."""

    require_member_approval = models.BooleanField(
        default=False, help_text="New members wait for a moderator to approve them before they can post."
    )
    held_first_posts = models.PositiveSmallIntegerField(
        default=0, help_text="How many of a new member's first posts wait for a moderator (0: none are held)."
    )
    auto_hide_flags = models.PositiveSmallIntegerField(
        default=3, help_text="Hide a post once this many established members have flagged it (0: never)."
    )
    established_after_days = models.PositiveSmallIntegerField(
        default=14, help_text="A member counts as established after this many days..."
    )
    established_min_posts = models.PositiveSmallIntegerField(default=3, help_text="...and this many visible posts.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "community settings"
        verbose_name_plural = "community settings"

    def __str__(self) -> str:
        return "Community settings"


class CommunityProfile(models.Model):
    """A person's membership of the community. Every optional field says who sees it (`<field>_visibility`)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        ACTIVE = "active", "Member"
        SUSPENDED = "suspended", "Suspended"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_profile")
    display_name = models.CharField(max_length=80, help_text="Shown beside everything you post.")
    # What others type to mention the member (@handle): letters, digits and hyphens, unique, made from the display
    # name when the member joins (community.services.membership).
    handle = models.SlugField(max_length=40, unique=True)
    organisation = models.CharField(max_length=200, blank=True)
    organisation_visibility = models.CharField(max_length=12, choices=Visibility.choices, default=Visibility.MEMBERS)
    role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    role_visibility = models.CharField(max_length=12, choices=Visibility.choices, default=Visibility.MEMBERS)
    sector = models.ForeignKey(Sector, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sector_visibility = models.CharField(max_length=12, choices=Visibility.choices, default=Visibility.MEMBERS)
    council_area = models.ForeignKey(CouncilArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    council_area_visibility = models.CharField(max_length=12, choices=Visibility.choices, default=Visibility.MEMBERS)
    about = models.CharField(max_length=300, blank=True, help_text="A line about your work, shown to members.")

    listed_in_directory = models.BooleanField(default=False)
    always_reveal_content_notes = models.BooleanField(default=False)
    weekly_digest = models.BooleanField(default=False, help_text="A weekly email of active topics.")
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)

    guidelines_version = models.ForeignKey(
        GuidelinesVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    guidelines_accepted_at = models.DateTimeField(null=True, blank=True)

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    suspended_until = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.TextField(blank=True)

    # Counters kept by the services: visible posts written, and posts that waited for a moderator and were approved.
    post_count = models.PositiveIntegerField(default=0, editable=False)
    approved_post_count = models.PositiveIntegerField(default=0, editable=False)
    # "Mark all as read": topics with no activity since then are not new or unread (None: since joining).
    read_all_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["display_name"]
        indexes = [
            models.Index(
                fields=["display_name"], name="community_directory_idx", condition=Q(listed_in_directory=True)
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("community:member-detail", args=[self.pk])

    @property
    def is_active_member(self) -> bool:
        return self.status == self.Status.ACTIVE and self.guidelines_version_id is not None

    def is_suspended_now(self, now: Any = None) -> bool:
        if self.status != self.Status.SUSPENDED:
            return False
        return self.suspended_until is None or self.suspended_until > (now or timezone.now())


class Group(models.Model):
    """A group of members: open (anyone joins), by request (a group manager or moderator accepts), or private
    (invitation or request only, and its categories, topics and posts are "not found" to everyone else)."""

    class Kind(models.TextChoices):
        OPEN = "open", "Open: any member can join"
        REQUEST = "request", "By request: members ask to join"
        PRIVATE = "private", "Private: only members see its discussions"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.OPEN)
    member_count = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    # Set on a private group that another app keeps in step (portal.services.private_group_sync), e.g.
    # "champions-cohort:12": its members are that app's to decide, so nobody joins or leaves it here.
    key = models.CharField(max_length=80, unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("community:group-detail", args=[self.slug])

    @property
    def is_private(self) -> bool:
        return self.kind == self.Kind.PRIVATE


class GroupMembership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        MANAGER = "manager", "Group manager"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Asked to join"
        MEMBER = "member", "Member"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_groups")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MEMBER)
    message = models.CharField(max_length=300, blank=True, help_text="What the member said when asking to join.")
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="community_one_membership_per_group")]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.group_id} ({self.status})"


class MemberBlock(models.Model):
    """One member muting or blocking another. Both collapse the other's posts for the member; a block also stops the
    other from mentioning them (and, with notifications, from reaching them at all)."""

    class Kind(models.TextChoices):
        MUTE = "mute", "Mute: collapse their posts for me"
        BLOCK = "block", "Block: collapse their posts and stop them mentioning me"

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_blocks")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_blocked_by")
    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.MUTE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "blocked"], name="community_one_block_per_pair"),
            models.CheckConstraint(condition=~Q(member=models.F("blocked")), name="community_no_self_block"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.kind}s {self.blocked_id}"
