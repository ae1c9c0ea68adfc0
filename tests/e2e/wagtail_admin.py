"""Driving Wagtail's page editor the way an educator does, and waiting for
what it shows rather than for time (docs/decisions.md, ADRs 0044 and 0047).

Two pieces of the editor's own script work a moment after a person types,
and each has to be finished before the next step reads or submits the form:

- the slug is derived from the title, after each key-up and when the title
  loses focus;
- Draftail copies what was typed into the hidden input the form posts, a
  moment after the last change.

Autosave is the third, and the journeys switch it off (the `no_autosave`
fixture): a background save still on its way races the "Save draft" beside
it (a page created twice on the add form, an older body landing after a
newer one on the edit form), and under a loaded CPU the first autosave could
take longer than any timeout. It is Wagtail's feature, not Knowhow's; what
the journeys check (the forms, the workflow, who may publish) is the same
without it.
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
    type_* helpers first); return Wagtail's message. With autosave off
    (`no_autosave`) nothing else posts the form."""
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
