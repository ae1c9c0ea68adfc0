from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"


class KnowhowUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with forms for our email-only user model."""

    user_viewset = "accounts.viewsets.UserViewSet"
