"""Tests for assessments.grading: the marking rules of docs/question-format.md.

Grading is pure code, so none of these tests touches the database.
"""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.grading import (
    AttemptGrade,
    QuestionGrade,
    grade_attempt,
    grade_question,
    normalise_answer,
    overall_feedback,
)

# --- Snapshot builders ---------------------------------------------------------------------------


def single(*, marks="1", correct="a1"):
    return {
        "kind": "single",
        "stem": "Which law gives you the right of access?",
        "marks": marks,
        "options": [
            {"id": id_, "text": id_, "correct": id_ == correct, "feedback": ""}
            for id_ in ("a1", "a2", "a3")
        ],
    }


def true_false(*, marks="1", correct="true"):
    return {
        "kind": "true_false",
        "stem": "An employer may refuse every subject access request.",
        "marks": marks,
        "options": [
            {"id": "true", "text": "True", "correct": correct == "true"},
            {"id": "false", "text": "False", "correct": correct == "false"},
        ],
    }


def multiple(*, marks="1", correct=("a1", "a2"), ids=("a1", "a2", "a3", "a4")):
    return {
        "kind": "multiple",
        "stem": "Which of these are personal data?",
        "marks": marks,
        "options": [{"id": id_, "text": id_, "correct": id_ in correct} for id_ in ids],
    }


def short_text(*, marks="1", accepted=("subject access request", "SAR")):
    return {
        "kind": "short_text",
        "stem": "What is a request for your own data called?",
        "marks": marks,
        "accepted": list(accepted),
    }


def ordering(*, marks="1", n=4):
    return {
        "kind": "ordering",
        "stem": "Put these steps in order.",
        "marks": marks,
        "items": [{"id": f"i{k}", "text": f"Step {k}"} for k in range(1, n + 1)],
    }


def matching(*, marks="1", n=4):
    return {
        "kind": "matching",
        "stem": "Match each article to its right.",
        "marks": marks,
        "pairs": [
            {"id": f"p{k}", "left": f"Article {k}", "right": f"Right {k}"} for k in range(1, n + 1)
        ],
    }


ALL_KINDS = {
    "single": single,
    "true_false": true_false,
    "multiple": multiple,
    "short_text": short_text,
    "ordering": ordering,
    "matching": matching,
}

# A fully correct response for each builder's default snapshot.
CORRECT = {
    "single": {"option": "a1"},
    "true_false": {"option": "true"},
    "multiple": {"options": ["a1", "a2"]},
    "short_text": {"text": "Subject access request"},
    "ordering": {"order": ["i1", "i2", "i3", "i4"]},
    "matching": {"matches": {"p1": "p1", "p2": "p2", "p3": "p3", "p4": "p4"}},
}


def fraction_of(snapshot, response):
    return grade_question(snapshot=snapshot, response=response).fraction


# --- normalise_answer ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("subject access request", "subject access request"),
        ("Subject Access Request", "subject access request"),
        ("SUBJECT ACCESS REQUEST", "subject access request"),
        ("  Subject-Access   Request!! ", "subject access request"),
        ("Subject-Access Request!", "subject access request"),
        ("subject\taccess\nrequest", "subject access request"),
        ("subject\u00a0access\u2003request", "subject access request"),  # no-break, em space
        ("subject–access—request", "subject access request"),  # en and em dashes
        ("“subject access request”", "subject access request"),  # curly double quotes
        ("don’t", "don t"),  # curly apostrophe becomes a space…
        ("don't", "don t"),  # …exactly as a straight one does
        ("(subject) [access] {request}", "subject access request"),
        ("s.a.r.", "s a r"),
        ("ＳＡＲ", "sar"),  # full-width letters (NFKC)
        ("ｓｕｂｊｅｃｔ　ａｃｃｅｓｓ", "subject access"),  # full-width letters and space
        ("ﬁle", "file"),  # ligature (NFKC)
        ("café", "café"),  # accents are kept…
        ("cafe\u0301", "café"),  # …and a combining accent composes to the same thing
        ("CAFÉ", "café"),
        ("Straße", "strasse"),  # case-folding, not just lower-casing
        ("£5 + $10 = £x", "£5 + $10 = £x"),  # symbols are not punctuation…
        ("10% & 20/30 #1 @x", "10 20 30 1 x"),  # …but these are, in Unicode
        ("", ""),
        ("   ", ""),
        ("!!!", ""),
        ("¿¡…!?", ""),
        ("-", ""),
    ],
)
def test_normalise_answer(text, expected):
    assert normalise_answer(text) == expected


@given(st.text())
def test_normalise_answer_is_idempotent(text):
    once = normalise_answer(text)
    assert normalise_answer(once) == once


def test_normalise_answer_copes_with_a_huge_string():
    assert normalise_answer("Ab-" * 40_000) == " ".join(["ab"] * 40_000)


# --- single and true_false -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ({"option": "a1"}, Fraction(1)),
        ({"option": "a2"}, Fraction(0)),
        ({"option": "a3"}, Fraction(0)),
        (None, Fraction(0)),
    ],
)
def test_single(response, expected):
    assert fraction_of(single(), response) == expected


