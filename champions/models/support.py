"""Confidential one-to-one support. IS admins only; every read is written to SupportLogAccess, and nothing from
here goes into an export, a notification's context or an email."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from champions.models.people import Champion


class SupportLogQuerySet(models.QuerySet["SupportLog"]):
    def follow_up_overdue(self) -> "SupportLogQuerySet":
        return self.filter(follow_up_on__lt=timezone.localdate(), follow_up_done_at__isnull=True)


class SupportLog(models.Model):
    """One confidential one-to-one support conversation with a champion. IS admins only; every read is logged."""

    champion = models.ForeignKey(Champion, on_delete=models.CASCADE, related_name="support_logs")
    met_on = models.DateField(default=timezone.localdate)
    is_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_logs",
        verbose_name="who from the Improvement Service",
    )
    topics = models.TextField()
    notes = models.TextField(blank=True)
    follow_up_on = models.DateField(null=True, blank=True)
    follow_up_done_at = models.DateTimeField(null=True, blank=True)
    follow_up_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SupportLogQuerySet.as_manager()

    class Meta:
        ordering = ["-met_on", "-pk"]
        indexes = [models.Index(fields=["follow_up_on"]), models.Index(fields=["champion", "met_on"])]

    def __str__(self) -> str:
        return f"One-to-one support {self.pk}"


class ActionOwner(models.TextChoices):
    CHAMPION = "champion", "The champion"
    IMPROVEMENT_SERVICE = "improvement_service", "The Improvement Service"
    OTHER = "other", "Someone else"


class AgreedAction(models.Model):
    log = models.ForeignKey(SupportLog, on_delete=models.CASCADE, related_name="actions")
    owner = models.CharField(max_length=24, choices=ActionOwner.choices)
    owner_name = models.CharField(max_length=120, blank=True, help_text="Who, if not the champion.")
    text = models.CharField(max_length=500)
    due_on = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text


class AccessAction(models.TextChoices):
    VIEWED_LIST = "viewed_list", "Read the champion's support log"
    VIEWED = "viewed", "Read a record"
    CREATED = "created", "Added a record"
    EDITED = "edited", "Changed a record"
    EXPORTED = "exported", "Exported records"


class SupportLogAccess(models.Model):
    """Who read or changed which confidential record, and when. Kept when the record is deleted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="support_log_accesses"
    )
    champion = models.ForeignKey(Champion, null=True, on_delete=models.SET_NULL, related_name="+")
    log = models.ForeignKey(SupportLog, null=True, blank=True, on_delete=models.SET_NULL, related_name="accesses")
    action = models.CharField(max_length=16, choices=AccessAction.choices)
    accessed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-accessed_at", "-pk"]
        verbose_name_plural = "support log accesses"

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display()} at {self.accessed_at}"
