"""How each kind of question is shown, reviewed and described to a learner.

Everything a page needs to know about question kinds is here and in this
app's templates (assessments/question.html, assessments/review.html), so a
new kind touches this app only: its model and snapshot, grading.py, forms.py
(reading answers), and these three views of it. Courses places the quiz
pages under a lesson and passes these views to the templates untouched.
"""

from assessments.models import AttemptQuestion, QuestionKind

CHOICE_KINDS = (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE)


def question_for_display(row: AttemptQuestion, *, response: dict | None = None) -> dict:
    """What an in-progress attempt may show about a question: never the key.

    Built field by field from the snapshot, so nothing about correctness,
    feedback or explanation can leak into the page (QZ-01). `response`, when
    given, is shown instead of the stored one (answers sent back with errors).
    """
    snapshot = row.snapshot
    kind = snapshot["kind"]
    view = {
        "position": row.position,
        "kind": kind,
        "stem": snapshot["stem"],
        "marks": snapshot["marks"],
        "response": response if response is not None else row.response,
        "choices": [],
        "items": [],
        "rights": [],
    }
    if kind in CHOICE_KINDS:
        texts = {option["id"]: option["text"] for option in snapshot["options"]}
        order = row.display_order or list(texts)
        view["choices"] = [{"id": option_id, "text": texts[option_id]} for option_id in order]
    elif kind == QuestionKind.ORDERING:
        texts = {item["id"]: item["text"] for item in snapshot["items"]}
        order = (view["response"] or {}).get("order") or []
        view["items"] = [
            {
                "id": item_id,
                "text": texts[item_id],
                "position": order.index(item_id) + 1 if item_id in order else None,
            }
            for item_id in row.display_order
        ]
        view["positions"] = list(range(1, len(view["items"]) + 1))
    elif kind == QuestionKind.MATCHING:
        pairs = {pair["id"]: pair for pair in snapshot["pairs"]}
        matches = (view["response"] or {}).get("matches") or {}
        view["items"] = [
            {"id": pair["id"], "text": pair["left"], "chosen": matches.get(pair["id"])}
            for pair in snapshot["pairs"]
        ]
        view["rights"] = [
            {"id": pair_id, "text": pairs[pair_id]["right"]} for pair_id in row.display_order
        ]
    return view


def answer_text(question: dict) -> str:
    """The learner's current answer, in words ("Check your answers"), from a
    question_for_display view."""
    response = question.get("response")
    if not response:
        return "Not answered"
    kind = question["kind"]
    if kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE):
        texts = {choice["id"]: choice["text"] for choice in question["choices"]}
        return texts.get(response.get("option"), "Not answered")
    if kind == QuestionKind.MULTIPLE:
        texts = {choice["id"]: choice["text"] for choice in question["choices"]}
        return "; ".join(texts[i] for i in response.get("options", []) if i in texts)
    if kind == QuestionKind.SHORT_TEXT:
        return response.get("text", "")
    if kind == QuestionKind.ORDERING:
        texts = {item["id"]: item["text"] for item in question["items"]}
        return " → ".join(texts[i] for i in response.get("order", []) if i in texts)
    if kind == QuestionKind.MATCHING:
        rights = {right["id"]: right["text"] for right in question["rights"]}
        return "; ".join(
            f"{item['text']}: {rights.get(item['chosen'], '–')}"
            for item in question["items"]
            if item.get("chosen")
        )
    return ""


def question_for_review(row: AttemptQuestion) -> dict:
    """A finished question with the key, for attempts the learner may review."""
    snapshot = row.snapshot
    response = row.response or {}
    items = {item["id"]: item["text"] for item in snapshot.get("items", [])}
    rights = {pair["id"]: pair["right"] for pair in snapshot.get("pairs", [])}
    chosen = set()
    if "option" in response:
        chosen = {response["option"]}
    elif "options" in response:
        chosen = set(response["options"])
    return {
        "position": row.position,
        "stem": snapshot["stem"],
        "kind": snapshot["kind"],
        "marks": snapshot["marks"],
        "marks_awarded": row.marks_awarded,
        "correct": row.fraction == 1,
        "partial": row.fraction is not None and 0 < row.fraction < 1,
        "unanswered": row.response is None,
        "options": [
            {**option, "chosen": option["id"] in chosen} for option in snapshot.get("options", [])
        ],
        "text_answer": response.get("text", ""),
        "accepted": snapshot.get("accepted", []),
        "correct_order": [item["text"] for item in snapshot.get("items", [])],
        "your_order": [items[item_id] for item_id in response.get("order", []) if item_id in items],
        "matches": [
            {
                "left": pair["left"],
                "right": pair["right"],
                "chosen": rights.get(response.get("matches", {}).get(pair["id"]), ""),
            }
            for pair in snapshot.get("pairs", [])
        ],
        "general_feedback": snapshot.get("general_feedback", ""),
        "explanation": snapshot.get("explanation", ""),
    }
