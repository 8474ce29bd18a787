"""The staff groups, and the site's name. Their permissions are granted by each app's own migrations as its models arrive."""

from django.db import migrations

GROUPS = ["IS admins", "Content editors", "Moderators"]


def name_site(apps, schema_editor):
    # allauth names the site in its emails; "example.com" would puzzle people.
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(
        id=1, defaults={"domain": "127.0.0.1:8000", "name": "Trauma-informed workforce portal"}
    )


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_reference_data"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [
        migrations.RunPython(create_groups, migrations.RunPython.noop),
        migrations.RunPython(name_site, migrations.RunPython.noop),
    ]
