"""Side by side with wagtail-lms (issue #18, item 2): `make bench-peer`, or

    python -m bench.peer [--database postgresql|sqlite] [--duration 10] [--rounds 2] [--write]

Knowhow and a minimal project around the wagtail-lms package (installed from
PyPI into .venv-peer, bench/peer/lms.py) are seeded with the same course
(bench/peer/course.py), served by gunicorn with 2 workers each and loaded by
wrk with the same connections and duration as bench/throughput.py (its wrk()
and Lua report): each project's lesson page and course page for an enrolled
learner with partial progress, and each project's own framework floor (a
view that returns "ok" behind that project's middleware). Both servers run
at once; the measurements alternate between them, page by page, and the
order flips each round, so load from other work on the machine falls on
both alike. Ratios are within one run.

Targets: Knowhow's lesson and course pages serve at least 2x the requests
per second of wagtail-lms's, and at least 2x relative to the floors
((Knowhow page / Knowhow floor) / (peer page / peer floor)). Exits 1 when one
is missed or any response was not 2xx.

--database postgresql (the default) uses DATABASE_URL when it names a
PostgreSQL database, postgres://postgres@127.0.0.1:5432/knowhow otherwise:
Knowhow gets a throwaway test_<name>_peer, the peer <name>_lms, both made
for the run and dropped after it. --database sqlite puts both in files of a
temporary directory. Results: bench/results-peer-<database>.json; --write
puts the table in BENCHMARKS.md between the bench:peer-<database> markers.
"""

import argparse
import base64
import contextlib
import datetime
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench import REDIS_URL, ROOT, redis_answers, setup_django

REPORT = ROOT / "BENCHMARKS.md"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/knowhow"
TARGET = 2.0
SESSION_KEY = re.compile(r"""("session_key" = )'[^']*'""")
SIDES = ("knowhow", "peer")
PAGES = {
    "floor": "Framework floor (a view returning ok)",
    "lesson": "Lesson page, enrolled learner, lesson 4 of 7",
    "course": "Course page, enrolled learner",
}


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument(
        "--duration", type=int, default=10, help="seconds of load per URL and round (default 10)"
    )
    parser.add_argument(
        "--rounds", type=int, default=2, help="times each URL is loaded, alternating (default 2)"
    )
    parser.add_argument("--write", action="store_true", help=f"update {REPORT.name}")
    parser.add_argument(
        "--from-json", type=Path, help="measure nothing: print (and --write) a saved run"
    )
    args = parser.parse_args(argv)
    if args.duration < 1 or args.rounds < 1:
        parser.error("--duration and --rounds must be at least 1")
    return args


def redacted(statements):
    """The SQL with the learner's session key left out (a dead key, but no need to keep it)."""
    return [SESSION_KEY.sub(r"\1'<session key>'", sql) for sql in statements]


def load_average():
    return round(os.getloadavg()[0], 2)


def knowhow_caches(redis):
    """The cache Knowhow's production settings choose, for the in-process seeding."""
    if redis:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": "knowhow",
            }
        }
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "knowhow_cache",
        }
    }


@contextlib.contextmanager
def serving(command, *, cwd, env, ready_path):
    """A gunicorn started with `command` (its port in it), stopped on the way out."""
    from bench.throughput import _get

    server = subprocess.Popen(command, cwd=cwd, env=env, start_new_session=True)  # noqa: S603
    try:
        port = int(next(arg for arg in command if arg.startswith("--bind=")).rsplit(":", 1)[1])
        deadline = time.monotonic() + 90
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"{command[1]} exited with {server.returncode}")
            with contextlib.suppress(OSError):
                if _get(port, ready_path) == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{command[1]} did not answer {ready_path} within 90 s")
            time.sleep(0.5)
        yield port
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def cookie(sides, side, page):
    """The learner's session cookie, except for the floor: anonymous, as in bench/throughput.py."""
    return None if page == "floor" else sides[side]["cookie"]


