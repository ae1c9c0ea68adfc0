"""Admin form rules a question needs before it can be marked."""

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

from assessments.grading import normalise_answer

# The kinds as stored (assessments.models.QuestionKind imports this module).
SINGLE, MULTIPLE, TRUE_FALSE = "single", "multiple", "true_false"
SHORT_TEXT, ORDERING, MATCHING = "short_text", "ordering", "matching"


class QuestionForm(WagtailAdminModelForm):
    """Checks the options, answers, items or pairs a question's kind needs,
    so a question saved in the bank can always be shown and marked."""

    def _rows(self, name):
        formset = self.formsets.get(name)
        if formset is None or not formset.is_valid():
            return []
        return [
            form.cleaned_data
            for form in formset.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        problem = None
        if kind in (SINGLE, MULTIPLE):
            options = [row for row in self._rows("options") if row.get("text")]
            correct = sum(1 for row in options if row.get("is_correct"))
            if len(options) < 2:
                problem = "Add at least two options."
            elif kind == SINGLE and correct != 1:
                problem = "Mark exactly one option as correct for a single-choice question."
            elif kind == MULTIPLE and correct < 1:
                problem = "Mark at least one option as correct."
        elif kind == TRUE_FALSE:
            if data.get("true_is_correct") is None:
                self.add_error("true_is_correct", "Say whether the statement is true or false.")
        elif kind == SHORT_TEXT:
            answers = [row for row in self._rows("accepted_answers") if row.get("text")]
            if not any(normalise_answer(row["text"]) for row in answers):
                problem = "Add at least one accepted answer with letters or numbers in it."
        elif kind == ORDERING:
            if len([row for row in self._rows("ordering_items") if row.get("text")]) < 2:
                problem = "Add at least two items to put in order."
        elif kind == MATCHING:
            pairs = [r for r in self._rows("pairs") if r.get("left") and r.get("right")]
            if len(pairs) < 2:
                problem = "Add at least two pairs to match."
        if problem:
            raise forms.ValidationError(problem)
        return data
