"""The application's scheduler: periods, one run per period, registration."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db.models import F
from django_tasks_db.models import DBTaskResult

from background.models import ScheduledJob
from background.scheduler import Job, job_run, jobs, scheduler_tick
from background.tasks import periodic_job_run
from tests.background.conftest import run_worker

LONDON = zoneinfo.ZoneInfo("Europe/London")
CALLS = []


def record_call():
    CALLS.append(1)
    return len(CALLS)


def fail():
    raise RuntimeError("the job broke")


@pytest.fixture
def test_jobs(settings):
    CALLS.clear()
    settings.PERIODIC_JOBS = {
        "minutely": {
            "call": "tests.background.test_scheduler.record_call",
            "every": datetime.timedelta(minutes=1),
        },
        "daily": {"call": "tests.background.test_scheduler.record_call", "daily_at": "07:00"},
    }


def at(*args):
    return datetime.datetime(*args, tzinfo=LONDON)


def test_periods_of_a_job_that_runs_every_few_minutes():
    job = Job(name="j", call="x", every=datetime.timedelta(minutes=5))
    assert job.period_start(at(2026, 12, 4, 10, 7, 30)) == at(2026, 12, 4, 10, 5)
    assert job.period_start(at(2026, 12, 4, 10, 10)) == at(2026, 12, 4, 10, 10)


def test_periods_of_a_daily_job_in_local_time_across_the_clock_change():
    job = Job(name="j", call="x", daily_at=datetime.time(7, 0))
    assert job.period_start(at(2026, 12, 4, 6, 59)) == at(2026, 12, 3, 7, 0)
    assert job.period_start(at(2026, 12, 4, 7, 0)) == at(2026, 12, 4, 7, 0)
    # 29 March 2026: the clocks go forward; 07:00 is 06:00 UTC that day.
    start = job.period_start(datetime.datetime(2026, 3, 29, 6, 30, tzinfo=datetime.UTC))
    assert start == datetime.datetime(2026, 3, 29, 6, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"call": "x"}, "needs one of"),
        ({"call": "x", "every": datetime.timedelta(minutes=1), "daily_at": "07:00"}, "one of"),
        ({"call": "x", "every": 60}, "timedelta"),
        ({"call": "x", "daily_at": "7 o'clock"}, "07:00"),
    ],
)
def test_a_badly_written_job_is_refused(settings, spec, message):
    settings.PERIODIC_JOBS = {"bad": spec}
    with pytest.raises(ImproperlyConfigured, match=message):
        jobs()


def test_the_system_check_names_a_job_that_cannot_be_imported(settings):
    settings.PERIODIC_JOBS = {
        "typo": {"call": "background.services.no_such_job", "every": datetime.timedelta(hours=1)}
    }
    with pytest.raises(SystemCheckError, match="cannot be imported"):
        call_command("check")


def test_the_shipped_jobs_are_all_importable():
    assert set(jobs()) >= {"publish_scheduled", "course_reminders", "email_sweep"}
    call_command("check")


@pytest.mark.django_db
@pytest.mark.usefixtures("database_tasks", "test_jobs")
def test_each_period_is_enqueued_once():
    now = at(2026, 12, 4, 9, 0, 10)
    assert sorted(scheduler_tick(now=now)) == ["daily", "minutely"]
    assert scheduler_tick(now=now + datetime.timedelta(seconds=30)) == []
    assert DBTaskResult.objects.filter(task_path=periodic_job_run.module_path).count() == 2
    run_worker()
    assert scheduler_tick(now=now + datetime.timedelta(minutes=1)) == ["minutely"]
    run_worker()
    assert scheduler_tick(now=at(2026, 12, 5, 6, 59)) == ["minutely"]
    run_worker()
    assert sorted(scheduler_tick(now=at(2026, 12, 5, 7, 0, 5))) == ["daily", "minutely"]
    run_worker()
    assert len(CALLS) == 6
    row = ScheduledJob.objects.get(name="daily")
    assert row.period_start == at(2026, 12, 5, 7, 0)
    assert row.last_finished_at >= row.last_started_at >= row.enqueued_at


@pytest.mark.django_db
@pytest.mark.usefixtures("database_tasks", "test_jobs")
def test_runs_do_not_pile_up_behind_a_long_queue_but_a_lost_run_is_replaced(settings):
    settings.SCHEDULER_STALE_RUN = datetime.timedelta(hours=1)
    now = at(2026, 12, 4, 9, 0)
    scheduler_tick(now=now)
    for minutes in range(1, 5):
        assert scheduler_tick(now=now + datetime.timedelta(minutes=minutes)) == []
    run_worker()
    assert len(CALLS) == 2
    assert scheduler_tick(now=now + datetime.timedelta(minutes=5)) == ["minutely"]

    # That run's task vanished (deleted by hand, say): an hour on, a new one goes.
    DBTaskResult.objects.all().delete()
    assert scheduler_tick(now=now + datetime.timedelta(minutes=6)) == []
    ScheduledJob.objects.update(enqueued_at=F("enqueued_at") - datetime.timedelta(hours=1))
    assert scheduler_tick(now=now + datetime.timedelta(minutes=7)) == ["minutely"]


@pytest.mark.django_db
@pytest.mark.usefixtures("test_jobs")
def test_a_job_runs_once_per_run_and_an_unknown_one_not_at_all():
    assert job_run(name="minutely") == 1
    assert job_run(name="no-such-job") == "unknown job"
    assert len(CALLS) == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("database_tasks")
def test_a_job_that_fails_is_a_failed_task_and_runs_again_next_period(settings):
    settings.PERIODIC_JOBS = {
        "broken": {
            "call": "tests.background.test_scheduler.fail",
            "every": datetime.timedelta(minutes=1),
        }
    }
    now = at(2026, 12, 4, 9, 0)
    scheduler_tick(now=now)
    run_worker()
    (task,) = DBTaskResult.objects.all()
    assert task.status == "FAILED"
    assert "the job broke" in task.traceback
    assert scheduler_tick(now=now + datetime.timedelta(minutes=1)) == ["broken"]
    assert ScheduledJob.objects.get().last_finished_at is None
