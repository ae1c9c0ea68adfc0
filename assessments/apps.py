from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    """Question bank, quizzes, attempts and grading. Knows nothing about courses."""

    name = "assessments"
    verbose_name = "Assessments"

    def ready(self):
        from assessments import privacy

        privacy.register()
