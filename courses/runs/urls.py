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
    path("<int:run_id>/waiting-list/", views.fill_waiting_list, name="fill_waiting_list"),
    path(
        "<int:run_id>/sessions/<int:session_id>/register/",
        views.register,
        name="register",
    ),
    path("applications/<int:application_id>/withdraw/", views.withdraw, name="withdraw"),
    path("applications/<int:application_id>/confirm/", views.confirm, name="confirm"),
    path("applications/<int:application_id>/evidence/", views.evidence_pack, name="evidence"),
    path(
        "applications/<int:application_id>/time-off-letter.pdf",
        views.letter_download,
        {"kind": "pdf"},
        name="letter_pdf",
    ),
    path(
        "applications/<int:application_id>/time-off-letter.txt",
        views.letter_download,
        {"kind": "txt"},
        name="letter_txt",
    ),
    path(
        "applications/<int:application_id>/attendance.pdf",
        views.attendance_download,
        {"kind": "pdf"},
        name="attendance_pdf",
    ),
    path(
        "applications/<int:application_id>/attendance.txt",
        views.attendance_download,
        {"kind": "txt"},
        name="attendance_txt",
    ),
    # Printed on letters and certificates of attendance: never change it.
    path("verify/<str:code>/", views.verify, name="verify"),
]