def test_single_correct_option_need_not_be_first():
    assert fraction_of(single(correct="a3"), {"option": "a3"}) == 1
    assert fraction_of(single(correct="a3"), {"option": "a1"}) == 0


@pytest.mark.parametrize(
    ("correct", "response", "expected"),
    [
        ("true", {"option": "true"}, Fraction(1)),
        ("true", {"option": "false"}, Fraction(0)),
        ("false", {"option": "false"}, Fraction(1)),
        ("false", {"option": "true"}, Fraction(0)),
        ("true", None, Fraction(0)),
        ("false", None, Fraction(0)),
    ],
)
def test_true_false(correct, response, expected):
    assert fraction_of(true_false(correct=correct), response) == expected


# --- multiple ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        (["a1", "a2"], Fraction(1)),  # both correct ones
        (["a2", "a1"], Fraction(1)),  # order does not matter
        (["a1"], Fraction(1, 2)),  # one of two correct
        (["a2"], Fraction(1, 2)),
        (["a1", "a2", "a3"], Fraction(1, 2)),  # both right, one wrong
        (["a1", "a3"], Fraction(0)),  # one right, one wrong
        (["a1", "a2", "a3", "a4"], Fraction(0)),  # everything: no credit
        (["a3"], Fraction(0)),  # only wrong: 0, never negative
        (["a3", "a4"], Fraction(0)),
        (["a1", "a3", "a4"], Fraction(0)),  # 1 − 2 would be negative
        ([], Fraction(0)),  # answered with nothing
        (["a1", "a1"], Fraction(1, 2)),  # a duplicate counts once
        (["a1", "a1", "a2", "a2"], Fraction(1)),
        (["a3", "a3", "a1", "a2"], Fraction(1, 2)),  # a repeated wrong one is one wrong
    ],
)
def test_multiple_partial_credit(chosen, expected):
    assert fraction_of(multiple(), {"options": chosen}) == expected


def test_multiple_unanswered():
    assert fraction_of(multiple(), None) == 0


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        (["a1", "a2", "a3"], Fraction(1)),  # everything, when everything is correct
        (["a1", "a2"], Fraction(2, 3)),
        (["a1"], Fraction(1, 3)),
        ([], Fraction(0)),
    ],
)
def test_multiple_when_every_option_is_correct(chosen, expected):
    snapshot = multiple(correct=("a1", "a2", "a3"), ids=("a1", "a2", "a3"))
    assert fraction_of(snapshot, {"options": chosen}) == expected


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [
        (["a2"], Fraction(1)),
        (["a2", "a1"], Fraction(0)),
        (["a1", "a3"], Fraction(0)),
    ],
)
def test_multiple_with_one_correct_option(chosen, expected):
    assert fraction_of(multiple(correct=("a2",)), {"options": chosen}) == expected


# --- short_text ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("subject access request", Fraction(1)),
        ("Subject Access Request", Fraction(1)),  # case
        ("SUBJECT ACCESS REQUEST", Fraction(1)),
        ("  subject   access  request  ", Fraction(1)),  # extra spaces
        ("subject\taccess\nrequest", Fraction(1)),
        ("Subject access request!", Fraction(1)),  # punctuation
        ("subject access request.", Fraction(1)),
        ("Subject-access-request", Fraction(1)),  # hyphens separate words
        ("“Subject access request”", Fraction(1)),  # curly quotes
        ("'subject access request'", Fraction(1)),  # straight quotes
        ("ｓｕｂｊｅｃｔ ａｃｃｅｓｓ ｒｅｑｕｅｓｔ", Fraction(1)),  # full-width (NFKC)
        ("SAR", Fraction(1)),  # any accepted answer
        ("sar", Fraction(1)),
        ("S.A.R.", Fraction(0)),  # "s a r" is three words, not "sar"
        ("ＳＡＲ", Fraction(1)),
        ("subjectaccessrequest", Fraction(0)),  # words must stay apart
        ("subject access requests", Fraction(0)),  # no fuzzy matching
        ("access request", Fraction(0)),
        ("FOI request", Fraction(0)),
        ("", Fraction(0)),
        ("   ", Fraction(0)),
        ("!!!", Fraction(0)),
        ("…", Fraction(0)),
    ],
)
def test_short_text(text, expected):
    assert fraction_of(short_text(), {"text": text}) == expected


def test_short_text_unanswered():
    assert fraction_of(short_text(), None) == 0


@pytest.mark.parametrize(
    ("accepted", "text"),
    [
        (["Data Protection Act 2018"], "data protection act 2018"),
        (["Data-Protection Act, 2018"], "Data Protection Act 2018"),  # accepted is normalised too
        (["don’t"], "don't"),  # curly and straight apostrophes agree
        (["café"], "cafe\u0301"),  # composed and decomposed accents agree
        (["CAFÉ"], "café"),
        (["Straße"], "STRASSE"),
        (["£5"], "£5"),
    ],
)
def test_short_text_normalises_both_sides(accepted, text):
    assert fraction_of(short_text(accepted=accepted), {"text": text}) == 1


