"""Moodle GIFT import and export for Knowhow's question bank.

Pure code: the standard library only, no Django and no database. The admin calls
:func:`parse_gift` to preview an uploaded file (good questions and one plain-English
error per bad question) and :func:`export_gift` to write the bank back out.

Supported GIFT (the common subset):

* ``//`` comment lines, blank lines between questions, ``::title::``,
  ``$CATEGORY: a/b/c`` lines;
* multiple choice with one right answer ``{=right ~wrong ~wrong}`` (kind ``single``);
* multiple choice with percentage weights and no ``=`` answer
  ``{~%50%a ~%50%b ~%-100%c}`` (kind ``multiple``: positive weight = correct);
* true/false ``{T}`` ``{F}`` ``{TRUE}`` ``{FALSE}`` with ``#wrong-feedback#right-feedback``;
* short answer ``{=answer =other answer}`` (kind ``short_text``);
* matching ``{=left -> right =left2 -> right2}`` (kind ``matching``, at least two pairs);
* per-answer feedback ``#...``, general feedback ``####...``;
* escapes ``\\~ \\= \\# \\{ \\} \\: \\\\`` and ``\\n`` (newline), plus Knowhow's ``\\>``
  (so that ``->`` can appear in a matching question's left side or a short answer);
* "missing word" questions (text after the answer block): the answer block's place in
  the stem becomes ``_____``;
* ``[plain]`` ``[moodle]`` ``[markdown]`` ``[html]`` format markers are removed; ``[html]``
  text is reduced to plain text.

Numerical questions, essays and description-only "questions" produce an error, as do
partial-credit answers Knowhow cannot mark (``{=a ~%50%b}``, ``{=a =%50%b}``) and
matching questions with unmatched extra answers. Per-answer feedback on short answers
and matching pairs is ignored: Knowhow has nowhere to keep it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from typing import Any

__all__ = [
    "MAX_BYTES",
    "GiftError",
    "GiftResult",
    "ParsedQuestion",
    "export_gift",
    "parse_gift",
]

MAX_BYTES = 1024 * 1024  # "1 MB"
TITLE_LENGTH = 60
SUPPORTED_KINDS = ("single", "multiple", "true_false", "short_text", "matching")
BLANK = "_____"


# --- Results -------------------------------------------------------------------------------------


@dataclass
class ParsedQuestion:
    """One good question read from a GIFT file, in Knowhow's terms."""

    line: int
    title: str
    kind: str
    stem: str
    options: list[dict] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)
    pairs: list[dict] = field(default_factory=list)
    general_feedback: str = ""
    category: str = ""

    def as_dict(self) -> dict:
        """The question in the shape :func:`export_gift` (and the bank) expects."""
        data = asdict(self)
        del data["line"]
        data["items"] = []
        return data


@dataclass
class GiftError:
    """A question that could not be imported; ``message`` already names the line."""

    line: int  # 1-based line where the bad question starts; 0 means the whole file
    message: str


@dataclass
class GiftResult:
    questions: list[ParsedQuestion] = field(default_factory=list)
    errors: list[GiftError] = field(default_factory=list)


