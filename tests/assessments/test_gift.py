"""Tests for assessments.gift: importing and exporting Moodle GIFT question files.

The GIFT code is pure, so none of these tests touches the database.
"""

import operator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.gift import (
    MAX_BYTES,
    GiftError,
    GiftResult,
    ParsedQuestion,
    export_gift,
    parse_gift,
)

# --- Helpers -------------------------------------------------------------------------------------


def parse_one(text):
    """The only question in ``text``; fails if there is anything else."""
    result = parse_gift(text)
    assert result.errors == []
    assert len(result.questions) == 1
    return result.questions[0]


def only_error(text):
    result = parse_gift(text)
    assert result.questions == []
    assert len(result.errors) == 1
    return result.errors[0]


def opt(text, correct=False, feedback=""):
    return {"text": text, "correct": correct, "feedback": feedback}


def tf_options(value, true_feedback="", false_feedback=""):
    return [opt("True", value, true_feedback), opt("False", not value, false_feedback)]


def comparable(question):
    """The fields the round trip must preserve, from a bank dict or a ParsedQuestion."""
    data = question.as_dict() if isinstance(question, ParsedQuestion) else question
    return {
        "kind": data["kind"],
        "title": data["title"],
        "stem": data["stem"],
        "options": [
            opt(o["text"], bool(o["correct"]), o.get("feedback", ""))
            for o in data.get("options") or []
        ],
        "accepted": list(data.get("accepted") or []),
        "pairs": [{"left": p["left"], "right": p["right"]} for p in data.get("pairs") or []],
        "general_feedback": data.get("general_feedback", ""),
    }


def bank_question(kind, **fields):
    question = {
        "kind": kind,
        "title": "A title",
        "stem": "A stem?",
        "options": [],
        "accepted": [],
        "items": [],
        "pairs": [],
        "general_feedback": "",
    }
    question.update(fields)
    return question


# --- Supported constructs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}",
            {
                "kind": "single",
                "stem": "Who's buried in Grant's tomb?",
                "options": [opt("Grant"), opt("Jefferson"), opt("no one", True)],
            },
            id="single-choice",
        ),
        pytest.param(
            "Pick one.{\n  =right # Well done.\n  ~wrong # No: see 2.3.\n}",
            {
                "kind": "single",
                "options": [opt("right", True, "Well done."), opt("wrong", False, "No: see 2.3.")],
            },
            id="single-choice-multiline-with-feedback",
        ),
        pytest.param(
            "Pick one.{=a ~%-50%b ~%0%c}",
            {"kind": "single", "options": [opt("a", True), opt("b"), opt("c")]},
            id="single-choice-with-penalty-weights",
        ),
        pytest.param(
            "Which are fruit?{~%50%apple ~%50%pear ~%-100%car}",
            {
                "kind": "multiple",
                "options": [opt("apple", True), opt("pear", True), opt("car")],
            },
            id="multiple-answers",
        ),
        pytest.param(
            "Which?{~%33.33333%a#yes ~%33.33333%b ~%33.33334%c ~%0%d ~e#no}",
            {
                "kind": "multiple",
                "options": [
                    opt("a", True, "yes"),
                    opt("b", True),
                    opt("c", True),
                    opt("d"),
                    opt("e", False, "no"),
                ],
            },
            id="multiple-answers-decimal-weights-and-unweighted-wrong",
        ),
        pytest.param(
            "Only one?{~%100%a ~%-100%b}",
            {"kind": "multiple", "options": [opt("a", True), opt("b")]},
            id="multiple-with-one-right-answer",
        ),
        pytest.param(
            "Grant is buried in Grant's tomb.{F}",
            {"kind": "true_false", "options": tf_options(False)},
            id="false-short",
        ),
        pytest.param(
            "The sun is hot.{T}", {"kind": "true_false", "options": tf_options(True)}, id="true"
        ),
        pytest.param(
            "The sun is hot.{TRUE}",
            {"kind": "true_false", "options": tf_options(True)},
            id="true-long",
        ),
        pytest.param(
            "The sun is cold.{ FALSE }",
            {"kind": "true_false", "options": tf_options(False)},
            id="false-long-spaced",
        ),
        pytest.param(
            "Who's buried in Grant's tomb?{=no one =nobody}",
            {"kind": "short_text", "accepted": ["no one", "nobody"]},
            id="short-answer",
        ),
        pytest.param(
            "Two plus two?{=four}",
            {"kind": "short_text", "accepted": ["four"]},
            id="short-answer-single",
        ),
        pytest.param(
            "Right of access?{=%100%SAR#Good =subject access request}",
            {"kind": "short_text", "accepted": ["SAR", "subject access request"]},
            id="short-answer-full-weight-and-feedback-ignored",
        ),
        pytest.param(
            "Match the articles.{\n=Article 15 -> Right of access\n"
            "=Article 17 -> Right to erasure\n=Article 21 -> Right to object\n}",
            {
                "kind": "matching",
                "pairs": [
                    {"left": "Article 15", "right": "Right of access"},
                    {"left": "Article 17", "right": "Right to erasure"},
                    {"left": "Article 21", "right": "Right to object"},
                ],
            },
            id="matching",
        ),
        pytest.param(
            "Match.{=a->b =c -> d -> e}",
            {
                "kind": "matching",
                "pairs": [{"left": "a", "right": "b"}, {"left": "c", "right": "d -> e"}],
            },
            id="matching-two-pairs-first-arrow-splits",
        ),
        pytest.param(
            "Pick.{=a ~b ####Read chapter 2.}",
            {"kind": "single", "general_feedback": "Read chapter 2."},
            id="general-feedback",
        ),
        pytest.param(
            "Match.{=a -> b =c -> d\n####Pairs!}",
            {"kind": "matching", "general_feedback": "Pairs!"},
            id="general-feedback-matching",
        ),
        pytest.param(
            "Grant is {~buried =entombed ~living} in Grant's tomb.",
            {"kind": "single", "stem": "Grant is _____ in Grant's tomb."},
            id="missing-word",
        ),
        pytest.param(
            "The capital of France is {=Paris =paris}.",
            {"kind": "short_text", "stem": "The capital of France is _____."},
            id="missing-word-before-punctuation",
        ),
        pytest.param(
            "Question on\ntwo lines?\n{=a ~b}",
            {"stem": "Question on\ntwo lines?"},
            id="multi-line-stem",
        ),
    ],
)
def test_supported_constructs(source, expected):
    question = parse_one(source)
    for name, value in expected.items():
        assert getattr(question, name) == value, name


