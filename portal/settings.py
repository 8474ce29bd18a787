"""Settings for the trauma-informed workforce portal.

One module, driven by environment variables (every one is documented in `.env.example` and the README).
Defaults are safe for production; development defaults (DEBUG, SQLite, eager tasks) come from what
`make run` exports, never from a second settings file.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A local .env file (see .env.example) is read if present; real environment variables win.
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=true for local development).")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "portal",
    "training",
    "community",
    "pledges",
    "champions",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.forms",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django_filters",
    "simple_history",
]

MIDDLEWARE = [
    # Signed-out visitors' pages cached whole, with every header the middleware below adds (portal/front_cache.py).
    "portal.middleware.FrontPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.CSPMiddleware",  # django-csp's, with the policy built once per process
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "portal.middleware.AuthenticationMiddleware",  # Django's, reading the user row from the cache
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.middleware.StaffMFARequiredMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns refusals by portal.ratelimits.rate_limit into RATELIMIT_VIEW's kind 429 page instead of a bare 403.
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
                "portal.context_processors.notifications",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------------------------------
# No DATABASE_URL: an embedded SQLite file under var/, so a newcomer needs nothing installed.
if not env.str("DATABASE_URL", default=""):
    VAR_DIR.mkdir(exist_ok=True)  # var/ is not in git: a fresh clone has none
DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Django's backend, reusing its redis-py client (portal/redis_cache.py says why).
    CACHES = {"default": {"BACKEND": "portal.redis_cache.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions read from Redis (written through to the database, so a Redis restart signs nobody out): a signed-in
    # page then makes one query fewer.
    SESSION_ENGINE = "portal.sessions"  # Django's cached_db, read in the request's first round trip
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -----------------------------------------------------------------------------------------------------
# No broker configured: tasks run eagerly in-process, so development needs no Redis.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TIMEZONE = "Europe/London"
CELERY_TASK_IGNORE_RESULT = True
DIGEST_HOUR = env.int("DIGEST_HOUR", default=7)
CELERY_BEAT_SCHEDULE = {
    # A sweep not started within its interval is dropped: the next one does the same work.
    "sweep-outbox": {
        "task": "portal.notifications.tasks.sweep_outbox",
        "schedule": env.float("OUTBOX_SWEEP_SECONDS", default=30.0),
        "options": {"expires": env.float("OUTBOX_SWEEP_SECONDS", default=30.0)},
    },
    "daily-digests": {
        "task": "portal.notifications.tasks.send_daily_digests",
        "schedule": crontab(hour=DIGEST_HOUR, minute=0),
    },
    "purge-old-notifications": {
        "task": "portal.notifications.tasks.purge_old_notifications",
        "schedule": crontab(hour=3, minute=15),
    },
    "announce-published-resources": {
        "task": "training.tasks.announce_published_resources",
        "schedule": 300.0,
    },
    # Resource pages count views in the cache; this adds them to the database for the editors' figures.
    "flush-resource-views": {"task": "training.tasks.flush_resource_views", "schedule": 60.0},
    # The community's opt-in weekly digest of active topics (community.services.digests); Monday morning.
    "community-weekly-digests": {
        "task": "community.tasks.send_weekly_digests",
        "schedule": crontab(day_of_week="mon", hour=8, minute=0),
    },
    "pledge-anniversary-reminders": {
        "task": "pledges.tasks.send_anniversary_reminders",
        "schedule": crontab(hour=9, minute=30),
    },
    # Champions' session reminders (two days before and on the morning) and follow-ups due; each sent once.
    "champions-session-reminders": {
        "task": "champions.tasks.send_session_reminders",
        "schedule": crontab(minute="*/15"),
    },
    "champions-follow-up-reminders": {
        "task": "champions.tasks.send_follow_up_reminders",
        "schedule": crontab(hour=8, minute=10),
    },
}

# --- The outbox (see portal/notifications) ----------------------------------------------------------------------
# Bulk email batches go on their own queue; every other task (and a hand-over of a few emails) on Celery's default.
# A worker must consume both: celery -A portal worker -Q celery,outbox
OUTBOX_BULK_QUEUE = env.str("OUTBOX_BULK_QUEUE", default="outbox")
OUTBOX_SMALL_HANDOVER = env.int("OUTBOX_SMALL_HANDOVER", default=10)
# About this many batches wait in the bulk queue; each batch a worker finishes tops it up (see delivery.py).
OUTBOX_QUEUE_BATCHES = env.int("OUTBOX_QUEUE_BATCHES", default=8)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=8)
OUTBOX_RETRY_BASE_SECONDS = env.float("OUTBOX_RETRY_BASE_SECONDS", default=30.0)
OUTBOX_RETRY_MAX_SECONDS = env.float("OUTBOX_RETRY_MAX_SECONDS", default=3600.0)
# A row claimed longer ago than this whose worker never finished (killed mid-send) is handed over again. One email's
# conversation with the mail server is cut off at half of it (each step at EMAIL_TIMEOUT): a check refuses less.
OUTBOX_SENDING_LEASE_SECONDS = env.int("OUTBOX_SENDING_LEASE_SECONDS", default=60)
# A row handed to the broker but not sent this long after (its message lost with the broker) is handed over again.
OUTBOX_REQUEUE_AFTER_SECONDS = env.int("OUTBOX_REQUEUE_AFTER_SECONDS", default=60)
# /readyz answers 503 when the oldest due, unsent email has waited longer than this, or more than
# OUTBOX_MAX_BACKLOG emails are due and unsent (several minutes' sending for one worker).
OUTBOX_MAX_AGE_SECONDS = env.int("OUTBOX_MAX_AGE_SECONDS", default=300)
OUTBOX_MAX_BACKLOG = env.int("OUTBOX_MAX_BACKLOG", default=20_000)
# Emails handed to one task and sent over one connection to the mail server.
OUTBOX_BATCH_SIZE = env.int("OUTBOX_BATCH_SIZE", default=50)
OUTBOX_MESSAGE_ID_DOMAIN = env.str("OUTBOX_MESSAGE_ID_DOMAIN", default="portal.local")
# Sent and skipped emails, and read notifications, are deleted once older than this (a beat task, nightly).
NOTIFICATIONS_RETENTION_DAYS = env.int("NOTIFICATIONS_RETENTION_DAYS", default=90)
# Unsubscribe links work this long (a link for an address without an account also needs its email, kept as long).
NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE_DAYS = env.int("NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE_DAYS", default=90)

# --- Accounts ---------------------------------------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:account"
ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "portal:home"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Trauma-informed workforce portal: "
ACCOUNT_PRESERVE_USERNAME_CASING = False
# allauth also takes False (no limits): portal/test_settings.py turns them off.
ACCOUNT_RATE_LIMITS: dict[str, str] | bool = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
# The portal's labels and hints on allauth's forms (portal/account_forms.py).
ACCOUNT_FORMS = {
    "login": "portal.account_forms.LoginForm",
    "signup": "portal.account_forms.SignupForm",
    "add_email": "portal.account_forms.AddEmailForm",
    "change_password": "portal.account_forms.ChangePasswordForm",
    "set_password": "portal.account_forms.SetPasswordForm",
    "reset_password": "portal.account_forms.ResetPasswordForm",
    "reset_password_from_key": "portal.account_forms.ResetPasswordKeyForm",
    "reauthenticate": "portal.account_forms.ReauthenticateForm",
}
MFA_FORMS = {
    "authenticate": "portal.account_forms.AuthenticateForm",
    "reauthenticate": "portal.account_forms.MFAReauthenticateForm",
    "activate_totp": "portal.account_forms.ActivateTOTPForm",
    "add_webauthn": "portal.account_forms.AddWebAuthnForm",
    "edit_webauthn": "portal.account_forms.EditWebAuthnForm",
}
MFA_ADAPTER = "portal.adapters.MFAAdapter"
# Changing how someone signs in needs a password or code from the last 5 minutes (allauth's default, said here);
# signing in counts (portal.adapters.AccountAdapter.post_login).
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# A code typed just as the app moves on to the next one (one 30-second step late, or a phone clock a little out) is
# still accepted. Each code still works only once.
MFA_TOTP_TOLERANCE = 1
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Trauma-informed workforce portal"
# WebAuthn needs a secure context; http://localhost counts as one, so development needs no exception.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False

# --- Email ------------------------------------------------------------------------------------------------------
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Each step of a conversation with the mail server waits at most this long: well inside the outbox's lease.
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=10.0)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Trauma-informed workforce portal <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ---------------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static and media -------------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # The design system and the font are installed by npm from package.json and served as our own files.
    ("design-system", NODE_MODULES / "@scottish-government" / "design-system" / "dist"),
    ("fonts/roboto", NODE_MODULES / "@fontsource" / "roboto"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Large public files built from the database (the register's open data), kept on each server's own disk so they are
# sent with sendfile (portal/file_cache.py). Anything here can be deleted at any time: it is rebuilt on the next ask.
FILE_CACHE_DIR = env.path("FILE_CACHE_DIR", default=VAR_DIR / "cache")

# --- Security ---------------------------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = 0 if DEBUG else env.int("DJANGO_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Rate limits (portal.ratelimits.rate_limit) count in this cache. It must be shared by every process, i.e. Redis
# (REDIS_URL): with DEBUG off, `check --deploy` fails on a per-process one (portal.E001 in portal.checks).
RATELIMIT_USE_CACHE = "default"
RATELIMIT_VIEW = "portal.views.rate_limited"
# How many proxies (load balancer, TLS terminator) stand in front of gunicorn and append to X-Forwarded-For.
# Rate limits and allauth's sign-in limits then count the person's own address, not the proxy's.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
# /readyz shows each check's detail to these networks (load balancer, monitoring) and to IS admins; others get the
# status alone (portal/health.py).
HEALTH_DETAIL_NETWORKS = env.list(
    "HEALTH_DETAIL_NETWORKS", default=["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]
)
RATELIMIT_IP_META_KEY = "portal.ratelimits.ip_for_request"
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# --- The portal -------------------------------------------------------------------------------------------------
PORTAL_NAME = "Trauma-informed workforce portal"
PORTAL_PHASE = env.str("PORTAL_PHASE", default="Beta")
PORTAL_FEEDBACK_EMAIL = env.str("PORTAL_FEEDBACK_EMAIL", default="traumaportal@improvementservice.org.uk")
# Where "Leave this site" goes: the link itself (also without JavaScript) and the page that replaces this one.
QUICK_EXIT_URL = env.str("QUICK_EXIT_URL", default="https://www.bbc.co.uk/weather")
QUICK_EXIT_ALT_URL = env.str("QUICK_EXIT_ALT_URL", default="https://www.google.co.uk")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "portal.redaction.RedactSecretsFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

FORM_RENDERER = "portal.forms_renderer.PortalFormRenderer"
