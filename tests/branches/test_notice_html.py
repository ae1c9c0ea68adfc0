"""How an officer's notice text becomes the HTML members see (IO-01)."""

import pytest

from branches.services import notice_html
from core.sanitise import sanitise_html


def test_plain_text_becomes_escaped_paragraphs():
    text = "Meeting on Thursday.\r\nBring a friend & your phone.\n\n<not a tag but 1 < 2"
    assert notice_html("Meeting on Thursday.\r\nBring a friend & your phone.\n\nSee you") == (
        "<p>Meeting on Thursday.<br>Bring a friend &amp; your phone.</p><p>See you</p>"
    )
    assert "<not" not in notice_html(text)


def test_markup_keeps_its_paragraphs():
    text = "<b>Training evening</b> on Thursday.\n\nBring:\n<ul><li>a phone</li></ul>\n\nThanks"
    assert notice_html(text) == (
        "<p><b>Training evening</b> on Thursday.</p><p>Bring:</p><ul><li>a phone</li></ul>"
        "<p>Thanks</p>"
    )


def test_lists_and_links_survive_headings_do_not():
    html = notice_html('<h2>Big</h2>\n\n<ul><li><a href="https://example.org/">Go</a></li></ul>')
    assert "<h2" not in html and "Big" in html
    assert '<ul><li><a href="https://example.org/">Go</a></li></ul>' in html


def test_sanitiser_refuses_a_tag_set_wider_than_rich_text():
    with pytest.raises(ValueError, match="script"):
        sanitise_html("<p>x</p>", tags={"p", "script"})
    assert sanitise_html("<h2>x</h2><p>y</p>", tags={"p"}) == "x<p>y</p>"
