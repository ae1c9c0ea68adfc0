from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe
from wagtail.models import Page

from courses.models import CoursePage, LessonPage, ModulePage
from courses.selectors import clean_search_query

SEARCH_PAGE_SIZE = 10


@login_not_required
@require_safe
def search(request):
    """Site search over published courses and lessons."""
    query = clean_search_query(text=request.GET.get("q", ""))
    results = []
    if query:
        pages = Page.objects.live().public().type(CoursePage, LessonPage)
        # A live lesson under an unpublished course or module is not on offer.
        for hidden in Page.objects.not_live().type(CoursePage, ModulePage):
            pages = pages.not_descendant_of(hidden)
        results = pages.specific().search(query)
    page_obj = Paginator(results, SEARCH_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "courses/search.html",
        {"query": query, "page_obj": page_obj, "result_count": page_obj.paginator.count},
    )
