"""`python -m bench seed-scale` (bench/seed_scale.py): the scale dataset's refusals,
and a tiny dataset written on PostgreSQL."""

import pytest
from django.db import connection

from accounts.models import User
from bench.seed_scale import main
from branches.models import Membership
from courses.models import Certificate, Enrolment

pytestmark = pytest.mark.django_db


def test_refuses_production_settings(settings, capsys):
    settings.KNOWHOW_PRODUCTION = True
    assert main(["--scale", "0.0005"]) == 1
    assert "not on production" in capsys.readouterr().err
    assert not User.objects.filter(email__startswith="scale-user-").exists()


def test_refuses_a_scale_outside_zero_to_one():
    with pytest.raises(SystemExit):
        main(["--scale", "2"])


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite refusal")
def test_refuses_sqlite(capsys):
    assert main(["--scale", "0.0005"]) == 1
    assert "needs PostgreSQL" in capsys.readouterr().err


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY needs PostgreSQL")
def test_writes_a_small_dataset_once(capsys):
    assert main(["--scale", "0.0005"]) == 0
    users = User.objects.filter(email__startswith="scale-user-")
    assert users.count() == 100
    assert Enrolment.objects.filter(user__in=users).count() == 200
    assert Certificate.objects.filter(user__in=users).count() == 10
    assert Membership.objects.filter(user__in=users).count() == 100
    assert main(["--scale", "0.0005"]) == 1
    assert "already has the scale dataset" in capsys.readouterr().err
    assert users.count() == 100
