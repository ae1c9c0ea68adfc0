from django.apps import AppConfig


class CoursesConfig(AppConfig):
    """Catalogue → course → module → lesson pages, progress and certificates."""

    name = "courses"
    verbose_name = "Courses"

    def ready(self):
        from courses import page_cache, privacy

        page_cache.connect()
        privacy.register()
