"""Production: HTTPS behind a reverse proxy, gunicorn + WhiteNoise.

Refuses to start without a secret key and allowed hosts.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    ALLOWED_HOSTS,
    CERTIFICATE_SIGNING_KEY,
    SECRET_KEY,
    env_bool,
    env_int,
)

if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY to a random value of at least 50 characters "
        '(python -c "import secrets; print(secrets.token_urlsafe(50))").'
    )
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS, e.g. knowhow.example.org.")
if not CERTIFICATE_SIGNING_KEY:
    raise ImproperlyConfigured(
        "Set CERTIFICATE_SIGNING_KEY (DJANGO_SETTINGS_MODULE=config.settings.dev "
        "python manage.py certificate_key prints a new one)."
    )

KNOWHOW_PRODUCTION = True

# The reverse proxy terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-knowhow_session"
CSRF_COOKIE_NAME = "__Host-knowhow_csrftoken"