def measure(servers, sides, *, rounds, seconds):
    """wrk on each page of each side, alternating; the raw results per round."""
    from bench.throughput import WARMUP_SECONDS, _get, wrk

    for side in SIDES:
        for page, path in sides[side]["urls"].items():
            sent = cookie(sides, side, page)
            status = _get(servers[side], path, {"Cookie": sent} if sent else None)
            if status != 200:
                raise RuntimeError(f"{side} {path}: HTTP {status} before the load started")
    raw = {side: {page: [] for page in PAGES} for side in SIDES}
    loads = []
    for n in range(rounds):
        order = SIDES if n % 2 == 0 else SIDES[::-1]
        loads.append(load_average())
        for page in PAGES:
            for side in order:
                url = f"http://127.0.0.1:{servers[side]}{sides[side]['urls'][page]}"
                sent = cookie(sides, side, page)
                print(f"  round {n + 1}: {side} {page}")
                wrk(url, seconds=WARMUP_SECONDS, cookie=sent)
                raw[side][page].append(wrk(url, seconds=seconds, cookie=sent))
    loads.append(load_average())
    return raw, loads


def summarise(raw, sides):
    """One figure per side and page: requests over time summed across the rounds."""
    out = {}
    for side in SIDES:
        out[side] = {}
        for page in PAGES:
            runs = raw[side][page]
            seconds = sum(r["duration_us"] for r in runs) / 1e6
            requests = sum(r["requests"] for r in runs)
            out[side][page] = {
                "rps": round(requests / seconds, 1),
                "rps_by_round": [round(r["requests"] / (r["duration_us"] / 1e6), 1) for r in runs],
                "p50_ms": round(sum(r["p50_us"] for r in runs) / len(runs) / 1000, 2),
                "p95_ms": round(sum(r["p95_us"] for r in runs) / len(runs) / 1000, 2),
                "errors": sum(r["not_2xx"] + r["socket_errors"] for r in runs),
                "queries": sides[side]["probes"][page]["queries"],
                "bytes": sides[side]["probes"][page]["bytes"],
            }
        floor = out[side]["floor"]["rps"]
        for page in PAGES:
            out[side][page]["floor_ratio"] = round(floor / out[side][page]["rps"], 2)
    return out


def rows_of(summary):
    rows = []
    for page, name in PAGES.items():
        k, p = summary["knowhow"][page], summary["peer"][page]
        row = {
            "page": page,
            "measure": name,
            "knowhow": k,
            "peer": p,
            "rps_multiple": round(k["rps"] / p["rps"], 2),
            "floor_multiple": round(p["floor_ratio"] / k["floor_ratio"], 2),
            "errors": k["errors"] + p["errors"],
        }
        if page != "floor":
            row["target"] = f">= {TARGET:g}x both"
            row["ok"] = (
                row["rps_multiple"] >= TARGET
                and row["floor_multiple"] >= TARGET
                and row["errors"] == 0
            )
        rows.append(row)
    return rows