class _BadQuestion(Exception):
    """Raised inside the parser; turned into a GiftError for the question."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- Escapes -------------------------------------------------------------------------------------

# Characters a backslash turns into plain text. ">" is Knowhow's addition so that a literal
# "->" can be written as "-\>"; Moodle itself has no way to write one in those places.
_ESCAPABLE = frozenset("~=#{}:\\>")
_UNESCAPE_RE = re.compile(r"\\([\s\S])")
_ESCAPE_RE = re.compile(r"[\\~=#{}:\n]")
_TOKEN_RES: dict[str, re.Pattern[str]] = {}


def _token_re(pattern: str) -> re.Pattern[str]:
    """A regex matching an escape pair (to skip it) or, in group 1, an unescaped token."""
    compiled = _TOKEN_RES.get(pattern)
    if compiled is None:
        compiled = re.compile(r"\\[\s\S]|(" + pattern + ")")
        _TOKEN_RES[pattern] = compiled
    return compiled


def _positions(text: str, pattern: str, start: int = 0) -> Iterable[int]:
    """Start positions of unescaped matches of ``pattern`` (a regex) in ``text``.

    ``start`` must not fall between a backslash and the character it escapes.
    """
    for match in _token_re(pattern).finditer(text, start):
        if match.group(1) is not None:
            yield match.start(1)


def _find(text: str, token: str, start: int = 0) -> int:
    """Index of the first unescaped ``token`` at or after ``start``, or -1."""
    return next(iter(_positions(text, re.escape(token), start)), -1)


def _split(text: str, token: str) -> list[str]:
    """``text`` split at every unescaped ``token``."""
    parts, last = [], 0
    for index in _positions(text, re.escape(token)):
        parts.append(text[last:index])
        last = index + len(token)
    parts.append(text[last:])
    return parts


def _split_first(text: str, token: str) -> tuple[str, str]:
    index = _find(text, token)
    if index < 0:
        return text, ""
    return text[:index], text[index + len(token) :]


def _unescape(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        char = match.group(1)
        if char == "n":
            return "\n"
        if char in _ESCAPABLE:
            return char
        return match.group(0)  # not a GIFT escape: keep the backslash, as Moodle does

    return _UNESCAPE_RE.sub(replace, text)


# --- Text formats --------------------------------------------------------------------------------

_FORMAT_RE = re.compile(r"\[(plain|moodle|html|markdown)\]", re.IGNORECASE)
_BLOCK_TAGS = frozenset(
    {"p", "div", "li", "ul", "ol", "tr", "table", "blockquote", "pre", "section", "article"}
    | {f"h{level}" for level in range(1, 7)}
)
_SKIP_TAGS = frozenset({"script", "style"})
_SPACE_RE = re.compile(r"\s+")


class _HTMLToText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _SKIP_TAGS:
            self.skipping += 1
        elif tag == "br" or tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        if tag == "br" or tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(_SPACE_RE.sub(" ", data))


def _html_to_text(markup: str) -> str:
    parser = _HTMLToText()
    try:
        parser.feed(markup)
        parser.close()
        text = "".join(parser.parts)
    except Exception:  # a very broken fragment: fall back to dropping anything tag-like
        text = re.sub(r"<[^>]*>", " ", markup)
    lines: list[str] = []
    for line in text.split("\n"):
        line = " ".join(line.split())
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip()


def _split_format(raw: str) -> tuple[str | None, str]:
    """Remove a leading ``[plain]``-style marker from ``raw`` (already left-stripped)."""
    match = _FORMAT_RE.match(raw)
    if match is None:
        return None, raw
    return match.group(1).lower(), raw[match.end() :]


def _render(raw: str, text_format: str) -> str:
    text = _unescape(raw)
    return _html_to_text(text) if text_format == "html" else text


def _convert(raw: str, default_format: str) -> str:
    """One GIFT text (answer, feedback, pair side) as plain text."""
    text_format, raw = _split_format(raw.strip())
    return _render(raw, text_format or default_format).strip()


def _default_title(stem: str) -> str:
    flat = " ".join(stem.split())
    if len(flat) <= TITLE_LENGTH:
        return flat
    cut = flat[: TITLE_LENGTH - 1]
    if " " in cut[TITLE_LENGTH // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip() + "…"


def _quote(raw: str) -> str:
    flat = " ".join(raw.split())
    return f'"{flat[:40]}…"' if len(flat) > 40 else f'"{flat}"'


# --- Parsing -------------------------------------------------------------------------------------

_TRUE_FALSE_RE = re.compile(r"T|F|TRUE|FALSE", re.IGNORECASE)
_WEIGHT_RE = re.compile(r"%\s*(-?\d+(?:\.\d+)?)\s*%")
_CATEGORY_PREFIX = "$CATEGORY:"
_CONTEXT_RE = re.compile(r"^\$[a-z0-9_]+\$/?", re.IGNORECASE)


def parse_gift(text: str) -> GiftResult:
    """Read a GIFT file. Never raises: every bad question becomes a :class:`GiftError`."""
    if not isinstance(text, str):
        return GiftResult(errors=[GiftError(0, "The file could not be read as text.")])
    if _too_big(text):
        return GiftResult(errors=[GiftError(0, "The file is larger than 1 MB.")])
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")

    result = GiftResult()
    category = ""
    block: list[str] = []
    start = 0

    def flush() -> None:
        if block:
            _parse_block("\n".join(block), start, category, result)
            block.clear()

    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith("//"):
            continue
        elif stripped[: len(_CATEGORY_PREFIX)].upper() == _CATEGORY_PREFIX:
            flush()
            category = _clean_category(stripped[len(_CATEGORY_PREFIX) :])
        else:
            if not block:
                start = number
            block.append(line)
    flush()
    return result


def _too_big(text: str) -> bool:
    if len(text) > MAX_BYTES:
        return True
    if len(text) * 4 <= MAX_BYTES:
        return False
    return len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES


def _clean_category(raw: str) -> str:
    # Moodle writes "$course$/top/..."; the context part means nothing to Knowhow.
    return _CONTEXT_RE.sub("", raw.strip()).strip()


def _parse_block(text: str, line: int, category: str, result: GiftResult) -> None:
    try:
        question = _parse_question(text, line, category)
    except _BadQuestion as bad:
        result.errors.append(GiftError(line, f"Line {line}: {bad.message}"))
    except Exception:  # a safety net: one odd question must not stop the import
        result.errors.append(
            GiftError(line, f"Line {line}: this question could not be read; check its syntax.")
        )
    else:
        result.questions.append(question)


def _parse_question(text: str, line: int, category: str) -> ParsedQuestion:
    body = text.strip()
    title = ""
    if body.startswith("::"):
        end = _find(body, "::", 2)
        if end < 0:
            raise _BadQuestion(
                "the title starts with :: but is never closed with ::. "
                "Write the title as ::Title:: (use \\: for a colon inside it)."
            )
        title = _unescape(body[2:end]).strip()
        body = body[end + 2 :]

    opening = _find(body, "{")
    closing = _find(body, "}")
    if opening < 0:
        if closing >= 0:
            raise _BadQuestion(
                "there is a } with no { before it. Write \\} for a literal closing brace."
            )
        raise _BadQuestion(
            "this question has no answer block. Put the answers in curly brackets after "
            "the question text, for example {=right ~wrong}."
        )
    if 0 <= closing < opening:
        raise _BadQuestion(
            "there is a } before the answer block opens. Write \\} for a literal closing brace."
        )
    closing = _find(body, "}", opening + 1)
    if closing < 0:
        raise _BadQuestion(
            "the answer block opened with { is never closed with }. "
            "Write \\{ for a literal opening brace."
        )
    inner = body[opening + 1 : closing]
    if _find(inner, "{") >= 0:
        raise _BadQuestion(
            "there is a { inside the answer block. Close the block with } first, "
            "or write \\{ for a literal brace."
        )
    before, after = body[:opening], body[closing + 1 :]
    if _find(after, "{") >= 0:
        raise _BadQuestion(
            "this question has more than one answer block. "
            "Is a blank line missing between two questions?"
        )
    if _find(after, "}") >= 0:
        raise _BadQuestion(
            "there is a } after the answer block. Write \\} for a literal closing brace."
        )

    stem_format, before = _split_format(before.lstrip())
    text_format = stem_format or "moodle"
    stem = _render(before, text_format)
    if after.strip():  # a "missing word" question: the block's place becomes a blank
        stem = (
            stem.rstrip()
            + (" " if before[-1:].isspace() else "")
            + BLANK
            + (" " if after[:1].isspace() else "")
            + _render(after, text_format).lstrip()
        )
    stem = stem.strip()
    if not stem:
        raise _BadQuestion("the question has no question text before its answer block.")

    answers, general_raw = _split_first(inner, "####")
    question = ParsedQuestion(
        line=line,
        title=title or _default_title(stem),
        kind="",
        stem=stem,
        general_feedback=_convert(general_raw, text_format),
        category=category,
    )
    answers = answers.strip()
    if not answers:
        raise _BadQuestion(
            "the answer block is empty. Essay questions ({}) are not supported; "
            "add answers such as {=right ~wrong}."
        )
    if answers.startswith("#"):
        raise _BadQuestion("numerical questions ({#...}) are not supported.")

    true_false = _split(answers, "#")
    if _TRUE_FALSE_RE.fullmatch(true_false[0].strip()):
        _read_true_false(question, true_false, text_format)
        return question

    parts = _split_answers(answers)
    if any(marker == "~" for marker, _ in parts):
        _read_choice(question, parts, text_format)
    elif any(_find(_split_first(body, "#")[0], "->") >= 0 for _, body in parts):
        _read_matching(question, parts, text_format)
    else:
        _read_short(question, parts, text_format)
    return question


def _split_answers(answers: str) -> list[tuple[str, str]]:
    """``[(marker, raw answer)]`` for an answer block's ``=`` and ``~`` answers."""
    positions = list(_positions(answers, "[=~]"))
    prefix = answers[: positions[0]] if positions else answers
    if prefix.strip():
        raise _BadQuestion(
            "each answer must start with = (a right answer) or ~ (a wrong answer); "
            f"found {_quote(prefix)}."
        )
    ends = [*positions[1:], len(answers)]
    return [
        (answers[pos], answers[pos + 1 : end]) for pos, end in zip(positions, ends, strict=True)
    ]


