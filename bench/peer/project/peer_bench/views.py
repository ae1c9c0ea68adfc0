"""The framework floor of this project: the least a Django view can do behind its middleware.

The same view as Knowhow's bench.views.floor, so each project's pages are
divided by what its own stack costs for nothing.
"""

from django.http import HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def floor(request):
    return HttpResponse(b"ok", content_type="text/plain")
