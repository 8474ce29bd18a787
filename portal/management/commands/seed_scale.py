"""Add fictional data in bulk, to measure pages at scale: `manage.py seed_scale --resources 2000 --pledges 5000`.

Each app may provide `<app>/scale.py` with `add_arguments(parser)` and `seed(*, options, stdout)`; they run in
INSTALLED_APPS order. A part writes with bulk inserts in big batches (no per-row signals), replaces the rows it
made last time (their slugs start with "scale-"), and then brings derived data up to date once (search vectors,
cache versions). The community and the champions add their own parts the same way.
"""

import time
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


def _parts():
    for config in apps.get_app_configs():
        module_name = f"{config.name}.scale"
        if config.path.startswith(str(settings.BASE_DIR)) and find_spec(module_name):
            yield config.label, import_module(module_name)


class Command(BaseCommand):
    help = "Add fictional rows in bulk for benchmarks (see benchmarks/pages.py). Replaces its own earlier rows."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production", action="store_true", help="Run even with DEBUG off (a benchmark server)."
        )
        for _label, part in _parts():
            part.add_arguments(parser)

    def handle(self, *args, allow_production: bool = False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError("seed_scale adds thousands of fictional rows; with DEBUG off pass --allow-production.")
        for label, part in _parts():
            started = time.perf_counter()
            with transaction.atomic():
                part.seed(options=options, stdout=self.stdout)
            self.stdout.write(f"  {label}: {time.perf_counter() - started:.1f} s")
        self.stdout.write(self.style.SUCCESS("Scale data is ready."))
