"""Admin pages for the question bank: GIFT import and export, item analysis."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from wagtail.admin.viewsets.base import ViewSet

from assessments.gift import MAX_BYTES, export_gift, parse_gift
from assessments.models import Question, Quiz
from assessments.selectors import quiz_item_analysis
from assessments.services import questions_check, questions_import
from core.spreadsheets import csv_text


class GiftImportForm(forms.Form):
    text = forms.CharField(
        label="GIFT text",
        required=False,
        strip=False,  # keep leading blank lines so error line numbers match the text
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Paste questions in Moodle's GIFT format, or upload a .gift or .txt file.",
    )
    file = forms.FileField(label="GIFT file", required=False)
    tag = forms.CharField(
        label="Tag every imported question with",
        required=False,
        max_length=100,
        help_text="Optional, e.g. a topic, so a quiz can draw questions at random from them.",
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return ""
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The file is larger than 1 MB.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError("The file must be UTF-8 text.") from exc

    def clean(self):
        data = super().clean()
        text = data.get("file") or data.get("text") or ""
        if not text.strip() and not self.errors:
            raise forms.ValidationError("Paste some GIFT text or choose a file.")
        data["gift"] = text
        return data


def _header(title, icon):
    """What Wagtail's generic admin template needs for its header."""
    return {"header_title": title, "page_title": title, "header_icon": icon}


def _require(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


def gift_import(request):
    _require(request, "assessments.add_question")
    context = _header("Import questions from GIFT", "upload")
    form = GiftImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = questions_check(result=parse_gift(form.cleaned_data["gift"]))
        if "import" in request.POST and result.questions:
            created = questions_import(parsed=result.questions, tags=[form.cleaned_data["tag"]])
            messages.success(request, f"Imported {len(created)} question(s).")
            return redirect("wagtailsnippets_assessments_question:list")
        context["result"] = result
        # The preview posts the same text back to import it.
        form = GiftImportForm(
            initial={"text": form.cleaned_data["gift"], "tag": form.cleaned_data["tag"]}
        )
    context["form"] = form
    return TemplateResponse(request, "assessments/admin/gift_import.html", context)


def gift_export(request):
    _require(request, "assessments.view_question")
    questions = Question.objects.prefetch_related(
        "options", "accepted_answers", "ordering_items", "pairs", "tags"
    )
    # PostgreSQL refuses a NUL character anywhere in a query.
    tag = request.GET.get("tag", "").replace("\x00", "").strip()
    if tag:
        questions = questions.filter(tags__name=tag)
    data = []
    for question in questions:
        item = question.snapshot()
        item["title"] = question.title
        item["category"] = ""
        data.append(item)
    response = HttpResponse(export_gift(data), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="knowhow-question-bank.gift.txt"'
    return response


def analysis_index(request):
    _require(request, "assessments.view_quiz")
    return TemplateResponse(
        request,
        "assessments/admin/analysis_index.html",
        {**_header("Item analysis", "table"), "quizzes": Quiz.objects.order_by("title")},
    )


def analysis(request, quiz_id):
    _require(request, "assessments.view_quiz")
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    report = quiz_item_analysis(quiz=quiz)
    if request.GET.get("format") == "csv":
        rows = [["Question", "Answered", "Correct (%)", "Mean score (%)", "Answers chosen"]]
        for row in report["questions"]:
            chosen = "; ".join(f"{label}: {count}" for label, count in row["choices"])
            rows.append(
                [
                    row["title"],
                    row["answered"],
                    row["correct_percent"],
                    row["mean_score_percent"],
                    chosen,
                ]
            )
        response = HttpResponse(csv_text(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="item-analysis-{quiz.pk}.csv"'
        response["Cache-Control"] = "no-store"
        return response
    return TemplateResponse(
        request,
        "assessments/admin/analysis.html",
        {
            **_header(f"Item analysis: {quiz.title}", "table"),
            "quiz": quiz,
            "report": report,
            "csv_url": reverse("question_bank:analysis", args=[quiz.pk]) + "?format=csv",
        },
    )


class QuestionBankToolsViewSet(ViewSet):
    """GIFT import and export and item analysis, under the Question bank menu."""

    name = "question_bank"
    url_prefix = "question-bank"
    icon = "upload"
    menu_label = "Import and export"
    menu_order = 300

    def get_urlpatterns(self):
        return [
            path("import/", gift_import, name="import"),
            path("export/", gift_export, name="export"),
            path("analysis/", analysis_index, name="analysis_index"),
            path("analysis/<int:quiz_id>/", analysis, name="analysis"),
        ]


class ItemAnalysisMenuViewSet(ViewSet):
    """Only a menu entry: the pages live in QuestionBankToolsViewSet."""

    name = "item_analysis"
    icon = "table"
    menu_label = "Item analysis"
    menu_order = 400

    @property
    def menu_url(self):
        return reverse("question_bank:analysis_index")

    def get_urlpatterns(self):
        return []