def table(rows):
    lines = [
        "| Page | Knowhow req/s | floor ÷ page | queries | wagtail-lms req/s | floor ÷ page "
        "| queries | Knowhow ÷ wagtail-lms, req/s | … relative to floors | errors | Target | Met |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        k, p = row["knowhow"], row["peer"]
        floor = row["page"] == "floor"
        met = {True: "yes", False: "**no**", None: ""}[row.get("ok")]
        lines.append(
            "| "
            + " | ".join(
                [
                    row["measure"],
                    f"{k['rps']:,.0f}",
                    "" if floor else f"{k['floor_ratio']}x",
                    str(k["queries"]),
                    f"{p['rps']:,.0f}",
                    "" if floor else f"{p['floor_ratio']}x",
                    str(p["queries"]),
                    f"{row['rps_multiple']}x",
                    "" if floor else f"{row['floor_multiple']}x",
                    str(row["errors"]),
                    row.get("target", ""),
                    met,
                ]
            )
            + " |"
        )
    return "\n".join(lines) + "\n"


def report_block(results):
    env, peer = results["environment"], results["peer_versions"]
    rounds = ", ".join(
        f"{page} {'/'.join(str(x) for x in row['knowhow']['rps_by_round'])} against "
        f"{'/'.join(str(x) for x in row['peer']['rps_by_round'])}"
        for page, row in ((row["page"], row) for row in results["rows"])
    )
    head = (
        f"### {env['database']}, side by side with wagtail-lms {peer['wagtail-lms']}\n\n"
        f"{results['date']}; Python {env['python']}; Knowhow on Django {env['django']}, "
        f"Wagtail {env['wagtail']}; wagtail-lms {peer['wagtail-lms']} on Django "
        f"{peer['Django']}, Wagtail {peer['wagtail']}; {env['cpu']}; load average "
        + ", ".join(f"{x:.2f}" for x in results["load_averages"])
        + f" (start, each round, end); {results['rounds']} round"
        + ("s" if results["rounds"] != 1 else "")
        + f" of {results['duration']} s "
        f"per URL per side, alternating; {results['note']}. Whole run: "
        f"{results['seconds']:.0f} s.\n\n"
        f"Data on each side: one course of 7 lessons of about 1,600 words of rich text, the "
        f"learner enrolled with 3 done, 40 other learners enrolled with 0-6 done (Knowhow "
        f"{results['volumes']['knowhow']['users']} users, "
        f"{results['volumes']['knowhow']['lesson_completions']} completions; wagtail-lms "
        f"{results['volumes']['peer']['users']} users, "
        f"{results['volumes']['peer']['lesson_completions']} completions). Queries: one "
        f"request in-process after three warm-ups. Bytes of HTML: lesson "
        f"{results['rows'][1]['knowhow']['bytes']:,} against "
        f"{results['rows'][1]['peer']['bytes']:,}, course "
        f"{results['rows'][2]['knowhow']['bytes']:,} against "
        f"{results['rows'][2]['peer']['bytes']:,}.\n\n"
    )
    return head + table(results["rows"]) + f"\nreq/s by round (Knowhow against peer): {rounds}.\n"


def write_report(block, vendor):
    from bench.__main__ import write_report as write

    write(REPORT, f"peer-{vendor}", block)


def from_json(path, *, write):
    results = json.loads(path.read_text())
    block = report_block(results)
    print(block)
    if write:
        write_report(block, results["vendor"])
    return 0


def _knowhow_database(args, tmp):
    """Point Knowhow's settings at the run's database before Django starts."""
    if args.database == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'knowhow.sqlite3'}"
    elif urlsplit(os.environ.get("DATABASE_URL", "")).scheme not in {"postgres", "postgresql"}:
        os.environ["DATABASE_URL"] = DEFAULT_POSTGRES


