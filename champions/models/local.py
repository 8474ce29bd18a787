"""Local work: each area's improvement plan with its progress ratings, and training delivered locally."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from champions.models.people import Champion
from portal.models import CouncilArea, PracticeLevel, ServiceArea


class ImprovementPlan(models.Model):
    """A council area's local improvement plan: a document or a link, and its priorities."""

    council_area = models.ForeignKey(CouncilArea, on_delete=models.PROTECT, related_name="improvement_plans")
    title = models.CharField(max_length=200)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    document = models.FileField(upload_to="champions/plans/", blank=True, help_text="A PDF.")
    link = models.URLField(max_length=500, blank=True)
    priorities = models.TextField(blank=True, help_text="The plan's priorities, one a line.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["council_area__name", "-starts_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def priority_list(self) -> list[str]:
        return [line.strip() for line in self.priorities.splitlines() if line.strip()]


class Progress(models.IntegerChoices):
    NOT_STARTED = 1, "Not started"
    EARLY = 2, "Early stages"
    UNDER_WAY = 3, "Under way"
    ESTABLISHED = 4, "Well established"


class PlanRating(models.Model):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="ratings")
    rated_on = models.DateField(default=timezone.localdate)
    rating = models.PositiveSmallIntegerField(choices=Progress.choices)
    comment = models.TextField(blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-rated_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.plan}: {self.get_rating_display()} on {self.rated_on}"


class TrainingType(models.TextChoices):
    WORKSHOP = "workshop", "Facilitated workshop"
    ELEARNING = "elearning", "E-learning with discussion"
    SCREENING = "screening", "Animation screening and discussion"
    BRIEFING = "briefing", "Briefing or presentation"
    LEADERS = "leaders", "Leaders' training (such as STILT)"
    OTHER = "other", "Other"


class TrainingDelivery(models.Model):
    """One session of trauma training delivered locally, recorded by a champion or the Improvement Service."""

    champion = models.ForeignKey(
        Champion, null=True, blank=True, on_delete=models.SET_NULL, related_name="training_deliveries"
    )
    council_area = models.ForeignKey(
        CouncilArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="training_deliveries"
    )
    delivered_on = models.DateField()
    training_type = models.CharField(max_length=16, choices=TrainingType.choices)
    title = models.CharField(max_length=200, blank=True, help_text="For example: Opening Doors.")
    practice_level = models.ForeignKey(PracticeLevel, on_delete=models.PROTECT, related_name="+")
    delivered_by = models.CharField(max_length=200)
    location = models.CharField(max_length=200, help_text="Where it was, or 'Online'.")
    duration_minutes = models.PositiveIntegerField()
    attendee_count = models.PositiveIntegerField()
    service_areas = models.ManyToManyField(ServiceArea, blank=True, related_name="+", verbose_name="areas of work")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-delivered_on", "-pk"]
        verbose_name_plural = "training deliveries"
        indexes = [models.Index(fields=["delivered_on"]), models.Index(fields=["council_area", "delivered_on"])]

    def __str__(self) -> str:
        return f"{self.get_training_type_display()} on {self.delivered_on}"
