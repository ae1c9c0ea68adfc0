from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from branches import views as branch_views
from core import views as core_views
from courses.views.search import search


class QueryPreservingRedirect(RedirectView):
    """Sends the admin's own sign-in pages to allauth, keeping ?next= (AUTH-05)."""

    permanent = False
    query_string = True


urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    # One sign-in path: these shadow Wagtail's admin login, logout and
    # password-reset views, which would otherwise skip rate limits and MFA.
    path(
        "admin/login/",
        login_not_required(QueryPreservingRedirect.as_view(pattern_name="account_login")),
        name="admin_login_redirect",
    ),
    path(
        "admin/logout/",
        QueryPreservingRedirect.as_view(pattern_name="account_logout"),
        name="admin_logout_redirect",
    ),
    re_path(
        r"^admin/password_reset/",
        login_not_required(QueryPreservingRedirect.as_view(pattern_name="account_reset_password")),
        name="admin_password_reset_redirect",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Before allauth's: the member's own data and account deletion (issue #16).
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("dashboard/", branch_views.member_dashboard, name="dashboard"),
    path("branches/", include("branches.urls")),
    path("search/", search, name="search"),
    # Applying needs the rep's branches, so it is a branches view (ADR 0060).
    path("runs/<int:run_id>/apply/", branch_views.run_apply, name="run_apply"),
    path("runs/", include("courses.runs.urls")),
    path("", include("courses.certificates.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail serves the pages: home, the catalogue, courses, modules and lessons.
# Page-level privacy is Wagtail's; pages that need a signed-in learner check it
# in serve().
urlpatterns += [
    # Wagtail's page privacy sends visitors here to sign in; its hook looks
    # this name up for every restricted page, even with WAGTAIL_FRONTEND_LOGIN_URL set.
    path(
        "_util/login/",
        login_not_required(QueryPreservingRedirect.as_view(pattern_name="account_login")),
        name="wagtailcore_login",
    ),
    re_path(r"^((?:[\w\-]+/)*)$", login_not_required(wagtail_views.serve), name="wagtail_serve"),
]

# A database that cannot answer gives 503 "try again in a minute" (core/unavailable.py).
handler500 = "core.views.server_error"
