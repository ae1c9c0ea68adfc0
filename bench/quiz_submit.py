"""Server time and query count of submitting a 20-question quiz.

    python -m bench.quiz_submit [--runs 200] [--write]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/knowhow python -m bench.quiz_submit

Builds a throwaway test database the way Django's test runner does, then, for
each run, signs in a new learner with an answered attempt and times only the
POST that submits it (grading, storing marks, completing the lesson). The
request goes through Django's test client in-process: server time, no network.
Exits 1 if any submit costs more than QUERY_LIMIT queries, not counting
BEGIN, COMMIT and savepoints (see counted()).
"""

import argparse
import datetime
import math
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

from bench import ROOT, setup_django

REPORT = ROOT / "BENCHMARKS.md"
QUESTIONS = 20
QUERY_LIMIT = 25
KINDS = ["single", "multiple", "true_false", "short_text", "ordering", "matching"]
START = "<!-- quiz-submit:start -->"
END = "<!-- quiz-submit:end -->"
VENDOR_BLOCK = re.compile(
    r"<!-- quiz-submit:(\w+):start -->\n.*?<!-- quiz-submit:\1:end -->\n", re.DOTALL
)
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def percentile(ordered, percent):
    """Nearest-rank percentile of an already sorted list."""
    return ordered[max(math.ceil(percent / 100 * len(ordered)) - 1, 0)]


def database_version(connection):
    if connection.vendor == "sqlite":
        return connection.Database.sqlite_version
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return cursor.fetchone()[0]
    return "unknown version"


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "BEGIN", "COMMIT", "ROLLBACK")


def counted(captured):
    """(queries, transaction statements) of one request.

    The test suite runs each test in a transaction, so the view's atomic
    blocks issue SAVEPOINT and RELEASE SAVEPOINT, and it leaves those out of
    its count (tests/courses/test_quiz_query_counts.py). Here nothing wraps the
    request, so the same blocks issue BEGIN and COMMIT: they are counted apart
    to keep the query count comparable with the suite's.
    """
    control = sum(
        1 for query in captured.captured_queries if query["sql"].startswith(TRANSACTION_CONTROL)
    )
    return len(captured.captured_queries) - control, control


