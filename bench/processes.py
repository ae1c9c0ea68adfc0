"""Real servers on free loopback ports, for the failure and two-node tests (issue #15).

- RedisServer: a redis-server of our own, no persistence, that can be stopped,
  started again on the same port, frozen (SIGSTOP: connections open, nothing
  answered, as when packets are dropped) and thawed.
- ThrowawayPostgres: a PostgreSQL cluster of our own (initdb in a temporary
  directory), started and stopped with pg_ctl. The shared PostgreSQL is never
  touched, let alone restarted.
- GunicornNode: the app under gunicorn with production settings apart from TLS
  (bench.settings, as bench/throughput.py runs it).

Everything waits on observable state (a port answering, /healthz), never on
a fixed sleep, and every wait has a deadline.
"""

import contextlib
import glob
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, *, timeout, what):
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout} s")
        time.sleep(0.05)


def port_answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class RedisServer:
    def __init__(self, port=None):
        self.port = port or free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        binary = shutil.which("redis-server")
        if binary is None:
            raise FileNotFoundError("redis-server is not installed")
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(lambda: port_answers(self.port), timeout=20, what="redis-server starting")
        return self

    def stop(self):
        if self.running():
            self.thaw()  # a frozen process cannot be waited for
            self.process.kill()
            self.process.wait(timeout=10)
        wait_until(lambda: not port_answers(self.port), timeout=10, what="redis-server stopping")

    def running(self):
        return self.process is not None and self.process.poll() is None

    def freeze(self):
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self):
        if self.running():
            os.kill(self.process.pid, signal.SIGCONT)


def postgres_bin(name):
    """A PostgreSQL server program (initdb, pg_ctl), or None if not installed."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary directory, trust auth, one port."""

    def __init__(self, port=None):
        self.port = port or free_port()
        self.directory = None

    def url(self, name):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    @staticmethod
    def available():
        return bool(postgres_bin("initdb") and postgres_bin("pg_ctl"))

    def _run(self, command, **kwargs):
        # initdb and pg_ctl refuse to run as root; CI and this machine run as root.
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)  # noqa: S603

    def init(self):
        self.directory = tempfile.mkdtemp(prefix="knowhow-throwaway-pg-")
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")
        self._run(
            [postgres_bin("initdb"), "-D", self.directory, "-U", "postgres", "-A", "trust"]
            + ["--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]
        )
        return self

    def start(self):
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            [postgres_bin("pg_ctl"), "-D", self.directory, "-o", options, "-w", "-t", "60"]
            + ["-l", os.path.join(self.directory, "server.log"), "start"],
            timeout=90,
        )
        return self

    def create_database(self, name):
        subprocess.run(  # noqa: S603 - fixed arguments
            [postgres_bin("psql"), "-q", self.url("postgres"), "-c", f'CREATE DATABASE "{name}"'],
            check=True,
            capture_output=True,
        )
        return self.url(name)

    def stop(self):
        # "fast": what a restart does to connected clients (they are cut off).
        self._run(
            [postgres_bin("pg_ctl"), "-D", self.directory, "-m", "fast", "-w", "stop"], timeout=60
        )

    def destroy(self):
        if self.directory is None:
            return
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)
        self.directory = None


def copy_database(*, source_url, target_url):
    """pg_dump one database into another (empty) one: seconds, where migrate takes minutes."""
    dump = subprocess.run(  # noqa: S603
        [postgres_bin("pg_dump"), "--no-owner", "--no-privileges", source_url],
        check=True,
        capture_output=True,
    )
    subprocess.run(  # noqa: S603
        [postgres_bin("psql"), "-q", "-v", "ON_ERROR_STOP=1", target_url],
        input=dump.stdout,
        check=True,
        capture_output=True,
    )


def node_env(*, database_url, redis_url=None, secret_key, signing_key, static_root, **extra):
    """The environment of one gunicorn node: bench.settings, as bench/throughput.py."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CERTIFICATE_", "AWS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_SECRET_KEY=secret_key,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        CERTIFICATE_SIGNING_KEY=signing_key,
        DATABASE_URL=database_url,
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "site")]),
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(extra)
    return env


def collectstatic(env):
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def http_get(port, path, headers=None, timeout=10):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


class GunicornNode:
    def __init__(self, env, *, port=None, workers=1, name="node"):
        self.env = env
        self.port = port or free_port()
        self.workers = workers
        self.name = name
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, timeout=90, healthz=200):
        """Start gunicorn and wait until /healthz answers `healthz` (503: a node
        whose database is meant to be unreachable)."""
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi:application",
                f"--workers={self.workers}",
                f"--bind=127.0.0.1:{self.port}",
                "--log-level=warning",
                "--timeout=30",
                f"--name=knowhow-{self.name}",
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
        )

        def healthy():
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.name} exited with {self.process.returncode}")
            try:
                return http_get(self.port, "/healthz", timeout=5)[0] == healthz
            except OSError:
                return False

        wait_until(healthy, timeout=timeout, what=f"gunicorn {self.name} answering /healthz")
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
