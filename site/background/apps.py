from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "background"
    verbose_name = "Background work"

    def ready(self):
        from background import checks, privacy  # noqa: F401 - checks registers the check

        privacy.register()
