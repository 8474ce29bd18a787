from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from portal import models

admin.site.site_header = "Trauma-informed workforce portal: admin"
admin.site.site_title = "Portal admin"


@admin.register(models.User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "organisation", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups", "sector"]
    search_fields = ["email", "display_name", "organisation"]
    list_select_related = ["sector"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("display_name", "organisation", "role", "sector", "council_area")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ("name",)}


for model in (models.CouncilArea, models.Sector, models.Role, models.ServiceArea, models.Principle):
    admin.site.register(model, ReferenceAdmin)


@admin.register(models.PracticeLevel)
class PracticeLevelAdmin(ReferenceAdmin):
    list_display = ["name", "workforce_share", "order", "is_active"]


@admin.register(models.HealthBoard, models.HealthAndSocialCarePartnership)
class AreaGroupAdmin(ReferenceAdmin):
    filter_horizontal = ["council_areas"]


from portal.notifications import admin as notifications_admin  # noqa: E402, F401 - registers the outbox admin
