"""A lesson's quiz in the browser's terms: pages, posts, and what they reveal."""

import pytest
from django.db import OperationalError

from assessments.models import Attempt, AttemptQuestion, AttemptState
from courses.models import LessonCompletion, LessonPage
from courses.services import enrolment_start
from tests.factories.assessments import make_question, make_quiz
from tests.factories.courses import lessons_of, make_course

pytestmark = pytest.mark.django_db

SENTINELS = [
    "SENTINEL-OPTION-FEEDBACK",
    "SENTINEL-GENERAL-FEEDBACK",
    "SENTINEL-EXPLANATION",
    "SENTINEL-ACCEPTED",
    "SENTINEL-TRUE-FEEDBACK",
]


def sentinel_quiz(**options):
    questions = [
        make_question(
            "single",
            options=[("Alpha", True, "SENTINEL-OPTION-FEEDBACK"), ("Beta", False, "x")],
            general_feedback="SENTINEL-GENERAL-FEEDBACK",
            explanation="SENTINEL-EXPLANATION",
        ),
        make_question("short_text", accepted=["SENTINEL-ACCEPTED"]),
        make_question("true_false", feedback_if_true="SENTINEL-TRUE-FEEDBACK"),
        make_question("ordering"),
        make_question("matching"),
        make_question("multiple"),
    ]
    return make_quiz(questions, **options)


@pytest.fixture
def quiz_lesson(rep):
    course = make_course(modules=1, lessons=2)
    lesson = lessons_of(course)[0]
    quiz = sentinel_quiz(max_attempts=3, review="after_each")
    LessonPage.objects.filter(pk=lesson.pk).update(quiz=quiz)
    lesson.refresh_from_db()
    enrolment_start(user=rep, course=course)
    return lesson


def url(lesson, tail=""):
    return lesson.url + "quiz/" + tail


def right_post(attempt):
    data = {"version": str(attempt.version)}
    for row in attempt.questions.order_by("position"):
        snap, name = row.snapshot, f"q{row.position}"
        kind = snap["kind"]
        if kind in ("single", "true_false"):
            data[name] = next(o["id"] for o in snap["options"] if o["correct"])
        elif kind == "multiple":
            data[name] = [o["id"] for o in snap["options"] if o["correct"]]
        elif kind == "short_text":
            data[name] = snap["accepted"][0].lower()
        elif kind == "ordering":
            for n, item in enumerate(snap["items"], start=1):
                data[f"{name}-{item['id']}"] = str(n)
        elif kind == "matching":
            for pair in snap["pairs"]:
                data[f"{name}-{pair['id']}"] = pair["id"]
    return data


def start(client, lesson):
    response = client.post(url(lesson, "start/"))
    attempt = Attempt.objects.get(state=AttemptState.IN_PROGRESS, quiz=lesson.quiz)
    assert response["Location"] == url(lesson, f"attempt/{attempt.number}/")
    return attempt


def test_answer_key_never_reaches_an_in_progress_attempt(client, rep, quiz_lesson):
    client.force_login(rep)
    pages = [client.get(quiz_lesson.url), client.get(url(quiz_lesson))]
    attempt = start(client, quiz_lesson)
    pages.append(client.get(url(quiz_lesson, "attempt/1/")))
    # A post with a mistake re-renders the questions.
    bad = {
        "version": str(attempt.version),
        "q4-" + attempt.questions.get(position=4).snapshot["items"][0]["id"]: "1",
    }
    pages.append(client.post(url(quiz_lesson, "attempt/1/"), bad))
    pages.append(client.get(url(quiz_lesson, "attempt/1/check/")))
    pages.append(client.get(url(quiz_lesson, "attempt/1/result/"), follow=True))
    pages.append(client.get(url(quiz_lesson), follow=True))
    for response in pages:
        html = response.content.decode()
        for sentinel in SENTINELS:
            assert sentinel not in html, (response.request["PATH_INFO"], sentinel)
        assert '"correct"' not in html and "(correct)" not in html


