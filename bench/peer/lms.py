"""The wagtail-lms side: its virtualenv, its minimal project, its database, its server.

- The virtualenv is .venv-peer at the top of the repository, made with this
  Python and filled from bench/peer/requirements.txt (wagtail-lms by name and
  version from PyPI); a stamp of that file's hash skips the install next time.
- The project is bench/peer/project, copied into the run's temporary
  directory; its settings read the database, cache and key from the
  environment, as Knowhow's production settings do.
- Its database: on PostgreSQL a database of its own next to Knowhow's
  (<name>_lms), made afresh for the run and dropped after it; on SQLite a
  file in the temporary directory.
"""

import json
import os
import secrets
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench import ROOT, side_venv

HERE = Path(__file__).resolve().parent
VENV = ROOT / ".venv-peer"
REQUIREMENTS = HERE / "requirements.txt"
PROJECT = HERE / "project"


def venv_python():
    """The peer virtualenv's Python, installing the pinned requirements when they changed."""
    return side_venv(VENV, REQUIREMENTS)


def database_url(knowhow_url, tmp):
    """The peer's database: <name>_lms beside a PostgreSQL one, or a SQLite file in `tmp`."""
    parts = urlsplit(knowhow_url)
    if parts.scheme == "sqlite":
        return f"sqlite:///{Path(tmp) / 'peer.sqlite3'}"
    name = parts.path.lstrip("/")
    return urlunsplit(parts._replace(path=f"/{name}_lms"))


def _postgres_admin(url, statement):
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(statement)


def _dbname(url):
    from psycopg import sql

    return sql.Identifier(urlsplit(url).path.lstrip("/"))


def create_database(url):
    if urlsplit(url).scheme == "sqlite":
        return
    from psycopg import sql

    _postgres_admin(url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(_dbname(url)))
    _postgres_admin(url, sql.SQL("CREATE DATABASE {}").format(_dbname(url)))


def drop_database(url):
    if urlsplit(url).scheme == "sqlite":
        return
    from psycopg import sql

    _postgres_admin(url, sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(_dbname(url)))


class Project:
    """The peer project built in `tmp`: run its commands and its server from .venv-peer."""

    def __init__(self, tmp, *, database_url, redis_url):
        self.python = venv_python()
        self.dir = Path(tmp) / "peer"
        shutil.copytree(PROJECT, self.dir, ignore=shutil.ignore_patterns("__pycache__"))
        self.database_url = database_url
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "PYTHON", "VIRTUAL_ENV"))
        }
        self.env.update(
            DJANGO_SETTINGS_MODULE="peer_site.settings",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DATABASE_URL=database_url,
            DJANGO_STATIC_ROOT=str(Path(tmp) / "peer-static"),
            DJANGO_LOG_LEVEL="WARNING",
            PYTHONPATH=str(self.dir),
        )
        if redis_url:
            self.env["REDIS_URL"] = redis_url

    def manage(self, *args):
        subprocess.run(  # noqa: S603 - the arguments are built here
            [str(self.python), "manage.py", *args], cwd=self.dir, env=self.env, check=True
        )

    def seed(self, spec):
        """Migrate, seed the course of `spec`; what peer_seed wrote (URLs, cookie, probes)."""
        create_database(self.database_url)
        self.manage("migrate", "--no-input", "-v0")
        if "REDIS_URL" not in self.env:
            self.manage("createcachetable", "-v0")
        spec_path, out_path = self.dir / "spec.json", self.dir / "seeded.json"
        spec_path.write_text(json.dumps(spec))
        self.manage("peer_seed", str(spec_path), str(out_path))
        return json.loads(out_path.read_text())

    def gunicorn_command(self, *, port, workers):
        return [
            str(self.python.parent / "gunicorn"),
            "peer_site.wsgi:application",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ]
