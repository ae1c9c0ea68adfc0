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


# Browser features Knowhow never uses, switched off for the site and anything it
# might ever embed (issue #15). Fullscreen and picture-in-picture stay at their
# default (this site only): lesson videos use them. WebAuthn stays off: sign-in
# uses TOTP and recovery codes only.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
)


class PermissionsPolicyMiddleware:
    """Sends Permissions-Policy on every response, error pages included: it sits
    outside everything that can fail (config/settings/base.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