@pytest.mark.parametrize(
    ("accepted", "text"),
    [
        (["café"], "cafe"),  # NFKC keeps accents
        (["£5"], "5"),  # symbols are kept
        (["don’t"], "dont"),
    ],
)
def test_short_text_does_not_over_normalise(accepted, text):
    assert fraction_of(short_text(accepted=accepted), {"text": text}) == 0


# --- ordering ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (["i1", "i2", "i3", "i4"], Fraction(1)),
        (["i1", "i2", "i4", "i3"], Fraction(2, 4)),
        (["i1", "i3", "i2", "i4"], Fraction(2, 4)),
        (["i1", "i3", "i4", "i2"], Fraction(1, 4)),
        (["i2", "i1", "i4", "i3"], Fraction(0)),
        (["i4", "i3", "i2", "i1"], Fraction(0)),  # reversed: none in place
        (["i4", "i2", "i3", "i1"], Fraction(2, 4)),
        (["i2", "i3", "i4", "i1"], Fraction(0)),  # shifted by one: none in place
    ],
)
def test_ordering_k_of_n_in_place(order, expected):
    assert fraction_of(ordering(), {"order": order}) == expected


def test_ordering_unanswered():
    assert fraction_of(ordering(), None) == 0


def test_ordering_of_one_item():
    assert fraction_of(ordering(n=1), {"order": ["i1"]}) == 1


# --- matching ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("matches", "expected"),
    [
        ({"p1": "p1", "p2": "p2", "p3": "p3", "p4": "p4"}, Fraction(1)),
        ({"p1": "p1", "p2": "p2", "p3": "p4", "p4": "p3"}, Fraction(2, 4)),
        ({"p1": "p1", "p2": "p3", "p3": "p4", "p4": "p2"}, Fraction(1, 4)),
        ({"p1": "p2", "p2": "p1", "p3": "p4", "p4": "p3"}, Fraction(0)),
        ({"p1": "p1", "p2": "p2", "p3": "p3", "p4": "p1"}, Fraction(3, 4)),
        # A left item missing from the response is unmatched, not a reason to score 0.
        ({"p1": "p1", "p2": "p2"}, Fraction(2, 4)),
        ({"p3": "p3"}, Fraction(1, 4)),
        ({}, Fraction(0)),
        # Two left items may choose the same right; only its own left earns the mark.
        ({"p1": "p1", "p2": "p1", "p3": "p1", "p4": "p1"}, Fraction(1, 4)),
        ({"p1": "p2", "p2": "p2", "p3": "p2", "p4": "p2"}, Fraction(1, 4)),
    ],
)
def test_matching_k_of_n(matches, expected):
    assert fraction_of(matching(), {"matches": matches}) == expected


def test_matching_unanswered():
    assert fraction_of(matching(), None) == 0


# --- Marks ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "build"), ALL_KINDS.items())
def test_every_kind_gives_full_marks_for_the_correct_response(kind, build):
    grade = grade_question(snapshot=build(marks="2.5"), response=CORRECT[kind])
    assert grade == QuestionGrade(
        fraction=Fraction(1), marks_available=Decimal("2.5"), marks_awarded=Decimal("2.5")
    )
    assert grade.is_correct
    assert not grade.is_partially_correct


@pytest.mark.parametrize(("kind", "build"), ALL_KINDS.items())
def test_every_kind_gives_nothing_when_unanswered(kind, build):
    grade = grade_question(snapshot=build(marks="2.5"), response=None)
    assert grade.fraction == 0
    assert grade.marks_awarded == 0
    assert grade.marks_available == Decimal("2.5")
    assert not grade.is_correct
    assert not grade.is_partially_correct


def test_partial_credit_is_partially_correct():
    grade = grade_question(snapshot=multiple(), response={"options": ["a1"]})
    assert grade.is_partially_correct
    assert not grade.is_correct


@pytest.mark.parametrize(
    ("snapshot", "response", "awarded"),
    [
        # 2.5 × 1/3 = 0.8333…
        (multiple(marks="2.5", correct=("a1", "a2", "a3")), {"options": ["a1"]}, "0.83"),
        # 2.5 × 2/3 = 1.6666…
        (multiple(marks="2.5", correct=("a1", "a2", "a3")), {"options": ["a1", "a2"]}, "1.67"),
        # 1 × 1/8 = 0.125: half up gives 0.13 (half-even would give 0.12)
        (
            ordering(marks="1", n=8),
            {"order": ["i1", *[f"i{k}" for k in (3, 4, 5, 6, 7, 8, 2)]]},
            "0.13",
        ),
        # 0.05 × 1/2 = 0.025 → 0.03 (half-even would give 0.02)
        (multiple(marks="0.05"), {"options": ["a1"]}, "0.03"),
        # 0.01 × 1/2 = 0.005 → 0.01
        (multiple(marks="0.01"), {"options": ["a1"]}, "0.01"),
        # 0.15 × 1/2 = 0.075 → 0.08
        (multiple(marks="0.15"), {"options": ["a1"]}, "0.08"),
        # 3 × 1/4 = 0.75 exactly
        (matching(marks="3"), {"matches": {"p1": "p1"}}, "0.75"),
        # 1 × 1/3 = 0.333… → 0.33 (rounds down)
        (ordering(marks="1", n=3), {"order": ["i1", "i3", "i2"]}, "0.33"),
        (single(marks="2.5"), {"option": "a1"}, "2.50"),
        (single(marks=2), {"option": "a1"}, "2.00"),  # an int is accepted
        (single(marks=Decimal("0.5")), {"option": "a1"}, "0.50"),  # and a Decimal
        (single(marks="2.5"), {"option": "a2"}, "0.00"),
    ],
)
def test_marks_are_scaled_and_rounded_half_up(snapshot, response, awarded):
    grade = grade_question(snapshot=snapshot, response=response)
    assert grade.marks_awarded == Decimal(awarded)
    assert str(grade.marks_awarded) == awarded  # always 2 places


