"""The task-list component (courses_tags.task_list) the course, module and lesson pages use."""

import re

from courses.templatetags.courses_tags import task_list

ITEMS = [
    {"title": "Rights <b>&", "href": "/a/?x=1&y=2", "status": "Completed", "hint": "5 min"},
    {"title": "Now", "href": "/b/", "status": "In progress", "status_colour": "blue"},
    {"title": "Later", "href": None, "status": "Cannot start yet", "hint": "<3 min>"},
]


def test_every_task_names_its_status_and_hint_by_ids_that_exist():
    html = str(task_list(ITEMS, id_prefix="outline"))
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids)) == 5  # three statuses, two hints
    for described in re.findall(r'aria-describedby="([^"]+)"', html):
        assert set(described.split()) <= set(ids)
    assert 'aria-describedby="outline-1-hint outline-1-status"' in html
    assert 'aria-describedby="outline-2-status"' in html


def test_text_is_escaped_and_a_task_without_a_link_is_plain_text():
    html = str(task_list(ITEMS))
    assert "Rights &lt;b&gt;&amp;" in html and "<b>" not in html
    assert 'href="/a/?x=1&amp;y=2"' in html
    assert "&lt;3 min&gt;" in html
    assert "<div>Later</div>" in html
    assert "kh-task-list__status--cannot-start-yet" in html
    assert '<strong class="kh-tag kh-tag--blue">In progress</strong>' in html
    assert html.count("<li") == 3


def test_an_empty_list_is_an_empty_list():
    assert str(task_list([])) == '<ul class="kh-task-list"></ul>'
