"""Driving Wagtail's page editor the way an educator does, and waiting for
what it shows rather than for time (docs/decisions.md, ADR 0044).

Wagtail 8's editor does work of its own in the background while a person
types, and each piece has to be finished before the next step reads or
submits the form:

- the slug is derived from the title by the editor's script, a moment after
  each key-up and when the title loses focus;
- Draftail copies what was typed into the hidden input the form posts, a
  moment after the last change;
- autosave posts the whole form in the background a moment after any change.
  On a new page the first autosave creates the page and turns the form into
  the page's edit form. A Submit clicked while an autosave is still on its
  way races it: on the "add" form it can create the page twice (refused for
  a duplicate slug), and on the edit form a stale autosave can land after
  the submit and leave an older body as the latest revision.
"""

import json
import re

from playwright.sync_api import expect

EDIT_FORM = "[data-edit-form]"

# Records the form as it stood when each autosave succeeded. It only listens
# for the editor's own "w-autosave:success" event; it changes nothing.
_WATCH_AUTOSAVE = """() => {
    if (window.__autosaveWatch) return;
    const snapshot = () => new URLSearchParams(
        new FormData(document.querySelector('[data-edit-form]'))).toString();
    window.__autosaveWatch = {snapshot, saved: null};
    document.addEventListener('w-autosave:success', () => {
        window.__autosaveWatch.saved = snapshot();
    });
}"""

_AUTOSAVED = """() => {
    const watch = window.__autosaveWatch;
    const state = document.querySelector('#w-autosave-indicator')?.dataset.wAutosaveStateValue;
    return watch.saved !== null && state === 'saved' && watch.saved === watch.snapshot();
}"""


def open_editor(visit, url, exclude=()):
    """Open an add or edit page, check it with axe, and start watching its autosave."""
    page = visit.page
    page.goto(visit.base_url + url)
    visit.assert_accessible(exclude=exclude)
    page.evaluate(_WATCH_AUTOSAVE)
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
        """(text) => [...document.querySelectorAll('input[type=hidden][name^="body-"]')]
            .some(input => {
                try {
                    return JSON.parse(input.value).blocks.map(b => b.text).join('\\n') === text;
                } catch (error) { return false; }
            })""",
        arg=text,
    )


def wait_until_autosaved(page):
    """Wait until an autosave has succeeded with the form exactly as it is now,
    and none is on its way: what the server holds is what the page shows."""
    page.wait_for_function(_AUTOSAVED)


def draftail_text(page):
    """The text of the (first) Draftail editor's saved content, as the form holds it."""
    raw = page.locator('input[type=hidden][name^="body-"][name$="-value"]').first.input_value()
    return "\n".join(block["text"] for block in json.loads(raw)["blocks"])


def wait_for_message(page):
    """Wait for Wagtail's message after a form's navigation; fail with its
    text (and the page's) if the admin refused what was sent."""
    message = page.locator(".messages li").first
    message.wait_for()
    if "error" in (message.get_attribute("class") or ""):
        raise AssertionError(page.locator("main").inner_text()[:2000])
    return message.inner_text()


def submit_for_review(page):
    """Submit the page in the editor to the reviewers. After typing into the
    form, call wait_until_autosaved first."""
    page.get_by_role("button", name="More actions").click()
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(r"Submit to Reviewer approval")).click()
    return wait_for_message(page)
