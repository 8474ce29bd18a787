"""Authoring in the Django admin for Content editors: resources, modules and steps, questions, pathways, case studies
and events. Ordering is drag-free: each step, option and pathway item has an order number."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from portal.admin_widgets import ServedFileWidget
from training import files, services
from training.models import (
    CaseStudy,
    LearningEvent,
    Module,
    Option,
    Pathway,
    PathwayItem,
    Question,
    Resource,
    ResourceFeedback,
    Step,
)

# Links typed without a scheme are taken as https (and Django 6's default), not http.
HTTPS_URLS: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {models.URLField: {"assume_scheme": "https"}}


def _resource_file_url(resource: Resource, field_name: str) -> str:
    """Where the portal serves the resource's document or image: drafts (and resources published for a later date)
    only as an editor's preview."""
    view = {"document": "training:resource-document", "image": "training:resource-image"}[field_name]
    url = reverse(view, args=[resource.slug])
    is_live = resource.published_at is not None and resource.published_at <= timezone.now()
    return url if is_live else f"{url}?preview=1"


def _preview_link(resource: Resource) -> str:
    if not resource.pk:
        return "Save first to preview."
    url = reverse("training:resource-detail", args=[resource.slug]) + "?preview=1&continue=1"
    return format_html('<a href="{}" target="_blank" rel="noopener">Preview (opens in a new tab)</a>', url)


class ResourceAdminForm(forms.ModelForm):
    # A plain file field, not forms.ImageField: portal.uploads says what is wrong (an SVG, a GIF) in its own words.
    image = forms.FileField(
        required=False,
        widget=ServedFileWidget(url_for=_resource_file_url),
        help_text=Resource._meta.get_field("image").help_text,
    )

    class Meta:
        model = Resource
        fields = ["image"]  # the admin adds the rest from its fieldsets

    def clean_image(self):
        image = self.cleaned_data.get("image")
        # Only a new upload is re-encoded (to drop camera and location metadata); a kept picture is left as it is.
        return files.clean_image(image) if isinstance(image, UploadedFile) else image


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    form = ResourceAdminForm
    formfield_overrides = {
        **HTTPS_URLS,
        models.FileField: {"widget": ServedFileWidget(url_for=_resource_file_url)},
        models.ImageField: {"widget": ServedFileWidget(url_for=_resource_file_url)},
    }
    list_display = ["title", "format", "duration_minutes", "published_at", "view_count", "preview"]
    list_filter = ["format", "levels", "service_areas", ("published_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "summary", "provider"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["levels", "audiences", "service_areas"]
    readonly_fields = ["preview", "view_count", "created_at", "updated_at", "followers_notified_at"]
    date_hierarchy = "published_at"
    actions = ["publish_and_notify"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "description", "preview"]}),
        ("Who and what", {"fields": ["levels", "format", "audiences", "service_areas", "audience_note"]}),
        ("Details", {"fields": ["duration_minutes", "provider", "cost", "accreditation"]}),
        ("Where it lives", {"fields": ["external_url", "external_site_name", "document"]}),
        ("Care and access", {"fields": ["content_warning", "transcript", "image", "image_alt"]}),
        ("Publishing", {"fields": ["published_at", "followers_notified_at", "created_at", "updated_at", "view_count"]}),
    ]

    @admin.display(description="Preview")
    def preview(self, obj: Resource) -> str:
        return _preview_link(obj)

    @admin.action(description="Publish now and tell people who follow its levels")
    def publish_and_notify(self, request: HttpRequest, queryset: QuerySet[Resource]) -> None:
        published = [resource.title for resource in queryset if services.resource_publish(resource=resource)]
        skipped = queryset.count() - len(published)
        if published:
            self.message_user(request, f"Published: {', '.join(published)}.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request, f"{skipped} already published, so nothing was changed or sent for them.", messages.WARNING
            )


class StepInline(admin.TabularInline):
    formfield_overrides = HTTPS_URLS
    model = Step
    fields = ["order", "title", "kind", "required"]
    extra = 0
    show_change_link = True
    ordering = ["order"]


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "pass_mark"]
    search_fields = ["resource__title"]
    autocomplete_fields = ["resource"]
    inlines = [StepInline]


class QuestionInline(admin.StackedInline):
    model = Question
    fields = ["order", "text"]
    extra = 0
    show_change_link = True


@admin.register(Step)
class StepAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["title", "module", "order", "kind", "required"]
    list_filter = ["kind", "module"]
    search_fields = ["title", "module__resource__title"]
    ordering = ["module", "order"]
    inlines = [QuestionInline]


class OptionInline(admin.TabularInline):
    model = Option
    fields = ["order", "text", "is_correct", "feedback"]
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "step", "order"]
    search_fields = ["text"]
    inlines = [OptionInline]


class PathwayItemInline(admin.TabularInline):
    model = PathwayItem
    fields = ["order", "resource"]
    autocomplete_fields = ["resource"]
    extra = 0
    ordering = ["order"]


@admin.register(Pathway)
class PathwayAdmin(admin.ModelAdmin):
    list_display = ["title", "level", "role", "published_at"]
    list_filter = ["level", "role"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title"]
    inlines = [PathwayItemInline]


@admin.register(CaseStudy)
class CaseStudyAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "sector", "service_area", "published_at"]
    list_filter = ["sector", "service_area", "principles"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title", "organisation"]
    filter_horizontal = ["principles"]


@admin.register(LearningEvent)
class LearningEventAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["title", "starts_at", "online", "published_at"]
    list_filter = ["online"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["resources"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "description"]}),
        ("When and where (UK time)", {"fields": ["starts_at", "ends_at", "online", "venue", "speakers"]}),
        ("Booking", {"fields": ["booking_url"]}),
        ("Afterwards", {"fields": ["recording_url", "recording_transcript", "resources"]}),
        ("Publishing", {"fields": ["published_at"]}),
    ]


@admin.register(ResourceFeedback)
class ResourceFeedbackAdmin(admin.ModelAdmin):
    """Read only: what people told us is kept as they said it."""

    list_display = ["resource", "useful", "comment", "created_at"]
    list_filter = ["useful", "resource"]
    search_fields = ["comment", "resource__title"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ResourceFeedback | None = None) -> bool:
        return False
