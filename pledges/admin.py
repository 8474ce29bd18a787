from django.contrib import admin
from django.db import models
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from pledges.models import Pledge, ProgressUpdate
from pledges.selectors import REGISTER_CACHE
from portal.admin_widgets import ServedFileWidget
from portal.cache import bump


class BumpsRegisterCache(admin.ModelAdmin):
    """An edit in the admin can change what the register shows: the cached register pages and open data are made
    stale, as the services do for their own changes."""

    def save_related(self, request, form, formsets, change) -> None:  # after the row and its council areas
        super().save_related(request, form, formsets, change)
        bump(REGISTER_CACHE)

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        bump(REGISTER_CACHE)

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        bump(REGISTER_CACHE)


def _logo_url(pledge: Pledge, field_name: str) -> str:
    """The public logo address once the pledge is on the register; before that, the reviewers' own."""
    if pledge.is_public:
        return reverse("pledges:organisation-logo", args=[pledge.slug])
    return reverse("pledges:review-logo", args=[pledge.pk])


@admin.register(Pledge)
class PledgeAdmin(BumpsRegisterCache, SimpleHistoryAdmin):
    """Reviews happen on the review pages (/pledge/review/); the admin shows every pledge and its full history."""

    list_display = ["organisation_name", "organisation_type", "status", "edit_pending", "signed_at", "created_at"]
    list_filter = ["status", "organisation_type", "sector", "edit_pending"]
    search_fields = ["organisation_name", "contact_email", "website_domain"]
    readonly_fields = ["normalised_name", "website_domain", "created_at", "confirmed_at", "signed_at", "removed_at"]
    filter_horizontal = ["council_areas"]
    raw_id_fields = ["possible_duplicate_of"]
    history_list_display = ["status"]
    formfield_overrides = {
        models.FileField: {"widget": ServedFileWidget(url_for=_logo_url)},
        # A website typed without a scheme is taken as https, as in the training admin (and Django 6's default).
        models.URLField: {"assume_scheme": "https"},
    }

    def save_model(self, request, obj, form, change):
        # A contact changed here ends the old contact's links, as a change through a management link does.
        if change and "contact_email" in form.changed_data:
            obj.link_version += 1
        super().save_model(request, obj, form, change)


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(BumpsRegisterCache, SimpleHistoryAdmin):
    list_display = ["pledge", "status", "created_at", "published_at"]
    list_filter = ["status"]
    list_select_related = ["pledge"]
