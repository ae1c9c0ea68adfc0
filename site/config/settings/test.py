"""The test suite: fast hashing, email kept in memory, uploads in a temp dir."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Django's test runner sets EMAIL_BACKEND to locmem; tests/conftest.py puts
# the queued backend back, so every test email goes through the ledger and is
# delivered to mail.outbox at once by the immediate task backend. Tests of the
# queue itself switch to the database backend and run a real worker.
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="knowhow-test-media-")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
STATIC_ROOT = tempfile.mkdtemp(prefix="knowhow-test-static-")
WHITENOISE_USE_FINDERS = True
CERTIFICATE_SIGNING_KEY = "dGVzdHMtb25seS1ub3QtYS1zZWNyZXQta2V5LTMyYnk"