@pytest.mark.parametrize(("marks", "shown"), [("1", "1.00"), ("2.5", "2.50"), ("0.01", "0.01")])
def test_marks_available_has_two_places(marks, shown):
    assert str(grade_question(snapshot=single(marks=marks), response=None).marks_available) == shown


def test_question_grade_is_immutable():
    grade = grade_question(snapshot=single(), response={"option": "a1"})
    with pytest.raises(AttributeError):
        grade.marks_awarded = Decimal("100")


# --- Malformed responses: 0, never an exception ---------------------------------------------------

NOT_A_RESPONSE = [
    [],
    ["a1"],
    [{"option": "a1"}],
    "",
    "a1",
    0,
    1,
    -1,
    1.5,
    float("nan"),
    True,
    False,
    b"a1",
    {},
    {"": None},
    {None: "a1"},
    {"answer": "a1"},
    {1: 2},
    Decimal("1"),
]


@pytest.mark.parametrize("response", NOT_A_RESPONSE, ids=repr)
@pytest.mark.parametrize(("kind", "build"), ALL_KINDS.items())
def test_a_response_of_the_wrong_shape_scores_nothing(kind, build, response):
    grade = grade_question(snapshot=build(), response=response)
    assert grade.fraction == 0
    assert grade.marks_awarded == 0


@pytest.mark.parametrize(("kind", "build"), ALL_KINDS.items())
def test_an_extra_key_spoils_an_otherwise_correct_response(kind, build):
    assert fraction_of(build(), {**CORRECT[kind], "extra": "x"}) == 0


@pytest.mark.parametrize(
    ("kind", "response"),
    # single and true_false share a response shape: each one's right answer is an unknown
    # option for the other.
    [(kind, CORRECT[other]) for kind in ALL_KINDS for other in ALL_KINDS if other != kind],
)
def test_a_response_for_another_kind_scores_nothing(kind, response):
    assert fraction_of(ALL_KINDS[kind](), response) == 0


HUGE = "x" * 100_000

MALFORMED = {
    "single": [
        {"option": ["a1"]},
        {"option": {"id": "a1"}},
        {"option": 1},
        {"option": 0},
        {"option": None},
        {"option": True},
        {"option": 1.0},
        {"option": b"a1"},
        {"option": "zz"},  # unknown id
        {"option": "A1"},  # ids are exact
        {"option": " a1"},
        {"option": ""},
        {"option": "a1" * 50_000},
        {"option": HUGE},
        {"options": ["a1"]},  # the multiple shape
        {"option": "a1", "options": ["a1"]},
    ],
    "true_false": [
        {"option": True},  # a boolean, not the id "true"
        {"option": "True"},
        {"option": "TRUE"},
        {"option": "yes"},
        {"option": 1},
        {"option": None},
        {"option": ["true"]},
        {"option": HUGE},
        {"answer": "true"},
    ],
    "multiple": [
        {"options": "a1"},  # a string, not a list (must not be read as "a", "1")
        {"options": "a1a2"},
        {"options": {"a1": True, "a2": True}},  # a dict, not a list
        {"options": ("a1", "a2")},  # not a JSON list
        {"options": {"a1", "a2"}},
        {"options": ["a1", "a2", "zz"]},  # an unknown id spoils the response
        {"options": ["a1", "a2", "A3"]},
        {"options": ["a1", "a2", ""]},
        {"options": ["a1", "a2", HUGE]},
        {"options": ["a1", 2]},  # a number among the ids
        {"options": ["a1", "a2", None]},
        {"options": ["a1", "a2", True]},
        {"options": [["a1"], ["a2"]]},  # nested lists
        {"options": [{"id": "a1"}]},
        {"options": None},
        {"options": 2},
        {"option": "a1"},  # the single shape
    ],
    "short_text": [
        {"text": 42},
        {"text": 0},
        {"text": None},
        {"text": True},
        {"text": ["subject access request"]},
        {"text": {"value": "subject access request"}},
        {"text": b"subject access request"},
        {"text": HUGE},
        {"text": "subject access request " + HUGE},
        {"answer": "subject access request"},
    ],
    "ordering": [
        {"order": ["i1", "i2", "i3"]},  # an item missing
        {"order": ["i1", "i1", "i3", "i4"]},  # a duplicate instead of i2
        {"order": ["i1", "i2", "i3", "i4", "i4"]},  # a duplicate on the end
        {"order": ["i1", "i2", "i3", "i4", "i5"]},  # an unknown extra item
        {"order": ["i1", "i2", "i3", "zz"]},  # an unknown item instead of i4
        {"order": ["i1", "i2", "i3", HUGE]},
        {"order": []},
        {"order": [1, 2, 3, 4]},  # numbers
        {"order": ["i1", "i2", "i3", 4]},
        {"order": ["i1", "i2", "i3", None]},
        {"order": [["i1"], ["i2"], ["i3"], ["i4"]]},
        {"order": "i1i2i3i4"},
        {"order": ("i1", "i2", "i3", "i4")},
        {"order": {"i1": 0, "i2": 1, "i3": 2, "i4": 3}},  # a dict, not a list
        {"order": None},
        {"items": ["i1", "i2", "i3", "i4"]},
    ],
    "matching": [
        {"matches": [["p1", "p1"], ["p2", "p2"]]},  # a list, not a dict
        {"matches": ["p1", "p2", "p3", "p4"]},
        {"matches": "p1"},
        {"matches": None},
        {"matches": {"p1": "p1", "p2": "zz"}},  # an unknown right
        {"matches": {"p1": "p1", "zz": "p2"}},  # an unknown left
        {"matches": {"p1": "p1", "p2": HUGE}},
        {"matches": {"p1": "p1", HUGE: "p2"}},
        {"matches": {"p1": "p1", "p2": 2}},  # a number instead of an id
        {"matches": {"p1": "p1", 2: "p2"}},
        {"matches": {"p1": "p1", "p2": None}},
        {"matches": {"p1": "p1", "p2": True}},
        {"matches": {"p1": "p1", "p2": ["p2"]}},
        {"matches": {"p1": "p1", "p2": {"id": "p2"}}},
        {"matches": {"p1": "p1", ("p2",): "p2"}},
        {"match": {"p1": "p1"}},
    ],
}


