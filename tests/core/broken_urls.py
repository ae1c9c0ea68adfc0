"""The site's URLs plus one whose view has a bug (not an outage), for
tests/core/test_database_unavailable.py."""

from django.contrib.auth.decorators import login_not_required
from django.db import ProgrammingError
from django.urls import path

from config import urls as site_urls


@login_not_required
def broken(request):
    raise ProgrammingError('column "nope" does not exist')


urlpatterns = [path("broken/", broken), *site_urls.urlpatterns]
handler500 = site_urls.handler500
