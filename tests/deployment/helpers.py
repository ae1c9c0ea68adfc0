"""Real gunicorn nodes for the tests: a scripted client, databases, settings.

The nodes run bench.settings (production apart from TLS) in their own
processes, so what they share is what production nodes share: PostgreSQL and
Redis. Data the tests make goes through the test database (committed:
these tests are transactional), so it is there for the nodes too.
"""

import re
import secrets
import subprocess
import sys
import tempfile
from contextlib import contextmanager

import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection

from bench.processes import ROOT, GunicornNode, collectstatic, node_env
from tests.factories import PASSWORD, UserFactory

SESSION_COOKIE = "knowhow_session"  # bench.settings: no __Host- prefix without TLS
CSRF_COOKIE = "knowhow_csrftoken"
TIMEOUT = 15


def require_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (nodes share the test database)")


def shared_database_url():
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def production_user(**fields):
    """A verified rep whose password production's hashers (Argon2) can check."""
    user = UserFactory(**fields)
    user.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    user.save(update_fields=["password"])
    return user


def create_cache_table(env):
    """The database cache's table in the nodes' database (the test database has none)."""
    subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "createcachetable"], cwd=ROOT, env=env, check=True
    )


@contextmanager
def static_root():
    with tempfile.TemporaryDirectory(prefix="knowhow-test-static-") as root:
        yield root


def make_env(*, database_url, redis_url=None, static, secret_key=None, **extra):
    return node_env(
        database_url=database_url,
        redis_url=redis_url,
        secret_key=secret_key or secrets.token_urlsafe(50),
        signing_key=settings.CERTIFICATE_SIGNING_KEY,
        static_root=static,
        **extra,
    )


@contextmanager
def running_nodes(envs, *, workers=1, healthz=200):
    """Start one gunicorn per environment (static files collected once); stop them all."""
    collectstatic(envs[0])
    nodes = []
    try:
        for n, env in enumerate(envs):
            node = GunicornNode(env, workers=workers, name=f"node-{'AB'[n % 2]}")
            nodes.append(node.start(healthz=healthz))
        yield nodes
    finally:
        for node in nodes:
            node.stop()


class Person:
    """A scripted browser: one cookie jar, used against any node's base URL.

    Cookies do not depend on the port, so a jar filled on node A is sent to
    node B, as a browser behind one proxy address would send it. Every
    request names the same host, as a proxy in front of both passes on the
    site's name: allauth keys the per-account sign-in limit by host name.
    """

    def __init__(self):
        self.session = requests.Session()
        self.session.headers["Host"] = "127.0.0.1"

    def get(self, url, **kwargs):
        return self.session.get(url, timeout=TIMEOUT, allow_redirects=False, **kwargs)

    def post(self, url, data=None, **kwargs):
        if CSRF_COOKIE not in self.session.cookies:
            self.get(url)  # any page sets the CSRF cookie
        data = {**(data or {}), "csrfmiddlewaretoken": self.session.cookies.get(CSRF_COOKIE)}
        return self.session.post(url, data=data, timeout=TIMEOUT, allow_redirects=False, **kwargs)

    def sign_in(self, base_url, email, password=PASSWORD):
        self.get(f"{base_url}/accounts/login/")
        return self.post(f"{base_url}/accounts/login/", {"login": email, "password": password})

    @property
    def session_key(self):
        return self.session.cookies.get(SESSION_COOKIE)


def ask_for_password_reset(node, email):
    """What a rep who forgot their password does: an email goes in the ledger."""
    person = Person()
    response = person.post(node.url + "/accounts/password/reset/", {"email": email})
    assert response.status_code == 302, response.text[:500]


def received_by(smtp_server, email):
    return [message for message in smtp_server.messages if message["To"] == email]


def progress_text(html):
    found = re.search(r'<p class="kh-progress__text">(\d+ of \d+)', html)
    return found[1] if found else None