@pytest.mark.parametrize(
    ("source", "true_feedback", "false_feedback"),
    [
        # In {T#a#b}, a is shown to learners who answer wrong (False), b to those who are right.
        pytest.param("Q?{T#Look again.#Yes!}", "Yes!", "Look again.", id="true-both"),
        pytest.param("Q?{F#Look again.#Yes!}", "Look again.", "Yes!", id="false-both"),
        pytest.param("Q?{TRUE#Look again.}", "", "Look again.", id="true-wrong-only"),
        pytest.param("Q?{FALSE##Yes!}", "", "Yes!", id="false-right-only"),
        pytest.param("Q?{T}", "", "", id="none"),
    ],
)
def test_true_false_feedback_goes_to_the_option_the_learner_picked(
    source, true_feedback, false_feedback
):
    question = parse_one(source)
    assert [o["text"] for o in question.options] == ["True", "False"]
    assert question.options[0]["feedback"] == true_feedback
    assert question.options[1]["feedback"] == false_feedback


def test_true_false_general_feedback():
    question = parse_one("Q?{T#wrong#right####general}")
    assert question.options == tf_options(True, "right", "wrong")
    assert question.general_feedback == "general"


# --- Titles, escapes and formats -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "title"),
    [
        pytest.param("::Grant::Who is buried?{=no one}", "Grant", id="explicit"),
        pytest.param(":: Spaced title ::Q?{=a}", "Spaced title", id="trimmed"),
        pytest.param("::Time\\: 10\\:30::Q?{=a}", "Time: 10:30", id="escaped-colon"),
        pytest.param("Who is buried?{=no one}", "Who is buried?", id="from-stem"),
        pytest.param("::::Who is buried?{=no one}", "Who is buried?", id="empty-title"),
        pytest.param("::Q1::\nWho is buried?\n{=no one}", "Q1", id="stem-on-next-line"),
    ],
)
def test_titles(source, title):
    assert parse_one(source).title == title