def _take_weight(raw: str, number: int) -> tuple[str, float | None]:
    """Split a leading ``%50%`` weight off an answer."""
    stripped = raw.lstrip()
    match = _WEIGHT_RE.match(stripped)
    if match is None:
        return raw, None
    weight = float(match.group(1))
    if not -100 <= weight <= 100:
        raise _BadQuestion(
            f"answer {number} has the weight {match.group(0)}; "
            "weights must be between -100% and 100%."
        )
    return stripped[match.end() :], weight


def _read_true_false(question: ParsedQuestion, parts: list[str], text_format: str) -> None:
    if len(parts) > 3:
        raise _BadQuestion(
            "a true/false question can have at most two feedback parts: "
            "{T#feedback if wrong#feedback if right}."
        )
    value = parts[0].strip().upper() in ("T", "TRUE")
    wrong = _convert(parts[1], text_format) if len(parts) > 1 else ""
    right = _convert(parts[2], text_format) if len(parts) > 2 else ""
    question.kind = "true_false"
    question.options = [
        {"text": "True", "correct": value, "feedback": right if value else wrong},
        {"text": "False", "correct": not value, "feedback": wrong if value else right},
    ]


def _read_choice(question: ParsedQuestion, parts: list[tuple[str, str]], fmt: str) -> None:
    rows = []
    for number, (marker, raw) in enumerate(parts, start=1):
        text_raw, feedback_raw = _split_first(raw, "#")
        weight = None
        if marker == "~":  # as in Moodle, "=" already means 100% and takes no weight
            text_raw, weight = _take_weight(text_raw, number)
        text = _convert(text_raw, fmt)
        if not text:
            raise _BadQuestion(f"answer {number} is empty.")
        rows.append((marker, weight, text, _convert(feedback_raw, fmt)))

    right = sum(marker == "=" for marker, *_ in rows)
    weighted = [weight for _, weight, *_ in rows if weight is not None]
    if right or not weighted:
        if right != 1:
            raise _BadQuestion(
                "a multiple-choice question needs exactly one answer marked with = "
                f"(found {right}). For several right answers, give every answer a "
                "weight instead, for example {~%50%a ~%50%b ~%-100%c}."
            )
        partial = [n for n, (_, weight, *_) in enumerate(rows, start=1) if (weight or 0) > 0]
        if partial:
            raise _BadQuestion(
                f"answer {partial[0]} gives partial credit, which Knowhow's single-answer "
                "questions do not have. Remove the weight, or use weights (and no =) on "
                "every answer to allow several right answers."
            )
        question.kind = "single"
        correct = [marker == "=" for marker, *_ in rows]
    else:
        correct = [(weight or 0) > 0 for _, weight, *_ in rows]
        if not any(correct):
            raise _BadQuestion(
                "a multiple-answer question needs at least one answer with a positive "
                "weight, such as ~%50%."
            )
        question.kind = "multiple"
    question.options = [
        {"text": text, "correct": is_correct, "feedback": feedback}
        for (_, _, text, feedback), is_correct in zip(rows, correct, strict=True)
    ]


