"""Turn a posted quiz page into responses, checked against the attempt.

Field names are `q<position>` (and `q<position>-<id>` for ordering and
matching). Ids that the attempt did not show mean the form was tampered
with: the whole post is refused and nothing is stored. Mistakes a person can
make (an ordering with a position used twice, an answer too long) come back
as messages to show beside the question, with the other answers kept.
"""

from assessments.models import QuestionKind

MAX_TEXT_ANSWER = 500


class TamperedResponse(Exception):
    pass


def _single(row, data, name):
    value = data.get(name, "")
    if value == "":
        return None, None
    ids = {option["id"] for option in row.snapshot["options"]}
    if value not in ids:
        raise TamperedResponse(name)
    return {"option": value}, None


def _multiple(row, data, name):
    values = data.getlist(name)
    if not values:
        return None, None
    ids = {option["id"] for option in row.snapshot["options"]}
    if any(value not in ids for value in values):
        raise TamperedResponse(name)
    return {"options": sorted(set(values))}, None


def _short_text(row, data, name):
    value = " ".join(str(data.get(name, "")).split())
    if not value:
        return None, None
    if len(value) > MAX_TEXT_ANSWER:
        return {"text": value[:MAX_TEXT_ANSWER]}, (
            f"Your answer must be {MAX_TEXT_ANSWER} characters or fewer."
        )
    return {"text": value}, None


def _ordering(row, data, name):
    ids = [item["id"] for item in row.snapshot["items"]]
    chosen = {item_id: data.get(f"{name}-{item_id}", "") for item_id in ids}
    if all(value == "" for value in chosen.values()):
        return None, None
    allowed = {str(n) for n in range(1, len(ids) + 1)} | {""}
    if any(value not in allowed for value in chosen.values()):
        raise TamperedResponse(name)
    if any(value == "" for value in chosen.values()):
        return None, "Give every item a position."
    if len(set(chosen.values())) != len(ids):
        return None, "Use each position once."
    order = sorted(ids, key=lambda item_id: int(chosen[item_id]))
    return {"order": order}, None


def _matching(row, data, name):
    ids = {pair["id"] for pair in row.snapshot["pairs"]}
    matches = {}
    for left in ids:
        value = data.get(f"{name}-{left}", "")
        if value == "":
            continue
        if value not in ids:
            raise TamperedResponse(name)
        matches[left] = value
    return ({"matches": matches} if matches else None), None


PARSERS = {
    QuestionKind.SINGLE: _single,
    QuestionKind.TRUE_FALSE: _single,
    QuestionKind.MULTIPLE: _multiple,
    QuestionKind.SHORT_TEXT: _short_text,
    QuestionKind.ORDERING: _ordering,
    QuestionKind.MATCHING: _matching,
}


def parse_responses(rows, data):
    """(responses by position, errors by position). Raises TamperedResponse."""
    responses, errors = {}, {}
    for row in rows:
        response, error = PARSERS[row.snapshot["kind"]](row, data, f"q{row.position}")
        responses[row.position] = response
        if error:
            errors[row.position] = error
    return responses, errors
