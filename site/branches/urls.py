from django.urls import path

from branches import views

app_name = "branches"

urlpatterns = [
    path("join/<str:code>/", views.join, name="join"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/<slug:slug>/leave/", views.leave, name="leave"),
    path("regions/<slug:slug>/", views.region, name="region"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/members/<int:membership_id>/", views.member, name="member"),
    path("<slug:slug>/export.csv", views.export, {"kind": "csv"}, name="export_csv"),
    path("<slug:slug>/export.xlsx", views.export, {"kind": "xlsx"}, name="export_xlsx"),
    path("<slug:slug>/invite/", views.invite, name="invite"),
    path("<slug:slug>/invite/new-link/", views.invite_regenerate, name="invite_regenerate"),
    path("<slug:slug>/recommend/", views.recommend, name="recommend"),
    path("<slug:slug>/notices/", views.notices, name="notices"),
    path("<slug:slug>/notices/<int:notice_id>/delete/", views.notice_delete, name="notice_delete"),
    path("<slug:slug>/course-runs.csv", views.run_places_export, name="run_places_csv"),
    path(
        "<slug:slug>/applications/<int:application_id>/",
        views.application,
        name="application",
    ),
]