def _read_matching(question: ParsedQuestion, parts: list[tuple[str, str]], fmt: str) -> None:
    pairs = []
    for number, (_, raw) in enumerate(parts, start=1):
        text_raw = _split_first(raw, "#")[0]  # Moodle has no feedback on matching pairs
        arrow = _find(text_raw, "->")
        if arrow < 0:
            raise _BadQuestion(
                f"in a matching question every answer must be a pair =left -> right; "
                f"answer {number} has no ->."
            )
        left = _convert(text_raw[:arrow], fmt)
        right = _convert(text_raw[arrow + 2 :], fmt)
        if not left or not right:
            raise _BadQuestion(
                f"matching pair {number} needs text on both sides of ->; "
                "Knowhow has no extra unmatched answers."
            )
        pairs.append({"left": left, "right": right})
    if len(pairs) < 2:
        raise _BadQuestion("a matching question needs at least two pairs.")
    question.kind = "matching"
    question.pairs = pairs


def _read_short(question: ParsedQuestion, parts: list[tuple[str, str]], fmt: str) -> None:
    accepted = []
    for number, (_, raw) in enumerate(parts, start=1):
        text_raw = _split_first(raw, "#")[0]  # Knowhow's short answers carry no feedback
        text_raw, weight = _take_weight(text_raw, number)
        if weight is not None and weight != 100:
            raise _BadQuestion(
                f"short answer {number} gives partial credit ({weight:g}%); in Knowhow "
                "every accepted answer scores full marks. Remove the weight."
            )
        text = _convert(text_raw, fmt)
        if not text:
            raise _BadQuestion(f"answer {number} is empty.")
        accepted.append(text)
    question.kind = "short_text"
    question.accepted = accepted