def test_title_from_a_long_stem_is_about_sixty_characters():
    stem = "An employer wants to install keystroke monitoring software on every laptop. " * 3
    question = parse_one(stem + "{T}")
    assert question.title.endswith("…")
    assert 30 <= len(question.title) <= 60
    assert stem.startswith(question.title[:-1])


@pytest.mark.parametrize(
    ("source", "stem", "answer"),
    [
        pytest.param("Tilde \\~ here?{=x\\~y}", "Tilde ~ here?", "x~y", id="tilde"),
        pytest.param("Is 1\\=1?{=a\\=b}", "Is 1=1?", "a=b", id="equals"),
        pytest.param("Hash \\# tag?{=\\#1}", "Hash # tag?", "#1", id="hash"),
        pytest.param("Set \\{1\\}?{=\\{x\\}}", "Set {1}?", "{x}", id="braces"),
        pytest.param("Time\\: now?{=10\\:30}", "Time: now?", "10:30", id="colon"),
        pytest.param("Line\\nbreak?{=a\\nb}", "Line\nbreak?", "a\nb", id="newline"),
        pytest.param("Back\\\\slash?{=C\\:\\\\new}", "Back\\slash?", "C:\\new", id="backslash"),
        pytest.param("Arrow?{=a-\\>b}", "Arrow?", "a->b", id="arrow"),
        pytest.param("Unknown \\q escape?{=\\t}", "Unknown \\q escape?", "\\t", id="unknown"),
    ],
)
def test_escapes(source, stem, answer):
    question = parse_one(source)
    assert question.stem == stem
    assert question.accepted == [answer]


def test_escaped_characters_do_not_split_answers_or_feedback():
    question = parse_one("Q?{=a \\~ b#fb \\= \\# c ~d \\# ####gen \\{x\\}}")
    assert question.options == [opt("a ~ b", True, "fb = # c"), opt("d #")]
    assert question.general_feedback == "gen {x}"


@pytest.mark.parametrize(
    ("source", "stem", "answers"),
    [
        pytest.param("[plain]Plain <b>?{=<b>}", "Plain <b>?", ["<b>"], id="plain"),
        pytest.param("[moodle]Moodle?{=a}", "Moodle?", ["a"], id="moodle"),
        pytest.param("[markdown]**Bold**?{=a}", "**Bold**?", ["a"], id="markdown"),
        pytest.param(
            "::T::[html]<p>Is <b>this</b> &amp; that<br>OK?</p>{=<i>yes</i> =[plain]<i>}",
            "Is this & that\nOK?",
            ["yes", "<i>"],
            id="html-and-inherited-format",
        ),
        pytest.param(
            "[HTML]<p>One</p>\n<p>Two\n  lines</p><script>x()</script>{=a}",
            "One\n\nTwo lines",
            ["a"],
            id="html-blocks",
        ),
        pytest.param("Q?{=[html]a&lt;b =[plain][html]}", "Q?", ["a<b", "[html]"], id="answers"),
    ],
)
def test_format_markers(source, stem, answers):
    question = parse_one(source)
    assert question.stem == stem
    assert question.accepted == answers


# --- Files: comments, categories, line endings ---------------------------------------------------


def test_comments_and_blank_lines():
    source = (
        "// A comment before anything\n"
        "\n"
        "// question: 1\n"
        "::One::First?{=a ~b}\n"
        "\n\n\n"
        "   // an indented comment\n"
        "::Two::Second?{\n"
        "// a comment inside the question\n"
        "=yes\n"
        "}\n"
        "// trailing comment\n"
    )
    result = parse_gift(source)
    assert result.errors == []
    assert [(q.line, q.title) for q in result.questions] == [(4, "One"), (9, "Two")]
    assert result.questions[1].accepted == ["yes"]


