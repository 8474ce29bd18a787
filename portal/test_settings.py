"""Test settings: only what makes the suite faster or lets the test client speak plain HTTP."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")

from portal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The test client and the live server speak plain HTTP.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Tests find static files through the finders; no collectstatic needed.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ACCOUNT_RATE_LIMITS = False
# Tasks run in-process even when a broker is configured (CI sets REDIS_URL so the cache is the real Redis): a test
# sees a task's effects at once, with no worker to start. Tests that exercise a real worker start one themselves.
CELERY_TASK_ALWAYS_EAGER = True
# Files built from a test database (portal/file_cache.py) stay out of var/: a directory of this run's own.
FILE_CACHE_DIR = Path(tempfile.mkdtemp(prefix="portal-test-files-"))