@pytest.mark.parametrize(
    ("kind", "response"),
    [(kind, response) for kind, responses in MALFORMED.items() for response in responses],
    ids=lambda value: repr(value)[:40],
)
def test_a_malformed_response_scores_nothing(kind, response):
    grade = grade_question(snapshot=ALL_KINDS[kind](marks="3"), response=response)
    assert grade.fraction == 0
    assert grade.marks_awarded == Decimal("0.00")
    assert grade.marks_available == Decimal("3")


def test_grading_does_not_change_the_response_or_snapshot():
    snapshot = multiple()
    response = {"options": ["a1", "a1", "a3"]}
    before = (repr(snapshot), repr(response))
    grade_question(snapshot=snapshot, response=response)
    assert (repr(snapshot), repr(response)) == before


# --- Malformed snapshots: ValueError -------------------------------------------------------------


def with_changes(snapshot, **changes):
    return {**snapshot, **changes}


def without(snapshot, key):
    return {k: v for k, v in snapshot.items() if k != key}


MALFORMED_SNAPSHOTS = [
    # Not a snapshot at all.
    None,
    [],
    "single",
    # Kind.
    without(single(), "kind"),
    with_changes(single(), kind="essay"),
    with_changes(single(), kind="Single"),
    with_changes(single(), kind=""),
    with_changes(single(), kind=None),
    with_changes(single(), kind=["single"]),
    # Marks.
    without(single(), "marks"),
    single(marks=None),
    single(marks="0"),
    single(marks="0.00"),
    single(marks=0),
    single(marks="-1"),
    single(marks=Decimal("-0.5")),
    single(marks=""),
    single(marks="one"),
    single(marks="NaN"),
    single(marks="Infinity"),
    single(marks=Decimal("Infinity")),
    single(marks=1.5),  # a float
    single(marks=True),
    single(marks=["1"]),
    single(marks="0.001"),  # more than 2 places
    single(marks="1.005"),
    # single.
    with_changes(
        single(), options=[{"id": "a1", "correct": False}, {"id": "a2", "correct": False}]
    ),
    with_changes(single(), options=[{"id": "a1", "correct": True}, {"id": "a2", "correct": True}]),
    without(single(), "options"),
    with_changes(single(), options=[]),
    with_changes(single(), options="a1"),
    with_changes(single(), options={"a1": True}),
    with_changes(single(), options=["a1"]),
    with_changes(single(), options=[{"id": "a1", "correct": "yes"}]),
    with_changes(single(), options=[{"id": "a1"}]),
    with_changes(single(), options=[{"id": "a1", "correct": True}, {"id": "a1", "correct": False}]),
    with_changes(single(), options=[{"id": 1, "correct": True}]),
    with_changes(single(), options=[{"correct": True}]),
    # true_false.
    with_changes(
        true_false(), options=[{"id": "yes", "correct": True}, {"id": "no", "correct": False}]
    ),
    with_changes(
        true_false(),
        options=[
            {"id": "true", "correct": True},
            {"id": "false", "correct": False},
            {"id": "maybe", "correct": False},
        ],
    ),
    with_changes(true_false(), options=[{"id": "true", "correct": True}]),
    with_changes(
        true_false(), options=[{"id": "true", "correct": True}, {"id": "false", "correct": True}]
    ),
    with_changes(
        true_false(), options=[{"id": "true", "correct": False}, {"id": "false", "correct": False}]
    ),
    # multiple.
    multiple(correct=()),
    without(multiple(), "options"),
    with_changes(multiple(), options=[]),
    with_changes(
        multiple(), options=[{"id": "a1", "correct": True}, {"id": "a1", "correct": True}]
    ),
    # short_text.
    without(short_text(), "accepted"),
    short_text(accepted=()),
    with_changes(short_text(), accepted="SAR"),
    with_changes(short_text(), accepted=None),
    short_text(accepted=("SAR", None)),
    short_text(accepted=("SAR", 1)),
    short_text(accepted=("SAR", "")),  # would accept a blank answer
    short_text(accepted=("SAR", "!!!")),  # likewise, once normalised
    short_text(accepted=("SAR", "  ")),
    # ordering.
    without(ordering(), "items"),
    with_changes(ordering(), items=[]),
    with_changes(ordering(), items="i1"),
    with_changes(ordering(), items=["i1", "i2"]),
    with_changes(ordering(), items=[{"id": "i1"}, {"id": "i1"}]),
    with_changes(ordering(), items=[{"id": 1}, {"id": 2}]),
    with_changes(ordering(), items=[{"text": "Step 1"}]),
    # matching.
    without(matching(), "pairs"),
    with_changes(matching(), pairs=[]),
    with_changes(matching(), pairs={"p1": "p1"}),
    with_changes(matching(), pairs=[{"id": "p1"}, {"id": "p1"}]),
    with_changes(matching(), pairs=[{"id": None}]),
]


