"""How each question kind is shown, described and reviewed (assessments.presentation).
Pure: rows are built in memory from snapshots, with no database."""

from decimal import Decimal

import pytest

from assessments.models import AttemptQuestion
from assessments.presentation import answer_text, question_for_display, question_for_review

KEY = "SENTINEL-KEY"

SNAPSHOTS = {
    "single": {
        "options": [
            {"id": "o1", "text": "Article 15", "correct": True, "feedback": KEY},
            {"id": "o2", "text": "Article 17", "correct": False, "feedback": KEY},
        ]
    },
    "multiple": {
        "options": [
            {"id": "o1", "text": "Name", "correct": True, "feedback": KEY},
            {"id": "o2", "text": "Pay", "correct": True, "feedback": KEY},
            {"id": "o3", "text": "Mood", "correct": False, "feedback": KEY},
        ]
    },
    "true_false": {
        "options": [
            {"id": "true", "text": "True", "correct": False, "feedback": KEY},
            {"id": "false", "text": "False", "correct": True, "feedback": KEY},
        ]
    },
    "short_text": {"accepted": [KEY]},
    "ordering": {"items": [{"id": "i1", "text": "Ask"}, {"id": "i2", "text": "Appeal"}]},
    "matching": {
        "pairs": [
            {"id": "p1", "left": "Art 15", "right": "Access"},
            {"id": "p2", "left": "Art 17", "right": "Erasure"},
        ]
    },
}
ORDER = {"single": ["o2", "o1"], "multiple": ["o3", "o1", "o2"], "ordering": ["i2", "i1"]}
ORDER["matching"] = ["p2", "p1"]
RESPONSES = {
    "single": ({"option": "o1"}, "Article 15"),
    "multiple": ({"options": ["o1", "o2"]}, "Name; Pay"),
    "true_false": ({"option": "false"}, "False"),
    "short_text": ({"text": "a SAR"}, "a SAR"),
    "ordering": ({"order": ["i1", "i2"]}, "Ask → Appeal"),
    "matching": ({"matches": {"p1": "p1", "p2": "p1"}}, "Art 15: Access; Art 17: Access"),
}


def row(kind, response=None, fraction=None):
    snapshot = {
        "kind": kind,
        "stem": "Which?",
        "marks": "1",
        "general_feedback": KEY,
        "explanation": KEY,
        "options": [],
        "accepted": [],
        "items": [],
        "pairs": [],
        **SNAPSHOTS[kind],
    }
    return AttemptQuestion(
        position=1,
        snapshot=snapshot,
        display_order=ORDER.get(kind, []),
        response=response,
        fraction=fraction,
        marks_awarded=Decimal(fraction or 0),
    )


@pytest.mark.parametrize("kind", list(SNAPSHOTS))
def test_the_view_of_an_unanswered_question_holds_no_part_of_the_key(kind):
    view = question_for_display(row(kind))
    assert KEY not in repr(view)
    assert "correct" not in repr(view)
    assert answer_text(view) == "Not answered"


@pytest.mark.parametrize("kind", list(SNAPSHOTS))
def test_an_answer_is_described_in_words(kind):
    response, words = RESPONSES[kind]
    view = question_for_display(row(kind, response))
    assert KEY not in repr(view)
    assert answer_text(view) == words


def test_choices_are_shown_in_the_attempts_order():
    view = question_for_display(row("multiple"))
    assert [choice["text"] for choice in view["choices"]] == ["Mood", "Name", "Pay"]


def test_a_review_shows_the_key_and_what_was_chosen():
    review = question_for_review(row("single", {"option": "o2"}, fraction=Decimal(0)))
    assert [(o["text"], o["correct"], o["chosen"]) for o in review["options"]] == [
        ("Article 15", True, False),
        ("Article 17", False, True),
    ]
    assert not review["correct"] and not review["unanswered"]
    matching = question_for_review(row("matching", {"matches": {"p1": "p2"}}, Decimal("0.5")))
    assert matching["partial"]
    assert matching["matches"][0] == {"left": "Art 15", "right": "Access", "chosen": "Erasure"}
