"""The community's set-up in the admin: categories, groups and their members, guidelines versions and the
moderators' settings. Moderators and IS admins hold these permissions (migration 0003). Posts, topics and members
are moderated on the community's own pages, not here."""

from django.contrib import admin
from django.http import HttpRequest

from community.models import Category, CommunitySettings, Group, GroupMembership, GuidelinesVersion
from community.services import groups, membership


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "group", "order", "topic_count", "post_count", "last_activity_at"]
    list_filter = ["group"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "role", "status", "message", "created_at"]
    readonly_fields = ["message", "created_at"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    """A private group's only door: members are added here (or accepted from their requests on the group's page)."""

    list_display = ["name", "kind", "member_count"]
    list_filter = ["kind"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]
    inlines = [GroupMembershipInline]

    def save_related(self, request: HttpRequest, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        groups.group_recount(group=form.instance)


@admin.register(GuidelinesVersion)
class GuidelinesVersionAdmin(admin.ModelAdmin):
    """A new version is a new row: members accepted the old text, so it is never rewritten."""

    list_display = ["version", "summary", "published_at"]
    readonly_fields = ["body_html"]

    def has_change_permission(self, request: HttpRequest, obj: GuidelinesVersion | None = None) -> bool:
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: GuidelinesVersion, form, change: bool) -> None:
        membership.guidelines_render(version=obj)
        super().save_model(request, obj, form, change)


@admin.register(CommunitySettings)
class CommunitySettingsAdmin(admin.ModelAdmin):
    """One row, made by migration: changed, never added. (Only superusers may delete it; the community then makes it
    again with the defaults.)"""

    list_display = ["__str__", "require_member_approval", "held_first_posts", "auto_hide_flags", "updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