def test_categories():
    source = (
        "::None::Q?{T}\n"
        "\n"
        "$CATEGORY: Rights/Data protection\n"
        "\n"
        "::A::Q?{T}\n"
        "\n"
        "::B::Q?{F}\n"
        "\n"
        "$CATEGORY: $course$/Rights/Monitoring\n"
        "::C::Q?{T}\n"
    )
    result = parse_gift(source)
    assert result.errors == []
    assert [(q.title, q.category) for q in result.questions] == [
        ("None", ""),
        ("A", "Rights/Data protection"),
        ("B", "Rights/Data protection"),
        ("C", "Rights/Monitoring"),
    ]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "\ufeff// c\r\n\r\n::T::Q?{\r\n=a\r\n~b\r\n}\r\n\r\n::U::R?{T}\r\n", id="bom-crlf"
        ),
        pytest.param("// c\r\r::T::Q?{\r=a\r~b\r}\r\r::U::R?{T}\r", id="cr"),
        pytest.param("// c\n\n::T::Q?{\n=a\n~b\n}\n\n::U::R?{T}", id="lf"),
    ],
)
def test_line_endings_and_bom(source):
    result = parse_gift(source)
    assert result.errors == []
    assert [(q.line, q.title, q.kind) for q in result.questions] == [
        (3, "T", "single"),
        (8, "U", "true_false"),
    ]
    assert result.questions[0].options == [opt("a", True), opt("b")]


def test_an_empty_file_has_no_questions_and_no_errors():
    assert parse_gift("") == GiftResult([], [])
    assert parse_gift("\ufeff\n// nothing\n\n$CATEGORY: x\n") == GiftResult([], [])