@pytest.mark.parametrize("snapshot", MALFORMED_SNAPSHOTS, ids=lambda value: repr(value)[:60])
@pytest.mark.parametrize("response", [None, {"option": "a1"}])
def test_a_malformed_snapshot_raises_value_error(snapshot, response):
    with pytest.raises(ValueError):  # noqa: PT011 - the message varies by problem
        grade_question(snapshot=snapshot, response=response)


@pytest.mark.parametrize("marks", ["1", "0.01", "0.5", "2.50", "100", " 2 ", 3, Decimal("1.25")])
def test_well_formed_marks_are_accepted(marks):
    grade = grade_question(snapshot=single(marks=marks), response={"option": "a1"})
    assert grade.marks_awarded == grade.marks_available == Decimal(marks)


# --- grade_attempt -------------------------------------------------------------------------------


def test_an_empty_attempt_has_nothing_available_and_scores_zero():
    grade = grade_attempt(items=[])
    assert grade == AttemptGrade(
        marks_available=Decimal(0), marks_awarded=Decimal(0), percent=Decimal(0), questions=()
    )
    assert not grade.passed(1)


def test_an_attempt_totals_its_questions():
    items = [
        (single(marks="1"), {"option": "a1"}),  # 1.00
        (multiple(marks="2"), {"options": ["a1"]}),  # 1.00
        (short_text(marks="1"), {"text": "FOI"}),  # 0.00
        (ordering(marks="2.5"), {"order": ["i1", "i3", "i4", "i2"]}),  # 0.625 → 0.63
        (matching(marks="1"), None),  # 0.00
    ]
    grade = grade_attempt(items=items)
    assert grade.marks_available == Decimal("7.5")
    assert grade.marks_awarded == Decimal("2.63")
    assert grade.percent == Decimal("35.07")  # 2.63 / 7.5 = 35.0666…
    assert [q.marks_awarded for q in grade.questions] == [
        Decimal("1"),
        Decimal("1"),
        Decimal("0"),
        Decimal("0.63"),
        Decimal("0"),
    ]
    assert grade.questions[0] == grade_question(snapshot=items[0][0], response=items[0][1])


@pytest.mark.parametrize(
    ("items", "percent"),
    [
        ([(single(), {"option": "a1"})], "100.00"),
        ([(single(), {"option": "a2"})], "0.00"),
        ([(single(), None)], "0.00"),
        ([(single(), {"option": "a1"}), (single(), None)], "50.00"),
        ([(single(), {"option": "a1"}), (single(), None), (single(), None)], "33.33"),
        ([(single(), {"option": "a1"}), (single(), {"option": "a1"}), (single(), None)], "66.67"),
        # 0.01 / 40 × 100 = 0.025 → 0.03 half up (half-even would give 0.02)
        ([(single(marks="0.01"), {"option": "a1"}), (single(marks="39.99"), None)], "0.03"),
        # 1 / 8 × 100 = 12.5 exactly
        ([(single(marks="1"), {"option": "a1"}), (single(marks="7"), None)], "12.50"),
        # The percentage is of the rounded question marks the learner sees: 3 × 0.33 of 3.
        ([(ordering(n=3), {"order": ["i1", "i3", "i2"]})] * 3, "33.00"),
    ],
)
def test_attempt_percent(items, percent):
    grade = grade_attempt(items=items)
    assert grade.percent == Decimal(percent)
    assert str(grade.percent) == percent


