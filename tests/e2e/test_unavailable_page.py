"""The "try again in a minute" page, as a browser gets it (issue #15).

A gunicorn node whose database does not answer (its DATABASE_URL names a port
nobody listens on) serves the 503 page for every path. It passes axe, asks
no other host for anything, breaks no CSP rule, and reads the same without
JavaScript (it has none).
"""

import pytest

from bench.processes import free_port
from tests.deployment.helpers import make_env, running_nodes, static_root
from tests.e2e.conftest import _tab

HEADING = "Sorry, Knowhow is not available right now"


@pytest.fixture(scope="module")
def unavailable_node():
    nowhere = f"postgres://postgres@127.0.0.1:{free_port()}/knowhow"
    with static_root() as static:
        env = make_env(database_url=nowhere, static=static)
        with running_nodes([env], healthz=503) as (node,):
            yield node


def test_the_503_page_is_accessible_and_needs_no_javascript(browser, unavailable_node):
    with _tab(browser, unavailable_node.url) as visit:
        for path in ["/", "/courses/", "/search/?q=data"]:
            response = visit.page.goto(unavailable_node.url + path)
            assert response.status == 503, path
            assert response.headers["retry-after"] == "60"
            visit.assert_accessible()
            assert visit.page.locator("h1").inner_text() == HEADING
            assert visit.page.title() == f"{HEADING} – Knowhow"

    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        response = page.goto(unavailable_node.url + "/courses/")
        assert response.status == 503
        assert page.locator("h1").inner_text() == HEADING
        assert "Try again in a minute." in page.locator("main").inner_text()
        assert page.locator("script").count() == 0
    finally:
        context.close()
