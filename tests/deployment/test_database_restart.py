"""PostgreSQL stops under a running app, then starts again (issue #15, REL-02).

A throwaway PostgreSQL cluster of the test's own (initdb on a free port; the
shared one is never touched) gets a copy of the test database; gunicorn runs
against it with production settings apart from TLS. While PostgreSQL is
stopped every kind of request answers 503 with Retry-After, quickly; once it
is started again the same gunicorn answers 200 with no restart, and a
completion posted then is saved. A background worker rides out the same
restart: it does not exit, and sends the emails written once the database is
back.
"""

import time

import pytest

from bench.processes import (
    SMTPServer,
    ThrowawayPostgres,
    WorkerProcess,
    copy_database,
    wait_until,
)
from courses.services import enrolment_start
from tests.deployment.helpers import (
    Person,
    ask_for_password_reset,
    create_cache_table,
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


@pytest.fixture
def throwaway_postgres():
    require_postgresql()
    if not ThrowawayPostgres.available():
        pytest.skip("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    server = ThrowawayPostgres().init().start()
    yield server
    server.destroy()


def copy_into(server):
    """The test database, committed rows and all, copied into the throwaway cluster."""
    target = server.create_database("knowhow")
    copy_database(source_url=shared_database_url(), target_url=target)
    return target


def test_a_postgresql_restart_gives_503_then_recovers_without_restarting_the_app(
    throwaway_postgres,
):
    course = make_course(modules=1, lessons=3)
    rep = production_user()
    enrolment_start(user=rep, course=course)
    database_url = copy_into(throwaway_postgres)

    with static_root() as static:
        env = make_env(database_url=database_url, static=static)
        create_cache_table(env)  # no REDIS_URL: the database cache, as a small install runs
        with running_nodes([env]) as (node,):
            check_restart(node, throwaway_postgres, course, rep, lessons_of(course))


def check_restart(node, postgres, course, rep, lessons):
    first, second, _ = lessons
    person = Person()
    assert person.sign_in(node.url, rep.email).status_code == 302
    lesson_url = node.url + second.url
    assert progress_text(person.get(lesson_url).text) == "0 of 3"
    gunicorn_pid = node.process.pid
    visitor = Person()
    visitor.get(node.url + "/accounts/login/")  # a CSRF cookie, as a browser would have

    postgres.stop()
    for who, method, path in [
        (visitor, "get", "/"),
        (visitor, "get", course.url),
        (person, "get", second.url),
        (person, "post", first.url + "complete/"),
        (visitor, "post", "/accounts/login/"),
    ]:
        started = time.monotonic()
        if method == "post":
            response = who.post(node.url + path, {"login": rep.email, "password": "a password"})
        else:
            response = who.get(node.url + path)
        assert response.status_code == 503, (method, path, response.status_code)
        assert time.monotonic() - started < 5, (method, path)
        assert response.headers["Retry-After"] == "60"
        assert response.headers["Cache-Control"] == "no-store"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        assert "Permissions-Policy" in response.headers
        html = response.text
        assert "Sorry, Knowhow is not available right now" in html
        assert "Try again in a minute." in html
        assert "<script" not in html and "Traceback" not in html
    health = visitor.get(node.url + "/healthz")
    assert health.status_code == 503
    assert health.headers["Retry-After"] == "60"
    assert health.json() == {"status": "error", "database": "unavailable"}

    postgres.start()
    assert visitor.get(node.url + "/healthz").status_code == 200
    assert visitor.get(node.url + "/").status_code == 200
    assert person.get(lesson_url).status_code == 200  # still signed in
    assert person.post(node.url + first.url + "complete/").status_code == 302
    assert progress_text(person.get(lesson_url).text) == "1 of 3"
    assert node.process.pid == gunicorn_pid and node.process.poll() is None


def test_a_worker_rides_out_a_postgresql_restart_and_sends_what_comes_after(
    throwaway_postgres,
):
    rep = production_user()
    database_url = copy_into(throwaway_postgres)
    smtp = SMTPServer().start()
    try:
        with static_root() as static:
            env = make_env(
                database_url=database_url,
                static=static,
                DJANGO_SETTINGS_MODULE="bench.settings_faults",
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=str(smtp.port),
                EMAIL_USE_TLS="false",
            )
            create_cache_table(env)
            worker = WorkerProcess(env).start()
            try:
                with running_nodes([env]) as (node,):
                    check_worker_restart(node, worker, throwaway_postgres, smtp, rep)
            finally:
                worker.stop()
    finally:
        smtp.stop()


def check_worker_restart(node, worker, postgres, smtp, rep):
    first_id = worker.worker_id
    postgres.stop()
    wait_until(
        lambda: "lost the database" in worker.output() or not worker.running(),
        timeout=30,
        what="the worker to notice the database has gone",
    )
    assert worker.running(), worker.output()
    postgres.start()
    # It carries on under a new id (what it held is the reaper's now)...
    wait_until(lambda: worker.worker_id != first_id, timeout=30, what="the worker to carry on")
    assert worker.running(), worker.output()
    # ... and delivers what is written from then on.
    ask_for_password_reset(node, rep.email)
    wait_until(lambda: received_by(smtp, rep.email), timeout=60, what="the email to arrive")
    assert len(received_by(smtp, rep.email)) == 1
    assert "Traceback" not in worker.output()
