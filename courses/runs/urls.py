from django.urls import path

from courses.runs import views

app_name = "runs"

urlpatterns = [
    path("<int:run_id>/calendar.ics", views.run_ics, name="run_ics"),
    path(
        "<int:run_id>/sessions/<int:session_id>/calendar.ics",
        views.session_ics,
        name="session_ics",
    ),
]
