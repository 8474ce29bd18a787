"""Emails the Improvement Service composes in the portal for champions, and who each went to."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from champions.models.people import Champion
from champions.models.programme import Cohort


class Message(models.Model):
    """An email the Improvement Service composed in the portal for a cohort or a chosen set of champions."""

    subject = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown.")
    body_html = models.TextField(editable=False, default="")
    cohort = models.ForeignKey(Cohort, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages")
    audience = models.CharField(max_length=300, help_text="Who it went to, in words (the cohort or the filters).")
    filters = models.JSONField(default=dict, blank=True, help_text="The filters that chose the champions, if any.")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.subject


class MessageRecipient(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="recipients")
    champion = models.ForeignKey(Champion, null=True, on_delete=models.SET_NULL, related_name="messages_received")
    email = models.EmailField(help_text="The address it was sent to, as it was then.")
    outbound_email = models.ForeignKey(
        "portal.OutboundEmail", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["message", "champion"], name="message_recipient_unique")]

    def __str__(self) -> str:
        return f"{self.message} to {self.email}"
