from django.apps import AppConfig


class CoursesConfig(AppConfig):
    """Catalogue → course → module → lesson pages, progress and certificates."""

    name = "courses"
    verbose_name = "Courses"
