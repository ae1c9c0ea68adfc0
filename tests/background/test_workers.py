"""Heartbeats and the reaper: work left running by a dead worker is run again."""

import datetime

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from background.models import WorkerHeartbeat
from background.services import worker_heartbeat, workers_reap
from background.tasks import email_deliver

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_tasks")]


def running_task(*, worker_ids, started_ago):
    result = email_deliver.enqueue(1)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - started_ago,
        worker_ids=worker_ids,
    )
    return DBTaskResult.objects.get(pk=result.id)


def test_a_heartbeat_is_written_then_refreshed():
    then = timezone.now() - datetime.timedelta(minutes=1)
    worker_heartbeat(worker_id="host-1-abc", now=then)
    worker_heartbeat(worker_id="host-1-abc")
    beat = WorkerHeartbeat.objects.get()
    assert beat.started_at == then
    assert beat.seen_at > then


def test_a_task_of_a_dead_worker_is_queued_again(settings):
    settings.TASKS_WORKER_TIMEOUT = datetime.timedelta(seconds=60)
    worker_heartbeat(worker_id="dead", now=timezone.now() - datetime.timedelta(minutes=5))
    worker_heartbeat(worker_id="alive")
    orphan = running_task(worker_ids=["dead"], started_ago=datetime.timedelta(minutes=5))
    never_beat = running_task(worker_ids=["gone"], started_ago=datetime.timedelta(minutes=5))
    slow = running_task(worker_ids=["alive"], started_ago=datetime.timedelta(minutes=5))
    just_started = running_task(worker_ids=["dead"], started_ago=datetime.timedelta(seconds=5))

    assert workers_reap() == 2
    assert DBTaskResult.objects.get(pk=orphan.pk).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=never_beat.pk).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(pk=slow.pk).status == TaskResultStatus.RUNNING
    assert DBTaskResult.objects.get(pk=just_started.pk).status == TaskResultStatus.RUNNING
    assert workers_reap() == 0


def test_a_task_that_keeps_losing_its_worker_fails(settings):
    settings.TASKS_MAX_WORKER_LOSSES = 3
    task = running_task(worker_ids=["a", "b", "c"], started_ago=datetime.timedelta(hours=1))
    assert workers_reap() == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "background.services.WorkerLost"
