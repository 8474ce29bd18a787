"""The action learning programme: cohorts, their members and sessions, attendance, notes and shared resources."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from champions.models.people import Champion


class Cohort(models.Model):
    """One action learning set: champions who meet together over a programme."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_cohorts")
    champions = models.ManyToManyField(Champion, through="CohortMembership", related_name="cohorts")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="cohort_ends_after_start",
                violation_error_message="The cohort ends after it starts.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("champions:admin-cohort-detail", args=[self.pk])


class CohortMembership(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    champion = models.ForeignKey(Champion, on_delete=models.CASCADE, related_name="memberships")
    joined_on = models.DateField(default=timezone.localdate)
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["champion__name"]
        constraints = [models.UniqueConstraint(fields=["cohort", "champion"], name="cohort_membership_unique")]

    def __str__(self) -> str:
        return f"{self.champion} in {self.cohort}"


class SessionQuerySet(models.QuerySet["Session"]):
    def upcoming(self) -> "SessionQuerySet":
        return self.filter(ends_at__gte=timezone.now(), cancelled_at__isnull=True).order_by("starts_at", "pk")

    def past(self) -> "SessionQuerySet":
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at", "-pk")


class Session(models.Model):
    """One meeting of a cohort, online or at a venue."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    theme = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="What the session is about and how to prepare.")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    online_url = models.URLField(max_length=500, blank=True, help_text="The link to join, if the session is online.")
    venue = models.TextField(blank=True, help_text="The address, if the session meets in person.")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Goes up with every change a calendar should pick up (the .ics SEQUENCE).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    # Reminders (two days before, and on the morning) are sent once each; these say when.
    reminder_early_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminder_day_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at"]), models.Index(fields=["cohort", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="session_ends_after_start",
                violation_error_message="The session ends after it starts.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cohort}: {self.theme}"

    @property
    def is_online(self) -> bool:
        return bool(self.online_url)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Sent apologies"
    ABSENT = "absent", "Absent"


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    champion = models.ForeignKey(Champion, on_delete=models.CASCADE, related_name="attendance")
    status = models.CharField(max_length=12, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "champion__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "champion"],
                name="attendance_unique",
                violation_error_message="Attendance is already recorded for this champion.",
            )
        ]
        indexes = [models.Index(fields=["champion", "status"])]

    def __str__(self) -> str:
        return f"{self.champion} at {self.session}: {self.get_status_display()}"


class NoteAudience(models.TextChoices):
    IS_ONLY = "is_only", "The Improvement Service only"
    COHORT = "cohort", "The cohort's champions"


class SessionNote(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="notes")
    audience = models.CharField(max_length=10, choices=NoteAudience.choices, default=NoteAudience.IS_ONLY)
    body = models.TextField(help_text="Markdown.")
    body_html = models.TextField(editable=False, default="")  # rendered once on save, by the service
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Note on {self.session}"


class SharedResource(models.Model):
    """Something shared with a cohort: a resource from the catalogue, a file or a link (exactly one)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="shared_resources")
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="shared_resources"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    training_resource = models.ForeignKey(
        "training.Resource", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    file = models.FileField(upload_to="champions/shared/", blank=True, help_text="A PDF.")
    link = models.URLField(max_length=500, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-shared_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(training_resource__isnull=False, file="", link="")
                    | (Q(training_resource__isnull=True, link="") & ~Q(file=""))
                    | (Q(training_resource__isnull=True, file="") & ~Q(link=""))
                ),
                name="shared_resource_one_source",
                violation_error_message="Share one thing: a resource from the catalogue, a file or a link.",
            )
        ]

    def __str__(self) -> str:
        return self.title
