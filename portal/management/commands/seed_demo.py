"""Load demo content: `manage.py seed_demo`. Safe to run again; it updates rather than duplicates.

Each app may provide `<app>/demo.py` with `seed(*, stdout, show_passwords)`; they run in INSTALLED_APPS order, so
reference data and people exist before the content that points at them.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Add demo people and content for development and demonstrations (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even with DEBUG off (for a demonstration server). Passwords are then not printed.",
        )

    def handle(self, *args, allow_production: bool = False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("seed_demo adds known demo accounts; with DEBUG off pass --allow-production.")
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            is_ours = config.path.startswith(str(settings.BASE_DIR))
            if is_ours and find_spec(module_name):
                with transaction.atomic():
                    import_module(module_name).seed(stdout=self.stdout, show_passwords=settings.DEBUG)
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
