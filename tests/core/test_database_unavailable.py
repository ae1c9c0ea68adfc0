"""A database that cannot answer is a 503 "try again in a minute", never a 500.

Which errors count (core/unavailable.py) is checked against real errors from
real SQLite and PostgreSQL connections. The request cycle is checked on
PostgreSQL in-process (the connection pointed at a port nobody listens on:
the session, the user, Wagtail's site lookup and the view all fail), and
tests/deployment/test_database_restart.py stops a real PostgreSQL under gunicorn.
"""

import sqlite3

import psycopg
import pytest
from django.db import IntegrityError, InterfaceError, OperationalError, ProgrammingError, connection
from django.test import Client

from bench.processes import free_port
from core.unavailable import is_database_unavailable
from courses.models import LessonCompletion
from courses.services import enrolment_start
from tests.factories.courses import lessons_of, make_course


def wrapped(error):
    """`error` as Django raises it: its own class, the driver's error as the cause."""
    try:
        raise OperationalError(*error.args) from error
    except OperationalError as exc:
        return exc


def sqlite_error(tmp_path, sql, *, lock=False):
    path = tmp_path / "db.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE IF NOT EXISTS t (x)")
    if lock:
        holder.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(path, timeout=0)
    try:
        other.execute(sql)
    except sqlite3.Error as exc:
        return exc
    finally:
        other.close()
        holder.close()
    raise AssertionError("no error")


def test_sqlite_locked_is_unavailable(tmp_path):
    locked = sqlite_error(tmp_path, "SELECT * FROM t", lock=True)
    assert "locked" in str(locked)
    assert is_database_unavailable(locked)
    assert is_database_unavailable(wrapped(locked))


def test_sqlite_bad_sql_is_a_bug_not_an_outage(tmp_path):
    for sql in ["SELECT nope FROM t", "SELECT * FROM missing", "SELEC 1"]:
        error = sqlite_error(tmp_path, sql)
        assert not is_database_unavailable(error), sql
        assert not is_database_unavailable(wrapped(error)), sql


def test_postgresql_refusing_connections_is_unavailable():
    with pytest.raises(psycopg.OperationalError) as refused:
        psycopg.connect(host="127.0.0.1", port=free_port(), connect_timeout=2)
    assert is_database_unavailable(refused.value)
    assert is_database_unavailable(wrapped(refused.value))


def test_other_errors_are_not_outages():
    assert is_database_unavailable(InterfaceError("connection already closed"))
    for error in [IntegrityError("duplicate"), ProgrammingError("syntax"), ValueError("x")]:
        assert not is_database_unavailable(error)
    outer = RuntimeError("while rendering a template")
    outer.__cause__ = OperationalError("server closed the connection unexpectedly")
    assert is_database_unavailable(outer)


@pytest.fixture
def broken_database():
    """Point the connection at a port nobody listens on; put it back afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("the request cycle is checked on PostgreSQL; see the module docstring")
    original = connection.settings_dict["PORT"]

    def break_it():
        connection.close()
        connection.settings_dict["PORT"] = str(free_port())

    def mend_it():
        connection.close()
        connection.settings_dict["PORT"] = original

    yield break_it, mend_it
    mend_it()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_kind_of_request_is_a_503_then_200_once_the_database_answers(broken_database, rep):
    break_it, mend_it = broken_database
    course = make_course(modules=1, lessons=2)
    enrolment_start(user=rep, course=course)
    first, second = (lesson.url for lesson in lessons_of(course))
    person = Client(raise_request_exception=False)
    person.force_login(rep)
    visitor = Client(raise_request_exception=False)

    break_it()
    for client, method, path in [
        (visitor, "get", "/"),  # Wagtail's site and page lookup
        (visitor, "get", "/courses/?q=data"),
        (person, "get", second),  # the session and the signed-in user
        (person, "post", first + "complete/"),
        (person, "get", "/dashboard/"),
        (visitor, "post", "/accounts/login/"),
    ]:
        data = {"login": rep.email, "password": "a password"} if method == "post" else None
        response = getattr(client, method)(path, data)
        assert response.status_code == 503, (method, path)
        assert response["Retry-After"] == "60"
        assert response["Cache-Control"] == "no-store"
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        html = response.content.decode()
        assert "<title>Sorry, Knowhow is not available right now – Knowhow</title>" in html
        assert "Try again in a minute." in html
        assert "<script" not in html
    health = visitor.get("/healthz")
    assert health.status_code == 503
    assert health["Retry-After"] == "60"

    mend_it()
    assert visitor.get("/healthz").status_code == 200
    assert person.get(second).status_code == 200
    assert person.post(first + "complete/").status_code == 302
    assert LessonCompletion.objects.filter(user=rep, lesson__slug="lesson-1-1").exists()


@pytest.mark.django_db
def test_any_other_error_is_still_a_500(client, settings):
    """A bug is not dressed up as "try again in a minute"."""
    settings.ROOT_URLCONF = "tests.core.broken_urls"
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Sorry, there is a problem" in response.content.decode()