def test_an_attempt_with_a_malformed_snapshot_raises_value_error():
    with pytest.raises(ValueError, match="kind"):
        grade_attempt(items=[(single(), None), ({"kind": "essay", "marks": "1"}, None)])


def test_an_attempt_with_malformed_responses_still_totals():
    grade = grade_attempt(
        items=[(single(), {"option": ["a1"]}), (multiple(), "a1"), (single(), {"option": "a1"})]
    )
    assert grade.marks_awarded == Decimal("1")
    assert grade.percent == Decimal("33.33")


# --- passed --------------------------------------------------------------------------------------


def attempt_scoring(percent):
    """An attempt of two questions, worth 100 marks in all, scoring exactly ``percent``."""
    right, wrong = Decimal(percent), 100 - Decimal(percent)
    return grade_attempt(
        items=[(single(marks=str(right)), {"option": "a1"}), (single(marks=str(wrong)), None)]
    )


@pytest.mark.parametrize(
    ("percent", "pass_mark", "expected"),
    [
        ("70", 70, True),  # exactly at the pass mark passes
        ("70", Decimal("70"), True),
        ("70", Decimal("70.00"), True),
        ("69.99", 70, False),  # 0.01 below fails
        ("69.99", Decimal("70.00"), False),
        ("70.01", 70, True),
        ("80.5", Decimal("80.5"), True),
        ("80.49", Decimal("80.5"), False),
        ("99.99", 100, False),
        ("50", 0, True),
    ],
)
def test_passed_boundaries(percent, pass_mark, expected):
    grade = attempt_scoring(percent)
    assert grade.percent == Decimal(percent)
    assert grade.passed(pass_mark) is expected


@pytest.mark.parametrize("pass_mark", [100, Decimal("100.00"), 0, 50])
def test_full_marks_pass_any_pass_mark(pass_mark):
    assert grade_attempt(items=[(single(), {"option": "a1"})]).passed(pass_mark)


@pytest.mark.parametrize("pass_mark", [70.0, 0.1, True, "70", None])
def test_passed_refuses_a_pass_mark_that_is_not_a_decimal_or_int(pass_mark):
    with pytest.raises(TypeError):
        attempt_scoring("70").passed(pass_mark)


# --- overall_feedback ----------------------------------------------------------------------------

BANDS = [
    {"min_percent": 0, "text": "Keep going"},
    {"min_percent": 50, "text": "Nearly there"},
    {"min_percent": 80, "text": "Well done"},
]


@pytest.mark.parametrize(
    ("percent", "expected"),
    [
        ("0", "Keep going"),
        ("0.00", "Keep going"),
        ("49.99", "Keep going"),
        ("50", "Nearly there"),  # exactly on a boundary
        ("50.00", "Nearly there"),
        ("79.99", "Nearly there"),
        ("80.00", "Well done"),
        ("100", "Well done"),  # above all
    ],
)
@pytest.mark.parametrize(
    "bands",
    [BANDS, BANDS[::-1], [BANDS[1], BANDS[2], BANDS[0]]],
    ids=["sorted", "reversed", "shuffled"],
)
def test_overall_feedback_picks_the_highest_band_reached(bands, percent, expected):
    assert overall_feedback(percent=Decimal(percent), bands=bands) == expected


@pytest.mark.parametrize(("percent", "expected"), [("39.99", ""), ("0", ""), ("40", "Pass")])
def test_overall_feedback_is_empty_below_every_band(percent, expected):
    bands = [{"min_percent": 40, "text": "Pass"}]
    assert overall_feedback(percent=Decimal(percent), bands=bands) == expected


def test_overall_feedback_with_no_bands():
    assert overall_feedback(percent=Decimal("100"), bands=[]) == ""


@pytest.mark.parametrize(
    ("min_percent", "percent", "expected"),
    [
        (0.1, "0.10", "Hit"),  # a float is read as the decimal it spells, not 0.1000…0555
        (0.1, "0.09", ""),
        (69.99, "69.99", "Hit"),
        (69.99, "69.98", ""),
        (Decimal("66.67"), "66.67", "Hit"),
        (Decimal("66.67"), "66.66", ""),
        ("66.67", "66.67", "Hit"),
        (100, "100.00", "Hit"),
        (-5, "0", "Hit"),
    ],
)
def test_overall_feedback_min_percent_types(min_percent, percent, expected):
    bands = [{"min_percent": min_percent, "text": "Hit"}]
    assert overall_feedback(percent=Decimal(percent), bands=bands) == expected


def test_overall_feedback_tie_goes_to_the_band_listed_first():
    bands = [{"min_percent": 50, "text": "First"}, {"min_percent": 50, "text": "Second"}]
    assert overall_feedback(percent=Decimal("60"), bands=bands) == "First"


