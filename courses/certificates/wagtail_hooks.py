"""The certificates' admin hooks. Wagtail reads only each app's own
wagtail_hooks module, so courses/wagtail_hooks.py imports this one."""

from wagtail import hooks

from courses.certificates.admin_views import CertificateAdminViewSet


@hooks.register("register_log_actions")
def register_certificate_actions(actions):
    actions.register_action("knowhow.certificate.issue", "Issue certificate", "Certificate issued")
    actions.register_action(
        "knowhow.certificate.revoke", "Revoke certificate", "Certificate revoked"
    )


@hooks.register("register_admin_viewset")
def register_certificate_admin():
    return CertificateAdminViewSet()
