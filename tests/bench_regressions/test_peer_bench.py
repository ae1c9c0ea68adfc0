"""The side-by-side benchmark with wagtail-lms (bench/peer): what it seeds and how it judges.

No timing here (issue #18: ratios belong to `make bench-peer`, never to a
timed unit test). These check that both sides get the course the issue
describes, that Knowhow's seeding gives the learner the page the benchmark
loads, and that the arithmetic behind the pass/fail verdict is right. The
peer's own project runs only in its own virtualenv, so it is checked by the
benchmark itself (its seed command stops on any step that does not do what
it should).
"""

import pytest

from bench.peer import __main__ as peer_main
from bench.peer import course, lms
from courses.models import Enrolment, LessonCompletion, LessonPage

SPEC = course.spec()


def test_the_course_has_seven_lessons_of_about_1500_words():
    assert len(SPEC["lessons"]) == 7
    for lesson in SPEC["lessons"]:
        total = sum(course.words(html) for html in lesson["blocks"])
        assert 1400 <= total <= 1800, (lesson["slug"], total)
    assert len({tuple(lesson["blocks"]) for lesson in SPEC["lessons"]}) == 7


def test_the_learner_has_partial_progress_and_40_others_are_enrolled():
    learner, others = SPEC["learner"], SPEC["others"]
    assert 0 < learner["done"] < SPEC["measured_lesson"] <= len(SPEC["lessons"])
    assert len(others) == 40
    assert len({other["email"] for other in others} | {learner["email"]}) == 41
    # Nobody finishes, so Knowhow issues no certificates the peer has no match for.
    assert {other["done"] for other in others} == set(range(7))


def test_words_leaves_out_tags():
    assert course.words('<h2>Two words</h2><p>and <a href="x">three</a> more</p>') == 5


@pytest.mark.django_db
def test_knowhow_seed_builds_the_course_and_signs_the_learner_in(settings):
    settings.ROOT_URLCONF = "bench.urls"
    from bench.peer import knowhow

    side = knowhow.seed(SPEC)

    lessons = list(LessonPage.objects.live().order_by("path"))
    assert [lesson.title for lesson in lessons] == [x["title"] for x in SPEC["lessons"]]
    body = lessons[3].body
    assert [block.block_type for block in body] == ["rich_text"] * 5
    assert body[0].value.source == SPEC["lessons"][3]["blocks"][0]
    assert Enrolment.objects.count() == 41
    assert LessonCompletion.objects.count() == 3 + sum(o["done"] for o in SPEC["others"])
    rep_done = LessonCompletion.objects.filter(user__email=SPEC["learner"]["email"])
    assert sorted(c.lesson_id for c in rep_done) == [lesson.pk for lesson in lessons[:3]]
    assert side.urls["lesson"] == lessons[3].url
    assert side.cookie.startswith("knowhow_session=")
    # The probes fetched each page with a 200 (they raise otherwise) and counted its queries.
    assert side.probes["floor"]["queries"] == 0
    assert side.probes["lesson"]["queries"] > 0
    assert side.probes["course"]["bytes"] > 0


def _wrk(rps, *, errors=0, seconds=10):
    return {
        "requests": int(rps * seconds),
        "duration_us": seconds * 1_000_000,
        "not_2xx": errors,
        "socket_errors": 0,
        "p50_us": 1000,
        "p95_us": 2000,
    }


def _sides():
    probe = {"queries": 1, "bytes": 10, "sql": ["SELECT 1"]}
    return {side: {"probes": dict.fromkeys(peer_main.PAGES, probe)} for side in peer_main.SIDES}


def _rows(knowhow, peer):
    raw = {
        "knowhow": {page: [_wrk(rps)] for page, rps in knowhow.items()},
        "peer": {page: [_wrk(rps)] for page, rps in peer.items()},
    }
    return {row["page"]: row for row in peer_main.rows_of(peer_main.summarise(raw, _sides()))}


def test_multiples_are_against_the_peer_and_against_each_floor():
    rows = _rows(
        {"floor": 400, "lesson": 40, "course": 20},
        {"floor": 200, "lesson": 10, "course": 10},
    )
    lesson = rows["lesson"]
    assert lesson["knowhow"]["floor_ratio"] == 10  # floor 400 / page 40
    assert lesson["peer"]["floor_ratio"] == 20
    assert lesson["rps_multiple"] == 4
    assert lesson["floor_multiple"] == 2  # (40 / 400) / (10 / 200)
    assert lesson["ok"] is True
    # Twice the requests, but the same share of its own floor: missed.
    assert rows["course"]["rps_multiple"] == 2
    assert rows["course"]["floor_multiple"] == 1
    assert rows["course"]["ok"] is False
    assert "ok" not in rows["floor"]


def test_rounds_are_summed_and_errors_fail_the_row():
    raw = {
        "knowhow": {"floor": [_wrk(100)] * 2, "lesson": [_wrk(30), _wrk(50, errors=1)]},
        "peer": {"floor": [_wrk(100)] * 2, "lesson": [_wrk(10)] * 2},
    }
    raw["knowhow"]["course"] = raw["knowhow"]["lesson"]
    raw["peer"]["course"] = raw["peer"]["lesson"]
    summary = peer_main.summarise(raw, _sides())
    assert summary["knowhow"]["lesson"]["rps"] == 40
    assert summary["knowhow"]["lesson"]["rps_by_round"] == [30, 50]
    rows = {row["page"]: row for row in peer_main.rows_of(summary)}
    assert rows["lesson"]["rps_multiple"] == 4
    assert rows["lesson"]["errors"] == 1
    assert rows["lesson"]["ok"] is False
    assert "| **no** |" in peer_main.table(list(rows.values()))


def test_the_peer_gets_its_own_database_beside_knowhows(tmp_path):
    assert (
        lms.database_url("postgres://postgres@127.0.0.1:5432/knowhow_x", tmp_path)
        == "postgres://postgres@127.0.0.1:5432/knowhow_x_lms"
    )
    assert lms.database_url("sqlite:///elsewhere.sqlite3", tmp_path) == (
        f"sqlite:///{tmp_path / 'peer.sqlite3'}"
    )


def test_the_peer_is_pinned_by_name_and_version():
    pins = [line for line in lms.REQUIREMENTS.read_text().splitlines() if line and line[0] != "#"]
    assert "wagtail-lms==0.11.1" in pins
    assert all("==" in pin for pin in pins)


def test_the_saved_sql_leaves_out_the_session_key():
    sql = """SELECT 1 FROM "django_session" WHERE "django_session"."session_key" = 'abc123' AND 1"""
    assert peer_main.redacted([sql]) == [
        """SELECT 1 FROM "django_session" WHERE "django_session"."session_key" = """
        """'<session key>' AND 1"""
    ]
