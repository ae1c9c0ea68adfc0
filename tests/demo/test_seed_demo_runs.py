"""The demo course runs (issue #17): an online cohort and a day school with
applications in every state, made through the real services."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from courses.catalogue import catalogue_load
from courses.models import Certificate
from courses.runs.models import ApplicationStatus, CourseRun, RunApplication, RunAttendance

pytestmark = pytest.mark.django_db


def test_two_runs_with_applications_in_every_state(client):
    catalogue_load()
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    runs = {run.kind: run for run in CourseRun.objects.all()}
    assert set(runs) == {"online", "day_school"}
    assert CourseRun.objects.count() == 2
    online = runs["online"]
    statuses = set(online.applications.values_list("status", flat=True))
    # Every state but the one only a cancelled run has: the demo's runs go ahead.
    assert statuses == set(ApplicationStatus.values) - {ApplicationStatus.RUN_CANCELLED}
    assert online.applications.filter(status="confirmed").count() == online.places
    # The demo rep has a confirmed place, so the letter is there to download.
    mine = RunApplication.objects.get(run=online, user__email="rep@example.org")
    assert mine.status == "confirmed" and mine.evidence_code
    day = runs["day_school"]
    assert RunAttendance.objects.filter(session__run=day, present=True).count() == 2
    assert RunAttendance.objects.filter(session__run=day, present=False).count() == 1
    completed = day.applications.filter(completed_at__isnull=False)
    assert completed.count() == 2
    for application in completed:
        assert Certificate.objects.filter(user=application.user, course=day.course).exists()
    # The course page lists the coming online cohort, full.
    response = client.get(online.course.url)
    assert [item.run for item in response.context["runs"]] == [online]
    assert response.context["runs"][0].places_left == 0
    client.force_login(mine.user)
    assert client.get(reverse("runs:evidence", args=[mine.pk])).status_code == 200


def test_seed_demo_runs_refuses_production_settings(settings):
    settings.KNOWHOW_PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo_runs")
