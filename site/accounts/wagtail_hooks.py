from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem


@hooks.register("register_log_actions")
def register_account_actions(actions):
    actions.register_action(
        "knowhow.account.export", "Export personal data", "Member's personal data exported"
    )
    actions.register_action(
        "knowhow.account.erase", "Erase account", "Member's account and personal data erased"
    )


@hooks.register("register_admin_urls")
def register_data_request_urls():
    from accounts import admin_views

    return [path("data-requests/", admin_views.data_requests, name="account_data_requests")]


@hooks.register("register_settings_menu_item")
def register_data_requests_menu_item():
    return AdminOnlyMenuItem(
        "Data requests", reverse("account_data_requests"), icon_name="user", order=610
    )
