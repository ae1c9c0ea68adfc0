"""Browser tests: Playwright for Python driving the system Chromium.

Chromium comes from the operating system (/usr/bin/chromium, or the path in
KNOWHOW_CHROMIUM); Playwright never downloads a browser. Without Chromium
these tests are skipped with a loud warning — except in CI (CI=true), where
a missing browser is an error, so CI can never pass without them.
"""

import os
import shutil
import warnings
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in the test thread; the Django ORM
# calls the tests make are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("KNOWHOW_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]
AXE_JS = Path(__import__("axe_playwright_python").__file__).with_name("axe.min.js")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def chromium_path():
    path = shutil.which(CHROMIUM) or (CHROMIUM if os.access(CHROMIUM, os.X_OK) else None)
    return path


MISSING = (
    f"BROWSER TESTS SKIPPED: no Chromium at {CHROMIUM!r}. Install it "
    "(apt-get install chromium) or set KNOWHOW_CHROMIUM to its path."
)


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "/e2e/" in str(item.fspath)]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if browser_items and chromium_path() is None:
        if os.environ.get("CI", "").lower() == "true":
            raise pytest.UsageError(f"{MISSING} CI must run the browser tests.")
        warnings.warn(MISSING, stacklevel=1)
        for item in browser_items:
            item.add_marker(pytest.mark.skip(reason=MISSING))


def pytest_terminal_summary(terminalreporter):
    if chromium_path() is None:
        terminalreporter.section("browser tests", sep="!", red=True, bold=True)
        terminalreporter.write_line(MISSING, red=True, bold=True)


@pytest.fixture(scope="session", autouse=True)
def _baseline_data(django_db_setup, django_db_blocker):
    """The rows the data migrations made (home page, groups, catalogue page).

    Browser tests are transactional, so the database is flushed after each.
    Django's serialized rollback should restore these rows, but it keeps them
    on the connection object, and Playwright's event loop makes Django hand
    out a different connection object later in the session. So keep our own
    copy, taken before any browser starts.
    """
    from django.db import connection

    return getattr(connection, "_test_serialized_contents", None)


@pytest.fixture(autouse=True)
def _restore_baseline(_baseline_data, transactional_db):
    from django.apps import apps
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection

    if _baseline_data and not Group.objects.exists():
        # The flush after the previous test recreated content types and
        # permissions; start from an empty database so the copy loads whole.
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(_baseline_data)
        # Rows came back with their ids; move PostgreSQL's sequences past them.
        statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    # expect() waits for a state as long as page actions do (its default is 5 s,
    # too short for a loaded CI machine; waiting longer for a state never flakes).
    expect.set_options(timeout=15_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class Visit:
    """A browser tab that records every request and checks each page with axe."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.requests = []
        self.checked = []
        self.console_errors = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on(
            "console",
            lambda msg: (
                msg.type == "error" and self.console_errors.append(f"{page.url}: {msg.text}")
            ),
        )

    def goto(self, path):
        self.page.goto(self.base_url + path)
        self.assert_accessible()

    def assert_accessible(self, exclude=(), rules_off=()):
        """Zero axe-core violations on the page as it is now.

        `exclude` lists CSS selectors axe skips and `rules_off` rules it does
        not run; use them only for markup we do not own (Wagtail's admin),
        with the reason written beside the call.
        """
        page = self.page
        page.wait_for_load_state()
        self.wait_for_admin_messages()
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            # evaluate() is not subject to the page's CSP, so the strict
            # policy stays on while axe runs.
            page.evaluate(AXE_JS.read_text())
        result = page.evaluate(
            """([tags, exclude, off]) => axe.run(
                exclude.length ? {include: [document], exclude: exclude.map(s => [s])} : document,
                {runOnly: {type: 'tag', values: tags},
                 rules: Object.fromEntries(off.map(id => [id, {enabled: false}]))})""",
            [AXE_TAGS, list(exclude), list(rules_off)],
        )
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + ", ".join(str(node["target"]) for node in v["nodes"][:3])
            for v in result["violations"]
        ]
        assert not violations, f"axe on {page.url}:\n" + "\n".join(violations)
        self.checked.append(page.url)

    def wait_for_admin_messages(self):
        """Wait until Wagtail's admin messages (if any) have finished appearing.

        The admin fades its messages in: the list starts transparent, its
        script adds a class a moment after load, and a half-second transition
        brings it to full opacity. Checked mid-fade, the green success message
        fails axe's colour-contrast rule, so wait for the state a reader ends
        up seeing: fully opaque, with no transition still running. Pages with
        no messages (every page outside the admin) pass at once.
        """
        self.page.wait_for_function(
            """() => {
                const list = document.querySelector('.messages > ul');
                if (!list || !list.querySelector('li')) return true;
                const running = list.closest('.messages').getAnimations({subtree: true})
                    .some(animation => animation.playState !== 'finished');
                return getComputedStyle(list).opacity === '1' && !running;
            }"""
        )

    def assert_no_third_party_requests(self):
        outside = [
            url
            for url in self.requests
            if urlsplit(url).scheme not in {"data", "blob", "about"}
            and urlsplit(url).hostname not in LOCAL_HOSTS
        ]
        assert not outside, f"requests left 127.0.0.1: {outside}"

    def assert_no_csp_violations(self):
        blocked = [e for e in self.console_errors if "Content Security Policy" in e]
        assert not blocked, "\n".join(blocked)


@contextmanager
def _tab(browser, base_url):
    """A phone-sized tab in a browser context of its own (its own cookies),
    checked afterwards for off-host requests and CSP violations."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    tab = Visit(page, base_url)
    yield tab
    tab.assert_no_third_party_requests()
    tab.assert_no_csp_violations()
    context.close()


@pytest.fixture
def visit(browser, live_server):
    with _tab(browser, live_server.url) as tab:
        yield tab


@pytest.fixture
def second_visit(browser, live_server):
    """A second person in the same journey, signed in separately."""
    with _tab(browser, live_server.url) as tab:
        yield tab