# --- Exporting -----------------------------------------------------------------------------------


class _Skip(Exception):
    """The question cannot be written as GIFT; the reason becomes a comment."""


def export_gift(questions: Iterable[Mapping[str, Any]]) -> str:
    """Write questions (snapshot-like dicts with a title) as a GIFT file."""
    blocks: list[str] = []
    category = ""
    for question in questions:
        try:
            text = _export_question(question)
        except _Skip as skip:
            blocks.append(f'// Skipped "{_comment_title(question)}": {skip}.')
            continue
        wanted = _one_line(str(question.get("category") or ""))
        if wanted != category:
            blocks.append(f"{_CATEGORY_PREFIX} {wanted}".rstrip())
            category = wanted
        blocks.append(text)
    return "\n\n".join(blocks) + "\n" if blocks else ""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _comment_title(question: Mapping[str, Any]) -> str:
    return _one_line(str(question.get("title") or "")) or _default_title(
        str(question.get("stem") or "")
    )


def _clean(value: Any) -> str:
    text = "" if value is None else str(value)
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _escape(text: str) -> str:
    return _ESCAPE_RE.sub(lambda m: "\\n" if m.group() == "\n" else "\\" + m.group(), text)


def _gift_text(value: Any, *, arrow: bool = False) -> str:
    """A text field as GIFT: escaped, with ``[plain]`` in front if it looks like a marker."""
    text = _clean(value)
    out = _escape(text)
    if arrow:
        out = out.replace("->", "-\\>")
    if _FORMAT_RE.match(text):
        out = "[plain]" + out
    return out


def _format_weight(weight: float) -> str:
    return f"{weight:.5f}".rstrip("0").rstrip(".")


def _export_question(question: Mapping[str, Any]) -> str:
    kind = question.get("kind")
    if kind == "ordering":
        raise _Skip("ordering questions have no GIFT form")
    if kind not in SUPPORTED_KINDS:
        raise _Skip(f"Knowhow cannot write {_one_line(str(kind))!r} questions as GIFT")
    stem = _clean(question.get("stem"))
    if not stem:
        raise _Skip("it has no question text")
    title = _clean(question.get("title")) or _default_title(stem)
    head = f"::{_escape(title)}::{_gift_text(stem)}{{"
    general = _clean(question.get("general_feedback"))
    tail = [f"\t####{_gift_text(general)}"] if general else []

    if kind == "true_false":
        answer = head + _true_false_answers(question)
        return "\n".join([answer, *tail, "}"]) if tail else answer + "}"
    if kind == "single":
        answers = _single_answers(question)
    elif kind == "multiple":
        answers = _multiple_answers(question)
    elif kind == "short_text":
        answers = _short_answers(question)
    else:
        answers = _matching_answers(question)
    return "\n".join([head, *(f"\t{answer}" for answer in answers), *tail, "}"])


