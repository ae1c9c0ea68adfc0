"""Turn a learner's responses into marks, with no database.

Grading is pure code (CONTRIBUTING.md, "Services and selectors"): an attempt stores a
*snapshot* of every question it showed, and this module grades those snapshots against the
learner's *responses*, as defined in ``docs/question-format.md``. Keeping it free of Django
means the rules can be tested exhaustively and quickly, and a past attempt can always be
re-graded from what it stored.

Two kinds of input, trusted differently:

- A **snapshot** is written by our own code, so a malformed one is a bug: ``grade_question``
  raises ``ValueError`` rather than quietly awarding marks for a question that cannot be graded.
- A **response** came from a learner. It is checked before it is stored, but grading must not
  depend on that: any response that is not exactly the documented shape scores 0 and never
  raises, so one bad row can never break a results page or a certificate run.

Marks are ``Decimal`` (what people read and what the database stores); the credit for a
question is an exact ``Fraction`` so that, say, two thirds of 2.5 marks is rounded once, at the
end, and never drifts through binary floating point.
"""

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

KINDS = frozenset({"single", "multiple", "true_false", "short_text", "ordering", "matching"})

_ZERO = Fraction(0)
_ONE = Fraction(1)
_HUNDRED = Fraction(100)


# --- Public API ---------------------------------------------------------------------------------


def normalise_answer(text: str) -> str:
    """Reduce a typed answer to the form that short-text answers are compared in.

    The steps, in order:

    1. Unicode NFKC, so that look-alike encodings of the same text compare equal: full-width
       letters (``"ＳＡＲ"``), ligatures (``"ﬁ"``) and a letter followed by a combining accent
       all become their ordinary composed form. NFKC does *not* strip accents: ``"café"``
       and ``"cafe"`` stay different.
    2. Case-folding (stronger than lower-casing: ``"ß"`` becomes ``"ss"``), then NFKC again,
       because case-folding can leave a decomposed sequence behind.
    3. Every Unicode punctuation character (general category ``P*``: hyphens, dashes, full stops,
       straight and curly quotes, brackets…) is **replaced by a space**, not deleted. Deleting
       would glue words together, so ``"Subject-Access"`` would become ``"subjectaccess"`` and
       no longer match ``"subject access"``. The price is that ``"don't"`` reads as
       ``"don t"``; since accepted answers are normalised the same way, they still match.
       Symbols (category ``S*``: ``£``, ``$``, ``+``, ``=``) are kept, because they can change
       meaning. Unicode counts ``%``, ``&``, ``#``, ``@`` and ``/`` as punctuation, so those go.
    4. Runs of white space (any Unicode white space) collapse to one space; the ends are trimmed.

    >>> normalise_answer("  Subject-Access   Request!! ")
    'subject access request'
    """
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    spaced = "".join(" " if unicodedata.category(ch).startswith("P") else ch for ch in text)
    return " ".join(spaced.split())


@dataclass(frozen=True)
class QuestionGrade:
    """The result of grading one question.

    ``fraction`` is the exact share of the marks earned, from 0 to 1. ``marks_awarded`` is
    ``marks_available × fraction`` rounded to 2 places, half up; both marks carry 2 places.
    """

    fraction: Fraction
    marks_available: Decimal
    marks_awarded: Decimal

    @property
    def is_correct(self) -> bool:
        return self.fraction == 1

    @property
    def is_partially_correct(self) -> bool:
        return 0 < self.fraction < 1


def grade_question(*, snapshot: dict, response: dict | None) -> QuestionGrade:
    """Grade one response against the snapshot of the question it answers.

    ``response`` is ``None`` when the question was not answered; that, and any response not in
    the documented shape for the snapshot's kind, scores 0. This function never raises because
    of the response. It raises ``ValueError`` if the snapshot itself cannot be graded (unknown
    kind, marks not a positive decimal with at most 2 places, a single-answer question without
    exactly one correct option, and so on).
    """
    if not isinstance(snapshot, dict):
        raise ValueError("A question snapshot must be a dict.")
    kind = snapshot.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        raise ValueError(f"Unknown question kind: {kind!r}.")
    marks = _snapshot_marks(snapshot.get("marks"))
    fraction = _FRACTION_BY_KIND[kind](snapshot, response)
    return QuestionGrade(
        fraction=fraction,
        marks_available=_round_2dp(marks),
        marks_awarded=_round_2dp(marks * fraction),
    )


