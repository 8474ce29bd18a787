"""Moderators and IS admins set the community up in the admin: categories, groups and memberships, guidelines
versions (added, never changed) and the moderators' settings (changed, never added or deleted)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

FULL = ["category", "group", "groupmembership"]
CODENAMES = [f"{action}_{model}" for model in FULL for action in ("add", "change", "delete", "view")] + [
    "add_guidelinesversion",
    "view_guidelinesversion",
    "change_communitysettings",
    "view_communitysettings",
]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("community")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="community", codename__in=CODENAMES)
    for name in ("Moderators", "IS admins"):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0002_guidelines_and_settings"),
        ("portal", "0003_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
