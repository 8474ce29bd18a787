"""The leadership pledge: an organisation's public commitment, its review, and its yearly progress updates."""

from django.db import models
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from portal.models import CouncilArea, Sector


class OrganisationType(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    NHS_BOARD = "nhs_board", "NHS board"
    HSCP = "hscp", "Health and social care partnership"
    THIRD_SECTOR = "third_sector", "Third sector organisation"
    PRIVATE_SECTOR = "private_sector", "Private sector organisation"
    NATIONAL_BODY = "national_body", "National body"
    OTHER = "other", "Other"


class SizeBand(models.TextChoices):
    MICRO = "micro", "Fewer than 10 people"
    SMALL = "small", "10 to 49 people"
    MEDIUM = "medium", "50 to 249 people"
    LARGE = "large", "250 to 999 people"
    VERY_LARGE = "very_large", "1,000 people or more"


class PledgeStatus(models.TextChoices):
    AWAITING_CONFIRMATION = "awaiting_confirmation", "Waiting for email confirmation"
    AWAITING_REVIEW = "awaiting_review", "Waiting for review"
    CHANGES_REQUESTED = "changes_requested", "Changes asked for"
    APPROVED = "approved", "On the register"
    REJECTED = "rejected", "Not accepted"
    REMOVED = "removed", "Removed from the register"
    WITHDRAWN = "withdrawn", "Withdrawn by the organisation"


# The example actions, grouped as the pledge groups them. Keys are stored; wording may be improved freely.
ACTION_GROUPS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Value lived experience",
        [
            ("lived-experience-design", "Involve people with lived experience in designing and reviewing services"),
            ("lived-experience-paid", "Pay or otherwise recognise people for the lived experience they share"),
            ("lived-experience-feedback", "Ask the people who use our services how safe and welcome they feel"),
        ],
    ),
    (
        "Courageous leadership",
        [
            ("leaders-training", "Make sure our senior leaders take part in trauma-informed leadership training"),
            ("staff-training", "Give all our staff time to complete trauma-informed training"),
            ("staff-wellbeing", "Look after the wellbeing of staff who hear about or witness trauma"),
            ("roadmap", "Use the trauma-informed organisational roadmap to plan and check our progress"),
            ("policies-review", "Review our policies and letters so they do not cause further harm"),
        ],
    ),
]
ACTION_LABELS: dict[str, str] = {key: label for _, actions in ACTION_GROUPS for key, label in actions}
ACTION_GROUP_OF: dict[str, str] = {key: group for group, actions in ACTION_GROUPS for key, _ in actions}

COMMITMENTS = [
    "Work with others to put trauma-informed and trauma-responsive practice in place.",
    "Deliver services shaped by people with lived experience, wherever possible.",
    "Value relationships that offer safety, trust, choice, collaboration and empowerment.",
    "Respond in ways that prevent further harm and make services easier to reach.",
]


class PledgeQuerySet(models.QuerySet):
    def public(self) -> "PledgeQuerySet":
        """Only approved pledges are public."""
        return self.filter(status=PledgeStatus.APPROVED)

    def for_register(self) -> "PledgeQuerySet":
        return self.public().select_related("sector").prefetch_related("council_areas")

    def needing_review(self) -> "PledgeQuerySet":
        return self.filter(Q(status=PledgeStatus.AWAITING_REVIEW) | Q(status=PledgeStatus.APPROVED, edit_pending=True))

    def with_public_update_counts(self) -> "PledgeQuerySet":
        return self.annotate(
            published_updates=Count("updates", filter=Q(updates__status=UpdateStatus.APPROVED), distinct=True)
        )

    def with_approved_updates(self) -> "PledgeQuerySet":
        return self.prefetch_related(
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.filter(status=UpdateStatus.APPROVED).order_by("-published_at", "-pk"),
                to_attr="published_updates_list",
            )
        )


