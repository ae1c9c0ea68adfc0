"""The project's URLs as wagtail-lms's README sets them up, and the floor view."""

from django.contrib import admin
from django.urls import include, path
from peer_bench import views
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls

urlpatterns = [
    path("bench/floor/", views.floor, name="bench_floor"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("lms/", include("wagtail_lms.urls")),
    path("", include(wagtail_urls)),
]
