"""Course runs in the Wagtail admin: educators add a run with its sessions inline.

The form checks what no single row can: the closing date comes before the
first session, each online session has a link and each day-school session a
venue, and the lessons required before a session belong to the run's course.
"""

from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from courses.models import LessonPage
from courses.runs import services
from courses.runs.models import CourseRun, RunKind, RunStatus


class CourseRunForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        sessions = self.formsets.get("sessions")
        if sessions is None:
            return cleaned
        kept = [
            form
            for form in sessions.forms
            if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if not kept and not sessions.errors:
            raise ValidationError("Add at least one session.")
        kind = cleaned.get("kind")
        course = cleaned.get("course")
        closes = cleaned.get("applications_close_at")
        lessons = (
            set(LessonPage.objects.descendant_of(course).values_list("pk", flat=True))
            if course
            else set()
        )
        starts = []
        for form in kept:
            data = form.cleaned_data
            if data.get("starts_at"):
                starts.append(data["starts_at"])
            if kind == RunKind.ONLINE and not data.get("online_url"):
                form.add_error("online_url", "Give the meeting link for an online session.")
            if kind == RunKind.DAY_SCHOOL and not (data.get("venue") or "").strip():
                form.add_error("venue", "Give the venue's address for a day-school session.")
            outside = [
                lesson for lesson in data.get("required_lessons") or [] if lesson.pk not in lessons
            ]
            if outside:
                form.add_error("required_lessons", "Choose lessons of this run's course only.")
        if closes and starts and closes >= min(starts):
            self.add_error(
                "applications_close_at", "Applications must close before the first session starts."
            )
        return cleaned


class CourseRunEditView(generic.EditView):
    def save_instance(self):
        """Cancelling a run in the admin closes its applications and tells
        each applicant (courses.runs.services.run_cancel)."""
        was = CourseRun.objects.filter(pk=self.object.pk).values_list("status", flat=True).get()
        run = super().save_instance()
        if run.status == RunStatus.CANCELLED and was != RunStatus.CANCELLED:
            services.run_cancel(run=run, by=self.request.user)
        return run


class CourseRunViewSet(ModelViewSet):
    model = CourseRun
    edit_view_class = CourseRunEditView
    icon = "date"
    menu_label = "Course runs"
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "course", "kind", "tutor", "places", "status"]
    list_filter = ["status", "kind"]
    inspect_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("course"),
            FieldPanel("title"),
            MultiFieldPanel(
                [FieldPanel("kind"), FieldPanel("tutor"), FieldPanel("places")], heading="The run"
            ),
            FieldPanel("applications_close_at"),
            FieldPanel("union_contact"),
            FieldPanel("status"),
            InlinePanel(
                "sessions",
                heading="Sessions",
                label="Session",
                min_num=1,
                panels=[
                    FieldPanel("starts_at"),
                    FieldPanel("ends_at"),
                    FieldPanel("online_url"),
                    FieldPanel("venue"),
                    FieldPanel("required_lessons"),
                ],
            ),
        ],
        base_form_class=CourseRunForm,
    )
