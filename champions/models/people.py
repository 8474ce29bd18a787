"""Champions: who they are, the areas they cover, their status, what they share publicly, their account."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from portal.models import CouncilArea, HealthAndSocialCarePartnership, HealthBoard


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class OrganisationType(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    NHS_BOARD = "nhs_board", "NHS board"
    HSCP = "hscp", "Health and social care partnership"
    POLICE = "police", "Police Scotland"
    FIRE = "fire", "Scottish Fire and Rescue Service"
    THIRD_SECTOR = "third_sector", "Third sector organisation"
    NATIONAL_BODY = "national_body", "National body"
    OTHER = "other", "Other community planning partner"


class ChampionStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ON_LEAVE = "on_leave", "On leave"
    STEPPED_DOWN = "stepped_down", "Stepped down"


class ChampionQuerySet(models.QuerySet["Champion"]):
    def active(self) -> "ChampionQuerySet":
        return self.filter(status=ChampionStatus.ACTIVE)

    def public(self) -> "ChampionQuerySet":
        """Shown in "Find your trauma champion": active champions who chose to be listed."""
        return self.active().filter(public_listed=True)


class Champion(models.Model):
    """One trauma champion. Contact details are for the Improvement Service; only the public_* fields, the name, job
    title and organisation of an active champion who chose to be listed are ever shown to the public."""

    name = models.CharField(max_length=120)
    job_title = models.CharField(max_length=160, blank=True)
    email = models.EmailField(help_text="Where the Improvement Service writes to this champion.")
    phone = models.CharField(max_length=40, blank=True)
    organisation_name = models.CharField(max_length=200)
    organisation_type = models.CharField(max_length=32, choices=OrganisationType.choices)
    council_areas = models.ManyToManyField(CouncilArea, blank=True, related_name="champions")
    health_board = models.ForeignKey(
        HealthBoard,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="champions",
        verbose_name="NHS board",
    )
    partnership = models.ForeignKey(
        HealthAndSocialCarePartnership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="champions",
        verbose_name="health and social care partnership",
    )
    date_joined = models.DateField(default=timezone.localdate)
    status = models.CharField(max_length=16, choices=ChampionStatus.choices, default=ChampionStatus.ACTIVE)
    status_since = models.DateField(default=timezone.localdate, help_text="When the present status began.")
    expected_return_on = models.DateField(null=True, blank=True, help_text="For a champion on leave, if known.")
    stepped_down_on = models.DateField(null=True, blank=True)
    local_contacts = models.TextField(blank=True, help_text="Other people to contact locally, one a line.")
    notes = models.TextField(blank=True, help_text="For the Improvement Service only.")

    # "Find your trauma champion": nothing below is public unless public_listed is true.
    public_listed = models.BooleanField(default=False, help_text="The champion agreed to be listed publicly.")
    public_listed_at = models.DateTimeField(null=True, blank=True)
    public_email = models.EmailField(blank=True, help_text="A contact address the champion is happy to publish.")
    public_phone = models.CharField(max_length=40, blank=True)
    public_statement = models.CharField(max_length=300, blank=True, help_text="A sentence on how they can help.")

    # The champion's account, once they accept an invitation. A person is the champion of at most one record.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="champion"
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Goes up with every new invitation and on linking, and is written into the link (champions.tokens), so only
    # the latest invitation works and a used one stays dead.
    invitation_version = models.PositiveIntegerField(default=0, editable=False)
    invitation_accepted_at = models.DateTimeField(null=True, blank=True)
    # The secret in the champion's personal calendar feed URL; a new one turns the old feed off.
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token, editable=False)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        excluded_fields=["calendar_token", "invitation_version", "updated_at"], m2m_fields=[council_areas]
    )
    objects = ChampionQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="champion_email_unique_ci",
                violation_error_message="Another champion's record has this email address.",
            )
        ]
        indexes = [models.Index(fields=["status", "name"]), models.Index(fields=["name", "id"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("champions:admin-champion-detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status == ChampionStatus.ACTIVE
