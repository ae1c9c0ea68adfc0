"""A course with a run, a branch with its officer, and a rep in the branch."""

import pytest

from tests.factories.branches import make_branch, make_member, make_officer
from tests.factories.courses import make_course
from tests.factories.runs import make_run, make_tutor


@pytest.fixture
def course(db):
    return make_course(modules=1, lessons=2, title="Data rights at work")


@pytest.fixture
def tutor(db):
    return make_tutor()


@pytest.fixture
def run(course, tutor):
    return make_run(course, tutor=tutor, places=2, title="Spring online cohort")


@pytest.fixture
def branch(db):
    return make_branch("Leeds Health")


@pytest.fixture
def officer(branch):
    return make_officer(branch)


@pytest.fixture
def member(branch, rep):
    """The rep, a member of the branch who does not share progress."""
    make_member(branch, user=rep, shares=False)
    return rep
