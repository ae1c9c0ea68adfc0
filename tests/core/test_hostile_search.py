"""Every search box and listing filter, fed hostile text: never a 5xx (issue #15).

SQLite's FTS5 has its own query language (`"`, `word:`, `NEAR(`, `*`, `^`,
AND/OR/NOT), PostgreSQL refuses NUL, and Wagtail's admin listings pass `q`
straight to the search backend. The corpus goes to each parameter alone and to
all of an endpoint's parameters at once, as the right viewer (visitor, rep,
branch officer, administrator), on whichever database DATABASE_URL names.
"""

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.search_backend import make_safe, safe_query_text
from courses.services import enrolment_start, lesson_complete
from tests.factories import UserFactory
from tests.factories.assessments import make_question, make_quiz
from tests.factories.branches import make_branch, make_member, make_officer, with_mfa
from tests.factories.courses import lessons_of, make_course

CORPUS = [
    '"',
    '""',
    'a"b',
    '"unterminated',
    "word:",
    "title:data",
    "body:x OR title:y",
    "NEAR(data rights)",
    "NEAR(a b, 2)",
    "data*",
    "*",
    "-data",
    "- -",
    "^data",
    "+data",
    "data AND",
    "OR",
    "NOT data",
    "AND OR NOT",
    "(data",
    "data)",
    "{title body}: data",
    "'",
    "a''b",
    "\\",
    '\\"',
    "%",
    "%s %d",
    "_",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    '=HYPERLINK("http://evil.example")',
    "+cmd|' /C calc'!A0",
    "@SUM(A1)",
    "\x00",
    "a\x00b",
    "\x01\x1b[31m\x7f",
    "\t\r\n",
    "\u202eevil\u202c",
    "a\u200bb\u200d",
    "\ufeff",
    "\ud7ff\ue000",
    "مرحبا",
    "𝕬𝖑𝖎𝖈𝖊 🧑🏽‍🏭",
    "x" * 5000,
    "data " * 400,
    "-1",
    "0",
    "999999999999999999999999",
    "1e309",
    "²",
    "١٢٣",
    "last",
]

# (path, parameters): every listing that takes a search or filter parameter.
PUBLIC = [
    ("/courses/", ["q", "topic", "level", "page"]),
    ("/search/", ["q", "page"]),
]
OFFICER = [
    ("/branches/{branch}/", ["name", "course", "level", "status", "sort", "page"]),
    ("/branches/{branch}/export.csv", ["name", "course", "level", "status", "sort"]),
]
ADMIN = [
    ("/admin/pages/search/", ["q", "p", "ordering", "content_type"]),
    ("/admin/pages/search/results/", ["q", "p"]),
    ("/admin/pages/{catalogue}/", ["q", "p", "ordering"]),
    ("/admin/choose-page/search/", ["q", "p"]),
    ("/admin/images/", ["q", "p", "collection_id", "tag", "ordering"]),
    ("/admin/documents/", ["q", "p", "collection_id", "ordering"]),
    ("/admin/snippets/assessments/question/", ["q", "p", "kind", "tag", "ordering"]),
    ("/admin/snippets/assessments/quiz/", ["q", "p", "ordering"]),
    ("/admin/snippets/choose/assessments/quiz/results/", ["q", "p"]),
    ("/admin/snippets/courses/topic/", ["q", "p"]),
    ("/admin/users/", ["q", "p", "ordering"]),
    ("/admin/branches/", ["q", "p"]),
    ("/admin/regions/", ["q", "p"]),
    ("/admin/certificates/", ["course", "status", "page"]),
    ("/admin/reports/site-history/", ["q", "action", "user", "timestamp_from", "p"]),
    ("/admin/question-bank/export/", ["tag"]),
    ("/admin/api/main/pages/", ["search", "offset", "limit", "type", "child_of"]),
    ("/admin/api/main/documents/", ["search", "offset", "limit"]),
    ("/admin/api/main/images/", ["search", "offset", "limit"]),
]


@pytest.fixture
def world(db):
    course = make_course(title="Your data rights", modules=1, lessons=2)
    branch = make_branch()
    officer = make_officer(branch)
    member = make_member(branch).user
    enrolment_start(user=member, course=course)
    lesson_complete(user=member, lesson=lessons_of(course)[0])
    admin = UserFactory(is_superuser=True, is_staff=True)
    with_mfa(admin)
    make_quiz([make_question(title="Data rights question", tags=["data"])], title="A quiz")
    return {
        "course": course,
        "branch": branch.slug,
        "catalogue": course.get_parent().pk,
        "officer": officer,
        "admin": admin,
        "rep": member,
    }


def requests_for(endpoints, world, value, *, alone=None):
    """Each parameter alone (or only those named in `alone`), then all at once."""
    for template, params in endpoints:
        path = template.format(**world)
        for name in params:
            if alone is None or name in alone:
                yield path, {name: value}
        yield path, dict.fromkeys(params, value)


