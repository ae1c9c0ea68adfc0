"""The fault suite (issue #15): reps keep learning on two nodes while what the
nodes depend on fails, one thing after another.

    make bench-faults                  # = .venv/bin/python -m bench.faults
    .venv/bin/python -m bench.faults --reps 12 --write

Everything runs on this machine, on loopback, and is thrown away afterwards:
a PostgreSQL cluster of its own (initdb on a free port; the shared server is
never touched), a redis-server, an SMTP server (aiosmtpd), two gunicorn nodes
with production settings apart from TLS, and a background worker per node.
The nodes and workers run bench.settings_faults: the production code with
background timers of seconds instead of minutes, so that a dead worker's task
is taken over, and a blocked mail server's backlog sent, within the run.

--reps simulated reps (threads, each with its own cookie jar, each request
sent to node A or node B in turn, as a proxy would) sign in and work through
short courses: enrol, open each lesson and mark it complete, then pass the
quiz of the last lesson, which completes the course and issues a certificate
(an email). A rep whose request fails waits half a second and sends it again,
as a person pressing the button again would. Meanwhile, at fixed offsets:

1. PostgreSQL is stopped ("fast": connected clients are cut off) and started
   again --down seconds later (1 by default);
2. Redis is stopped and started again --down seconds later;
3. the worker sending an email is killed with SIGKILL in the middle of the
   SMTP conversation (the server holds back its answer to catch it there),
   and a new one started, as a process manager would;
4. SMTP is blocked: the server is stopped for --smtp-block seconds.

When the load ends the suite waits for the mail backlog to drain, then checks
from the database and the SMTP server that every write a rep saw succeed is
there exactly once and every email due (one per certificate; every row of the
email ledger) arrived exactly once. It prints requests, errors by kind and
window, and recovery times; --write puts the table in BENCHMARKS.md. Exit
status 1 if a target is missed: 0 lost writes, 0 duplicates, 0 500s, 503s
only while PostgreSQL is restarting.
"""

import argparse
import collections
import contextlib
import datetime
import os
import platform
import re
import secrets
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

import requests

from bench import ROOT, write_block
from bench.processes import (
    GunicornNode,
    RedisServer,
    SMTPServer,
    ThrowawayPostgres,
    WorkerProcess,
    collectstatic,
    node_env,
    wait_until,
)

LESSONS = 3  # per course; the last one has the quiz
TIMEOUT = 15  # seconds a rep waits for an answer
RETRY_PAUSE = 0.5  # seconds before a rep sends a failed request again
GIVE_UP_AFTER = 60  # seconds of failures before a rep gives a step up (a lost step)
# After PostgreSQL is started again, a request may still meet a connection
# the restart cut: CONN_HEALTH_CHECKS replaces it on the request after.
RESTART_GRACE = 2.0


# --- The rep ----------------------------------------------------------------


@dataclass
class Request:
    started: float
    ended: float
    rep: int
    node: str
    step: str
    outcome: str  # "200", "302", "503", ..., or an exception's class name
    path: str = ""
    location: str = ""


