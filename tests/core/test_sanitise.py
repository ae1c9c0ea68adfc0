"""IO-01: the one sanitiser against an XSS payload corpus."""

import pytest

from core.sanitise import sanitise_html

XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<svg onload="alert(1)"></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<p onclick="alert(1)">x</p>',
    "<<script>script>alert(1)<</script>/script>",
    '<a href="https://ok.example" onmouseover="alert(1)">x</a>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<object data="x.swf"></object>',
    "<!--<script>alert(1)</script>-->",
    '<form action="https://evil.example"><button>x</button></form>',
]


@pytest.mark.parametrize("payload", XSS)
def test_payloads_cannot_run(payload):
    cleaned = sanitise_html(payload).lower()
    for dangerous in [
        "<script",
        "onerror",
        "onload",
        "onclick",
        "onmouseover",
        "javascript:",
        "<iframe",
        "<svg",
        "<object",
        "<form",
        "style=",
        "data:text",
        "<img",
    ]:
        assert dangerous not in cleaned, (payload, cleaned)


def test_allowed_markup_survives_and_is_normalised():
    html = (
        "<h2>Rights</h2><p>You <strong>can</strong> ask, <em>in writing</em>.</p>"
        "<ul><li>One</li></ul><ol><li>Two</li></ol>"
        '<p><a href="https://www.legislation.gov.uk/">UK GDPR</a></p>'
    )
    assert sanitise_html(html) == (
        "<h2>Rights</h2><p>You <b>can</b> ask, <i>in writing</i>.</p>"
        "<ul><li>One</li></ul><ol><li>Two</li></ol>"
        '<p><a href="https://www.legislation.gov.uk/">UK GDPR</a></p>'
    )


def test_disallowed_tags_are_removed_but_their_text_kept():
    assert sanitise_html("<div><span>Hello</span></div>") == "Hello"


def test_empty_input():
    assert sanitise_html("") == ""
    assert sanitise_html(None) == ""
