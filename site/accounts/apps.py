from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    # Two configs live in this module; this one is the accounts app's.
    default = True
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from accounts import privacy

        privacy.register()


class KnowhowUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with forms for our email-only user model."""

    user_viewset = "accounts.viewsets.UserViewSet"
