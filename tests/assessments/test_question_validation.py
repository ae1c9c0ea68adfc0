"""question_create validates (full_clean) instead of cutting values short, and
the GIFT import sets aside the questions the bank would refuse."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.exceptions import ValidationError

from assessments.models import Question, QuestionOption
from assessments.services import question_create

pytestmark = pytest.mark.django_db

OPTIONS = [{"text": "Right", "correct": True}, {"text": "Wrong", "correct": False}]


def test_a_valid_question_is_created_with_its_parts_and_tags():
    question = question_create(
        kind="single", title="Access", stem="Which?", options=OPTIONS, tags=["dr"]
    )
    assert question.options.count() == 2
    assert set(question.tags.names()) == {"dr"}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "T" * 201}, "title: Ensure this value has at most 200 characters"),
        ({"kind": "essay"}, "kind: Value 'essay' is not a valid choice"),
        ({"marks": "0"}, "marks: Ensure this value is greater than or equal to 0.01"),
        (
            {"options": [{"text": "R" * 501, "correct": True}]},
            "option 1 (text): Ensure this value has at most 500 characters",
        ),
    ],
)
def test_an_invalid_question_is_refused_and_nothing_is_written(fields, message):
    values = {"kind": "single", "title": "Access", "stem": "Which?", "options": OPTIONS, **fields}
    with pytest.raises(ValidationError) as refused:
        question_create(**values)
    assert any(m.startswith(message) for m in refused.value.messages), refused.value.messages
    assert not Question.objects.exists()
    assert not QuestionOption.objects.exists()


def test_a_key_already_in_the_bank_is_refused():
    question_create(kind="single", title="A", stem="Which?", options=OPTIONS, key="dr-q1")
    with pytest.raises(ValidationError, match="key"):
        question_create(kind="single", title="B", stem="Which?", options=OPTIONS, key="dr-q1")
    assert Question.objects.count() == 1


GIFT = (
    "::Access:: Which article gives the right of access? {=Article 15 ~Article 17}\n\n"
    f"::{'Long ' * 50}:: A question whose title is far too long. {{T}}\n\n"
    f"::Wide:: A question with an answer too long to keep. {{={'x' * 501} ~no}}\n"
)


@pytest.fixture
def educator_client(client, educator):
    TOTP.activate(educator, generate_totp_secret())
    client.force_login(educator)
    return client


def test_gift_preview_explains_questions_the_bank_would_refuse(educator_client):
    response = educator_client.post("/admin/question-bank/import/", {"text": GIFT, "preview": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 question ready to import" in html
    assert "2 questions could not be read" in html
    assert "Line 3: title: Ensure this value has at most 200 characters" in html
    assert "Line 5: option 1 (text): Ensure this value has at most 500 characters" in html
    assert not Question.objects.exists()


def test_gift_import_creates_only_the_questions_the_bank_accepts(educator_client):
    response = educator_client.post(
        "/admin/question-bank/import/", {"text": GIFT, "tag": "imported", "import": ""}
    )
    assert response.status_code == 302
    assert list(Question.objects.values_list("title", flat=True)) == ["Access"]