@dataclass(frozen=True)
class AttemptGrade:
    """The result of grading a whole attempt.

    ``marks_awarded`` is the sum of the questions' already-rounded marks, so the total always
    agrees with the per-question marks a learner is shown. ``percent`` is
    ``marks_awarded / marks_available × 100`` rounded to 2 places, half up.
    """

    marks_available: Decimal
    marks_awarded: Decimal
    percent: Decimal
    questions: tuple[QuestionGrade, ...]

    def passed(self, pass_mark: Decimal | int) -> bool:
        """Whether the attempt reached ``pass_mark`` (a percentage); reaching it exactly passes.

        A ``float`` is refused rather than compared: ``70.1`` as a float is slightly less than
        70.1, and a pass/fail decision should not hinge on that.
        """
        if isinstance(pass_mark, bool) or not isinstance(pass_mark, Decimal | int):
            raise TypeError("pass_mark must be a Decimal or an int.")
        return self.percent >= pass_mark


def grade_attempt(*, items: list[tuple[dict, dict | None]]) -> AttemptGrade:
    """Grade every (snapshot, response) pair of an attempt and total them.

    An attempt with no questions has nothing available and nothing awarded; its percentage is
    0, not a division by zero, so it never passes a positive pass mark.
    """
    questions = tuple(
        grade_question(snapshot=snapshot, response=response) for snapshot, response in items
    )
    available = sum((q.marks_available for q in questions), Decimal("0.00"))
    awarded = sum((q.marks_awarded for q in questions), Decimal("0.00"))
    if available:
        percent = _round_2dp(Fraction(awarded) / Fraction(available) * _HUNDRED)
    else:
        percent = Decimal("0.00")
    return AttemptGrade(
        marks_available=available,
        marks_awarded=awarded,
        percent=percent,
        questions=questions,
    )


def overall_feedback(*, percent: Decimal, bands: list[dict]) -> str:
    """Pick the feedback for a score from the quiz's bands.

    Each band is ``{"min_percent": number, "text": str}``. The band that applies is the one
    with the highest ``min_percent`` that ``percent`` reaches (reaching it exactly counts); the
    bands may be listed in any order. If two bands share that ``min_percent``, the one listed
    first wins. Returns ``""`` when no band applies. A float ``min_percent`` (JSON gives floats)
    is read by its shortest decimal spelling, so ``0.1`` means exactly 0.1. Bands are
    configuration written by our own code, so a malformed band raises ``ValueError``.
    """
    best_min: Decimal | None = None
    best_text = ""
    for band in bands:
        if not isinstance(band, dict):
            raise ValueError("A feedback band must be a dict.")
        minimum = _band_min_percent(band.get("min_percent"))
        text = band.get("text")
        if not isinstance(text, str):
            raise ValueError("A feedback band's text must be a string.")
        if minimum <= percent and (best_min is None or minimum > best_min):
            best_min, best_text = minimum, text
    return best_text


# --- Marking rules, one per kind ----------------------------------------------------------------
#
# Each takes (snapshot, response) and returns the exact fraction earned. Snapshot problems raise
# ValueError; response problems return 0.


def _fraction_single(snapshot: dict, response: Any) -> Fraction:
    """Full marks for the one correct option, otherwise none."""
    options = _snapshot_options(snapshot)
    correct = [option["id"] for option in options if option["correct"]]
    if len(correct) != 1:
        raise ValueError("A single-answer question must have exactly one correct option.")
    chosen = _response_value(response, "option")
    return _ONE if isinstance(chosen, str) and chosen == correct[0] else _ZERO