# --- The size cap --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "too_big"),
    [
        pytest.param("x" * MAX_BYTES, False, id="exactly-1MB"),
        pytest.param("x" * (MAX_BYTES + 1), True, id="one-byte-over"),
        pytest.param("é" * (MAX_BYTES // 2 + 1), True, id="multibyte-over"),
        pytest.param("::T::Q?{T}\n\n" * (MAX_BYTES // 12), False, id="many-questions-under"),
    ],
)
def test_size_cap(text, too_big):
    result = parse_gift(text)
    if too_big:
        assert result == GiftResult([], [GiftError(0, "The file is larger than 1 MB.")])
    else:
        assert "The file is larger than 1 MB." not in [e.message for e in result.errors]


# --- Errors --------------------------------------------------------------------------------------

GOOD = "// Bank\n::Good::Good?{=y ~n}\n\n"  # the bad question after this starts on line 4


@pytest.mark.parametrize(
    ("bad", "fragment"),
    [
        pytest.param("Who?{~a ~b}", "exactly one answer marked with = (found 0)", id="no-equals"),
        pytest.param("Who?{=a =b ~c}", "exactly one answer marked with = (found 2)", id="two-eq"),
        pytest.param("Who?{=a ~%50%b}", "partial credit", id="partial-single"),
        pytest.param("Who?{~%0%a ~%-50%b}", "positive weight", id="multiple-no-right"),
        pytest.param("Who?{~%150%a ~b}", "between -100% and 100%", id="weight-range"),
        pytest.param("Who?{=a =%50%b}", "partial credit (50%)", id="partial-short"),
        pytest.param("When?{#1822:5}", "numerical questions", id="numerical"),
        pytest.param("When?{#\n=1822:0\n=%50%1821:1}", "numerical questions", id="numerical-ml"),
        pytest.param("Write an essay.{}", "Essay questions", id="essay"),
        pytest.param("Write an essay.{####Thanks}", "Essay questions", id="essay-feedback"),
        pytest.param("Just a description.", "no answer block", id="description"),
        pytest.param("Who?{=a ~b", "never closed with }", id="unclosed"),
        pytest.param("Who?} {=a ~b}", "before the answer block", id="close-before-open"),
        pytest.param("Who? }", "with no { before it", id="close-only"),
        pytest.param("Who?{=a {~b}", "{ inside the answer block", id="nested"),
        pytest.param("Who?{=a ~b}\nWhat?{=c ~d}", "blank line missing", id="two-blocks"),
        pytest.param("Who?{=a ~b} }", "} after the answer block", id="close-after"),
        pytest.param("{=a ~b}", "no question text", id="no-stem"),
        pytest.param("::T::  {=a ~b}", "no question text", id="no-stem-with-title"),
        pytest.param("[html]<p></p>{=a ~b}", "no question text", id="empty-html-stem"),
        pytest.param("::Title Who?{=a ~b}", "never closed with ::", id="unclosed-title"),
        pytest.param("Who?{a b c}", 'found "a b c"', id="unknown-syntax"),
        pytest.param("Who?{T F}", "must start with =", id="not-true-false"),
        pytest.param("Who?{=a ~}", "answer 2 is empty", id="empty-answer"),
        pytest.param("Who?{=a =}", "answer 2 is empty", id="empty-short-answer"),
        pytest.param("Sky is blue.{T#a#b#c}", "at most two feedback", id="tf-extra"),
        pytest.param("Match.{=a -> b}", "at least two pairs", id="one-pair"),
        pytest.param("Match.{=a -> b =c}", "answer 2 has no ->", id="missing-arrow"),
        pytest.param("Match.{=a -> b = -> d}", "both sides", id="distractor"),
    ],
)
def test_bad_question_gives_an_error_naming_its_line(bad, fragment):
    result = parse_gift(GOOD + bad + "\n\n::Also good::Q?{T}\n")
    assert [q.title for q in result.questions] == ["Good", "Also good"]
    assert len(result.errors) == 1
    error = result.errors[0]
    assert error.line == 4
    assert error.message.startswith("Line 4: ")
    assert fragment in error.message


def test_error_message_reads_like_the_example():
    error = only_error("\n" * 11 + "Which?{~a ~b ~c}")
    assert error.line == 12
    assert error.message.startswith(
        "Line 12: a multiple-choice question needs exactly one answer marked with = (found 0)."
    )


REALISTIC = """\
// Exported from Moodle 4.1 for the reps' course
$CATEGORY: $course$/top/Data protection

// question: 101  name: Access
::Access::[html]<p>Which law gives you the <b>right of access</b>?</p>{
\t=UK GDPR Article 15#Right.
\t~FOI Act 2000#FOI is about public bodies.
\t~Employment Rights Act 1996
\t####See the ICO's guide to subject access.
}

::Deadline::An employer must answer a subject access request within one month.{T#It is one \
month, extendable by two.#Correct.}

::Numbers::How many days is one month?{#30:2}

::SAR::What is a request for your own personal data called?{=subject access request =SAR}

$CATEGORY: $course$/top/Monitoring

::Tools::Which of these can monitor keystrokes?{
\t~%50%Keyloggers
\t~%50%Some "bossware" suites
\t~%-100%A paper diary
}

::Broken::Which article covers erasure?{=Article 17 =Article 15 ~Article 21}

::Match::Match each article to its right.{
\t=Article 15 -> Right of access
\t=Article 17 -> Right to erasure
\t=Article 21 -> Right to object
}

::Essay::Describe your workplace's monitoring policy.{}

::Missing::Reps can ask for a {~copy =DPIA ~holiday} before monitoring starts.
"""


def test_realistic_file_returns_good_questions_and_one_error_per_bad_one():
    result = parse_gift(REALISTIC)
    assert [(q.line, q.title, q.kind, q.category) for q in result.questions] == [
        (5, "Access", "single", "top/Data protection"),
        (12, "Deadline", "true_false", "top/Data protection"),  # one line: "\" joins two
        (16, "SAR", "short_text", "top/Data protection"),
        (20, "Tools", "multiple", "top/Monitoring"),
        (28, "Match", "matching", "top/Monitoring"),
        (36, "Missing", "single", "top/Monitoring"),
    ]
    assert [(e.line, e.message.split(":")[0]) for e in result.errors] == [
        (14, "Line 14"),  # numerical
        (26, "Line 26"),  # two answers marked with =
        (34, "Line 34"),  # essay
    ]
    access = result.questions[0]
    assert access.stem == "Which law gives you the right of access?"
    assert access.options[0] == opt("UK GDPR Article 15", True, "Right.")
    assert access.general_feedback == "See the ICO's guide to subject access."
    deadline = result.questions[1]
    assert deadline.options == tf_options(True, "Correct.", "It is one month, extendable by two.")
    assert result.questions[3].options[1] == opt('Some "bossware" suites', True)
    assert result.questions[5].stem == "Reps can ask for a _____ before monitoring starts."


# --- Never raising -------------------------------------------------------------------------------

FRAGMENTS = [
    "{",
    "}",
    "=",
    "~",
    "#",
    "####",
    "::",
    "->",
    "%50%",
    "%-100%",
    "%",
    "\\",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "//",
    "$CATEGORY: ",
    "T",
    "FALSE",
    "[html]",
    "[plain]",
    "<p>",
    "</b>",
    "&amp;",
    "&#",
    "<!",
    " ",
    "a",
    "\ufeff",
    "_____",
    "\u2028",
    "é",
]
gift_like = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=4)), max_size=60).map(
    "".join
)


