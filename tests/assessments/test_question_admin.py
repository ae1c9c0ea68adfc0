"""The question editor refuses questions that could not be marked."""

import pytest

from assessments.models import Question

pytestmark = pytest.mark.django_db

ADD = "/admin/snippets/assessments/question/add/"
INLINES = ["options", "accepted_answers", "ordering_items", "pairs"]


def form(kind, *, options=(), accepted=(), items=(), pairs=(), **extra):
    data = {
        "title": f"A {kind} question",
        "kind": kind,
        "stem": "What is right?",
        "marks": "1",
        "tags": "",
        "general_feedback": "",
        "explanation": "",
        "key": "",
        **extra,
    }
    rows = {
        "options": options,
        "accepted_answers": accepted,
        "ordering_items": items,
        "pairs": pairs,
    }
    for name in INLINES:
        data[f"{name}-TOTAL_FORMS"] = str(len(rows[name]))
        data[f"{name}-INITIAL_FORMS"] = "0"
        data[f"{name}-MIN_NUM_FORMS"] = "0"
        data[f"{name}-MAX_NUM_FORMS"] = "1000"
        for n, row in enumerate(rows[name]):
            data[f"{name}-{n}-ORDER"] = str(n + 1)
            data[f"{name}-{n}-DELETE"] = ""
            data[f"{name}-{n}-id"] = ""
            for key, value in row.items():
                if value is True:
                    data[f"{name}-{n}-{key}"] = "on"
                elif value is not False:
                    data[f"{name}-{n}-{key}"] = value
    return data


GOOD = [
    form(
        "single",
        options=[
            {"text": "A", "is_correct": True, "feedback": ""},
            {"text": "B", "is_correct": False, "feedback": ""},
        ],
    ),
    form(
        "multiple",
        options=[
            {"text": "A", "is_correct": True, "feedback": ""},
            {"text": "B", "is_correct": True, "feedback": ""},
            {"text": "C", "is_correct": False, "feedback": ""},
        ],
    ),
    form("true_false", true_is_correct="true"),
    form("short_text", accepted=[{"text": "SAR"}]),
    form("ordering", items=[{"text": "One"}, {"text": "Two"}]),
    form("matching", pairs=[{"left": "A", "right": "1"}, {"left": "B", "right": "2"}]),
]

BAD = [
    (
        form("single", options=[{"text": "A", "is_correct": True, "feedback": ""}]),
        "at least two options",
    ),
    (
        form(
            "single",
            options=[
                {"text": "A", "is_correct": True, "feedback": ""},
                {"text": "B", "is_correct": True, "feedback": ""},
            ],
        ),
        "exactly one option",
    ),
    (
        form(
            "multiple",
            options=[
                {"text": "A", "is_correct": False, "feedback": ""},
                {"text": "B", "is_correct": False, "feedback": ""},
            ],
        ),
        "at least one option",
    ),
    (form("true_false"), "true or false"),
    (form("short_text", accepted=[{"text": "?!"}]), "accepted answer"),
    (form("ordering", items=[{"text": "Only"}]), "two items"),
    (form("matching", pairs=[{"left": "A", "right": "1"}]), "two pairs"),
]


@pytest.mark.parametrize("data", GOOD, ids=lambda d: d["kind"])
def test_well_formed_questions_are_saved(educator_client, data):
    response = educator_client.post(ADD, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Question.objects.get().kind == data["kind"]


@pytest.mark.parametrize(
    ("data", "message"), BAD, ids=lambda v: v if isinstance(v, str) else v["kind"]
)
def test_questions_that_could_not_be_marked_are_refused(educator_client, data, message):
    response = educator_client.post(ADD, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_question_list_filters_by_kind_and_tag(educator_client):
    from tests.factories.assessments import make_question

    make_question("single", title="Tagged single", tags=["rights"])
    make_question("ordering", title="Untagged ordering")
    tag = Question.objects.get(title="Tagged single").tags.get()
    url = "/admin/snippets/assessments/question/"
    html = educator_client.get(url + "?kind=single").content.decode()
    assert "Tagged single" in html and "Untagged ordering" not in html
    html = educator_client.get(url + f"?tag={tag.pk}").content.decode()
    assert "Tagged single" in html and "Untagged ordering" not in html
    for query in ["?kind=nonsense", "?tag=999999", "?tag=abc", "?q=%00"]:
        assert educator_client.get(url + query).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/admin/snippets/assessments/question/",
        "/admin/snippets/assessments/question/add/",
        "/admin/snippets/assessments/quiz/",
        "/admin/snippets/assessments/quiz/add/",
        "/admin/snippets/courses/topic/",
        "/admin/question-bank/import/",
        "/admin/question-bank/analysis/",
    ],
)
def test_question_bank_pages_open_for_educators(educator_client, url):
    assert educator_client.get(url).status_code == 200
