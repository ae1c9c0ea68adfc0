"""The site's URLs with the benchmark's reference views in front (bench/views.py)."""

from django.urls import path

from bench import views
from config.urls import handler500  # noqa: F401 - the site's error handler, as in production
from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("bench/floor/", views.floor, name="bench_floor"),
    path("bench/bare-lesson/<path:lesson_path>", views.bare_lesson, name="bench_bare_lesson"),
    path("bench/plain-lesson/<path:lesson_path>", views.plain_lesson, name="bench_plain_lesson"),
    *site_urlpatterns,
]
