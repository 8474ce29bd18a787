"""Training: the catalogue of NTTP resources, e-learning modules with saved progress, certificates, pathways,
case studies and learning events."""

import secrets
from typing import Any, Self, TypeVar

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from portal.models import PracticeLevel, Principle, Role, Sector, ServiceArea
from training.files import IMAGE_EXTENSIONS, validate_image, validate_pdf

_Publishable = TypeVar("_Publishable", bound=models.Model)


class PublishedQuerySet(models.QuerySet[_Publishable]):
    def published(self) -> Self:
        return self.filter(published_at__isnull=False, published_at__lte=timezone.now())


class Format(models.TextChoices):
    ELEARNING = "elearning", "E-learning module"
    VIDEO = "video", "Animation or video"
    GUIDE = "guide", "Guide or PDF"
    WORKSHOP = "workshop", "Facilitated workshop"
    WEBINAR = "webinar", "Webinar recording"
    LEADERSHIP = "leadership", "Leadership programme"


class Resource(models.Model):
    """One learning resource in the catalogue: a module in this portal or a link to where it lives."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(max_length=300, help_text="One or two plain sentences shown in lists.")
    description = models.TextField(help_text="Markdown. Shown on the resource page.")
    levels = models.ManyToManyField(PracticeLevel, related_name="resources")
    format = models.CharField(max_length=20, choices=Format.choices)
    audiences = models.ManyToManyField(Role, blank=True, related_name="resources")
    service_areas = models.ManyToManyField(ServiceArea, blank=True, related_name="resources")
    audience_note = models.CharField(max_length=200, blank=True, help_text="For example: children and young people.")
    duration_minutes = models.PositiveIntegerField(help_text="About how long it takes, in minutes.")
    provider = models.CharField(
        max_length=200, help_text="Who made or runs it, for example NHS Education for Scotland."
    )
    cost = models.CharField(max_length=100, default="Free")
    accreditation = models.CharField(max_length=200, blank=True)
    external_url = models.URLField(blank=True, help_text="Where it lives if it is not a module in this portal.")
    external_site_name = models.CharField(max_length=100, blank=True, help_text="For example: Turas Learn.")
    content_warning = models.TextField(blank=True, help_text="Shown before the resource if it may be distressing.")
    transcript = models.TextField(blank=True, help_text="Markdown. Required for any video or animation.")
    image = models.ImageField(
        upload_to="training/images/",
        blank=True,
        validators=[FileExtensionValidator(IMAGE_EXTENSIONS), validate_image],
        help_text="A PNG, JPEG or WebP picture.",
    )
    image_alt = models.CharField(max_length=200, blank=True)
    document = models.FileField(
        upload_to="training/documents/",
        blank=True,
        validators=[FileExtensionValidator(["pdf"]), validate_pdf],
        help_text="A PDF to download.",
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Leave empty to keep it as a draft. People who follow its levels are told once, when it goes live.",
    )
    # Set once, when the followers of its levels were told it is live (or it was published without telling them):
    # however it is published, or republished, nobody is told twice (training.services.resource_followers_notify).
    followers_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(default=timezone.now)
    view_count = models.PositiveIntegerField(default=0, editable=False)
    # Kept current by training.search.update_resource_vectors; GIN-indexed on PostgreSQL, empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        # followers_notified_at is written only when named in update_fields (training.services does): a stale copy
        # saved from the shell or a form must not put the guard back to empty and announce the resource twice.
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "followers_notified_at"
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("training:resource-detail", args=[self.slug])


class Module(models.Model):
    """An e-learning module in this portal: an ordered list of steps, with a knowledge check to pass."""

    resource = models.OneToOneField(Resource, on_delete=models.CASCADE, related_name="module")
    introduction = models.TextField(blank=True, help_text="Markdown. What the module covers and how long it takes.")
    pass_mark = models.PositiveSmallIntegerField(
        default=80, validators=[MinValueValidator(1), MaxValueValidator(100)], help_text="Percent to pass the check."
    )

    def __str__(self) -> str:
        return self.resource.title


class Step(models.Model):
    class Kind(models.TextChoices):
        READING = "reading", "Reading"
        VIDEO = "video", "Video"
        REFLECTION = "reflection", "Reflective question"
        CHECK = "check", "Knowledge check"

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(help_text="Steps are shown from the lowest number up.")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.READING)
    body = models.TextField(blank=True, help_text="Markdown. For a reflection, the question to reflect on.")
    video_url = models.URLField(blank=True)
    transcript = models.TextField(blank=True, help_text="Markdown. Required for a video step.")
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["module", "order"]
        constraints = [models.UniqueConstraint(fields=["module", "order"], name="one_step_per_position")]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Question(models.Model):
    """A multiple-choice question in a knowledge-check step."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=500)

    class Meta:
        ordering = ["step", "order", "id"]

    def __str__(self) -> str:
        return self.text


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)
    is_correct = models.BooleanField(default=False)
    feedback = models.TextField(help_text="Why this answer is or is not right, shown after answering.")

    class Meta:
        ordering = ["question", "order", "id"]

    def __str__(self) -> str:
        return self.text


