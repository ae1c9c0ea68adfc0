from csp.middleware import CSPMiddleware

# Wagtail's admin relies on inline styles and scripts. It is staff-only and
# behind MFA, so it gets those two relaxations and nothing else: still no
# third-party host (IO-03).
ADMIN_UPDATE = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
}


class KnowhowCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith("/admin/"):
            parts.update = {**ADMIN_UPDATE, **(parts.update or {})}
            # A nonce would disable 'unsafe-inline' in browsers that honour it.
            parts.nonce = None
        return parts
