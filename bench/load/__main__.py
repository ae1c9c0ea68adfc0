"""The learner journey under load (issue #18 item 6): locust against gunicorn.

    make bench-load                          # = .venv/bin/python -m bench.load
    .venv/bin/python -m bench.load --reps 50 --seconds 60 --write

On loopback only, and thrown away afterwards: a PostgreSQL cluster, a
redis-server and an SMTP server of its own (bench.faults.throwaway_stack),
one gunicorn node with production settings apart from TLS, and its
background worker. Locust (installed into .venv-load, its own virtualenv)
runs headless in a second process: --reps simulated reps, each with an
account of its own, sign in, then take courses one after another (course
page, enrol, five lessons with four "mark complete", the quiz on the fifth:
start, answer, check, submit), pausing 1-2 s between steps as a reader
would. It prints, per step, requests, failures and the 50th, 95th and 99th
percentile times, the throughput, and the server's CPU time per request
(gunicorn's processes, read from /proc), from which it works out how many
reps like these one core serves. Exit 1 on any failed request.
"""

import argparse
import csv
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench import ROOT, side_venv, write_block
from bench.faults import throwaway_stack
from bench.processes import GunicornNode, WorkerProcess, http_get

HERE = Path(__file__).resolve().parent
VENV = ROOT / ".venv-load"
LESSONS = 5
SETTLE_SECONDS = 5
WARM_UP_ROUNDS = 10
STEPS = [
    "sign-in page",
    "sign in",
    "course page",
    "enrol",
    "lesson",
    "mark complete",
    "quiz start",
    "quiz page",
    "quiz answer",
    "quiz check page",
    "quiz submit",
]


def cpu_seconds(group):
    """User + system CPU seconds of every process in a process group (gunicorn's)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[2]) == group:  # pgrp
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def run_locust(python, url, stack, args, prefix):
    env = {
        **os.environ,
        "LOAD_EMAILS": ",".join(stack.emails),
        "LOAD_PASSWORD": args.password,
        "LOAD_COURSES": json.dumps(
            [
                {"url": course["url"], "lessons": [lesson["url"] for lesson in course["lessons"]]}
                for course in stack.courses
            ]
        ),
        "LOAD_THINK": args.think,
    }
    command = [
        str(Path(python).parent / "locust"),
        "-f",
        str(HERE / "locustfile.py"),
        "--headless",
        "--users",
        str(args.reps),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{args.seconds}s",
        "--host",
        url,
        "--csv",
        prefix,
        "--only-summary",
        "--stop-timeout",
        "10",
        "--loglevel",
        "WARNING",
    ]
    with open(f"{prefix}.log", "w") as log:
        return subprocess.run(  # noqa: S603 - fixed arguments
            command, env=env, check=False, stdout=log, stderr=subprocess.STDOUT
        )


def warm_up(node, stack, rounds=WARM_UP_ROUNDS):
    """Every gunicorn worker imports and compiles lazily on its first
    requests; a rep arriving first should not be what measures that."""
    paths = ["/", "/accounts/login/", stack.courses[0]["url"], stack.courses[-1]["url"]]
    for _ in range(rounds):
        for path in paths:
            status, _, _ = http_get(node.port, path, headers={"Host": "127.0.0.1"})
            if status != 200:
                raise RuntimeError(f"warm-up: {path} answered {status}")


class CpuSampler(threading.Thread):
    """gunicorn's CPU seconds once a second, with the wall-clock time."""

    def __init__(self, group):
        super().__init__(daemon=True)
        self.group = group
        self.samples = []
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.is_set():
            self.samples.append((time.time(), cpu_seconds(self.group)))
            self.stopping.wait(1)

    def at(self, when):
        return min(self.samples, key=lambda sample: abs(sample[0] - when))[1]

    def stop(self):
        self.stopping.set()
        self.join()
        self.samples.append((time.time(), cpu_seconds(self.group)))


def steady_state(prefix, sampler, reps):
    """Requests and server CPU seconds once every rep has signed in and
    settled (Argon2 makes a sign-in cost more than a hundred lesson pages),
    from locust's history of the run."""
    with open(f"{prefix}_stats_history.csv", newline="") as history:
        rows = [row for row in csv.DictReader(history) if row["Name"] == "Aggregated"]
    full = [row for row in rows if int(row["User Count"]) >= reps]
    if len(full) < 2:
        return None
    settled = int(full[0]["Timestamp"]) + SETTLE_SECONDS
    window = [row for row in full if int(row["Timestamp"]) >= settled] or full
    first, last = window[0], window[-1]
    seconds = int(last["Timestamp"]) - int(first["Timestamp"])
    requests = int(last["Total Request Count"]) - int(first["Total Request Count"])
    cpu = sampler.at(int(last["Timestamp"])) - sampler.at(int(first["Timestamp"]))
    return {"seconds": seconds, "requests": requests, "cpu": cpu}