def main(argv=None):  # noqa: C901 - one run from setup to teardown reads best in one place
    args = parse(argv)
    if args.from_json:
        return from_json(args.from_json, write=args.write)
    from bench.peer import lms
    from bench.peer.course import spec as course_spec

    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")
    started = time.perf_counter()
    loads = [load_average()]

    def say(text):
        print(f"[{time.perf_counter() - started:.0f} s] {text}", flush=True)

    spec = course_spec()
    redis = REDIS_URL if redis_answers() else None
    tmp = tempfile.TemporaryDirectory(prefix="knowhow-bench-peer-")
    _knowhow_database(args, tmp.name)
    lms.venv_python()  # before Django starts, so a first install's output comes first
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    from bench.__main__ import Context, database_url, environment, volumes
    from bench.peer import knowhow
    from bench.throughput import WORKERS, _free_port, server_env

    ctx = Context(
        dataset="peer",
        runs=0,
        duration=args.duration,
        secret_key=secrets.token_urlsafe(50),
        signing_key=base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode(),
    )
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(Path(tmp.name) / "knowhow-test.sqlite3")
    else:
        connection.settings_dict["TEST"]["NAME"] = f"test_{connection.settings_dict['NAME']}_peer"
    vendor = connection.vendor
    knowhow_url = database_url(connection)  # before the test database replaces its name
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    overrides = override_settings(
        ROOT_URLCONF="bench.urls",
        SECRET_KEY=ctx.secret_key,
        CERTIFICATE_SIGNING_KEY=ctx.signing_key,
        CACHES=knowhow_caches(redis),
    )
    overrides.enable()
    peer_db = None
    try:
        call_command("createcachetable", verbosity=0)
        ctx.database_url = database_url(connection)
        say(f"Knowhow: seeding the course on {vendor}…")
        side = knowhow.seed(spec)
        sides = {"knowhow": {"urls": side.urls, "cookie": side.cookie, "probes": side.probes}}
        env = environment(connection)
        vols = {"knowhow": volumes()}
        connection.close()  # the servers get the database to themselves

        peer_db = lms.database_url(knowhow_url, tmp.name)
        say(f"wagtail-lms: migrating and seeding {urlsplit(peer_db).path.lstrip('/')}…")
        project = lms.Project(tmp.name, database_url=peer_db, redis_url=redis)
        seeded = project.seed(spec)
        sides["peer"] = {k: seeded[k] for k in ("urls", "cookie", "probes")}
        vols["peer"] = seeded["volumes"]

        static_root = Path(tmp.name) / "knowhow-static"
        knowhow_env = server_env(ctx, static_root)
        subprocess.run(  # noqa: S603 - as bench/throughput.py
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=ROOT,
            env=knowhow_env,
            check=True,
        )
        knowhow_command = [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi:application",
            f"--workers={WORKERS}",
            f"--bind=127.0.0.1:{_free_port()}",
            "--log-level=warning",
        ]
        peer_command = project.gunicorn_command(port=_free_port(), workers=WORKERS)
        say("Measuring…")
        with (
            serving(knowhow_command, cwd=ROOT, env=knowhow_env, ready_path="/healthz") as kport,
            serving(
                peer_command,
                cwd=project.dir,
                env=project.env,
                ready_path=sides["peer"]["urls"]["floor"],
            ) as pport,
        ):
            raw, round_loads = measure(
                {"knowhow": kport, "peer": pport},
                sides,
                rounds=args.rounds,
                seconds=args.duration,
            )
    finally:
        overrides.disable()
        if peer_db:
            lms.drop_database(peer_db)
        connection.creation.destroy_test_db(old_name, verbosity=0)
        tmp.cleanup()
    loads += round_loads

    from bench.throughput import CONNECTIONS

    rows = rows_of(summarise(raw, sides))
    results = {
        "date": datetime.date.today().isoformat(),
        "vendor": vendor,
        "rounds": args.rounds,
        "duration": args.duration,
        "seconds": time.perf_counter() - started,
        "load_averages": loads,
        "note": f"gunicorn {WORKERS} workers each, {'Redis' if redis else 'database cache'}, "
        f"wrk 1 thread {CONNECTIONS} connections",
        "environment": env,
        "peer_versions": seeded["versions"],
        "volumes": vols,
        "urls": {name: sides[name]["urls"] for name in SIDES},
        "rows": rows,
        "queries": {
            name: {page: redacted(sides[name]["probes"][page]["sql"]) for page in PAGES}
            for name in SIDES
        },
        "raw": raw,
    }
    block = report_block(results)
    print()
    print(block)
    out = ROOT / "bench" / f"results-peer-{vendor}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Saved {out.relative_to(ROOT)}")
    if args.write:
        write_report(block, vendor)
        print(f"Written to {REPORT.name}")
    missed = [row["measure"] for row in rows if row.get("ok") is False]
    if missed:
        print("Missed targets: " + "; ".join(missed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
