from django.urls import path

from courses.runs import views

app_name = "runs"

# /runs/<id>/apply/ is branches.views.run_apply, wired in config/urls.py:
# applying needs the rep's branches (the layer above this one).
urlpatterns = [
    path("<int:run_id>/", views.run, name="run"),
    path("<int:run_id>/calendar.ics", views.run_ics, name="run_ics"),
    path(
        "<int:run_id>/sessions/<int:session_id>/calendar.ics",
        views.session_ics,
        name="session_ics",
    ),
    path("<int:run_id>/manage/", views.manage, name="manage"),
    path(
        "<int:run_id>/sessions/<int:session_id>/register/",
        views.register,
        name="register",
    ),
    path("applications/<int:application_id>/withdraw/", views.withdraw, name="withdraw"),
    path("applications/<int:application_id>/confirm/", views.confirm, name="confirm"),
]