def check_result(result):
    assert isinstance(result, GiftResult)
    for question in result.questions:
        assert question.kind in {"single", "multiple", "true_false", "short_text", "matching"}
        assert question.stem
        assert question.line >= 1
    for error in result.errors:
        assert error.message.startswith(f"Line {error.line}: ") or error.line == 0


@given(st.text())
def test_parse_never_raises_on_arbitrary_text(text):
    check_result(parse_gift(text))


@given(gift_like)
def test_parse_never_raises_on_gift_like_text(text):
    check_result(parse_gift(text))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fragment=gift_like, size=st.integers(MAX_BYTES - 50_000, MAX_BYTES + 50_000))
def test_parse_never_raises_on_very_long_text(fragment, size):
    fragment = fragment or "x"
    text = (fragment * (size // len(fragment) + 1))[:size]
    result = parse_gift(text)
    check_result(result)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        assert result.errors == [GiftError(0, "The file is larger than 1 MB.")]


# --- Export --------------------------------------------------------------------------------------

BANK = [
    bank_question(
        "single",
        title="Access",
        stem="Which law gives you the right of access?",
        options=[
            {"id": "a1", "text": "UK GDPR Article 15", "correct": True, "feedback": "Right."},
            {"id": "a2", "text": "FOI Act 2000", "correct": False, "feedback": ""},
        ],
        general_feedback="See the ICO guide.",
        category="Data protection",
    ),
    bank_question(
        "true_false",
        title="Deadline",
        stem="A SAR must be answered within one month.",
        options=[
            {"id": "true", "text": "True", "correct": True, "feedback": "Correct."},
            {"id": "false", "text": "False", "correct": False, "feedback": "It is one month."},
        ],
        category="Data protection",
    ),
    bank_question(
        "ordering",
        title="Put the steps in order",
        items=[{"id": "i1", "text": "Request"}, {"id": "i2", "text": "Complaint"}],
        category="Data protection",
    ),
    bank_question(
        "short_text",
        title="SAR",
        stem="What is it called?",
        accepted=["subject access request", "SAR"],
        category="Data protection",
    ),
    bank_question(
        "multiple",
        title="Tools",
        stem="Which can log keystrokes?",
        options=[opt("Keyloggers", True, "Yes."), opt("Bossware", True), opt("A diary")],
        category="Monitoring",
    ),
    bank_question(
        "matching",
        title="Match",
        stem="Match each article to its right.",
        pairs=[
            {"id": "p1", "left": "Article 15", "right": "Right of access"},
            {"id": "p2", "left": "Article 17", "right": "Right to erasure"},
        ],
        general_feedback="Articles 15 to 22.",
        category="Monitoring",
    ),
    bank_question("true_false", title="Uncategorised", stem="Q?", options=tf_options(False)),
]

EXPECTED_EXPORT = """\
$CATEGORY: Data protection

::Access::Which law gives you the right of access?{
\t=UK GDPR Article 15#Right.
\t~FOI Act 2000
\t####See the ICO guide.
}

::Deadline::A SAR must be answered within one month.{TRUE#It is one month.#Correct.}

// Skipped "Put the steps in order": ordering questions have no GIFT form.

::SAR::What is it called?{
\t=subject access request
\t=SAR
}

$CATEGORY: Monitoring

::Tools::Which can log keystrokes?{
\t~%50%Keyloggers#Yes.
\t~%50%Bossware
\t~%-50%A diary
}

::Match::Match each article to its right.{
\t=Article 15 -> Right of access
\t=Article 17 -> Right to erasure
\t####Articles 15 to 22.
}

$CATEGORY:

::Uncategorised::Q?{FALSE}
"""


def test_export_format():
    assert export_gift(BANK) == EXPECTED_EXPORT


def test_exported_bank_imports_again():
    result = parse_gift(export_gift(BANK))
    assert result.errors == []
    expected = [q for q in BANK if q["kind"] != "ordering"]
    assert [comparable(q) for q in result.questions] == [comparable(q) for q in expected]
    assert [q.category for q in result.questions] == [q.get("category", "") for q in expected]


def test_export_of_nothing_is_empty():
    assert export_gift([]) == ""


def test_export_escapes_special_characters():
    question = bank_question(
        "single",
        title="Time: 10:30",
        stem="Is {x} = ~y # z?\nSecond line \\ end",
        options=[opt("a=b", True, "#1"), opt("%50% off"), opt("[html]<b>")],
        general_feedback="// not a comment",
    )
    assert export_gift([question]) == (
        "::Time\\: 10\\:30::Is \\{x\\} \\= \\~y \\# z?\\nSecond line \\\\ end{\n"
        "\t=a\\=b#\\#1\n"
        "\t~%0%%50% off\n"
        "\t~[plain][html]<b>\n"
        "\t####// not a comment\n"
        "}\n"
    )


def test_export_weights_for_three_right_answers():
    question = bank_question(
        "multiple", options=[opt("a", True), opt("b", True), opt("c", True), opt("d")]
    )
    assert "\t~%33.33333%a\n" in export_gift([question])
    assert "\t~%-33.33333%d\n" in export_gift([question])


def test_export_protects_arrows_and_leading_percent_signs():
    short = bank_question("short_text", accepted=["a->b", "%20"])
    matching = bank_question(
        "matching", pairs=[{"left": "x->y", "right": "1->2"}, {"left": "%", "right": "p"}]
    )
    text = export_gift([short, matching])
    assert "\t=a-\\>b\n\t=%100%%20\n" in text
    assert "\t=x-\\>y -> 1->2\n\t=% -> p\n" in text


def test_export_uses_a_title_from_the_stem_when_there_is_none():
    question = bank_question("true_false", title="", stem="Is it?", options=tf_options(True))
    assert export_gift([question]) == "::Is it?::Is it?{TRUE}\n"


@pytest.mark.parametrize(
    ("question", "reason"),
    [
        pytest.param(
            bank_question("ordering", title="Steps\nin order"),
            'Skipped "Steps in order": ordering questions have no GIFT form.',
            id="ordering",
        ),
        pytest.param(
            bank_question("essay", title="E"), "Knowhow cannot write 'essay'", id="unknown-kind"
        ),
        pytest.param(bank_question("single", stem=" "), "no question text", id="no-stem"),
        pytest.param(
            bank_question("single", options=[opt("a", True)]),
            "one right and at least one wrong answer",
            id="single-alone",
        ),
        pytest.param(
            bank_question("single", options=[opt("a", True), opt("b", True)]),
            "one right and at least one wrong answer",
            id="single-two-right",
        ),
        pytest.param(
            bank_question("single", options=[opt("a", True), opt("")]),
            "an answer has no text",
            id="empty-option",
        ),
        pytest.param(
            bank_question("multiple", options=[opt("a"), opt("b")]),
            "at least one right answer",
            id="multiple-none-right",
        ),
        pytest.param(
            bank_question("true_false", options=[opt("True", True), opt("False", True)]),
            "exactly one of True and False",
            id="tf-both-right",
        ),
        pytest.param(
            bank_question("true_false", options=[opt("True", True)]),
            "exactly the options True and False",
            id="tf-one-option",
        ),
        pytest.param(bank_question("short_text"), "at least one accepted", id="short-none"),
        pytest.param(
            bank_question("matching", pairs=[{"left": "a", "right": "b"}]),
            "at least two pairs",
            id="matching-one-pair",
        ),
    ],
)
def test_export_skips_what_gift_cannot_hold_with_a_comment(question, reason):
    text = export_gift([question, bank_question("true_false", options=tf_options(True))])
    comment, rest = text.split("\n\n")
    assert comment.startswith("// Skipped ")
    assert "\n" not in comment
    assert reason in comment
    assert rest == "::A title::A stem?{TRUE}\n"


# --- Round trip ----------------------------------------------------------------------------------

SPECIAL = "~ = # { } : \\ -> % [html] // $CATEGORY: ####\nnext line"

ROUND_TRIP_CASES = [
    bank_question(
        "single",
        options=[opt("Right", True, "Yes"), opt("Wrong", False, "No"), opt("Also wrong")],
        general_feedback="General",
    ),
    bank_question(
        "multiple",
        options=[opt("a", True), opt("b", False, "no"), opt("c", True, "yes")],
    ),
    bank_question("multiple", options=[opt("only", True)]),
    bank_question("true_false", options=tf_options(True, "Right!", "Wrong!")),
    bank_question("true_false", options=tf_options(False, "", "Right!"), general_feedback="G"),
    bank_question("true_false", options=tf_options(False, "Wrong!", "")),
    bank_question("short_text", accepted=["one", "two words", "T"]),
    bank_question(
        "matching",
        pairs=[{"left": "a", "right": "1"}, {"left": "b", "right": "2"}],
        general_feedback="Pairs",
    ),
    bank_question(
        "single",
        title=SPECIAL,
        stem=SPECIAL,
        options=[opt(SPECIAL, True, SPECIAL), opt("%5%" + SPECIAL, False, SPECIAL)],
        general_feedback=SPECIAL,
    ),
    bank_question(
        "multiple",
        title=SPECIAL,
        stem="[PLAIN]" + SPECIAL,
        options=[opt("%5%" + SPECIAL, True, SPECIAL), opt(SPECIAL, False, "#")],
    ),
    bank_question(
        "true_false", stem=SPECIAL, options=tf_options(True, SPECIAL, "#" + SPECIAL + "#")
    ),
    bank_question("short_text", stem=SPECIAL, accepted=[SPECIAL, "%1%x", "a->b", "TRUE"]),
    bank_question(
        "matching",
        stem=SPECIAL,
        pairs=[{"left": SPECIAL, "right": SPECIAL}, {"left": "x-", "right": ">y"}],
        general_feedback="####",
    ),
]


@pytest.mark.parametrize("question", ROUND_TRIP_CASES)
def test_round_trip_hand_written(question):
    assert comparable(parse_one(export_gift([question]))) == comparable(question)


SPECIAL_CHARS = list("~=#{}:\\->%[]/$ \n")
plain_text = (
    st.text(
        st.one_of(st.sampled_from(SPECIAL_CHARS), st.characters(exclude_categories=("Cs", "Cc"))),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(bool)
)
prefixed_text = st.builds(
    operator.add,
    st.sampled_from(["[html]", "[Plain]", "->", "%50%", "%", "//", "$CATEGORY:", "####", "::"]),
    plain_text,
)
texts = st.one_of(plain_text, prefixed_text, st.sampled_from(["T", "FALSE", "#", "{}", "\\"]))
feedbacks = st.one_of(st.just(""), texts)


@st.composite
def bank_questions(draw):
    kind = draw(st.sampled_from(["single", "multiple", "true_false", "short_text", "matching"]))
    fields = {
        "title": draw(texts),
        "stem": draw(texts),
        "general_feedback": draw(feedbacks),
        "category": draw(st.sampled_from(["", "Rights", "Rights/Data protection", "a/b/c"])),
    }
    if kind == "single":
        count = draw(st.integers(2, 5))
        right = draw(st.integers(0, count - 1))
        fields["options"] = [opt(draw(texts), i == right, draw(feedbacks)) for i in range(count)]
    elif kind == "multiple":
        flags = draw(st.lists(st.booleans(), min_size=1, max_size=6).filter(any))
        fields["options"] = [opt(draw(texts), flag, draw(feedbacks)) for flag in flags]
    elif kind == "true_false":
        fields["options"] = tf_options(draw(st.booleans()), draw(feedbacks), draw(feedbacks))
    elif kind == "short_text":
        fields["accepted"] = draw(st.lists(texts, min_size=1, max_size=4))
    else:
        fields["pairs"] = [
            {"left": left, "right": right}
            for left, right in draw(st.lists(st.tuples(texts, texts), min_size=2, max_size=5))
        ]
    return bank_question(kind, **fields)


@settings(max_examples=300)
@given(bank_questions())
def test_round_trip_one_question(question):
    assert comparable(parse_one(export_gift([question]))) == comparable(question)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(bank_questions(), max_size=8))
def test_round_trip_a_bank_keeps_order_and_categories(bank):
    result = parse_gift(export_gift(bank))
    assert result.errors == []
    assert [comparable(q) for q in result.questions] == [comparable(q) for q in bank]
    assert [q.category for q in result.questions] == [q["category"] for q in bank]


def test_parsed_questions_export_and_import_unchanged():
    first = parse_gift(REALISTIC).questions
    second = parse_gift(export_gift([q.as_dict() for q in first])).questions
    assert [comparable(q) for q in second] == [comparable(q) for q in first]
    assert [q.category for q in second] == [q.category for q in first]
