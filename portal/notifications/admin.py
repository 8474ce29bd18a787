from django.contrib import admin, messages

from portal.cache import bump
from portal.notifications import services
from portal.notifications.models import EmailSuppression, Event, Notification, OutboundEmail, Preference
from portal.notifications.selectors import NOTIFICATIONS_CACHE
from portal.redaction import redact, redact_json


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["to_email", "kind", "status", "attempts", "due_at", "sent_at", "short_error"]
    list_filter = ["status", "kind"]
    search_fields = ["to_email", "message_id"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    # A waiting account email's body holds its one-time link: staff see it with the link key hidden.
    # The frozen message holds the same links, and is bytes: not shown at all.
    exclude = ["body_text", "body_html", "raw_message"]
    readonly_fields = [
        *(f.name for f in OutboundEmail._meta.fields if f.name not in {"body_text", "body_html", "raw_message"}),
        "shown_body_text",
        "shown_body_html",
    ]
    list_select_related = False

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description="Last error")
    def short_error(self, obj: OutboundEmail) -> str:
        return obj.last_error[:80]

    @admin.display(description="Text body")
    def shown_body_text(self, obj: OutboundEmail) -> str:
        return redact(obj.body_text)

    @admin.display(description="HTML body")
    def shown_body_html(self, obj: OutboundEmail) -> str:
        return redact(obj.body_html)

    @admin.action(description="Try sending the selected failed emails again")
    def retry(self, request, queryset):
        count = services.outbound_email_retry(email_ids=queryset.values_list("pk", flat=True))
        messages.success(request, f"{count} failed email(s) will be sent again.")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """What happened that people were told about. Pledge confirm and manage links carry keys that act for the
    contact, so links and context are shown with the keys hidden, and nothing here can be edited."""

    list_display = ["kind", "created_at", "shown_url"]
    list_filter = ["kind"]
    fields = ["kind", "shown_context", "shown_url", "subject_type", "subject_id", "created_at"]
    readonly_fields = ["kind", "shown_context", "shown_url", "subject_type", "subject_id", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Link")
    def shown_url(self, obj: Event) -> str:
        return redact(obj.url)

    @admin.display(description="What the emails are written from")
    def shown_context(self, obj: Event) -> str:
        return redact_json(obj.context)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "title", "kind", "count", "created_at", "read_at", "digest_pending"]
    list_filter = ["digest_pending", "kind"]
    search_fields = ["recipient__email", "title"]
    raw_id_fields = ["recipient", "event"]
    list_select_related = ["recipient"]

    # Deleting sends no signal the unread counts listen to (portal/receivers.py says why): forget them all.
    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        bump(NOTIFICATIONS_CACHE)

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        bump(NOTIFICATIONS_CACHE)


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    """Read only: a person's choices are theirs to make, on their preferences page (services.preference_set)."""

    list_display = ["user", "kind", "delivery"]
    list_filter = ["kind", "delivery"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(EmailSuppression)
class EmailSuppressionAdmin(admin.ModelAdmin):
    list_display = ["email", "kind", "created_at"]
    search_fields = ["email"]
