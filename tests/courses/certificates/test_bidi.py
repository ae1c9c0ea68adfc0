"""The certificate PDF's bidi levels (courses/certificates/pdf/bidi.py) against
python-bidi, which wraps the maintained Rust implementation of UAX #9.

python-bidi cannot replace bidi.py: its API returns a reordered string, and
HarfBuzz must shape each run in logical order. So the levels bidi.py computes
are turned into a visual order here (rules L1 and L2) and compared with
python-bidi's. Brackets are left out: bidi.py does not pair them (rule N0),
a known, documented simplification for names and titles.
"""

import unicodedata

import pytest
from bidi import get_display
from hypothesis import given, settings
from hypothesis import strategies as st

from courses.certificates.pdf.bidi import base_level, bidi_levels
from courses.certificates.pdf.text import clean

# Latin, Arabic (with a shadda, a mark), Hebrew, Bengali, European and Arabic-Indic
# digits, separators and terminators: every class the rules bidi.py has apply to.
ALPHABET = "abcXY نورالهدى\u0651שלוםক।0123٠١٢-+.,:/%$#"


def visual_order(text: str) -> str:
    base = base_level(text)
    levels = bidi_levels(text, base)
    # L1: whitespace at the end of the line goes back to the paragraph level.
    end = len(text)
    while end and unicodedata.bidirectional(text[end - 1]) in ("WS", "S", "B"):
        end -= 1
        levels[end] = base
    # L2: from the highest level to the lowest odd one, reverse each run at
    # that level or above.
    order = list(range(len(text)))
    highest = max(levels)
    lowest_odd = min((level for level in levels if level % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] < level:
                i += 1
                continue
            j = i
            while j < len(order) and levels[order[j]] >= level:
                j += 1
            order[i:j] = order[i:j][::-1]
            i = j
    return "".join(text[i] for i in order)


@pytest.mark.parametrize(
    "text",
    [
        "Nour نور الهدى",
        "نور الهدى 2024",
        "דוד כהן",
        "Dafydd ap Gwilym",
        "মিতা রায়",
        "a نو 12 b",
        "نو ab",
        "السعر 50% - 3,500",
    ],
)
def test_names_are_ordered_as_the_unicode_algorithm_orders_them(text):
    assert visual_order(text) == get_display(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=ALPHABET, min_size=1, max_size=30).map(clean).filter(bool))
def test_bidi_levels_agree_with_python_bidi(text):
    assert visual_order(text) == get_display(text)