class Pledge(models.Model):
    """One organisation's pledge. Contact details are private; everything in PUBLIC_FIELDS may be published."""

    organisation_name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    normalised_name = models.CharField(max_length=200, db_index=True, editable=False)
    organisation_type = models.CharField(max_length=32, choices=OrganisationType.choices)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="pledges")
    council_areas = models.ManyToManyField(CouncilArea, blank=True, related_name="pledges")
    scotland_wide = models.BooleanField(default=False)
    website = models.URLField(max_length=300, blank=True, help_text="Empty if the organisation has no website.")
    website_domain = models.CharField(max_length=253, db_index=True, editable=False)
    size_band = models.CharField(max_length=16, choices=SizeBand.choices)
    logo = models.FileField(upload_to="pledges/logos/", blank=True)
    statement = models.TextField()
    actions = models.JSONField(default=list, blank=True, help_text="Keys of the example actions chosen.")
    own_actions = models.TextField(blank=True, help_text="The organisation's own actions, one a line.")
    leader_name = models.CharField(max_length=120)
    leader_role = models.CharField(max_length=120)
    leader_confirmed = models.BooleanField(default=False)
    contact_name = models.CharField(max_length=120)
    contact_email = models.EmailField()
    # Goes up on every change of contact and is written into each link (pledges.tokens), so a link sent before the
    # change stays dead even if the contact is later changed back to the address it was sent to.
    link_version = models.PositiveIntegerField(default=0, editable=False)

    status = models.CharField(
        max_length=32, choices=PledgeStatus.choices, default=PledgeStatus.AWAITING_CONFIRMATION, db_index=True
    )
    # Edits to an approved pledge wait here for review while the approved text stays on the register.
    edit_pending = models.BooleanField(default=False)
    pending_statement = models.TextField(blank=True)
    pending_actions = models.JSONField(default=list, blank=True)
    pending_own_actions = models.TextField(blank=True)

    possible_duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="possible_duplicates"
    )
    review_message = models.TextField(blank=True, help_text="The last message sent to the contact by a reviewer.")
    removal_reason = models.TextField(blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True, db_index=True, help_text="When first approved.")
    removed_at = models.DateTimeField(null=True, blank=True)
    last_reminder_year = models.PositiveSmallIntegerField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["normalised_name", "website_domain", "link_version"])
    objects = PledgeQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_at", "-created_at"]
        indexes = [models.Index(fields=["status", "signed_at"])]

    def __str__(self) -> str:
        return self.organisation_name

    def get_absolute_url(self) -> str:
        return reverse("pledges:organisation-detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.status == PledgeStatus.APPROVED

    @property
    def is_active(self) -> bool:
        """Still open to the contact: not withdrawn, removed or rejected."""
        return self.status not in {PledgeStatus.WITHDRAWN, PledgeStatus.REMOVED, PledgeStatus.REJECTED}

    def chosen_actions(self, keys: list[str] | None = None) -> list[tuple[str, list[str]]]:
        """The chosen example actions grouped under their headings, then the organisation's own."""
        keys = self.actions if keys is None else keys
        own = self.own_actions
        grouped = []
        for group, actions in ACTION_GROUPS:
            labels = [label for key, label in actions if key in keys]
            if labels:
                grouped.append((group, labels))
        own_lines = [line.strip() for line in own.splitlines() if line.strip()]
        if own_lines:
            grouped.append(("Our own actions", own_lines))
        return grouped

    def pending_chosen_actions(self) -> list[tuple[str, list[str]]]:
        saved = self.own_actions
        self.own_actions = self.pending_own_actions
        try:
            return self.chosen_actions(self.pending_actions)
        finally:
            self.own_actions = saved

    def area_names(self) -> list[str]:
        names = ["Scotland-wide"] if self.scotland_wide else []
        return names + [area.name for area in self.council_areas.all()]


class UpdateStatus(models.TextChoices):
    AWAITING_REVIEW = "awaiting_review", "Waiting for review"
    APPROVED = "approved", "Published"
    REJECTED = "rejected", "Not published"


class ProgressUpdate(models.Model):
    """A short plain-text update on what an organisation did and what it will do next, reviewed before publishing."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="updates")
    done = models.TextField("What we did")
    next_steps = models.TextField("What we will do next")
    status = models.CharField(
        max_length=20, choices=UpdateStatus.choices, default=UpdateStatus.AWAITING_REVIEW, db_index=True
    )
    review_message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Progress update from {self.pledge} ({self.created_at:%d %B %Y})"