def _options(question: Mapping[str, Any]) -> list[tuple[str, bool, str]]:
    options = []
    for option in question.get("options") or []:
        text = _clean(option.get("text"))
        if not text:
            raise _Skip("an answer has no text")
        options.append((text, bool(option.get("correct")), _clean(option.get("feedback"))))
    return options


def _with_feedback(answer: str, feedback: str) -> str:
    return f"{answer}#{_gift_text(feedback)}" if feedback else answer


def _single_answers(question: Mapping[str, Any]) -> list[str]:
    options = _options(question)
    if sum(correct for _, correct, _ in options) != 1 or len(options) < 2:
        raise _Skip("a single-answer question needs one right and at least one wrong answer")
    answers = []
    for text, correct, feedback in options:
        if correct:
            answer = "=" + _gift_text(text)
        else:  # a wrong answer starting with % would be read as a weight: make it explicit
            answer = "~" + ("%0%" if text.startswith("%") else "") + _gift_text(text)
        answers.append(_with_feedback(answer, feedback))
    return answers


def _multiple_answers(question: Mapping[str, Any]) -> list[str]:
    options = _options(question)
    right = sum(correct for _, correct, _ in options)
    if not right:
        raise _Skip("a multiple-answer question needs at least one right answer")
    # Each right answer is worth an equal share and each wrong one costs the same share,
    # which is how Knowhow marks "multiple" questions.
    weight = _format_weight(100 / right)
    return [
        _with_feedback(f"~%{'' if correct else '-'}{weight}%{_gift_text(text)}", feedback)
        for text, correct, feedback in options
    ]


def _true_false_answers(question: Mapping[str, Any]) -> str:
    options = list(question.get("options") or [])
    if len(options) != 2:
        raise _Skip("a true/false question needs exactly the options True and False")

    def is_true(option: Mapping[str, Any]) -> bool:
        return option.get("id") == "true" or _clean(option.get("text")).lower() == "true"

    true_option = next((o for o in options if is_true(o)), options[0])
    false_option = options[1] if true_option is options[0] else options[0]
    value = bool(true_option.get("correct"))
    if value == bool(false_option.get("correct")):
        raise _Skip("exactly one of True and False must be correct")
    right_option, wrong_option = (
        (true_option, false_option) if value else (false_option, true_option)
    )
    right = _clean(right_option.get("feedback"))
    wrong = _clean(wrong_option.get("feedback"))
    answer = "TRUE" if value else "FALSE"
    if right:
        return f"{answer}#{_gift_text(wrong)}#{_gift_text(right)}"
    if wrong:
        return f"{answer}#{_gift_text(wrong)}"
    return answer


def _short_answers(question: Mapping[str, Any]) -> list[str]:
    accepted = [_clean(text) for text in question.get("accepted") or []]
    if not accepted or not all(accepted):
        raise _Skip("a short-answer question needs at least one accepted answer")
    # "%100%" keeps a leading % from being read as a weight; an escaped "->" keeps the
    # answer from being read as a matching pair.
    return [
        "=" + ("%100%" if text.startswith("%") else "") + _gift_text(text, arrow=True)
        for text in accepted
    ]


def _matching_answers(question: Mapping[str, Any]) -> list[str]:
    pairs = [
        (_clean(pair.get("left")), _clean(pair.get("right")))
        for pair in question.get("pairs") or []
    ]
    if len(pairs) < 2 or not all(left and right for left, right in pairs):
        raise _Skip("a matching question needs at least two pairs with text on both sides")
    return [f"={_gift_text(left, arrow=True)} -> {_gift_text(right)}" for left, right in pairs]
