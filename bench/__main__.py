"""The benchmark suite (issue #8): `make bench`, or

    python -m bench [--dataset small|scale] [--runs 50] [--only pages,throughput] [--write]
    python -m bench seed-scale [--scale 0.01]   # fill DATABASE_URL's database first (seed_scale.py)

--dataset small (the default) builds a throwaway database the way Django's
test runner does: PostgreSQL when DATABASE_URL is set, SQLite otherwise (a
file, so gunicorn can share it). --dataset scale measures the database
DATABASE_URL names as it is, after `python -m bench seed-scale` filled it; the
pages' own fixtures (bench/fixtures.py) are added to it once and reused.

Each module in MODULES has run(ctx) -> rows (dicts). A new measurement is a
new module with a run(ctx) added to MODULES. The table is printed, saved as
bench/results-<vendor>-<dataset>.json, and with --write put in BENCHMARKS.md
between this run's markers. Exits 1 if a row missed its target.
"""

import argparse
import base64
import datetime
import json
import os
import platform
import re
import secrets
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from bench import ROOT, setup_django

REPORT = ROOT / "BENCHMARKS.md"
MODULES = [
    "bench.pages",
    "bench.page_weight",
    "bench.quiz_submit",
    "bench.certificate_pdf",
    "bench.officer_dashboard",
    "bench.throughput",
]
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass
class Context:
    dataset: str
    runs: int
    duration: int
    secret_key: str
    signing_key: str
    database_url: str = ""
    fixtures: object = None
    volumes: dict = field(default_factory=dict)


def database_url(connection):
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def volumes():
    from django.contrib.auth import get_user_model

    from assessments.models import Attempt
    from courses.models import Certificate, CoursePage, Enrolment, LessonCompletion, LessonPage

    counts = {
        "users": get_user_model().objects.count(),
        "live_courses": CoursePage.objects.live().count(),
        "lessons": LessonPage.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "lesson_completions": LessonCompletion.objects.count(),
        "quiz_attempts": Attempt.objects.count(),
        "certificates": Certificate.objects.count(),
    }
    from django.apps import apps
    from django.db import connection

    if apps.is_installed("branches"):
        branch = apps.get_model("branches", "Branch")
        if branch._meta.db_table in connection.introspection.table_names():
            counts["branches"] = branch.objects.count()
    return counts


def environment(connection):
    import django
    import wagtail

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
    else:
        version = connection.Database.sqlite_version
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "database": f"{VENDOR_NAMES.get(connection.vendor, connection.vendor)} {version}",
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "load_average_at_start": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }


def _cell(row, key, unit=""):
    value = row.get(key)
    if value is None or value == "":
        return ""
    return f"{value}{unit}"


