"""Local development: `make run`. Never use these settings on a server."""

from .base import *  # noqa: F403
from .base import env

DEBUG = True
SECRET_KEY = env("DJANGO_SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# The worker prints emails in the terminal running `make run`.
EMAIL_DELIVERY_BACKEND = env(
    "EMAIL_DELIVERY_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise serves straight from site/static while developing.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT = BASE_DIR / "static_collected"  # noqa: F405
STATIC_ROOT.mkdir(exist_ok=True)

# A fixed, published key: certificates signed in development prove nothing.
CERTIFICATE_SIGNING_KEY = env(
    "CERTIFICATE_SIGNING_KEY", "ZGV2ZWxvcG1lbnQtb25seS1ub3QtYS1zZWNyZXQta3k"
)
