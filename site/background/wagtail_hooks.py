from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem


@hooks.register("register_admin_urls")
def register_background_urls():
    from background import admin_views

    return [
        path("reports/emails/", admin_views.email_list, name="background_emails"),
        path("reports/emails/retry/", admin_views.email_retry, name="background_emails_retry"),
        path("reports/tasks/", admin_views.task_list, name="background_tasks"),
    ]


@hooks.register("register_reports_menu_item")
def register_emails_report():
    return AdminOnlyMenuItem("Emails", reverse("background_emails"), icon_name="mail", order=900)


@hooks.register("register_reports_menu_item")
def register_tasks_report():
    return AdminOnlyMenuItem(
        "Background tasks", reverse("background_tasks"), icon_name="cogs", order=910
    )