def assert_no_server_error(client, path, params):
    cache.clear()  # rate limits and outline entries: each request starts clean
    response = client.get(path, params)
    assert response.status_code < 500, (path, params, response.status_code)
    # A streamed export fails, if at all, while it is read.
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"<script>alert(1)</script>" not in body
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("value", CORPUS, ids=range(len(CORPUS)))
def test_public_search_and_filters_never_5xx(client, world, value):
    for path, params in requests_for(PUBLIC, world, value):
        response = assert_no_server_error(client, path, params)
        assert response.status_code == 200, (path, params)
    client.force_login(world["rep"])
    for path, params in requests_for(PUBLIC, world, value):
        assert assert_no_server_error(client, path, params).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("value", CORPUS, ids=range(len(CORPUS)))
def test_officer_filters_never_5xx(client, world, value):
    client.force_login(world["officer"])
    for path, params in requests_for(OFFICER, world, value):
        response = assert_no_server_error(client, path, params)
        assert response.status_code == 200, (path, params)


@pytest.mark.django_db
@pytest.mark.parametrize("value", CORPUS, ids=range(len(CORPUS)))
def test_admin_search_and_filters_never_5xx(client, world, value):
    client.force_login(world["admin"])
    # Wagtail's own listings: the search text alone, then every filter with it.
    for path, params in requests_for(ADMIN, world, value, alone={"q", "search"}):
        response = assert_no_server_error(client, path, params)
        assert response.status_code in {200, 302, 400, 404}, (path, params)


def test_search_still_finds_what_it_should(client, db):
    """Making the text safe must not stop ordinary searches working."""
    make_course(title="Your data rights", summary="Subject access requests.")
    make_course(
        title="Buying technology", summary="Tenders and contracts.", topic_slug="procurement"
    )
    for query, expected in [
        ("data rights", ["Your data rights"]),
        ('"data rights"', ["Your data rights"]),
        ("tenders", ["Buying technology"]),
        ("\u200btenders\x00", ["Buying technology"]),
    ]:
        response = client.get("/courses/", {"q": query})
        assert [card["course"].title for card in response.context["cards"]] == expected, query


def test_question_bank_search_finds_by_title_and_by_stem(client, db):
    """The admin listing searches named fields; on SQLite that was "no such column"."""
    admin = UserFactory(is_superuser=True, is_staff=True)
    with_mfa(admin)
    make_question(title="Access requests", stem="How long does an employer have?")
    make_question(title="Erasure", stem="When can a rep ask for deletion?")
    client.force_login(admin)
    for query, expected in [("access", ["Access requests"]), ("deletion", ["Erasure"])]:
        response = client.get("/admin/snippets/assessments/question/", {"q": query})
        assert response.status_code == 200
        assert [q.title for q in response.context["object_list"]] == expected, query


def test_safe_text_doubles_quotes_only_for_sqlite():
    assert safe_query_text('a"b', vendor="sqlite") == 'a""b'
    assert safe_query_text('a"b', vendor="postgresql") == 'a"b'
    assert safe_query_text("a\x00b\u202ec", vendor="postgresql") == "a b c"
    assert safe_query_text("data " * 400, vendor="sqlite") == " ".join(["data"] * 32)
    assert safe_query_text("-data x-y", vendor="sqlite") == "data x y"


def test_nested_queries_are_made_safe_too():
    from modelsearch.query import MATCH_NONE, And, Boost, Not, Or, Phrase, PlainText

    query = Or([Not(PlainText('x"\x00')), Boost(Phrase('"y'), 2.0)])
    safe = make_safe(query, vendor="sqlite")
    assert safe.subqueries[0].subquery.query_string == 'x""'
    assert safe.subqueries[1].subquery.query_string == '""y'
    assert safe.subqueries[1].boost == 2.0
    # Blank once made safe: matches nothing, however deep.
    assert make_safe("\u200b\x00 ", vendor="sqlite") is MATCH_NONE
    assert make_safe(And([PlainText("\ufeff"), Not(Phrase("\x00"))]), vendor="sqlite") is MATCH_NONE
    kept = make_safe(And([PlainText("\ufeff"), PlainText("data")]), vendor="sqlite")
    assert [sub.query_string for sub in kept.subqueries] == ["data"]


FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.django_db
@FUZZ
@given(
    q=st.one_of(st.sampled_from(CORPUS), st.text(max_size=200)),
    page=st.one_of(st.none(), st.text(max_size=30)),
)
def test_any_text_searches_the_catalogue_and_site(client, world, q, page):
    for path in ("/courses/", "/search/"):
        params = {"q": q} if page is None else {"q": q, "page": page}
        assert assert_no_server_error(client, path, params).status_code == 200


@pytest.mark.django_db
@FUZZ
@given(q=st.one_of(st.sampled_from(CORPUS), st.text(max_size=200)))
def test_any_text_searches_the_admin(client, world, q):
    client.force_login(world["admin"])
    for path in ("/admin/pages/search/", "/admin/snippets/assessments/question/"):
        assert assert_no_server_error(client, path, {"q": q}).status_code == 200
