"""Production settings for the throughput benchmark, apart from TLS.

gunicorn serves plain HTTP on 127.0.0.1 with no proxy in front, so only what
needs HTTPS is relaxed: the redirect, Secure cookies and HSTS. Like
production, it refuses to start without DJANGO_SECRET_KEY,
DJANGO_ALLOWED_HOSTS, CERTIFICATE_SIGNING_KEY and a shared cache; bench/
throughput.py sets them (a fresh random key each run, REDIS_URL or the
database cache). The load comes from one address, so the benchmark also sets
CERTIFICATE_VERIFY_RATE high enough for the verification page's per-address
limit to count requests without refusing them.
"""

from config.settings.production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The __Host- prefix is only allowed on Secure cookies.
SESSION_COOKIE_NAME = "knowhow_session"
CSRF_COOKIE_NAME = "knowhow_csrftoken"
ROOT_URLCONF = "bench.urls"
