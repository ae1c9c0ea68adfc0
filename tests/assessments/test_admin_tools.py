"""GIFT import and export, and item analysis, in the Wagtail admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.models import Question
from assessments.services import attempt_start, attempt_submit
from core.spreadsheets import safe_cell
from tests.factories.assessments import full_marks, make_question, make_quiz

pytestmark = pytest.mark.django_db

GIFT = """
// A small bank
$CATEGORY: $course$/Data rights

::Access:: Which article gives the right of access? {=Article 15 ~Article 17#That is erasure}

::Truth:: Employers can always read your personal email. {F}

::Broken:: This one has no closing brace {=yes ~no

::Match:: Match the right to its article. {=Access -> 15 =Erasure -> 17 =Objection -> 21}
"""


def test_preview_lists_good_questions_and_explains_bad_ones(educator_client):
    response = educator_client.post("/admin/question-bank/import/", {"text": GIFT, "preview": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "3 questions ready to import" in html
    assert "Line 9" in html
    assert not Question.objects.exists()


def test_import_creates_the_good_questions_with_tags(educator_client):
    response = educator_client.post(
        "/admin/question-bank/import/", {"text": GIFT, "tag": "imported", "import": ""}
    )
    assert response.status_code == 302
    assert Question.objects.count() == 3
    access = Question.objects.get(title="Access")
    assert access.kind == "single"
    assert access.options.get(is_correct=True).text == "Article 15"
    assert set(access.tags.names()) == {"imported", "data-rights"}
    truth = Question.objects.get(title="Truth")
    assert truth.true_is_correct is False
    assert Question.objects.get(title="Match").pairs.count() == 3


def test_import_by_file_and_bad_files_are_refused(educator_client):
    upload = SimpleUploadedFile("bank.gift", GIFT.encode("utf-8"))
    response = educator_client.post("/admin/question-bank/import/", {"file": upload, "preview": ""})
    assert "3 questions ready to import" in response.content.decode()
    binary = SimpleUploadedFile("bank.gift", b"\xff\xfe\x00bad")
    response = educator_client.post("/admin/question-bank/import/", {"file": binary, "import": ""})
    assert "must be UTF-8" in response.content.decode()
    response = educator_client.post("/admin/question-bank/import/", {"text": "  ", "import": ""})
    assert "Paste some GIFT text" in response.content.decode()
    assert not Question.objects.exists()


def test_export_round_trips_the_bank(educator_client):
    make_question("single", title="Exported single")
    make_question("ordering", title="An ordering")
    response = educator_client.get("/admin/question-bank/export/")
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode()
    assert "::Exported single::" in text
    assert 'Skipped "An ordering"' in text


def test_item_analysis_and_formula_safe_csv(educator_client, rep):
    question = make_question(
        "single",
        title='=HYPERLINK("http://evil.example")',
        options=[("Right", True, ""), ("Wrong", False, "")],
    )
    quiz = make_quiz([question])
    for answer_right in (True, False, True):
        attempt = attempt_start(user=rep, quiz=quiz)
        attempt_submit(
            attempt=attempt,
            version=attempt.version,
            responses=full_marks(attempt) if answer_right else None,
        )
    html = educator_client.get(f"/admin/question-bank/analysis/{quiz.pk}/").content.decode()
    assert "3 submitted attempts" in html
    assert "Pass rate 67%" in html
    assert "Right: 2" in html and "(no answer): 1" in html
    response = educator_client.get(f"/admin/question-bank/analysis/{quiz.pk}/?format=csv")
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert "'=HYPERLINK" in body
    assert ",=HYPERLINK" not in body


def test_analysis_queries_do_not_grow_with_attempts(educator_client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import UserFactory

    quiz = make_quiz([make_question(), make_question("multiple")])

    def take(n):
        for _ in range(n):
            attempt = attempt_start(user=UserFactory(), quiz=quiz)
            attempt_submit(attempt=attempt, version=attempt.version, responses=full_marks(attempt))
        with CaptureQueriesContext(connection) as captured:
            educator_client.get(f"/admin/question-bank/analysis/{quiz.pk}/")
        return len(captured.captured_queries)

    take(0)  # warm the per-process caches
    assert take(2) == take(20)


def test_reps_cannot_reach_the_question_bank_tools(client, rep):
    client.force_login(rep)
    for url in ["/admin/question-bank/import/", "/admin/question-bank/export/"]:
        assert client.get(url).status_code == 302


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44", "'+44"),
        ("-2", "'-2"),
        ("@SUM", "'@SUM"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        (None, ""),
        (12, "12"),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected
