"""The project's one HTML sanitiser (IO-01).

Any HTML that did not come from Wagtail's own editor passes through
`sanitise_html` before it is stored or rendered as HTML. It keeps the tags
Knowhow's rich text allows, drops everything else (keeping the text), and
allows only http, https and mailto links.
"""

import bleach

RICH_TEXT_TAGS = frozenset({"p", "h2", "h3", "ul", "ol", "li", "b", "i", "a", "br"})
RICH_TEXT_ATTRIBUTES = {"a": ["href"]}
LINK_PROTOCOLS = frozenset({"http", "https", "mailto"})

# Wagtail's rich text stores bold and italic as <b> and <i>.
_EQUIVALENTS = {"strong": "b", "em": "i"}


def sanitise_html(html: str, *, tags=RICH_TEXT_TAGS) -> str:
    """Return `html` with only Knowhow's rich-text tags (or the subset `tags`
    of them) and safe links left."""
    if not set(tags) <= RICH_TEXT_TAGS:
        raise ValueError(f"Not rich-text tags: {sorted(set(tags) - RICH_TEXT_TAGS)}")
    cleaned = bleach.clean(
        html or "",
        tags=set(tags) | set(_EQUIVALENTS),
        attributes=RICH_TEXT_ATTRIBUTES,
        protocols=LINK_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )
    for tag, replacement in _EQUIVALENTS.items():
        cleaned = cleaned.replace(f"<{tag}>", f"<{replacement}>").replace(
            f"</{tag}>", f"</{replacement}>"
        )
    return cleaned.strip()
