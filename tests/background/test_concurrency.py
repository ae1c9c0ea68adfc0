"""Two nodes at once, on PostgreSQL: each period enqueued once, each reminder sent once."""

import datetime
import threading
import time

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, connections, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from background.models import OutgoingEmail
from background.scheduler import scheduler_tick
from background.tasks import periodic_job_run
from branches.models import Recommendation, RecommendationReminder
from branches.services import recommendation_reminders_send
from tests.background.conftest import run_worker
from tests.factories.branches import make_branch, make_member
from tests.factories.courses import make_course

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)"
    ),
]


def run_together(target, arguments):
    barrier = threading.Barrier(len(arguments))
    errors, results = [], []

    def worker(argument):
        try:
            barrier.wait()
            results.append(target(argument))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(a,)) for a in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


@pytest.fixture
def reminders_due():
    """A branch of five members and a course recommended to them, due in three days."""
    branch = make_branch()
    members = [make_member(branch, email=f"member{n}@example.org").user for n in range(5)]
    Recommendation.objects.create(
        branch=branch,
        course=make_course(title="Bargaining on AI", modules=1, lessons=1),
        due_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    return members


def reminder_recipients():
    return sorted(OutgoingEmail.objects.values_list("recipient", flat=True))


EXPECTED = [f"member{n}@example.org" for n in range(5)]


@pytest.mark.usefixtures("database_tasks")
def test_eight_schedulers_at_once_enqueue_each_period_once():
    now = timezone.now()
    run_together(lambda _: [scheduler_tick(now=now) for _ in range(3)], range(8))
    runs = DBTaskResult.objects.filter(task_path=periodic_job_run.module_path)
    names = sorted(run.args_kwargs["args"][0] for run in runs)
    # Each configured job exactly once, however many schedulers raced.
    assert names == sorted(settings.PERIODIC_JOBS)
    assert {"course_reminders", "email_sweep", "publish_scheduled", "retention"} <= set(names)


@pytest.mark.usefixtures("database_tasks")
def test_two_nodes_scheduling_and_working_at_once_send_each_reminder_once(settings, reminders_due):
    settings.PERIODIC_JOBS = {
        "course_reminders": {
            "call": "branches.services.recommendation_reminders_send",
            "daily_at": "00:00",
        }
    }
    now = timezone.now()

    def node(name):
        scheduler_tick(now=now)
        run_worker(worker_id=name)
        scheduler_tick(now=now)
        run_worker(worker_id=name)

    run_together(node, ["node-a", "node-b"])
    assert reminder_recipients() == EXPECTED
    assert sorted(m.to[0] for m in mail.outbox) == EXPECTED
    assert RecommendationReminder.objects.count() == 5
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"sent"}


def test_two_reminder_runs_at_once_send_each_reminder_once(reminders_due):
    results = run_together(lambda _: recommendation_reminders_send(), range(2))
    assert sum(results) == 5
    assert reminder_recipients() == EXPECTED
    assert sorted(m.to[0] for m in mail.outbox) == EXPECTED
    assert RecommendationReminder.objects.count() == 5


def test_six_reminder_runs_at_once_with_the_database_queue_write_each_email_once(
    reminders_due, database_tasks
):
    results = run_together(lambda _: recommendation_reminders_send(), range(6))
    assert sum(results) == 5
    assert reminder_recipients() == EXPECTED
    run_together(lambda name: run_worker(worker_id=name), ["w1", "w2", "w3"])
    assert sorted(m.to[0] for m in mail.outbox) == EXPECTED


def test_a_run_waits_for_a_scheduler_holding_its_row_instead_of_losing_its_period(settings):
    from background.models import ScheduledJob
    from background.scheduler import job_run
    from tests.background import test_scheduler

    settings.PERIODIC_JOBS = {
        "minutely": {
            "call": "tests.background.test_scheduler.record_call",
            "every": datetime.timedelta(minutes=1),
        }
    }
    test_scheduler.CALLS.clear()
    ScheduledJob.objects.create(name="minutely")
    held, release = threading.Event(), threading.Event()
    results = []

    def scheduler_looking_at_the_row():
        with transaction.atomic():
            ScheduledJob.objects.select_for_update().get(name="minutely")
            held.set()
            release.wait(timeout=30)
        connections.close_all()

    def run():
        results.append(job_run(name="minutely"))
        connections.close_all()

    holder = threading.Thread(target=scheduler_looking_at_the_row)
    holder.start()
    held.wait(timeout=30)
    runner = threading.Thread(target=run)
    runner.start()
    wait_until_a_query_waits_for_a_lock()
    assert results == [], "the run waits"
    release.set()
    holder.join()
    runner.join()
    assert results == [1]
    assert test_scheduler.CALLS == [1]


def wait_until_a_query_waits_for_a_lock():
    deadline = time.monotonic() + 30
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
    raise AssertionError("no query ever waited for the lock")
