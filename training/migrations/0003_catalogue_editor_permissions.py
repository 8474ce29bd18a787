"""Content editors manage the training catalogue and e-learning in the admin: add, change, delete and view."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = [
    "resource", "module", "step", "question", "option", "pathway", "pathwayitem", "casestudy", "learningevent",
]  # fmt: skip
# Editors read feedback to improve resources; they do not edit or delete what people told us.
VIEW_ONLY = ["resourcefeedback"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations run; make sure they exist now.
    app_config = apps.get_app_config("training")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Content editors")
    codenames = [f"{action}_{model}" for model in MODELS for action in ("add", "change", "delete", "view")]
    codenames += [f"view_{model}" for model in VIEW_ONLY]
    editors.permissions.add(*Permission.objects.filter(content_type__app_label="training", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0002_catalogue_level_interest"),
        ("portal", "0003_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