def test_overall_feedback_band_text_may_be_empty():
    bands = [{"min_percent": 0, "text": "Low"}, {"min_percent": 50, "text": ""}]
    assert overall_feedback(percent=Decimal("60"), bands=bands) == ""


@pytest.mark.parametrize(
    "band",
    [
        None,
        ["min_percent", 0],
        {"text": "No minimum"},
        {"min_percent": None, "text": "x"},
        {"min_percent": True, "text": "x"},
        {"min_percent": "fifty", "text": "x"},
        {"min_percent": float("nan"), "text": "x"},
        {"min_percent": "Infinity", "text": "x"},
        {"min_percent": [50], "text": "x"},
        {"min_percent": 50},
        {"min_percent": 50, "text": None},
        {"min_percent": 50, "text": 5},
    ],
    ids=repr,
)
def test_overall_feedback_refuses_a_malformed_band(band):
    with pytest.raises(ValueError, match="band"):
        overall_feedback(percent=Decimal("60"), bands=[*BANDS, band])


def test_overall_feedback_works_with_a_graded_attempt():
    grade = attempt_scoring("80")
    assert overall_feedback(percent=grade.percent, bands=BANDS) == "Well done"


# --- Properties ----------------------------------------------------------------------------------

KNOWN_IDS = ["a1", "a2", "a3", "a4", "true", "false", "i1", "i2", "i3", "i4", "p1", "p2", "p3"]
ids = st.sampled_from([*KNOWN_IDS, "p4", "", "zz", "A1"]) | st.text(max_size=5)

json_like = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.decimals(allow_nan=True)
    | st.text()
    | ids,
    lambda children: (
        st.lists(children, max_size=5)
        | st.tuples(children, children)
        | st.dictionaries(st.text(max_size=5) | ids, children, max_size=5)
    ),
    max_leaves=15,
)

well_shaped = st.one_of(
    st.fixed_dictionaries({"option": ids | json_like}),
    st.fixed_dictionaries({"options": st.lists(ids, max_size=6) | json_like}),
    st.fixed_dictionaries({"text": st.text() | st.sampled_from(["SAR", "subject access request"])}),
    st.fixed_dictionaries({"order": st.permutations(["i1", "i2", "i3", "i4"])}),
    st.fixed_dictionaries({"order": st.lists(ids, max_size=6) | json_like}),
    st.fixed_dictionaries({"matches": st.dictionaries(ids, ids, max_size=6)}),
    st.fixed_dictionaries({"matches": st.dictionaries(ids | st.integers(), json_like)}),
)

responses = st.one_of(
    st.none(),
    json_like,
    well_shaped,
    st.builds(lambda shaped, extra: {**shaped, **extra}, well_shaped, st.dictionaries(ids, ids)),
)

snapshots = st.sampled_from(
    [
        single(marks="1"),
        true_false(marks="0.5", correct="false"),
        multiple(marks="2.5"),
        multiple(marks="0.01", correct=("a1", "a2", "a3"), ids=("a1", "a2", "a3")),
        short_text(marks="3"),
        ordering(marks="2.5"),
        ordering(marks="0.05", n=3),
        matching(marks="1.5"),
        matching(marks="7", n=3),
    ]
)


@given(snapshot=snapshots, response=responses)
def test_grade_question_never_raises_and_stays_in_range(snapshot, response):
    grade = grade_question(snapshot=snapshot, response=response)
    assert 0 <= grade.fraction <= 1
    assert Decimal(0) <= grade.marks_awarded <= grade.marks_available
    assert grade.marks_available == Decimal(snapshot["marks"])
    assert grade.marks_awarded.as_tuple().exponent == -2


@given(items=st.lists(st.tuples(snapshots, responses), max_size=6))
def test_grade_attempt_percent_stays_in_range(items):
    grade = grade_attempt(items=items)
    assert Decimal(0) <= grade.percent <= Decimal(100)
    assert grade.marks_awarded <= grade.marks_available
    assert grade.passed(0)
    assert len(grade.questions) == len(items)


@pytest.mark.parametrize(
    "snapshot",
    [
        {
            "kind": "single",
            "marks": "1",
            "options": [{"id": "a", "correct": False}, {"id": "b", "correct": True}],
        },
        {
            "kind": "true_false",
            "marks": "1",
            "options": [{"id": "true", "correct": False}, {"id": "false", "correct": True}],
        },
        {
            "kind": "multiple",
            "marks": "2",
            "options": [
                {"id": "a", "correct": True},
                {"id": "b", "correct": True},
                {"id": "c", "correct": False},
            ],
        },
        {"kind": "short_text", "marks": "1", "accepted": ["Subject access request"]},
        {"kind": "ordering", "marks": "1", "items": [{"id": "i1"}, {"id": "i2"}, {"id": "i3"}]},
        {"kind": "matching", "marks": "1", "pairs": [{"id": "p1"}, {"id": "p2"}]},
    ],
    ids=lambda s: s["kind"],
)
def test_full_marks_response_scores_full_marks(snapshot):
    from assessments.grading import full_marks_response

    assert grade_question(snapshot=snapshot, response=full_marks_response(snapshot)).is_correct