def read_stats(prefix):
    with open(f"{prefix}_stats.csv", newline="") as stats:
        return {row["Name"]: row for row in csv.DictReader(stats)}


def table(stats, *, args, stack, cpu, steady, workers):
    order = [name for name in STEPS if name in stats] + ["Aggregated"]
    total = stats["Aggregated"]
    requests = int(total["Request Count"])
    lines = [
        f"Measured {datetime.date.today().isoformat()} on {platform.machine()}, "
        f"{os.cpu_count()} cores, load generator on the same machine; PostgreSQL "
        f"{stack.postgres_version}, Redis, one gunicorn node of {workers} workers and its "
        f"background worker; {args.reps} reps, {args.think.replace(',', '-')} s between "
        f"steps, {args.seconds} s.",
        "",
        "| Step | Requests | Failures | p50 ms | p95 ms | p99 ms | req/s |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name in order:
        row = stats[name]
        lines.append(
            f"| {name if name != 'Aggregated' else '**all**'} | {row['Request Count']} | "
            f"{row['Failure Count']} | {row['50%']} | {row['95%']} | {row['99%']} | "
            f"{float(row['Requests/s']):.1f} |"
        )
    lines += [
        "",
        f"- Server CPU (gunicorn's processes), whole run: {cpu:.1f} s for {requests} "
        f"requests, sign-ins included ({cpu / requests * 1000:.1f} ms a request).",
    ]
    if steady and steady["requests"]:
        per_request = steady["cpu"] / steady["requests"]
        per_rep = steady["requests"] / steady["seconds"] / args.reps
        lines += [
            f"- Once every rep had signed in: {steady['requests']} requests in "
            f"{steady['seconds']} s, {steady['cpu']:.1f} s of server CPU, "
            f"{per_request * 1000:.1f} ms a request; each rep sent {per_rep:.2f} requests "
            "a second.",
            f"- So one core, fully used, serves about **{1 / (per_request * per_rep):.0f} reps** "
            f"working through lessons like these at once ({1 / per_request:.0f} requests a "
            "second); sign-ins cost more (Argon2), so a whole region signing in at the same "
            "moment needs more.",
        ]
    return "\n".join(lines), int(total["Failure Count"])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--spawn-rate", type=float, default=10, help="reps started a second")
    parser.add_argument("--think", default="1,2", help="seconds between steps: low,high")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--write", action="store_true", help="record the figures in BENCHMARKS.md")
    args = parser.parse_args(argv)
    python = side_venv(VENV, HERE / "requirements.txt")
    # Enough courses that no rep runs out within the run.
    courses = max(4, args.seconds // 15)
    with throwaway_stack(
        courses=courses, reps=args.reps, lessons_per_course=LESSONS, prefix="load"
    ) as stack:
        from tests.factories import PASSWORD

        args.password = PASSWORD
        # Behind one proxy, as in production, so each rep has its own address.
        env = {**stack.env, "ALLAUTH_TRUSTED_PROXY_COUNT": "1"}
        node = GunicornNode(env, workers=args.workers, name="load").start()
        worker = WorkerProcess(stack.env, name="load-worker").start()
        try:
            with tempfile.TemporaryDirectory(prefix="knowhow-load-") as tmp:
                prefix = str(Path(tmp) / "run")
                print(f"{args.reps} reps for {args.seconds} s against {node.url} ...", flush=True)
                warm_up(node, stack)
                sampler = CpuSampler(node.process.pid)
                sampler.start()
                result = run_locust(python, node.url, stack, args, prefix)
                sampler.stop()
                cpu = sampler.samples[-1][1] - sampler.samples[0][1]
                steady = steady_state(prefix, sampler, args.reps)
                stats = read_stats(prefix)
                if result.returncode not in (0, 1):
                    print(Path(f"{prefix}.log").read_text())
        finally:
            worker.stop()
            node.stop()
        text, failures = table(
            stats, args=args, stack=stack, cpu=cpu, steady=steady, workers=args.workers
        )
    print()
    print(text)
    if args.write:
        write_block(text, name="load", heading="Load (issue #18 item 6)")
    if failures or result.returncode not in (0, 1):
        print(f"\n{failures} failed requests (locust exited {result.returncode}).")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