def table(rows):
    """Markdown table of the rows, in the order measured."""
    lines = [
        "| Measure | Median | p95 | Queries | req/s | Ratio | Errors | Bytes | Target | Met |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        median = row.get("median_ms", row.get("p50_ms"))
        met = {True: "yes", False: "**no**", None: ""}[row.get("ok")]
        lines.append(
            "| "
            + " | ".join(
                [
                    row["measure"],
                    f"{median:.1f} ms" if median is not None else "",
                    _cell(row, "p95_ms", " ms"),
                    _cell(row, "queries"),
                    _cell(row, "rps"),
                    f"{row['ratio']}x" if row.get("ratio") is not None else "",
                    _cell(row, "errors"),
                    f"{row['bytes']:,}" if row.get("bytes") is not None else "",
                    row.get("target", ""),
                    met,
                ]
            )
            + " |"
        )
    return "\n".join(lines) + "\n"


def report_block(results):
    env, vol = results["environment"], results["volumes"]
    head = (
        f"### {env['database']}, {results['dataset']} dataset\n\n"
        f"{results['date']}; Python {env['python']}, Django {env['django']}, "
        f"Wagtail {env['wagtail']}; {env['cpu']}; load average "
        f"{env['load_average_at_start']:.2f} at the start; {results['runs']} timed runs per "
        f"page; throughput {results['duration']} s per URL. Data: "
        + ", ".join(f"{value:,} {name.replace('_', ' ')}" for name, value in vol.items())
        + f". Whole run: {results['seconds']:.0f} s.\n\n"
    )
    notes = sorted({row["note"] for row in results["rows"] if row.get("note")})
    third_party = [url for row in results["rows"] for url in row.get("third_party", [])]
    tail = "".join(f"\n{note}." for note in notes)
    if any(row["section"] == "page weight" for row in results["rows"]):
        tail += f"\nThird-party requests on the lesson page: {third_party or 'none'}."
    return head + table(results["rows"]) + tail.lstrip("\n") + "\n"


def write_report(path, key, block):
    """Replace the text between this run's markers in `path`, or append them."""
    start, end = f"<!-- bench:{key}:start -->", f"<!-- bench:{key}:end -->"
    text = path.read_text()
    if start in text:
        text = re.sub(
            re.escape(start) + ".*?" + re.escape(end),
            lambda _: f"{start}\n{block}{end}",
            text,
            flags=re.DOTALL,
        )
    else:
        text = text.rstrip("\n") + f"\n\n{start}\n{block}{end}\n"
    path.write_text(text)


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", choices=["small", "scale"], default="small")
    parser.add_argument("--runs", type=int, default=50, help="timed runs per page (default 50)")
    parser.add_argument(
        "--duration", type=int, default=10, help="seconds of load per URL (default 10)"
    )
    parser.add_argument(
        "--only", default="", help="comma-separated module names, e.g. pages,throughput"
    )
    parser.add_argument("--write", action="store_true", help=f"update {REPORT.name}")
    parser.add_argument(
        "--from-json", type=Path, help="measure nothing: print (and --write) a saved run"
    )
    args = parser.parse_args(argv)
    if args.runs < 1 or args.duration < 1:
        parser.error("--runs and --duration must be at least 1")
    return args


def from_json(path, *, write):
    results = json.loads(path.read_text())
    block = report_block(results)
    print(block)
    if write:
        vendor = results["environment"]["database"].split()[0].lower()
        write_report(REPORT, f"{vendor}-{results['dataset']}", block)
    return 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["seed-scale"]:
        setup_django()
        from bench import seed_scale

        return seed_scale.main(argv[1:])
    args = parse(argv)
    if args.from_json:
        return from_json(args.from_json, write=args.write)
    wanted = [m for m in MODULES if not args.only or m.split(".")[-1] in args.only.split(",")]
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    from bench import fixtures
    from courses.certificates import signing

    if args.dataset == "scale" and connection.vendor != "postgresql":
        sys.exit("--dataset scale measures the PostgreSQL database DATABASE_URL names")

    started = time.perf_counter()
    ctx = Context(
        dataset=args.dataset,
        runs=args.runs,
        duration=args.duration,
        secret_key=secrets.token_urlsafe(50),
        signing_key=base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode(),
    )
    # No setup_test_environment(): it makes every template render keep a copy
    # of its context for the test client, a cost that grows with the number
    # of includes and would weigh on the lesson page more than on the bare one.
    old_name, tmp = None, None
    if args.dataset == "small":
        if connection.vendor == "sqlite":
            tmp = tempfile.TemporaryDirectory(prefix="knowhow-bench-")
            connection.settings_dict["TEST"]["NAME"] = str(Path(tmp.name) / "bench.sqlite3")
        else:
            name = connection.settings_dict["NAME"]
            connection.settings_dict["TEST"]["NAME"] = f"test_{name}_bench"
        old_name = connection.creation.create_test_db(
            verbosity=0, autoclobber=True, serialize=False
        )
    # The server in bench.throughput signs sessions and checks certificates
    # with these keys, so in-process they must be the same.
    overrides = override_settings(
        ROOT_URLCONF="bench.urls",
        SECRET_KEY=ctx.secret_key,
        CERTIFICATE_SIGNING_KEY=ctx.signing_key,
    )
    overrides.enable()
    try:
        call_command("createcachetable", verbosity=0)
        ctx.database_url = database_url(connection)
        print(f"Fixtures on {VENDOR_NAMES[connection.vendor]} ({args.dataset} dataset)…")
        ctx.fixtures = fixtures.ensure()
        certificate = ctx.fixtures.certificate
        certificate.signature = signing.sign(certificate)
        certificate.save(update_fields=["signature"])
        ctx.volumes = volumes()
        env = environment(connection)
        rows = []
        for name in wanted:
            print(f"Running {name}…")
            rows += import_module(name).run(ctx)
    finally:
        overrides.disable()
        if old_name is not None:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        if tmp:
            tmp.cleanup()

    vendor = env["database"].split()[0].lower()
    results = {
        "date": datetime.date.today().isoformat(),
        "dataset": args.dataset,
        "runs": args.runs,
        "duration": args.duration,
        "seconds": time.perf_counter() - started,
        "environment": env,
        "volumes": ctx.volumes,
        "rows": rows,
    }
    block = report_block(results)
    print()
    print(block)
    key = f"{vendor}-{args.dataset}"
    out = ROOT / "bench" / f"results-{key}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"Saved {out.relative_to(ROOT)}")
    if args.write:
        write_report(REPORT, key, block)
        print(f"Written to {REPORT.name}")
    missed = [row["measure"] for row in rows if row.get("ok") is False]
    if missed:
        print("Missed targets: " + "; ".join(missed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
