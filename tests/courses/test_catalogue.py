"""The catalogue's filters and search: GET parameters, never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.services import enrolment_start, lesson_complete
from tests.factories.courses import lessons_of, make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def courses():
    return {
        "ai": make_course(title="Algorithms at work", topic_slug="algorithms-ai"),
        "dr_intro": make_course(title="Your data rights", topic_slug="data-rights"),
        "dr_adv": make_course(
            title="Collective data rights", topic_slug="data-rights", level="advanced"
        ),
        "proc": make_course(
            title="Buying technology", topic_slug="procurement", summary="Tenders and contracts."
        ),
    }


def titles(response):
    return [card["course"].title for card in response.context["cards"]]


def test_all_courses_ordered_by_topic_then_level(client, courses):
    response = client.get("/courses/")
    assert titles(response) == [
        "Algorithms at work",
        "Your data rights",
        "Collective data rights",
        "Buying technology",
    ]
    assert "4 courses" in response.content.decode()


def test_filter_by_topic_and_level(client, courses):
    response = client.get("/courses/?topic=data-rights&level=advanced")
    assert titles(response) == ["Collective data rights"]
    html = response.content.decode()
    assert "1 course in Data rights at advanced level" in html
    assert '<option value="data-rights" selected>' in html
    assert "Clear filters" in html


def test_search_by_text(client, courses):
    assert titles(client.get("/courses/?q=tenders")) == ["Buying technology"]
    assert titles(client.get("/courses/?q=data+rights&level=introductory")) == ["Your data rights"]


def test_no_match_says_so(client, courses):
    response = client.get("/courses/?q=zebra+crossings")
    assert titles(response) == []
    assert "No courses match" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "topic=nonsense",
        "level=expert",
        "page=999999999999999999999",
        "page=-1",
        "page=abc",
        "q=" + "x" * 5000,
        "q=%00%01",
        "q=<script>alert(1)</script>",
        "q='%20OR%201=1--",
        "topic=data-rights&topic=procurement",
        "q=%E2%80%AE",
    ],
)
def test_hostile_or_unknown_parameters_give_a_normal_page(client, courses, query):
    response = client.get(f"/courses/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(q=st.text(max_size=100), topic=st.text(max_size=20), page=st.text(max_size=10))
def test_fuzzed_parameters_never_error(client, q, topic, page):
    response = client.get("/courses/", {"q": q, "topic": topic, "page": page})
    assert response.status_code == 200


def test_signed_in_rep_sees_their_progress_on_cards(client, rep, courses):
    course = courses["dr_intro"]
    enrolment_start(user=rep, course=course)
    lesson_complete(user=rep, lesson=lessons_of(course)[0])
    client.force_login(rep)
    html = client.get("/courses/").content.decode()
    assert "Your progress: 1 of 6 lessons (17%)" in html


def test_pagination_keeps_the_filters(client):
    for n in range(14):
        make_course(title=f"Data course {n:02}", topic_slug="data-rights")
    response = client.get("/courses/?topic=data-rights")
    html = response.content.decode()
    assert len(response.context["cards"]) == 12
    assert 'href="?topic=data-rights&amp;page=2"' in html
    assert len(client.get("/courses/?topic=data-rights&page=2").context["cards"]) == 2


def test_site_search_finds_courses_and_lessons(client, courses):
    response = client.get("/search/?q=lesson")
    assert response.status_code == 200
    assert response.context["result_count"] > 0
    for query in ["", "<script>", "x" * 3000, "page"]:
        assert client.get("/search/", {"q": query, "page": "99999"}).status_code == 200


def test_search_leaves_out_lessons_of_unpublished_courses(client):
    hidden = make_course(title="Withdrawn course")
    hidden.unpublish()
    shown = make_course(title="Current course")
    titles = [page.title for page in client.get("/search/?q=lesson").context["page_obj"]]
    assert titles
    assert all(
        not page.url_path.startswith(hidden.url_path)
        for page in client.get("/search/?q=lesson").context["page_obj"]
    )
    assert any(
        page.url_path.startswith(shown.url_path)
        for page in client.get("/search/?q=lesson").context["page_obj"]
    )
