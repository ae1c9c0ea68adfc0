from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for `make run`: the seed_demo and seed_demo_branch commands.

    No models. It sits outside the layers (it may use every product app, and
    no product app may use it), and its commands refuse production settings.
    """

    name = "demo"
    verbose_name = "Demo data"