def measure(*, runs, warmup):
    """Seconds and query counts of `runs` timed submits after `warmup` untimed ones."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from assessments.services import attempt_save, attempt_start
    from courses.models import LessonCompletion, LessonPage
    from courses.services import enrolment_start
    from tests.factories import UserFactory
    from tests.factories.assessments import full_marks, make_question, make_quiz
    from tests.factories.courses import lessons_of, make_course

    course = make_course(modules=1, lessons=2)
    lesson = lessons_of(course)[0]
    quiz = make_quiz([make_question(KINDS[n % len(KINDS)]) for n in range(QUESTIONS)])
    LessonPage.objects.filter(pk=lesson.pk).update(quiz=quiz)

    seconds, queries, transaction_statements, warmup_queries = [], [], [], []
    for run in range(warmup + runs):
        # A new learner each run, so every submit also completes the lesson.
        user = UserFactory()
        enrolment_start(user=user, course=course)
        attempt = attempt_start(user=user, quiz=quiz)
        attempt = attempt_save(
            attempt=attempt, version=attempt.version, responses=full_marks(attempt)
        )
        client = Client()
        client.force_login(user)
        # The first request after sign-in starts the session clock.
        if client.get(lesson.url).status_code != 200:
            raise RuntimeError("the lesson page did not load")
        url = f"{lesson.url}quiz/attempt/{attempt.number}/check/"
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.post(url, {"version": attempt.version})
            elapsed = time.perf_counter() - started
        attempt.refresh_from_db()
        if response.status_code != 302 or not attempt.passed:
            raise RuntimeError(f"submit failed: HTTP {response.status_code}, {attempt.state}")
        if not LessonCompletion.objects.filter(user=user, lesson=lesson).exists():
            raise RuntimeError("passing the quiz did not complete the lesson")
        query_count, control_count = counted(captured)
        if run < warmup:
            warmup_queries.append(query_count)
        else:
            seconds.append(elapsed)
            queries.append(query_count)
            transaction_statements.append(control_count)
    return seconds, queries, transaction_statements, warmup_queries


def run(ctx):
    """The suite's row (python -m bench). On a database that is kept, the
    course, quiz and learners it makes are rolled back afterwards."""
    from django.db import transaction

    with transaction.atomic():
        seconds, queries, _, warmup_queries = measure(runs=ctx.runs, warmup=3)
        if ctx.dataset != "small":
            transaction.set_rollback(True)
    ordered = sorted(seconds)
    worst = max(queries + warmup_queries)
    return [
        {
            "section": "quiz",
            "measure": f"Quiz submit, {QUESTIONS} questions",
            "median_ms": round(statistics.median(ordered) * 1000, 2),
            "p95_ms": round(percentile(ordered, 95) * 1000, 2),
            "queries": worst,
            "target": f"<= {QUERY_LIMIT} queries",
            "ok": worst <= QUERY_LIMIT,
        }
    ]


def results_table(*, vendor, version, runs, warmup, seconds, queries, transaction_statements):
    import django
    import wagtail

    ordered = sorted(seconds)

    def ms(value):
        return f"{value * 1000:.1f} ms"

    rows = [
        ("Database", f"{VENDOR_NAMES.get(vendor, vendor)} {version}"),
        (
            "Python / Django / Wagtail",
            f"{platform.python_version()} / {django.get_version()} / {wagtail.__version__}",
        ),
        ("CPU", f"{cpu_model()}, {os.cpu_count()} cores"),
        ("Runs", f"{runs} timed (after {warmup} untimed warm-up submits)"),
        ("Median", ms(statistics.median(ordered))),
        ("p90", ms(percentile(ordered, 90))),
        ("p99", ms(percentile(ordered, 99))),
        ("Max", ms(ordered[-1])),
        ("Queries per submit (min / max)", f"{min(queries)} / {max(queries)}"),
        (
            "BEGIN and COMMIT per submit (min / max)",
            f"{min(transaction_statements)} / {max(transaction_statements)}",
        ),
        ("Date", datetime.date.today().isoformat()),
    ]
    lines = [f"### {VENDOR_NAMES.get(vendor, vendor)}", "", "| Measure | Value |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in rows]
    return "\n".join(lines) + "\n"


def write_report(path, *, vendor, table):
    """Replace this vendor's results in `path`, keeping every other vendor's."""
    text = path.read_text() if path.exists() else ""
    if START not in text:
        text = text.rstrip("\n") + ("\n\n" if text else "") + f"{START}\n{END}\n"
    head, rest = text.split(START, 1)
    inner, tail = rest.split(END, 1)
    blocks = {match.group(1): match.group(0) for match in VENDOR_BLOCK.finditer(inner)}
    blocks[vendor] = (
        f"<!-- quiz-submit:{vendor}:start -->\n{table}<!-- quiz-submit:{vendor}:end -->\n"
    )
    inner = "\n" + "\n".join(blocks[name] for name in sorted(blocks, reverse=True))
    path.write_text(head + START + inner + END + tail)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200, help="timed submits (default 200)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed submits first (default 3)")
    parser.add_argument("--write", action="store_true", help=f"write the results into {REPORT}")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup at least 0")

    setup_django()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    # Our own test database name, so a test run on the same server keeps its own.
    # SQLite without a name stays in memory, as in the test suite.
    if connection.vendor != "sqlite":
        connection.settings_dict["TEST"]["NAME"] = f"test_{connection.settings_dict['NAME']}_bench"
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        vendor, version = connection.vendor, database_version(connection)
        seconds, queries, transaction_statements, warmup_queries = measure(
            runs=args.runs, warmup=args.warmup
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()

    table = results_table(
        vendor=vendor,
        version=version,
        runs=args.runs,
        warmup=args.warmup,
        seconds=seconds,
        queries=queries,
        transaction_statements=transaction_statements,
    )
    print(table)
    if warmup_queries:
        print(f"Queries per warm-up submit: {warmup_queries}")
    if args.write:
        write_report(REPORT, vendor=vendor, table=table)
        print(f"Written to {REPORT}")
    worst = max(queries + warmup_queries)
    if worst > QUERY_LIMIT:
        print(f"FAIL: a submit cost {worst} queries; the limit is {QUERY_LIMIT}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
