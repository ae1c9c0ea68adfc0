"""Settings shared by every environment.

Safe by default: DEBUG is off, secrets come from the environment, and optional
services (Redis, SMTP) switch on only when their variable is set. Every
variable read here is listed in `.env.example`.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

SITE_DIR = Path(__file__).resolve().parent.parent.parent
BASE_DIR = SITE_DIR.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


DEBUG = False
# production.py sets this; commands that must never touch live data check it.
KNOWHOW_PRODUCTION = False
SECRET_KEY = env("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "core",
    "accounts",
    "courses",
    "branches",
    "demo",
    "background",
    "wagtail.contrib.routable_page",
    "assessments",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    # Our own UserViewSet replaces wagtail.users' so the admin forms know the
    # email-only user model.
    "accounts.apps.KnowhowUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    # Every view needs a signed-in user unless it is marked login_not_required;
    # tests/test_url_access.py keeps the public list honest (AC-01).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "accounts.middleware.RequireMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.KnowhowCSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Certificates and runs are sub-packages of courses with their own
        # templates (certificates/…, runs/…), found here because app directories
        # are only searched at an app's top level.
        "DIRS": [
            SITE_DIR / "templates",
            BASE_DIR / "courses" / "certificates" / "templates",
            BASE_DIR / "courses" / "runs" / "templates",
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: SQLite by default so `make run` needs nothing installed;
# PostgreSQL in production and CI through DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The site and the background worker write at the same time. IMMEDIATE
    # takes the write lock when a transaction starts, so a transaction that
    # reads then writes waits for its turn instead of failing at once with
    # "database is locked"; the timeout is how long it waits.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
elif not env_bool("DATABASE_JIT", False):
    # PostgreSQL's JIT compiler pays off on long analytical queries; on a web
    # page's short ones it costs more than it saves (the officer's export of
    # 2,000 members spent 29 ms of 155 compiling). DATABASE_JIT=true keeps it.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: login and reset rate limits and each learner's course outline
# (courses/page_cache.py) live here, so it is shared between worker processes:
# Redis when REDIS_URL is set, else the database. The Redis backend has short
# timeouts and a circuit breaker: pages still render while Redis is away, and
# sign-in pauses with a 503 rather than lose its rate limits (core/cache.py).
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "knowhow",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "knowhow_cache",
        }
    }

# Accounts
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/dashboard/"
LOGOUT_REDIRECT_URL = "/"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Knowhow] "
ACCOUNT_RATE_LIMITS = {
    # Failed sign-ins: per client address and per email address (AUTH-02).
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/3m/key",
}
# The client address comes from REMOTE_ADDR unless a trusted proxy count is
# set, so X-Forwarded-For cannot be used to dodge rate limits (AUTH-02).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ALLAUTH_TRUSTED_PROXY_COUNT", 0)

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Knowhow"

# Sessions: idle and absolute timeouts (SES-02), enforced by
# accounts.middleware.SessionTimeoutMiddleware.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 120) * 60
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT_HOURS", 24 * 7) * 3600
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Email. Every message is written to the outgoing-email table and sent by a
# background worker (background.mail), so a mail server that is down never
# fails the request that sent it. The worker delivers through
# EMAIL_DELIVERY_BACKEND: SMTP here, the console in development.
EMAIL_BACKEND = "background.mail.QueuedEmailBackend"
EMAIL_DELIVERY_BACKEND = env(
    "EMAIL_DELIVERY_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Knowhow <no-reply@knowhow.invalid>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# Seconds an SMTP step may take before the attempt counts as failed.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# An email the server will not take is retried, with pauses from the first
# delay doubling up to the longest, until EMAIL_RETRY_HOURS after it was
# written; then it is marked failed (Reports → Emails in the admin).
EMAIL_RETRY_FOR = datetime.timedelta(hours=env_int("EMAIL_RETRY_HOURS", 24))
EMAIL_RETRY_FIRST_DELAY = datetime.timedelta(minutes=1)
EMAIL_RETRY_MAX_DELAY = datetime.timedelta(hours=1)
# A worker sending an email holds it this long; another worker takes over
# only after that (longer than any SMTP conversation with EMAIL_TIMEOUT).
EMAIL_SEND_LEASE = datetime.timedelta(minutes=10)
# Sent and failed emails (addresses, subjects; failed ones keep their text so
# they can be tried again) are deleted this many days after being written.
EMAIL_KEEP_DAYS = env_int("EMAIL_KEEP_DAYS", 30)

# Background tasks (Django's Tasks API, django-tasks backport) queued in the
# database: `python manage.py worker` runs them, on any number of servers.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A worker that has not checked in for TASKS_WORKER_TIMEOUT_SECONDS is taken
# for dead, and the task it was running is queued again (up to three times).
TASKS_WORKER_HEARTBEAT = datetime.timedelta(seconds=10)
TASKS_WORKER_TIMEOUT = datetime.timedelta(seconds=env_int("TASKS_WORKER_TIMEOUT_SECONDS", 60))
TASKS_MAX_WORKER_LOSSES = 3
# Finished task results are deleted after this many days.
TASKS_KEEP_DAYS = env_int("TASKS_KEEP_DAYS", 14)
# Periodic jobs, run by the workers' scheduler (background.scheduler): no cron.
# "every" is a timedelta; "daily_at" a local time. Each runs once per period
# however many workers run the scheduler.
SCHEDULER_TICK = datetime.timedelta(seconds=10)
# A job's next period is not enqueued while its last run still waits in the
# queue (no pile-up behind a long queue), unless that run has waited this long.
SCHEDULER_STALE_RUN = datetime.timedelta(hours=1)
PERIODIC_JOBS = {
    "publish_scheduled": {
        "call": "background.jobs.publish_scheduled",
        "every": datetime.timedelta(minutes=1),
    },
    "course_reminders": {
        "call": "branches.services.recommendation_reminders_send",
        "daily_at": env("COURSE_REMINDERS_AT", "07:00"),
    },
    "email_sweep": {
        "call": "background.services.outgoing_emails_sweep",
        "every": datetime.timedelta(minutes=1),
    },
    "background_prune": {
        "call": "background.services.background_prune",
        "daily_at": "03:30",
    },
    "retention": {
        "call": "accounts.retention.retention_run",
        "daily_at": "03:45",
    },
}

# Retention (issue #16, docs/privacy.md): periods after which personal data
# no longer needed is erased by the daily "retention" job.
# Sign-ups whose email address was never verified are deleted after this many days.
RETENTION_UNVERIFIED_SIGNUP_DAYS = env_int("RETENTION_UNVERIFIED_SIGNUP_DAYS", 30)
# Ended sessions (the only sign-in records Knowhow keeps) are deleted after this many days.
RETENTION_SIGN_IN_DAYS = env_int("RETENTION_SIGN_IN_DAYS", 30)
# Audit log entries (who did what to which record) are deleted after this many
# days: two years covers an officer's term and a complaint raised late.
RETENTION_AUDIT_LOG_DAYS = env_int("RETENTION_AUDIT_LOG_DAYS", 730)
# Accounts nobody has signed in to for this many days are erased; 0, the
# default, never erases. The owner is emailed RETENTION_INACTIVE_WARNING_DAYS
# before, and signing in keeps the account.
RETENTION_INACTIVE_ACCOUNT_DAYS = env_int("RETENTION_INACTIVE_ACCOUNT_DAYS", 0)
RETENTION_INACTIVE_WARNING_DAYS = env_int("RETENTION_INACTIVE_WARNING_DAYS", 30)

# Internationalisation
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Static files and uploads
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", BASE_DIR / "static_collected"))
STATICFILES_DIRS = [SITE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))


def s3_media_storage(*, bucket, endpoint_url=None, region=None, custom_domain=None, **keys):
    """Uploads in an S3-compatible bucket (django-storages), private to the app.

    Objects are private; documents are still served by Wagtail's view, as
    attachments, after its permission checks (FILE-01). Image URLs point at
    `custom_domain` when set (the site's own host and a path the reverse proxy
    forwards to the bucket, so the strict CSP's img-src 'self' holds);
    otherwise they are signed bucket URLs that expire after an hour.
    """
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            "region_name": region or None,
            "custom_domain": custom_domain or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            **{name: value for name, value in keys.items() if value},
        },
    }


# Uploads (Wagtail images and documents, the catalogue's templates) go through
# Django's storage API: on disk under MEDIA_ROOT, or in an S3-compatible bucket
# when AWS_STORAGE_BUCKET_NAME is set. Without keys, boto3 finds its own
# credentials (instance role, ~/.aws).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if env("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = s3_media_storage(
        bucket=env("AWS_STORAGE_BUCKET_NAME"),
        endpoint_url=env("AWS_S3_ENDPOINT_URL"),
        region=env("AWS_S3_REGION_NAME"),
        custom_domain=env("AWS_S3_CUSTOM_DOMAIN"),
        access_key=env("AWS_ACCESS_KEY_ID"),
        secret_key=env("AWS_SECRET_ACCESS_KEY"),
    )
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Security headers that hold everywhere; production.py adds HTTPS-only ones.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (IO-03): our own host only, never a third party.
# Inline scripts need the per-request nonce. The Wagtail admin gets a
# slightly looser policy in core.middleware.KnowhowCSPMiddleware.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Certificates: the Ed25519 key that signs them, as 32 random bytes in
# URL-safe base64 (python manage.py certificate_key makes one). Required in
# production; development and tests use fixed, public, insecure keys.
CERTIFICATE_SIGNING_KEY = env("CERTIFICATE_SIGNING_KEY", "")
CERTIFICATE_VERIFY_RATE = env("CERTIFICATE_VERIFY_RATE", "30/m")

# Wagtail
WAGTAIL_SITE_NAME = "Knowhow"
# Gravatar would send a hash of every admin user's email to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# One sign-in path (AUTH-05): the admin sends people to allauth, and Wagtail's
# own password and email forms are switched off.
WAGTAILADMIN_LOGIN_URL = "account_login"
# Where a page limited to signed-in people or to groups sends a visitor.
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "ods", "txt", "csv", "vtt", "mp4", "webm"]
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# Wagtail's database backend with every query's text made safe for FTS5 and
# PostgreSQL first (core/search_backend.py).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "core.search_backend"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # One line per page published or background task run drowns the
        # useful output of `make run` and the loaders.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
    },
}
