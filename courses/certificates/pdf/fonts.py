"""The bundled fonts (courses/certificates/fonts/), registered once at import,
and which of them each character is drawn in.

Noto Sans covers Latin, Greek and Cyrillic; Noto Naskh Arabic and Noto Sans
Bengali the scripts it lacks. These files are the only ones the PDF ever
reads (CERT-04).
"""

import threading
import unicodedata
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"

# Face -> script -> (registered name, file). "latin" is the default face and also
# covers Greek, Cyrillic and Vietnamese.
_FONT_FILES = {
    "regular": {
        "latin": "NotoSans-Regular.ttf",
        "arabic": "NotoNaskhArabic-Regular.ttf",
        "bengali": "NotoSansBengali-Regular.ttf",
    },
    "bold": {
        "latin": "NotoSans-Bold.ttf",
        "arabic": "NotoNaskhArabic-Bold.ttf",
        "bengali": "NotoSansBengali-Bold.ttf",
    },
}


def _register_fonts() -> dict[str, dict[str, TTFont]]:
    faces: dict[str, dict[str, TTFont]] = {}
    for face, scripts in _FONT_FILES.items():
        faces[face] = {}
        for script, filename in scripts.items():
            font = TTFont(f"Knowhow-{filename.removesuffix('.ttf')}", str(FONT_DIR / filename))
            if not font.shapable:
                # Without HarfBuzz, Arabic letters would not join and Bengali
                # conjuncts would fall apart: refuse rather than print them wrong.
                raise RuntimeError("reportlab cannot shape text: install uharfbuzz")
            pdfmetrics.registerFont(font)
            faces[face][script] = font
    return faces


FACES = _register_fonts()

# reportlab keeps per-font state that shaping extends (glyphs without a code
# point get private-use ones), so one certificate is drawn at a time per process.
LOCK = threading.Lock()


def script_of(ch: str) -> str | None:
    """The face a character needs, or None for characters that follow their neighbours."""
    cp = ord(ch)
    if 0x0980 <= cp <= 0x09FF:
        return "bengali"
    if (
        0x0600 <= cp <= 0x06FF
        or 0x0750 <= cp <= 0x077F
        or 0x0870 <= cp <= 0x08FF
        or 0xFB50 <= cp <= 0xFDFF
        or 0xFE70 <= cp <= 0xFEFF
    ):
        return "arabic"
    if unicodedata.category(ch)[0] == "L":
        return "latin"
    return None  # spaces, digits, punctuation, combining marks


def _has(font: TTFont, ch: str) -> bool:
    return ord(ch) in font.face.charToGlyph


def font_per_char(text: str, face: str) -> list[str]:
    fonts = FACES[face]
    wanted = [script_of(ch) for ch in text]
    # Spaces, digits and marks stay in the font of the text around them, so a
    # mark is positioned on its own letter and a run is not broken up.
    previous = next((s for s in wanted if s), "latin")
    for i, script in enumerate(wanted):
        if script is None:
            wanted[i] = previous
        else:
            previous = script
    chosen = []
    for ch, script in zip(text, wanted, strict=True):
        if not _has(fonts[script], ch):
            # Then any font that has it; else the default (and a missing-glyph box).
            script = next((s for s, f in fonts.items() if _has(f, ch)), "latin")
        chosen.append(fonts[script].fontName)
    return chosen