@dataclass
class Rep:
    number: int
    email: str
    password: str
    nodes: list
    clock: callable
    log: list
    stop: threading.Event
    seen: dict = field(default_factory=lambda: collections.defaultdict(list))
    turn: int = 0
    http: requests.Session = field(default_factory=requests.Session)

    def __post_init__(self):
        self.http.headers["Host"] = "127.0.0.1"

    def _node(self):
        self.turn += 1
        return self.nodes[self.turn % len(self.nodes)]

    def _send(self, step, method, path, data=None):
        name, base = self._node()
        started = self.clock()
        try:
            if data is not None:
                data = {**data, "csrfmiddlewaretoken": self.http.cookies.get("knowhow_csrftoken")}
            response = self.http.request(
                method, base + path, data=data, timeout=TIMEOUT, allow_redirects=False
            )
            outcome = str(response.status_code)
            if response.status_code == 302 and "/accounts/login/" in response.headers["Location"]:
                outcome = "302 to sign-in"
        except requests.RequestException as exc:
            response, outcome = None, type(exc).__name__
        location = response.headers.get("Location", "") if response is not None else ""
        self.log.append(
            Request(started, self.clock(), self.number, name, step, outcome, path, location)
        )
        return response, outcome

    def ask(self, step, method, path, data=None, *, ok=(200, 302)):
        """Send until the answer is one of `ok`, as a person would; None if it never is."""
        deadline = time.monotonic() + GIVE_UP_AFTER
        while True:
            response, outcome = self._send(step, method, path, data)
            if outcome != "302 to sign-in" and response is not None and response.status_code in ok:
                return response
            if self.stop.is_set():
                return None  # the run is over: a step cut short is not a lost write
            if time.monotonic() > deadline:
                self.seen["given up"].append((step, path))
                return None
            time.sleep(RETRY_PAUSE)

    def sign_in(self):
        self.ask("sign-in page", "GET", "/accounts/login/")
        response = self.ask(
            "sign in",
            "POST",
            "/accounts/login/",
            {"login": self.email, "password": self.password},
            ok=(302,),
        )
        return response is not None

    def take(self, course):
        """One course from enrolling to the certificate; stops at the first step given up."""
        if not self.ask("course page", "GET", course["url"]):
            return
        if not self.ask("enrol", "POST", course["url"] + "start/", {}, ok=(302,)):
            return
        self.seen["enrolled"].append(course["id"])
        for lesson in course["lessons"][:-1]:
            if not self.ask("lesson", "GET", lesson["url"]):
                return
            if not self.ask("complete", "POST", lesson["url"] + "complete/", {}, ok=(302,)):
                return
            self.seen["completed"].append(lesson["id"])
        self.pass_quiz(course, course["lessons"][-1])

    def pass_quiz(self, course, lesson):
        if not self.ask("lesson", "GET", lesson["url"]):
            return
        started = self.ask("quiz start", "POST", lesson["url"] + "quiz/start/", {}, ok=(302,))
        if started is None:
            return
        attempt = started.headers["Location"]
        for _ in range(5):  # a stale version (a retry after a save) means: look again
            page = self.ask("quiz page", "GET", attempt)
            if page is None:
                return
            answers = {
                name: value for name, value in re.findall(RADIO, page.text) if value == "true"
            }
            saved = self.ask(
                "quiz answer", "POST", attempt, {**answers, "version": version(page.text)}
            )
            if saved is None:
                return
            if saved.status_code == 302 and saved.headers["Location"].endswith("/check/"):
                break
        else:
            self.seen["given up"].append(("quiz answer", attempt))
            return
        check = self.ask("quiz check page", "GET", attempt + "check/")
        if check is None:
            return
        if check.status_code == 302:  # already submitted by a request that failed late
            self.seen["submitted"].append(lesson["quiz"])
            return
        submitted = self.ask(
            "quiz submit", "POST", attempt + "check/", {"version": version(check.text)}, ok=(302,)
        )
        if submitted is not None and not submitted.headers["Location"].endswith("/result/"):
            # Sent back to the quiz (a stale version, say): not a submission.
            self.seen["not submitted"].append((submitted.headers["Location"], attempt))
            return
        if submitted is not None:
            self.seen["submitted"].append(lesson["quiz"])
            self.seen["completed"].append(lesson["id"])
            self.seen["finished"].append(course["id"])

    def run(self, courses):
        if not self.sign_in():
            return
        for course in courses:
            if self.stop.is_set():
                return
            self.take(course)


RADIO = re.compile(r'type="radio" id="[^"]*" name="(q\d+)" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="([^"]+)"')


def version(html):
    found = VERSION.search(html)
    return found[1] if found else ""


# --- The faults ---------------------------------------------------------------


@dataclass
class Fault:
    name: str
    during: str  # how the table names requests sent while it lasted
    started: float = 0.0
    ended: float = 0.0
    notes: dict = field(default_factory=dict)


POSTGRES_RESTART = Fault("PostgreSQL restart", "while PostgreSQL restarted")
OUTSIDE = "outside any fault"


def restart_postgres(postgres, down, fault, clock, stop):
    fault.started = clock()
    postgres.stop()
    stop.wait(down)
    postgres.start()
    fault.ended = clock()


def restart_redis(redis, down, fault, clock, stop):
    fault.started = clock()
    redis.stop()
    stop.wait(down)
    redis.start()
    fault.ended = clock()


