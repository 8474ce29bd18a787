from datetime import datetime
from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from portal.notifications import registry
from portal.notifications.registry import Delivery

if TYPE_CHECKING:
    from portal.models import User


class Event(models.Model):
    """Something happened that people are told about: written once, however many people are told.

    Not to be confused with training's learning events: in the admin these are "Notification events".
    """

    kind = models.CharField(max_length=80, db_index=True)
    context = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    url = models.CharField(max_length=500, blank=True, help_text="Where the thing the notification is about lives.")
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    subject_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "notification event"
        verbose_name_plural = "notification events"
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.kind} at {self.created_at:%Y-%m-%d %H:%M}"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user: "User") -> Self:
        return self.filter(recipient=user)

    def unread(self) -> Self:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """What a person sees in their notifications list in the portal."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notifications")
    # The event's kind, copied here so a grouped notification is found by its own unique index, with no join.
    kind = models.CharField(max_length=80, default="")
    title = models.CharField(max_length=200)
    # Unread notifications of one kind for one person with the same non-empty key are one row: `count` says how
    # many things it stands for, and `event`, `title` and `created_at` are the latest one's.
    group_key = models.CharField(max_length=200, blank=True, default="")
    count = models.PositiveIntegerField(default=1)
    read_at = models.DateTimeField(null=True, blank=True)
    # Waiting for the person's daily summary email.
    digest_pending = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["digest_pending", "recipient"]),
            # Retention deletes read notifications by age.
            models.Index(
                fields=["created_at"], condition=models.Q(read_at__isnull=False), name="notification_read_age"
            ),
        ]
        constraints = [
            # notify() folds into this row with INSERT ... ON CONFLICT, so two replies committed at the same moment
            # still make one line: the second waits for the first and then folds.
            models.UniqueConstraint(
                fields=["recipient", "kind", "group_key"],
                condition=models.Q(read_at__isnull=True) & ~models.Q(group_key=""),
                name="one_unread_notification_per_group",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        """The line people see: "5 new replies in ..." for five grouped notifications, the title for one."""
        if self.count <= 1:
            return self.title
        try:
            kind = registry.get(self.kind)
        except LookupError:  # a kind since removed from the code: its rows still read sensibly
            return f"{self.title} (and {self.count - 1} more)"
        return kind.title_for(title=self.title, count=self.count, context=self.event.context)


class OutboundEmailQuerySet(models.QuerySet["OutboundEmail"]):
    def due(self, now: datetime | None = None) -> Self:
        return self.filter(status=OutboundEmail.Status.PENDING, due_at__lte=now or timezone.now())

    def unsent(self) -> Self:
        return self.filter(status__in=[OutboundEmail.Status.PENDING, OutboundEmail.Status.SENDING])


class OutboundEmail(models.Model):
    """One email to one address: the outbox row. Written in the caller's transaction, sent at most once."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Not needed"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=80, db_index=True)
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.CASCADE, related_name="emails")
    notification = models.ForeignKey(Notification, null=True, blank=True, on_delete=models.SET_NULL)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE)
    to_email = models.EmailField()
    # Pre-rendered content (account emails arrive rendered from allauth); otherwise rendered when sent.
    subject = models.CharField(max_length=300, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    due_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When delivery was last handed to the broker; the sweeper re-enqueues rows that wait too long after this.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Who holds the claim: a fresh random token each time the row is claimed. A worker finishes a row only while the
    # token is still its own, so one whose lease ran out cannot overwrite what the next worker did.
    claim_token = models.CharField(max_length=32, blank=True, db_default="")
    # The message exactly as first sent (headers, Date, MIME boundaries, unsubscribe link): every later attempt sends
    # these bytes, so a receiver can drop a resend as a copy. Cleared once sent (account emails hold one-time links).
    raw_message = models.BinaryField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "outbound email"
        indexes = [models.Index(fields=["status", "due_at"])]
        constraints = [
            # A grouped notification's news waits in one email: notify() folds into it with INSERT ... ON CONFLICT.
            # Sending is included so that a failed send going back to pending can never meet a second row.
            models.UniqueConstraint(
                fields=["notification"],
                condition=models.Q(status__in=["pending", "sending"]),
                name="one_unsent_email_per_notification",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_email} ({self.get_status_display()})"


class Preference(models.Model):
    """A person's choice of delivery for one kind. No row means the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=80)
    delivery = models.CharField(max_length=10, choices=[(d.value, d.label) for d in Delivery])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} {self.delivery}"


class EmailSuppression(models.Model):
    """An address without an account that asked not to get a kind of email (by its unsubscribe link)."""

    email = models.EmailField()
    kind = models.CharField(max_length=80)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["email", "kind"], name="one_suppression_per_kind")]

    def __str__(self) -> str:
        return f"{self.email}: no {self.kind}"
