"""Production settings are loaded in a child process, as a server would."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "x" * 20 + "-production-test-secret-key-0123456789abcdef"

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION"),
    "debug": settings.DEBUG,
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "session_httponly": settings.SESSION_COOKIE_HTTPONLY,
    "session_samesite": settings.SESSION_COOKIE_SAMESITE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "csrf_samesite": settings.CSRF_COOKIE_SAMESITE,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "hashers": settings.PASSWORD_HASHERS,
    "email": settings.EMAIL_BACKEND,
    "email_delivery": settings.EMAIL_DELIVERY_BACKEND,
    "tasks": settings.TASKS["default"]["BACKEND"],
    "db": settings.DATABASES["default"]["ENGINE"],
    "health_checks": settings.DATABASES["default"]["CONN_HEALTH_CHECKS"],
    "media": settings.STORAGES["default"],
}))
"""


def production_env(**overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "REDIS_", "DATABASE_", "AWS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="knowhow.example.org",
        CERTIFICATE_SIGNING_KEY="cHJvZHVjdGlvbi10ZXN0LWtleS0zMi1ieXRlcy1vayE",
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "site")]),
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def run_python(code, env):
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=ROOT, check=False
    )


def production_settings(**overrides):
    result = run_python(PRINT_SETTINGS, production_env(**overrides))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_defaults_to_the_shared_database_cache():
    values = production_settings()
    assert values["cache"] == "django.core.cache.backends.db.DatabaseCache"


def test_production_uses_redis_when_redis_url_is_set():
    values = production_settings(REDIS_URL="redis://127.0.0.1:6379/3")
    assert values["cache"] == "core.cache.ResilientRedisCache"
    assert values["cache_location"] == "redis://127.0.0.1:6379/3"


def test_production_keeps_uploads_on_disk_unless_a_bucket_is_named():
    assert production_settings()["media"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }


def test_production_keeps_uploads_in_an_s3_bucket_when_one_is_named():
    media = production_settings(
        AWS_STORAGE_BUCKET_NAME="knowhow-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.org",
        AWS_S3_REGION_NAME="eu-west-2",
        AWS_S3_CUSTOM_DOMAIN="knowhow.example.org/media",
        AWS_ACCESS_KEY_ID="key-id",
        AWS_SECRET_ACCESS_KEY="secret",
    )["media"]
    assert media["BACKEND"] == "storages.backends.s3.S3Storage"
    assert media["OPTIONS"] == {
        "bucket_name": "knowhow-media",
        "endpoint_url": "https://s3.example.org",
        "region_name": "eu-west-2",
        "custom_domain": "knowhow.example.org/media",
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": False,
        "access_key": "key-id",
        "secret_key": "secret",
    }


def test_production_cookies_and_transport_are_secure():
    values = production_settings()
    assert values["debug"] is False
    assert values["session_secure"] is True
    assert values["session_httponly"] is True
    assert values["session_samesite"] == "Lax"
    assert values["csrf_secure"] is True
    assert values["csrf_samesite"] == "Lax"
    assert values["hsts"] >= 31536000
    assert values["ssl_redirect"] is True
    assert values["health_checks"] is True
    assert values["email"] == "background.mail.QueuedEmailBackend"
    assert values["email_delivery"] == "django.core.mail.backends.smtp.EmailBackend"


def test_production_queues_tasks_in_the_database():
    assert production_settings()["tasks"] == "django_tasks_db.DatabaseBackend"


def test_argon2_is_the_password_hasher():
    values = production_settings()
    assert values["hashers"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_sqlite_is_the_default_and_database_url_switches_to_postgresql():
    assert production_settings()["db"] == "django.db.backends.sqlite3"
    values = production_settings(DATABASE_URL="postgres://u:p@127.0.0.1:5432/knowhow")
    assert values["db"] == "django.db.backends.postgresql"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "short"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_ALLOWED_HOSTS": None}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_ALLOWED_HOSTS": " , "}, "DJANGO_ALLOWED_HOSTS"),
        ({"CERTIFICATE_SIGNING_KEY": None}, "CERTIFICATE_SIGNING_KEY"),
    ],
)
def test_production_refuses_to_start_without_its_required_settings(overrides, message):
    result = run_python(PRINT_SETTINGS, production_env(**overrides))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_check_deploy_is_clean():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(),
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_dev_settings_queue_email_for_the_worker_to_print():
    env = production_env(DJANGO_SETTINGS_MODULE="config.settings.dev")
    result = run_python(
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.EMAIL_BACKEND, settings.EMAIL_DELIVERY_BACKEND, "
        "settings.TASKS['default']['BACKEND'], settings.DEBUG)",
        env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "background.mail.QueuedEmailBackend",
        "django.core.mail.backends.console.EmailBackend",
        "django_tasks_db.DatabaseBackend",
        "True",
    ]


def test_test_settings_queue_email_and_deliver_it_in_memory_at_once(settings):
    assert settings.EMAIL_BACKEND == "background.mail.QueuedEmailBackend"
    assert settings.EMAIL_DELIVERY_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
    assert (
        settings.TASKS["default"]["BACKEND"] == "django_tasks.backends.immediate.ImmediateBackend"
    )