def _fraction_true_false(snapshot: dict, response: Any) -> Fraction:
    """As single, but the options must be exactly "true" and "false"."""
    ids = [option["id"] for option in _snapshot_options(snapshot)]
    if sorted(ids) != ["false", "true"]:
        raise ValueError('A true/false question must have exactly the options "true", "false".')
    return _fraction_single(snapshot, response)


def _fraction_multiple(snapshot: dict, response: Any) -> Fraction:
    """max(0, (correct chosen − wrong chosen) / number correct).

    Subtracting wrong choices stops "tick everything" from earning marks; the floor at 0 stops
    a wrong guess costing marks earned on other questions. Choosing an option twice counts once.
    An id the question does not have means the response is not for this question: it scores 0.
    """
    options = _snapshot_options(snapshot)
    correct = {option["id"] for option in options if option["correct"]}
    if not correct:
        raise ValueError("A multiple-answer question must have at least one correct option.")
    ids = _response_ids(response, "options")
    if ids is None:
        return _ZERO
    chosen = set(ids)
    if not chosen <= {option["id"] for option in options}:
        return _ZERO
    right = len(chosen & correct)
    wrong = len(chosen - correct)
    return max(_ZERO, Fraction(right - wrong, len(correct)))


def _fraction_short_text(snapshot: dict, response: Any) -> Fraction:
    """Full marks when the normalised answer equals any normalised accepted answer."""
    accepted = snapshot.get("accepted")
    if not isinstance(accepted, list) or not accepted:
        raise ValueError("A short-text question needs a non-empty list of accepted answers.")
    if not all(isinstance(answer, str) for answer in accepted):
        raise ValueError("Accepted answers must be strings.")
    normalised = {normalise_answer(answer) for answer in accepted}
    if "" in normalised:
        # Otherwise a blank or punctuation-only answer would score full marks.
        raise ValueError("An accepted answer must contain something besides punctuation.")
    text = _response_value(response, "text")
    if not isinstance(text, str):
        return _ZERO
    return _ONE if normalise_answer(text) in normalised else _ZERO


def _fraction_ordering(snapshot: dict, response: Any) -> Fraction:
    """Items in their correct position / number of items.

    The response must list every item exactly once; anything else (a missing, repeated or
    unknown item) is not an ordering of this question and scores 0.
    """
    correct_order = _snapshot_ids(snapshot, "items")
    order = _response_ids(response, "order")
    if order is None or sorted(order) != sorted(correct_order):
        return _ZERO
    in_place = sum(1 for given, right in zip(order, correct_order, strict=True) if given == right)
    return Fraction(in_place, len(correct_order))


def _fraction_matching(snapshot: dict, response: Any) -> Fraction:
    """Left items matched to their own right / number of pairs.

    A left item missing from the response is simply unmatched (it earns nothing), and two left
    items may point at the same right, as with a drop-down per row. An id the question does not
    have, on either side, means the response is not for this question: it scores 0.
    """
    pair_ids = set(_snapshot_ids(snapshot, "pairs"))
    matches = _response_value(response, "matches")
    if not isinstance(matches, dict):
        return _ZERO
    for left, right in matches.items():
        if not (isinstance(left, str) and isinstance(right, str)):
            return _ZERO
        if left not in pair_ids or right not in pair_ids:
            return _ZERO
    matched = sum(1 for left, right in matches.items() if left == right)
    return Fraction(matched, len(pair_ids))


_FRACTION_BY_KIND = {
    "single": _fraction_single,
    "true_false": _fraction_true_false,
    "multiple": _fraction_multiple,
    "short_text": _fraction_short_text,
    "ordering": _fraction_ordering,
    "matching": _fraction_matching,
}


# --- Reading snapshots (trusted: problems raise ValueError) ------------------------------------


