"""Driving Wagtail's page editor the way an educator does, and waiting for
what it shows rather than for time (docs/decisions.md, ADR 0044).

Wagtail 8's editor does work of its own in the background while a person
types, and each piece has to be finished before the next step reads or
submits the form:

- the slug is derived from the title by the editor's script, a moment after
  each key-up and when the title loses focus;
- Draftail copies what was typed into the hidden input the form posts, a
  moment after the last change;
- autosave posts the form in the background a moment after a change, with
  the form as it stood when the change was noticed; on a new page the first
  autosave creates the page and turns the form into its edit form.

An autosave still on its way races anything submitted beside it: on the
"add" form the page can be created twice (one refused for a duplicate slug),
and on the edit form an autosave carrying an older body can land after the
newer save and leave that body as the latest revision. An autosave can also
carry a body Draftail had not copied yet and still count as saved, because
Wagtail marks the form clean with what it holds when the save returns. So
the journeys never trust autosave: once the form holds everything and no
autosave is on its way, they press "Save draft" themselves, and submit for
review from a freshly loaded editor that has nothing left to autosave.
"""

import json
import re

from playwright.sync_api import expect

DRAFTAIL_INPUTS = 'input[type=hidden][name^="body-"][name$="-value"]'


def open_editor(visit, url, exclude=()):
    """Open an add or edit page and check it with axe."""
    page = visit.page
    page.goto(visit.base_url + url)
    visit.assert_accessible(exclude=exclude)
    return page


def type_title(page, title, slug):
    """Type the title key by key, leave the field, and wait for the slug
    Wagtail's script derives from it (on the Promote tab)."""
    field = page.locator("#id_title")
    field.click()
    field.press_sequentially(title)
    field.press("Tab")
    expect(page.locator("#id_slug")).to_have_value(slug)


def type_rich_text(page, text):
    """Add a rich text block to the body, type `text` into its Draftail
    editor, and wait until Draftail has copied exactly that text into the
    hidden input the form posts."""
    page.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name=re.compile("Rich text")).click()
    editor = page.locator(".public-DraftEditor-content").last
    editor.click()
    page.keyboard.type(text)
    page.keyboard.press("Tab")
    page.wait_for_function(
        """([selector, text]) => [...document.querySelectorAll(selector)].some(input => {
            try {
                return JSON.parse(input.value).blocks.map(b => b.text).join('\\n') === text;
            } catch (error) { return false; }
        })""",
        arg=[DRAFTAIL_INPUTS, text],
    )


def draftail_text(page):
    """The text the (first) Draftail editor's hidden input holds."""
    raw = page.locator(DRAFTAIL_INPUTS).first.input_value()
    return "\n".join(block["text"] for block in json.loads(raw)["blocks"])


def wait_for_message(page):
    """Wait for Wagtail's message after a form's navigation; fail with its
    text (and the page's) if the admin refused what was sent."""
    message = page.locator(".messages li").first
    message.wait_for()
    if "error" in (message.get_attribute("class") or ""):
        raise AssertionError(page.locator("main").inner_text()[:2000])
    return message.inner_text()


def save_draft(page):
    """Press "Save draft" once the form holds everything typed (call the
    type_* helpers first) and autosave has settled: the page exists (its
    first autosave turned the form into the edit form) and the editor's
    autosave indicator does not say it is saving. Any autosave that starts
    after that carries the same form as this save. Returns the message."""
    page.wait_for_function(
        """() => location.pathname.endsWith('/edit/')
            && document.querySelector('#w-autosave-indicator')
                ?.dataset.wAutosaveStateValue !== 'saving'""",
        # The first autosave waits for the editor to notice a change, then
        # for its own debounce, then for the server: allow a loaded machine time.
        timeout=30_000,
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft", exact=True).click()
    return wait_for_message(page)


def submit_for_review(page):
    """Submit the page in the editor to the reviewers. Call it on an editor
    loaded after save_draft, with nothing typed since."""
    page.get_by_role("button", name="More actions").click()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(r"Submit to Reviewer approval")).click()
    return wait_for_message(page)