def kill_worker(workers, env, smtp, fault, clock):
    """Kill, mid-send, the worker sending an email: the SMTP server holds back
    its answer to the next message, so whoever is sending it is caught in the
    middle of the conversation."""
    from django.db import connections
    from django_tasks_db.models import DBTaskResult

    from background.tasks import email_deliver

    fault.started = clock()
    smtp.mailbox.stall_next_data = True
    if not smtp.mailbox.stalled.wait(timeout=30):
        raise RuntimeError("no email was sent for 30 s: nothing to kill a worker in the middle of")
    connections.close_all()  # the in-process connection may predate the PostgreSQL restart
    sending = DBTaskResult.objects.filter(
        task_path=email_deliver.module_path, status="RUNNING"
    ).values_list("worker_ids", flat=True)
    holders = {ids[-1] for ids in sending}
    n, victim = next((n, w) for n, w in enumerate(workers) if w.worker_id in holders)
    fault.notes["killed"] = victim.worker_id
    victim.kill()
    workers[n] = WorkerProcess(env, name=f"{victim.name}-2").start()
    fault.notes["replacement"] = workers[n].worker_id
    fault.ended = clock()


def block_smtp(smtp, seconds, fault, clock, stop):
    fault.started = clock()
    fault.wall = [datetime.datetime.now(datetime.UTC)]
    smtp.stop()
    stop.wait(seconds)
    smtp.start()
    fault.wall.append(datetime.datetime.now(datetime.UTC))
    fault.ended = clock()


