from django.apps import AppConfig


class PeerBenchConfig(AppConfig):
    name = "peer_bench"
    default_auto_field = "django.db.models.BigAutoField"