class ModuleProgress(models.Model):
    """Where a learner is in a module. Saved on every step, so they can stop and resume on any device."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_progress")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="progress")
    current_step = models.ForeignKey(Step, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    check_passed = models.BooleanField(default=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    confidence_before = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    confidence_after = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    confidence_comment = models.TextField(blank=True, max_length=1000)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "module"], name="one_progress_per_module")]

    def __str__(self) -> str:
        return f"{self.user} in {self.module}"


class StepCompletion(models.Model):
    progress = models.ForeignKey(ModuleProgress, on_delete=models.CASCADE, related_name="completions")
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["progress", "step"], name="one_completion_per_step")]

    def __str__(self) -> str:
        return f"{self.progress}: step {self.step_id} done"


class CheckAttempt(models.Model):
    """One go at a knowledge check: the chosen options and the score."""

    progress = models.ForeignKey(ModuleProgress, on_delete=models.CASCADE, related_name="attempts")
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(default=dict, help_text="Question id to chosen option id.")
    score = models.PositiveSmallIntegerField(help_text="Percent correct.")
    passed = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.progress}: {self.score}%"


class Reflection(models.Model):
    """A learner's answer to a reflective question. Private to them: nobody else, staff included, sees it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections")
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=5000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "step"], name="one_reflection_per_step")]

    def __str__(self) -> str:
        return f"Reflection by {self.user_id} on step {self.step_id}"


def new_certificate_code() -> str:
    # 12 characters from an alphabet without look-alikes: easy to read out, impossible to guess.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


class Certificate(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates")
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="certificates")
    code = models.CharField(max_length=20, unique=True, default=new_certificate_code)
    learner_name = models.CharField(max_length=120, help_text="As the learner wants it shown; they can correct it.")
    module_title = models.CharField(max_length=200)
    level_name = models.CharField(max_length=120)
    completed_on = models.DateField()
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "module"], name="one_certificate_per_module")]

    def __str__(self) -> str:
        return f"{self.module_title}: {self.code}"


class Pathway(models.Model):
    """An ordered set of resources for a level or a role."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(max_length=300)
    description = models.TextField(blank=True, help_text="Markdown.")
    level = models.ForeignKey(PracticeLevel, null=True, blank=True, on_delete=models.SET_NULL, related_name="pathways")
    role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.SET_NULL, related_name="pathways")
    resources = models.ManyToManyField(Resource, through="PathwayItem", related_name="pathways")
    published_at = models.DateTimeField(null=True, blank=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["level__order", "title"]

    def __str__(self) -> str:
        return self.title


class PathwayItem(models.Model):
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="items")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["pathway", "order"]
        constraints = [models.UniqueConstraint(fields=["pathway", "resource"], name="resource_once_per_pathway")]

    def __str__(self) -> str:
        return f"{self.pathway}: {self.order}"


class ExternalCompletion(models.Model):
    """The learner's own record that they completed a resource elsewhere (for example on Turas Learn)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_completions")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    completed_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "resource"], name="one_external_completion")]

    def __str__(self) -> str:
        return f"{self.user_id} completed {self.resource_id} on {self.completed_on}"


class SavedResource(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_resources")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "resource"], name="save_resource_once")]

    def __str__(self) -> str:
        return f"{self.user_id} saved {self.resource_id}"


class ResourceFeedback(models.Model):
    """'Was this useful?': no account needed. A comment is optional and never shown publicly."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="feedback")
    useful = models.BooleanField()
    comment = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{'Useful' if self.useful else 'Not useful'}: {self.resource_id}"


class CaseStudy(models.Model):
    """An example of trauma-informed practice from the toolkit."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    organisation = models.CharField(max_length=200)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="case_studies")
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="case_studies")
    principles = models.ManyToManyField(Principle, related_name="case_studies")
    summary = models.CharField(max_length=300)
    what_they_did = models.TextField(help_text="Markdown.")
    what_changed = models.TextField(help_text="Markdown.")
    lived_experience = models.TextField(help_text="Markdown. How people with lived experience were involved.")
    credit = models.CharField(max_length=300, blank=True, help_text="Who contributed, as they want to be credited.")
    published_at = models.DateTimeField(null=True, blank=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "case studies"

    def __str__(self) -> str:
        return self.title


class LearningEvent(models.Model):
    """A learning event such as a deep dive session: upcoming, then past with its recording."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(max_length=300)
    description = models.TextField(help_text="Markdown.")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    online = models.BooleanField(default=True)
    venue = models.CharField(max_length=300, blank=True, help_text="Address, if it is in person.")
    speakers = models.TextField(blank=True, help_text="One speaker a line: name and role.")
    booking_url = models.URLField(blank=True)
    recording_url = models.URLField(blank=True)
    recording_transcript = models.TextField(blank=True, help_text="Markdown.")
    resources = models.ManyToManyField(Resource, blank=True, related_name="events")
    published_at = models.DateTimeField(null=True, blank=True)

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.title


class LevelInterest(models.Model):
    """A person asked to hear about new resources at a practice level ("Tell me about new resources")."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="level_interests")
    level = models.ForeignKey(PracticeLevel, on_delete=models.CASCADE, related_name="interested")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "level"], name="one_interest_per_level")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.level_id}"