def backlog_sent_within(fault):
    """Seconds from SMTP's return until the last email written while it was
    blocked had gone."""
    from background.models import OutgoingEmail

    blocked, back = fault.wall
    last = (
        OutgoingEmail.objects.filter(created_at__range=(blocked, back))
        .order_by("-sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    return (last - back).total_seconds() if last else float("nan")


# --- Setting up -----------------------------------------------------------------


def seed(courses, reps, *, lessons_per_course=LESSONS, prefix="faults"):
    """Courses (the last lesson of each with a one-question quiz) and verified reps."""
    from bench.content import add_course, lessons_of
    from courses.models import LessonPage
    from tests.factories import UserFactory
    from tests.factories.assessments import make_question, make_quiz

    question = make_question("true_false", true_is_correct=True)
    made = []
    for n in range(courses):
        course = add_course(
            slug=f"{prefix}-{n:02d}",
            title=f"Bench course {prefix} {n:02d}",
            modules=1,
            lessons=lessons_per_course,
        )
        lessons = lessons_of(course)
        quiz = make_quiz([question], title=f"Quiz {n:02d}", pass_mark=100)
        LessonPage.objects.filter(pk=lessons[-1].pk).update(quiz=quiz)
        made.append(
            {
                "id": course.pk,
                "url": course.url,
                "lessons": [
                    {
                        "id": lesson.pk,
                        "url": lesson.url,
                        "quiz": quiz.pk if i == lessons_per_course - 1 else None,
                    }
                    for i, lesson in enumerate(lessons)
                ],
            }
        )
    users = [UserFactory(email=f"{prefix}-rep-{n:03d}@example.org") for n in range(reps)]
    return made, [user.email for user in users]


def setup_in_process(env):
    """This process talks to the throwaway database with the nodes' settings."""
    os.environ.update(env)
    for path in (str(ROOT / "site"), str(ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)
    import django

    django.setup()


def run_command(env, *args):
    import subprocess

    subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True
    )


@dataclass
class Stack:
    postgres: ThrowawayPostgres
    redis: RedisServer
    smtp: SMTPServer
    env: dict
    courses: list
    emails: list
    postgres_version: str


@contextlib.contextmanager
def throwaway_stack(*, courses, reps, lessons_per_course=LESSONS, prefix="faults"):
    """A PostgreSQL cluster, a redis-server and an SMTP server of our own on
    loopback, a migrated database with `courses` courses and `reps` reps in
    it, and the environment a node or worker needs (bench.settings_faults);
    all thrown away afterwards. This process is set up to talk to the
    database too, with the same settings."""
    postgres = ThrowawayPostgres().init().start()
    redis = RedisServer().start()
    smtp = SMTPServer().start()
    static_root = tempfile.mkdtemp(prefix="knowhow-bench-static-")
    try:
        env = node_env(
            database_url=postgres.create_database("knowhow"),
            redis_url=redis.url,
            secret_key=secrets.token_urlsafe(50),
            signing_key=secrets.token_urlsafe(32),
            static_root=static_root,
            DJANGO_SETTINGS_MODULE="bench.settings_faults",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp.port),
            EMAIL_USE_TLS="false",
        )
        print("Migrating the throwaway database ...", flush=True)
        run_command(env, "migrate", "--no-input", "-v0")
        setup_in_process(env)
        from django.db import connection

        made, emails = seed(courses, reps, lessons_per_course=lessons_per_course, prefix=prefix)
        number = connection.cursor().connection.info.server_version
        connection.close()
        collectstatic(env)
        yield Stack(postgres, redis, smtp, env, made, emails, f"{number // 10000}.{number % 10000}")
    finally:
        smtp.stop()
        redis.stop()
        postgres.destroy()
        shutil.rmtree(static_root, ignore_errors=True)


# --- Checking -----------------------------------------------------------------


def check(reps, smtp):
    """Lost and duplicated writes and emails, from the database and the SMTP server."""
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.db.models import Count

    from assessments.models import Attempt
    from background.models import OutgoingEmail
    from courses.models import Certificate, Enrolment, LessonCompletion

    connections.close_all()  # this process's connection did not survive the restart
    found = {
        "lost": collections.Counter(),
        "duplicated": collections.Counter(),
        "lost items": [],
        "duplicated items": [],
    }
    emails = {rep.email: rep for rep in reps}

    def tally(kind, expected, counts):
        for key in expected:
            n = counts.get(key, 0)
            if n == 0:
                found["lost"][kind] += 1
                found["lost items"].append((kind, key))
            elif n > 1:
                found["duplicated"][kind] += 1
                found["duplicated items"].append((kind, key))

    users = dict(get_user_model().objects.filter(email__in=emails).values_list("email", "pk"))
    by_user = {users[rep.email]: rep for rep in reps}

    def counts(queryset, *fields):
        rows = queryset.filter(user__in=by_user).values("user", *fields).annotate(n=Count("pk"))
        return {(row["user"], *[row[f] for f in fields]): row["n"] for row in rows}

    enrolments = counts(Enrolment.objects, "course")
    completions = counts(LessonCompletion.objects, "lesson")
    submitted = counts(Attempt.objects.filter(finished_at__isnull=False), "quiz")
    certificates = counts(Certificate.objects, "course")
    for user, rep in by_user.items():
        tally("enrolments", [(user, c) for c in rep.seen["enrolled"]], enrolments)
        tally(
            "lesson completions", [(user, lesson) for lesson in rep.seen["completed"]], completions
        )
        tally("quiz submissions", [(user, q) for q in rep.seen["submitted"]], submitted)
        tally("certificates", [(user, c) for c in rep.seen["finished"]], certificates)

    received = collections.Counter(m["Message-ID"] for m in smtp.messages)
    ledger = list(OutgoingEmail.objects.values_list("message_id", "status", "recipient", "subject"))
    tally("emails", [row[0] for row in ledger], received)
    strays = set(received) - {row[0] for row in ledger}
    if strays:
        found["duplicated"]["emails not in the ledger"] += len(strays)
    # One certificate email per certificate the database holds for these reps.
    certificate_emails = collections.Counter(
        (m["To"], m["Subject"]) for m in smtp.messages if "Your certificate" in m["Subject"]
    )
    expected_emails = [
        (email, f"[Knowhow] Your certificate for {title}")
        for email, title in Certificate.objects.filter(user__in=by_user).values_list(
            "user__email", "course_title"
        )
    ]
    tally("certificate emails", expected_emails, certificate_emails)
    found["reps"] = by_user
    found["given up"] = [item for rep in reps for item in rep.seen["given up"]]
    statuses = collections.Counter(row[1] for row in ledger)
    statuses["of them tried more than once"] = OutgoingEmail.objects.filter(attempts__gt=1).count()
    return found, statuses, len(ledger), sum(received.values())


def worker_takeovers(killed_id):
    from django_tasks_db.models import DBTaskResult

    # A task the worker died holding was handed on (another id after its own)
    # or, if nobody picked it up, is still marked running in its name.
    held = [
        task
        for task in DBTaskResult.objects.filter(worker_ids__contains=[killed_id])
        if task.worker_ids[-1] != killed_id or task.status == "RUNNING"
    ]
    return {
        "tasks it held when killed": len(held),
        "of them finished by another worker": sum(1 for t in held if t.status == "SUCCESSFUL"),
    }


# --- Reporting ------------------------------------------------------------------


def summarise(log, faults):
    postgres = faults["PostgreSQL restart"]
    window = (postgres.started, postgres.ended + RESTART_GRACE)

    def where(request):
        if window[0] <= request.started <= window[1] or window[0] <= request.ended <= window[1]:
            return postgres.during
        for fault in faults.values():
            if fault.started <= request.started <= fault.ended:
                return fault.during
        return OUTSIDE

    outcomes = collections.Counter((where(r), r.outcome) for r in log)
    after = [r for r in log if r.started >= postgres.ended and r.outcome in ("200", "302")]
    recovery = min((r.ended for r in after), default=float("nan")) - postgres.ended
    first_503 = min(
        (r.ended for r in log if r.outcome == "503" and r.started >= postgres.started),
        default=float("nan"),
    )
    return outcomes, recovery, first_503 - postgres.started


def table(args, log, faults, outcomes, recovery, to_503, found, statuses, ledger, received, drain):
    steps = collections.Counter(r.step for r in log)
    lines = [
        f"Measured {datetime.date.today().isoformat()} on {platform.machine()}, "
        f"{os.cpu_count()} cores; {args.reps} reps, 2 nodes x {args.gunicorn_workers} gunicorn "
        f"workers, 2 background workers; PostgreSQL {args.postgres_version}; "
        f"{log[-1].ended if log else 0:.0f} s of load.",
        "",
        "| Requests | Count |",
        "|---|---:|",
        f"| all | {len(log)} |",
        *[f"| {step} | {n} |" for step, n in sorted(steps.items())],
        "",
        "| When | Answer | Requests |",
        "|---|---|---:|",
        *[f"| {w} | {o} | {n} |" for (w, o), n in sorted(outcomes.items())],
        "",
        "| Fault | Took | Notes |",
        "|---|---:|---|",
    ]
    for fault in faults.values():
        notes = "; ".join(
            f"{k}: {v:.2f} s" if isinstance(v, float) else f"{k}: {v}"
            for k, v in fault.notes.items()
        )
        lines.append(f"| {fault.name} | {fault.ended - fault.started:.2f} s | {notes} |")
    lines += [
        "",
        f"- First 503 {to_503:.2f} s after PostgreSQL began to stop; first success "
        f"{recovery:.2f} s after it was started again.",
        f"- Email ledger: {ledger} rows ({dict(statuses)}); the SMTP server received "
        f"{received} messages; the backlog drained {drain:.1f} s after the load ended.",
        f"- Lost writes: {sum(found['lost'].values())} {dict(found['lost']) or ''}; "
        f"duplicates: {sum(found['duplicated'].values())} {dict(found['duplicated']) or ''}.",
    ]
    return "\n".join(lines)


def misses(outcomes, found, statuses):
    problems = []
    for (where, outcome), n in outcomes.items():
        if outcome.startswith("5") and outcome != "503":
            problems.append(f"{n} x {outcome} {where}")
        if outcome == "503" and where != POSTGRES_RESTART.during:
            problems.append(f"{n} x 503 {where}")
        if not outcome[0].isdigit() or outcome == "302 to sign-in":
            # No answer at all, or a rep signed out by the fault.
            problems.append(f"{n} x {outcome} {where}")
    for kind in ("lost", "duplicated"):
        for what, n in found[kind].items():
            problems.append(f"{n} {what} {kind}")
    if found.get("given up"):
        stuck = len(found["given up"])
        problems.append(f"{stuck} steps a rep gave up on after failing for a minute")
    if statuses.get("pending") or statuses.get("sending") or statuses.get("failed"):
        problems.append(f"emails not sent: {dict(statuses)}")
    return problems


def explain(found, log):
    """For each write lost or doubled: what the rep who made it sent, and heard."""
    for kind, key in found["lost items"] + found["duplicated items"]:
        rep = found["reps"].get(key[0]) if isinstance(key, tuple) else None
        print(f"\n{kind} {key}:")
        for r in log:
            if rep is not None and r.rep == rep.number and r.step not in ("lesson", "quiz page"):
                print(
                    f"  {r.started:7.2f}-{r.ended:7.2f} {r.node} {r.step:16} {r.outcome:16} "
                    f"{r.path} -> {r.location}"
                )


# --- Main -----------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=12)
    parser.add_argument("--courses", type=int, default=40, help="courses each rep may take")
    parser.add_argument("--gunicorn-workers", type=int, default=2)
    parser.add_argument(
        "--down", type=float, default=1.0, help="seconds PostgreSQL and Redis stay stopped"
    )
    parser.add_argument("--smtp-block", type=float, default=10.0, help="seconds SMTP is down")
    parser.add_argument("--write", action="store_true", help="record the figures in BENCHMARKS.md")
    args = parser.parse_args(argv)
    if not ThrowawayPostgres.available():
        parser.error("needs PostgreSQL's server programs (initdb, pg_ctl)")
    with throwaway_stack(courses=args.courses, reps=args.reps) as stack:
        return run(args, stack)


def run(args, stack):
    from tests.factories import PASSWORD

    postgres, redis, smtp, env = stack.postgres, stack.redis, stack.smtp, stack.env
    courses, emails = stack.courses, stack.emails
    nodes, workers = [], []
    stop = threading.Event()
    try:
        for name in "AB":
            nodes.append(GunicornNode(env, workers=args.gunicorn_workers, name=name).start())
            workers.append(WorkerProcess(env, name=f"worker-{name}").start())
        print(f"Two nodes and two workers up; {args.reps} reps start.", flush=True)

        origin = time.monotonic()

        def clock():
            return time.monotonic() - origin

        log = []
        routes = [(f"node {name}", node.url) for name, node in zip("AB", nodes, strict=True)]
        reps = [
            Rep(n, email, PASSWORD, routes[n % 2 :] + routes[: n % 2], clock, log, stop)
            for n, email in enumerate(emails)
        ]
        threads = [threading.Thread(target=rep.run, args=(courses,), daemon=True) for rep in reps]
        for thread in threads:
            thread.start()

        faults = {
            name: Fault(name, during)
            for name, during in [
                (POSTGRES_RESTART.name, POSTGRES_RESTART.during),
                ("Redis restart", "while Redis restarted"),
                ("worker killed", "while a worker was killed and replaced"),
                ("SMTP blocked", "while SMTP was blocked"),
            ]
        }
        args.postgres_version = stack.postgres_version
        timeline = [
            (
                8,
                "PostgreSQL restart",
                lambda f: restart_postgres(postgres, args.down, f, clock, stop),
            ),
            (20, "Redis restart", lambda f: restart_redis(redis, args.down, f, clock, stop)),
            (30, "worker killed", lambda f: kill_worker(workers, env, smtp, f, clock)),
            (40, "SMTP blocked", lambda f: block_smtp(smtp, args.smtp_block, f, clock, stop)),
        ]
        for at, name, inject in timeline:
            stop.wait(max(0, at - clock()))
            print(
                f"{clock():6.1f} s  {name} "
                f"({len(log)} requests, {len(smtp.messages)} emails so far)",
                flush=True,
            )
            for worker in workers:
                if not worker.running():
                    print(f"{worker.name} has exited:\n{worker.output()}", flush=True)
            inject(faults[name])
        stop.wait(max(0, faults["SMTP blocked"].ended + 10 - clock()))
        stop.set()
        for thread in threads:
            thread.join(timeout=GIVE_UP_AFTER + TIMEOUT)
        load_ended = clock()
        print(f"{load_ended:6.1f} s  load stopped; waiting for the mail backlog", flush=True)

        from background.models import OutgoingEmail

        wait_until(
            lambda: (
                not OutgoingEmail.objects.filter(
                    status__in=[OutgoingEmail.Status.PENDING, OutgoingEmail.Status.SENDING]
                ).exists()
            ),
            timeout=120,
            what="every email to be sent",
        )
        drain = clock() - load_ended
        found, statuses, ledger, received = check(reps, smtp)
        faults["SMTP blocked"].notes["backlog sent within"] = backlog_sent_within(
            faults["SMTP blocked"]
        )
        faults["worker killed"].notes.update(
            worker_takeovers(faults["worker killed"].notes["killed"])
        )
        outcomes, recovery, to_503 = summarise(log, faults)
        text = table(
            args, log, faults, outcomes, recovery, to_503, found, statuses, ledger, received, drain
        )
        print()
        print(text)
        problems = misses(outcomes, found, statuses)
        if args.write:
            write_block(text, name="faults", heading="Faults (issue #15)")
        if problems:
            print("\nMissed:\n- " + "\n- ".join(problems))
            explain(found, log)
            return 1
        print("\nEvery target met.")
        return 0
    finally:
        stop.set()
        for process in workers + nodes:
            process.stop()


if __name__ == "__main__":
    sys.exit(main())
