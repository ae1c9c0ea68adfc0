"""Real servers on free loopback ports, for the failure and two-node tests (issue #15).

- RedisServer: a redis-server of our own, no persistence, that can be stopped,
  started again on the same port, frozen (SIGSTOP: connections open, nothing
  answered, as when packets are dropped) and thawed.
- ThrowawayPostgres: a PostgreSQL cluster of our own (initdb in a temporary
  directory), started and stopped with pg_ctl. The shared PostgreSQL is never
  touched, let alone restarted.
- GunicornNode: the app under gunicorn with production settings apart from TLS
  (bench.settings, as bench/throughput.py runs it).
- WorkerProcess: `manage.py worker` (the task queue, scheduler and reaper) in a
  process of its own, that can be stopped cleanly or killed with SIGKILL.
- SMTPServer: a real SMTP server (aiosmtpd) in a thread, that keeps what it
  receives and can accept, refuse recipients, stall mid-message or be stopped
  and started again on the same port.

Everything waits on observable state (a port answering, /healthz), never on
a fixed sleep, and every wait has a deadline.
"""

import asyncio
import contextlib
import email
import glob
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
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


class WorkerProcess:
    """`manage.py worker` with a node's environment; its output goes to a file."""

    def __init__(self, env, *, name="worker", interval=0.2):
        self.env = env
        self.name = name
        self.interval = interval
        self.process = None
        self.log = None

    def start(self, *, timeout=60):
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - kept open for the process
            mode="w+", prefix=f"knowhow-{self.name}-", suffix=".log"
        )
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "worker", "--no-reload"]
            + ["--interval", str(self.interval)],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

        def started():
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited:\n{self.output()}")
            return self.worker_id is not None

        wait_until(started, timeout=timeout, what=f"{self.name} starting")
        return self

    @property
    def worker_id(self):
        """The id it works under now: a worker that lost the database takes a new one."""
        started = [
            line.split()[2]
            for line in self.output().splitlines()
            if line.startswith("Background worker ")
        ]
        return started[-1] if started else None

    def output(self):
        with open(self.log.name) as log:
            return log.read()

    def running(self):
        return self.process is not None and self.process.poll() is None

    def kill(self):
        """SIGKILL: no clean-up, as when a machine loses power mid-task."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self):
        if self.running():
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.log is not None:
            self.log.close()


class Mailbox:
    """What an SMTP server does with a message: accept it, refuse its
    recipients, or stall once the message has arrived."""

    def __init__(self):
        self.messages = []
        self.refuse_recipients = False
        self.stall_next_data = False
        self.stalled = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_recipients:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.stall_next_data:
            # The whole message has arrived; the sender waits for "250". Hang
            # until the sender goes away, which cancels this coroutine: a
            # message never acknowledged is not delivered.
            self.stall_next_data = False
            self.stalled.set()
            await asyncio.Event().wait()
        self.messages.append(email.message_from_bytes(envelope.original_content))
        return "250 Message accepted for delivery"


class SMTPServer:
    """A real SMTP server on 127.0.0.1:port; start() and stop() as often as needed."""

    def __init__(self, port=None):
        self.port = port or free_port()
        self.mailbox = Mailbox()
        self.controller = None

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        return self.mailbox.messages
