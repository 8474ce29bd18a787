"""Celery wiring: configuration from Django settings (CELERY_*), tasks found in every installed app.

With no broker configured the settings set CELERY_TASK_ALWAYS_EAGER, so tasks run in-process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
