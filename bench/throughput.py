"""Requests per second under gunicorn, next to the framework floor (issue #8, item 6).

Starts gunicorn (2 workers, bench.settings: production apart from TLS) on a
free port of 127.0.0.1 against the benchmark's database, runs wrk against
three URLs in turn (a fixed number of connections for a fixed time, so it
stops by itself) and stops gunicorn. The lesson page is requested signed in,
with the session cookie of the bench rep. The floor is bench.views.floor
behind the same middleware; each page's ratio is floor rps / page rps.
Every response that is not 2xx counts as an error (bench/wrk_report.lua).
"""

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.urls import reverse

from bench import REDIS_URL, redis_answers

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
CONNECTIONS = 4
WARMUP_SECONDS = 2


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def server_env(ctx, static_root):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "CERTIFICATE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_SECRET_KEY=ctx.secret_key,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        CERTIFICATE_SIGNING_KEY=ctx.signing_key,
        # Every request comes from 127.0.0.1; see bench/settings.py.
        CERTIFICATE_VERIFY_RATE="100000000/m",
        DATABASE_URL=ctx.database_url,
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "site")]),
    )
    if redis_answers():
        env["REDIS_URL"] = REDIS_URL
    return env


def wrk(url, *, seconds, cookie=None):
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["-s", str(ROOT / "bench" / "wrk_report.lua")]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    done = subprocess.run(  # noqa: S603 - the arguments are built here, not taken from input
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _session_cookie(rep, lesson_url):
    """A signed-in session for the bench rep, made in-process with the server's SECRET_KEY."""
    client = Client()
    client.force_login(rep)
    client.get(lesson_url)  # starts the session clock, as a real sign-in's next page does
    return f"knowhow_session={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def run(ctx):
    if shutil.which("wrk") is None:
        return [
            {
                "section": "throughput",
                "measure": "skipped: wrk is not installed (apt-get install wrk)",
                "ok": False,
            }
        ]
    fx = ctx.fixtures
    cookie = _session_cookie(fx.rep, fx.large_lesson.url)
    targets = [
        ("Framework floor (bench.views.floor)", reverse("bench_floor"), None),
        ("Lesson page, signed in, course of 100 lessons", fx.large_lesson.url, cookie),
        (
            "Certificate verification page",
            reverse("certificate_verify", args=[fx.certificate.code]),
            None,
        ),
    ]
    with tempfile.TemporaryDirectory(prefix="knowhow-bench-static-") as static_root:
        env = server_env(ctx, static_root)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603 - as above
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi:application",
                f"--workers={WORKERS}",
                f"--bind=127.0.0.1:{port}",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        try:
            rows = _load(port, targets, seconds=ctx.duration)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    cache = "Redis" if "REDIS_URL" in env else "database cache"
    for row in rows:
        row["note"] = f"gunicorn {WORKERS} workers, {cache}, wrk 1 thread {CONNECTIONS} conns"
    return rows


def _load(port, targets, *, seconds):
    deadline = time.monotonic() + 60
    while True:
        try:
            if _get(port, "/healthz") == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("gunicorn did not answer /healthz within 60 s")
        time.sleep(0.5)
    results = []
    for name, path, cookie in targets:
        status = _get(port, path, {"Cookie": cookie} if cookie else None)
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status} before the load started")
        url = f"http://127.0.0.1:{port}{path}"
        wrk(url, seconds=WARMUP_SECONDS, cookie=cookie)
        results.append((name, wrk(url, seconds=seconds, cookie=cookie)))
    floor_rps = None
    rows = []
    for name, result in results:
        rps = result["requests"] / (result["duration_us"] / 1e6)
        floor_rps = floor_rps or rps
        errors = result["not_2xx"] + result["socket_errors"]
        rows.append(
            {
                "section": "throughput",
                "measure": name,
                "rps": round(rps, 1),
                "p50_ms": round(result["p50_us"] / 1000, 2),
                "p95_ms": round(result["p95_us"] / 1000, 2),
                "requests": result["requests"],
                "errors": errors,
                "ratio": round(floor_rps / rps, 2),
                "target": "0 errors",
                "ok": errors == 0,
            }
        )
    return rows
