import django_filters
from taggit.models import Tag
from wagtail.admin.filters import WagtailFilterSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from assessments.admin_views import ItemAnalysisMenuViewSet, QuestionBankToolsViewSet
from assessments.models import Question, Quiz


class QuestionFilterSet(WagtailFilterSet):
    tag = django_filters.ModelChoiceFilter(
        field_name="tags",
        label="Tag",
        queryset=Tag.objects.filter(assessments_questiontag_items__isnull=False).distinct(),
    )

    class Meta:
        model = Question
        fields = ["kind"]


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = "Questions"
    list_display = ["title", "kind", "marks", "updated_at"]
    filterset_class = QuestionFilterSet
    search_fields = ["title", "stem"]


class QuizViewSet(SnippetViewSet):
    model = Quiz
    icon = "tasks"
    menu_label = "Quizzes"
    list_display = ["title", "pass_mark", "max_attempts"]
    search_fields = ["title"]


class QuestionBankGroup(SnippetViewSetGroup):
    menu_label = "Question bank"
    menu_icon = "help"
    menu_order = 250
    items = (
        QuestionViewSet,
        QuizViewSet,
        QuestionBankToolsViewSet(),
        ItemAnalysisMenuViewSet(),
    )


register_snippet(QuestionBankGroup)
