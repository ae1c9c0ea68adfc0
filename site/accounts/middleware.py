import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect

from accounts.mfa import account_access, user_has_mfa

SESSION_STARTED = "knowhow_session_started"
SESSION_SEEN = "knowhow_session_seen"
# Writing the "last seen" time on every request would save the session on
# every request; a minute's resolution is plenty for an idle timeout.
SEEN_RESOLUTION = 60


class SessionTimeoutMiddleware:
    """Ends a signed-in session after an idle or an absolute timeout (SES-02)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.get(SESSION_STARTED)
            seen = request.session.get(SESSION_SEEN)
            if started is None or seen is None:
                request.session[SESSION_STARTED] = now
                request.session[SESSION_SEEN] = now
            elif (
                now - seen > settings.SESSION_IDLE_TIMEOUT
                or now - started > settings.SESSION_ABSOLUTE_TIMEOUT
            ):
                logout(request)
                messages.info(request, "You were signed out because your session timed out.")
                return redirect_to_login(request.get_full_path())
            elif now - seen >= SEEN_RESOLUTION:
                request.session[SESSION_SEEN] = now
        return self.get_response(request)


class RequireMFAMiddleware:
    """Sends staff and educators to set up MFA before any other page (AUTH-04),
    and signed-in people who may not use the admin away from it (AC-04)."""

    # Paths a person without MFA may still reach: setting it up, signing out,
    # and what a page needs to render.
    allowed_prefixes = (
        "/accounts/2fa/",
        # allauth will not turn MFA on while an email address is unverified,
        # so confirming or removing one must stay possible.
        "/accounts/confirm-email/",
        "/accounts/email/",
        "/accounts/reauthenticate/",
        "/accounts/logout/",
        "/static/",
        "/healthz",
    )
    # The admin's own sign-in, sign-out and password-reset pages only redirect
    # to allauth (config/urls.py), so anyone may follow them.
    admin_redirects = ("/admin/login/", "/admin/logout/", "/admin/password_reset/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not request.path.startswith(self.allowed_prefixes):
            # Kept on the request for the header's Admin link (accounts_tags.may_access_admin).
            request.account_access = account_access(request.user)
            if request.account_access.requires_mfa and not user_has_mfa(request.user):
                messages.warning(
                    request,
                    "Your account can change what other people see, so it needs two-factor "
                    "authentication. Set it up to continue.",
                )
                return redirect("mfa_activate_totp")
            if (
                request.path.startswith("/admin/")
                and not request.path.startswith(self.admin_redirects)
                and not request.account_access.may_access_admin
            ):
                # Wagtail would send them to sign in, and allauth sends a
                # signed-in person straight back to ?next=: a redirect loop.
                messages.error(request, "Your account cannot open the admin.")
                return redirect("dashboard")
        return self.get_response(request)