def _snapshot_marks(value: Any) -> Fraction:
    """Marks as an exact fraction: a decimal string (or int, or Decimal) > 0, ≤ 2 places.

    More than 2 places is refused because awarded marks are rounded to 2: full marks on a
    0.335-mark question would round up to 0.34, more than the question is worth. Floats are
    refused because they cannot hold most decimals exactly.
    """
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise ValueError(f"Marks must be a decimal string, not {value!r}.")
    try:
        marks = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"Marks must be a decimal string, not {value!r}.") from None
    if not marks.is_finite() or marks <= 0:
        raise ValueError(f"Marks must be greater than 0, not {value!r}.")
    exact = Fraction(marks)
    if (exact * _HUNDRED).denominator != 1:
        raise ValueError(f"Marks may have at most 2 decimal places, not {value!r}.")
    return exact


def _snapshot_options(snapshot: dict) -> list[dict]:
    """The options list, each with a unique string id and a boolean ``correct``."""
    options = snapshot.get("options")
    if not isinstance(options, list) or not options:
        raise ValueError("This question needs a non-empty list of options.")
    for option in options:
        if not isinstance(option, dict) or not isinstance(option.get("correct"), bool):
            raise ValueError("Each option must be a dict with a boolean 'correct'.")
    _check_unique_ids(option.get("id") for option in options)
    return options


def _snapshot_ids(snapshot: dict, key: str) -> list[str]:
    """The ids of the ``items`` or ``pairs`` list, in the snapshot's (correct) order."""
    entries = snapshot.get(key)
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"This question needs a non-empty list of {key}.")
    if not all(isinstance(entry, dict) for entry in entries):
        raise ValueError(f"Each of the {key} must be a dict.")
    ids = [entry.get("id") for entry in entries]
    _check_unique_ids(ids)
    return ids


def _check_unique_ids(ids: Iterable[Any]) -> None:
    ids = list(ids)
    if not all(isinstance(id_, str) for id_ in ids):
        raise ValueError("Every id in a snapshot must be a string.")
    if len(set(ids)) != len(ids):
        raise ValueError("Ids in a snapshot must be unique.")


def _band_min_percent(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise ValueError(f"A band's min_percent must be a number, not {value!r}.")
    try:
        minimum = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise ValueError(f"A band's min_percent must be a number, not {value!r}.") from None
    if not minimum.is_finite():
        raise ValueError(f"A band's min_percent must be finite, not {value!r}.")
    return minimum


# --- Reading responses (untrusted: problems give None, which scores 0) -------------------------


def _response_value(response: Any, key: str) -> Any:
    """The response's one value, or ``None`` unless it is a dict with exactly that one key."""
    if not isinstance(response, dict) or len(response) != 1 or key not in response:
        return None
    return response[key]


def _response_ids(response: Any, key: str) -> list[str] | None:
    """The response's list of string ids, or ``None`` if it is not one."""
    ids = _response_value(response, key)
    if not isinstance(ids, list) or not all(isinstance(id_, str) for id_ in ids):
        return None
    return ids


# --- Arithmetic ----------------------------------------------------------------------------------


def _round_2dp(value: Fraction) -> Decimal:
    """Round a non-negative exact value to 2 places, half up, with no loss on the way.

    Working in integers avoids the Decimal context's precision limit, so any value is exact.
    """
    hundredths = value * _HUNDRED
    rounded = (hundredths.numerator * 2 + hundredths.denominator) // (2 * hundredths.denominator)
    return Decimal(f"{rounded}E-2")


def full_marks_response(snapshot: dict) -> dict:
    """The response that scores full marks on a snapshot: the key, in response form.

    For demonstration data and tests. Never sent to a learner's browser.
    """
    kind = snapshot["kind"]
    if kind in ("single", "true_false"):
        return {"option": next(o["id"] for o in snapshot["options"] if o["correct"])}
    if kind == "multiple":
        return {"options": [o["id"] for o in snapshot["options"] if o["correct"]]}
    if kind == "short_text":
        return {"text": snapshot["accepted"][0]}
    if kind == "ordering":
        return {"order": [item["id"] for item in snapshot["items"]]}
    if kind == "matching":
        return {"matches": {pair["id"]: pair["id"] for pair in snapshot["pairs"]}}
    raise ValueError(f"unknown question kind {kind!r}")
