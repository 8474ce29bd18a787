from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from pledges.models import Pledge, ProgressUpdate


@admin.register(Pledge)
class PledgeAdmin(SimpleHistoryAdmin):
    """Reviews happen on the review pages (/pledge/review/); the admin shows every pledge and its full history."""

    list_display = ["organisation_name", "organisation_type", "status", "edit_pending", "signed_at", "created_at"]
    list_filter = ["status", "organisation_type", "sector", "edit_pending"]
    search_fields = ["organisation_name", "contact_email", "website_domain"]
    readonly_fields = ["normalised_name", "website_domain", "created_at", "confirmed_at", "signed_at", "removed_at"]
    filter_horizontal = ["council_areas"]
    raw_id_fields = ["possible_duplicate_of"]
    history_list_display = ["status"]

    def save_model(self, request, obj, form, change):
        # A contact changed here ends the old contact's links, as a change through a management link does.
        if change and "contact_email" in form.changed_data:
            obj.link_version += 1
        super().save_model(request, obj, form, change)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["pledge", "status", "created_at", "published_at"]
    list_filter = ["status"]
    list_select_related = ["pledge"]