def test_right_answers_pass_and_complete_the_lesson(client, rep, quiz_lesson):
    client.force_login(rep)
    attempt = start(client, quiz_lesson)
    response = client.post(url(quiz_lesson, "attempt/1/"), right_post(attempt))
    assert response["Location"] == url(quiz_lesson, "attempt/1/check/")
    check = client.get(response["Location"]).content.decode()
    assert "Check your answers" in check
    assert "You have not answered" not in check
    attempt.refresh_from_db()
    response = client.post(url(quiz_lesson, "attempt/1/check/"), {"version": attempt.version})
    assert response["Location"] == url(quiz_lesson, "attempt/1/result/")
    result = client.get(response["Location"]).content.decode()
    assert "You passed" in result
    assert "SENTINEL-EXPLANATION" in result  # review after each attempt
    assert LessonCompletion.objects.filter(user=rep, lesson=quiz_lesson).exists()


def test_a_pass_and_the_lesson_it_completes_are_saved_together_or_not_at_all(
    client, rep, quiz_lesson, monkeypatch
):
    """The database lost after the submit and before the completion: the rep
    sees 503 and the attempt is still open, so sending it again completes the
    lesson (found by bench/faults.py, where a retry found a passed quiz and a
    lesson never completed)."""
    client.force_login(rep)
    attempt = start(client, quiz_lesson)
    client.post(url(quiz_lesson, "attempt/1/"), right_post(attempt))
    attempt.refresh_from_db()

    def database_gone(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("courses.views.quiz.lesson_complete", database_gone)
    client.raise_request_exception = False  # the 503 page, as a browser gets it
    response = client.post(url(quiz_lesson, "attempt/1/check/"), {"version": attempt.version})
    assert response.status_code == 503
    attempt.refresh_from_db()
    assert attempt.state == AttemptState.IN_PROGRESS
    assert not LessonCompletion.objects.exists()

    monkeypatch.undo()
    response = client.post(url(quiz_lesson, "attempt/1/check/"), {"version": attempt.version})
    assert response["Location"] == url(quiz_lesson, "attempt/1/result/")
    attempt.refresh_from_db()
    assert attempt.passed is True
    assert LessonCompletion.objects.filter(user=rep, lesson=quiz_lesson).exists()


def test_posted_scores_are_ignored(client, rep, quiz_lesson):
    client.force_login(rep)
    attempt = start(client, quiz_lesson)
    client.post(
        url(quiz_lesson, "attempt/1/check/"),
        {"version": attempt.version, "percent": "100", "passed": "on", "marks_awarded": "99"},
    )
    attempt.refresh_from_db()
    assert attempt.percent == 0
    assert attempt.passed is False
    assert not LessonCompletion.objects.exists()


def test_failing_leaves_the_lesson_incomplete_and_mark_complete_is_refused(
    client, rep, quiz_lesson
):
    client.force_login(rep)
    attempt = start(client, quiz_lesson)
    client.post(url(quiz_lesson, "attempt/1/check/"), {"version": attempt.version})
    assert (
        "Not passed this time" in client.get(url(quiz_lesson, "attempt/1/result/")).content.decode()
    )
    response = client.post(quiz_lesson.url + "complete/")
    assert response["Location"] == url(quiz_lesson)
    assert not LessonCompletion.objects.exists()
    assert "Take the quiz" in client.get(quiz_lesson.url).content.decode()


def test_unanswered_questions_are_flagged_and_answers_kept(client, rep, quiz_lesson):
    client.force_login(rep)
    attempt = start(client, quiz_lesson)
    first = attempt.questions.get(position=1)
    choice = first.snapshot["options"][1]["id"]
    client.post(url(quiz_lesson, "attempt/1/"), {"version": attempt.version, "q1": choice})
    html = client.get(url(quiz_lesson, "attempt/1/check/")).content.decode()
    assert "You have not answered 5 questions" in html
    page = client.get(url(quiz_lesson, "attempt/1/")).content.decode()
    assert f'value="{choice}" checked' in page


def test_ordering_mistake_is_explained_and_nothing_is_saved(client, rep, quiz_lesson):
    client.force_login(rep)
    attempt = start(client, quiz_lesson)
    row = attempt.questions.get(position=4)
    data = {
        "version": attempt.version,
        "q1": row.attempt.questions.get(position=1).snapshot["options"][0]["id"],
    }
    for item in row.snapshot["items"]:
        data[f"q4-{item['id']}"] = "1"
    response = client.post(url(quiz_lesson, "attempt/1/"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Use each position once." in html
    assert response.context["errors"] == {4: "Use each position once."}
    assert html.count('class="kh-error-summary"') == 1
    assert not AttemptQuestion.objects.exclude(response=None).exists()


@pytest.mark.parametrize(
    "tamper",
    [
        {"q1": "o999999"},
        {"q6": ["o1", "not-an-option"]},
        {"q3": "maybe"},
        {"q5-p1": "p999"},
    ],
)
def test_tampered_answers_are_refused_and_nothing_is_stored(client, rep, quiz_lesson, tamper):
    client.force_login(rep)
    attempt = start(client, quiz_lesson)
    fixed = {}
    for key, value in tamper.items():
        if key.startswith("q5-"):
            pair = attempt.questions.get(position=5).snapshot["pairs"][0]["id"]
            key = f"q5-{pair}"
        fixed[key] = value
    response = client.post(url(quiz_lesson, "attempt/1/"), {"version": attempt.version, **fixed})
    assert response.status_code == 400
    assert not AttemptQuestion.objects.exclude(response=None).exists()
    attempt.refresh_from_db()
    assert attempt.version == 1


def test_another_quizzes_question_ids_are_refused(client, rep, quiz_lesson):
    other = make_quiz([make_question()])
    from assessments.services import attempt_start

    other_attempt = attempt_start(user=rep, quiz=other)
    other_option = other_attempt.questions.get().snapshot["options"][0]["id"]
    client.force_login(rep)
    attempt = start(client, quiz_lesson)
    response = client.post(
        url(quiz_lesson, "attempt/1/"), {"version": attempt.version, "q1": other_option}
    )
    assert response.status_code == 400


def test_huge_answers_are_refused_politely(client, rep, quiz_lesson):
    client.force_login(rep)
    attempt = start(client, quiz_lesson)
    response = client.post(
        url(quiz_lesson, "attempt/1/"), {"version": attempt.version, "q2": "x" * 100_000}
    )
    assert response.status_code == 200
    assert "500 characters or fewer" in response.content.decode()
    assert not AttemptQuestion.objects.exclude(response=None).exists()


def test_attempt_limit_is_explained(client, rep, quiz_lesson):
    client.force_login(rep)
    for number in range(1, 4):
        attempt = start(client, quiz_lesson)
        client.post(url(quiz_lesson, f"attempt/{number}/check/"), {"version": attempt.version})
    html = client.get(url(quiz_lesson)).content.decode()
    assert "You have used all 3 attempts" in html
    response = client.post(url(quiz_lesson, "start/"))
    assert response["Location"] == url(quiz_lesson)
    assert Attempt.objects.count() == 3


def test_quiz_pages_need_enrolment_and_a_quiz(client, rep):
    course = make_course(modules=1, lessons=1)
    lesson = lessons_of(course)[0]
    client.force_login(rep)
    assert client.get(url(lesson)).status_code == 404  # no quiz on this lesson
    quiz = make_quiz([make_question()])
    LessonPage.objects.filter(pk=lesson.pk).update(quiz=quiz)
    assert client.get(url(lesson))["Location"] == course.url  # not enrolled
    client.logout()
    assert client.get(url(lesson))["Location"].startswith("/accounts/login/")


def test_someone_elses_attempt_is_not_found(client, rep, quiz_lesson):
    from tests.factories import UserFactory

    client.force_login(rep)
    start(client, quiz_lesson)
    other = UserFactory()
    enrolment_start(user=other, course=quiz_lesson.get_parent().get_parent().specific)
    client.force_login(other)
    assert client.get(url(quiz_lesson, "attempt/1/")).status_code == 404
    assert client.get(url(quiz_lesson, "attempt/1/result/")).status_code == 404
