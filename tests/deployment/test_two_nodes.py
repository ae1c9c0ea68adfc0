"""Two nodes share one PostgreSQL and one Redis (issue #15, docs/deployment.md).

Two gunicorn instances on two free loopback ports, production settings apart
from TLS, the same secret keys, the test database and a Redis of the test's
own. A scripted client signs in on node A and carries on on node B: its
session, its progress and the sign-in rate limits are the same on both, and
signing out on one signs it out of both. Two background workers (`manage.py
worker`, one per node) share the queue in the same database: each email
either node writes down is sent once, by one of them, and when one worker is
killed the other carries on. Bounded: two single-worker nodes, a few dozen
requests, every wait with a deadline.
"""

import secrets

import pytest

from background.models import OutgoingEmail, WorkerHeartbeat
from bench.processes import RedisServer, SMTPServer, WorkerProcess, wait_until
from courses.models import LessonCompletion
from courses.services import enrolment_start
from tests.deployment.helpers import (
    Person,
    ask_for_password_reset,
    make_env,
    production_user,
    progress_text,
    received_by,
    require_postgresql,
    running_nodes,
    shared_database_url,
    static_root,
)
from tests.factories.courses import lessons_of, make_course

pytestmark = [
    pytest.mark.servers,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
TOO_MANY = "Too many failed login attempts"


@pytest.fixture(scope="module")
def redis_server():
    try:
        server = RedisServer().start()
    except FileNotFoundError:
        pytest.skip("redis-server is not installed")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def two_nodes(django_db_setup, redis_server):
    """Started once for the module: the test database exists before they connect."""
    require_postgresql()
    secret_key = secrets.token_urlsafe(50)  # every node signs sessions with the same key
    with static_root() as static:
        envs = [
            make_env(
                database_url=shared_database_url(),
                redis_url=redis_server.url,
                static=static,
                secret_key=secret_key,
            )
            for _ in range(2)
        ]
        with running_nodes(envs) as nodes:
            yield nodes


def test_a_learner_signs_in_on_one_node_and_carries_on_on_the_other(two_nodes):
    a, b = two_nodes
    course = make_course(modules=1, lessons=3)
    rep = production_user()
    enrolment_start(user=rep, course=course)
    first, second, _ = lessons_of(course)
    person = Person()

    assert person.sign_in(a.url, rep.email).status_code == 302
    # Node B knows the session node A started: no sign-in page.
    on_b = person.get(b.url + "/dashboard/")
    assert on_b.status_code == 200
    assert course.title in on_b.text
    assert progress_text(person.get(b.url + second.url).text) == "0 of 3"

    # Progress written on A shows on B at once, although B's outline came from
    # the shared cache a moment ago.
    assert person.post(a.url + first.url + "complete/").status_code == 302
    assert LessonCompletion.objects.filter(user=rep, lesson=first).exists()
    assert progress_text(person.get(b.url + second.url).text) == "1 of 3"
    assert progress_text(person.get(a.url + second.url).text) == "1 of 3"

    # Signing out on B ends the session on A too.
    assert person.post(b.url + "/accounts/logout/").status_code == 302
    response = person.get(a.url + "/dashboard/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")


def test_failed_sign_ins_on_one_node_count_on_the_other(two_nodes):
    a, b = two_nodes
    victim = production_user()
    attacker = Person()
    # The limit is 5 failures per account in 5 minutes (ACCOUNT_RATE_LIMITS).
    for node in [a, a, a, b, b]:
        response = attacker.sign_in(node.url, victim.email, password="not the password")
        assert response.status_code == 200
        assert TOO_MANY not in response.text
    for node in [a, b]:
        response = attacker.sign_in(node.url, victim.email, password="not the password")
        assert TOO_MANY in response.text
    # Even the right password is refused now, on either node.
    assert TOO_MANY in Person().sign_in(b.url, victim.email).text
    assert TOO_MANY in Person().sign_in(a.url, victim.email).text


@pytest.fixture(scope="module")
def smtp_server():
    server = SMTPServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def two_workers(two_nodes, redis_server, smtp_server):
    """A worker per node, delivering to the test's SMTP server (bench.settings_faults:
    the production code with timers of seconds, so a dead worker is noticed fast)."""
    with static_root() as static:
        env = make_env(
            database_url=shared_database_url(),
            redis_url=redis_server.url,
            static=static,
            DJANGO_SETTINGS_MODULE="bench.settings_faults",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp_server.port),
            EMAIL_USE_TLS="false",
        )
        workers = [WorkerProcess(env, name=f"worker-{name}") for name in "AB"]
        try:
            for worker in workers:
                worker.start()
            yield workers
        finally:
            for worker in workers:
                worker.stop()


def test_two_workers_send_each_email_once_and_one_carries_on_when_the_other_dies(
    two_nodes, two_workers, smtp_server
):
    a, b = two_nodes
    reps = [production_user() for _ in range(4)]
    for rep, node in zip(reps, [a, b, a, b], strict=True):
        ask_for_password_reset(node, rep.email)

    wait_until(
        lambda: OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT).count() == 4,
        timeout=60,
        what="the four emails to be sent",
    )
    for rep in reps:
        (message,) = received_by(smtp_server, rep.email)
        assert message["Message-ID"] == OutgoingEmail.objects.get(recipient=rep.email).message_id
    alive = {w.worker_id for w in two_workers}
    wait_until(
        lambda: set(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) >= alive,
        timeout=30,
        what="both workers' heartbeats",
    )

    # One worker dies without a word; the other sends what comes next.
    dead, survivor = two_workers
    dead.kill()
    late = production_user()
    ask_for_password_reset(a, late.email)
    wait_until(
        lambda: len(received_by(smtp_server, late.email)) == 1,
        timeout=60,
        what="the survivor's email",
    )
    assert OutgoingEmail.objects.get(recipient=late.email).status == OutgoingEmail.Status.SENT
    # Nothing went twice, before or after the death.
    sent_ids = [m["Message-ID"] for m in smtp_server.messages]
    assert len(sent_ids) == len(set(sent_ids)) == 5
    assert survivor.running()
