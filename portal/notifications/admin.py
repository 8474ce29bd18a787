from django.contrib import admin, messages

from portal.notifications import services
from portal.notifications.models import EmailSuppression, Event, Notification, OutboundEmail, Preference


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["to_email", "kind", "status", "attempts", "due_at", "sent_at", "short_error"]
    list_filter = ["status", "kind"]
    search_fields = ["to_email", "message_id"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]
    list_select_related = False

    def has_add_permission(self, request) -> bool:
        return False

    @admin.display(description="Last error")
    def short_error(self, obj: OutboundEmail) -> str:
        return obj.last_error[:80]

    @admin.action(description="Try sending the selected failed emails again")
    def retry(self, request, queryset):
        count = services.outbound_email_retry(email_ids=queryset.values_list("pk", flat=True))
        messages.success(request, f"{count} failed email(s) will be sent again.")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["kind", "created_at", "url"]
    list_filter = ["kind"]
    readonly_fields = ["kind", "context", "url", "subject_type", "subject_id", "created_at"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "title", "created_at", "read_at", "digest_pending"]
    list_filter = ["digest_pending"]
    search_fields = ["recipient__email", "title"]
    raw_id_fields = ["recipient", "event"]
    list_select_related = ["recipient"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "delivery"]
    list_filter = ["kind", "delivery"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]


@admin.register(EmailSuppression)
class EmailSuppressionAdmin(admin.ModelAdmin):
    list_display = ["email", "kind", "created_at"]
    search_fields = ["email"]
