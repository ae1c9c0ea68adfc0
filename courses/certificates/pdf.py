"""The certificate PDF (issue 5): A4 landscape, drawn on demand with reportlab.

CERT-04: nothing here fetches a file or URL. Text goes straight to the canvas
(``drawString``), never through Paragraph markup, so a name such as
``<img src="file:///etc/passwd"/>`` is printed as the characters it is made of.
The only files read are the bundled fonts in ``courses/fonts/``, once, at import.

Names come in any script our members have. Each character is drawn in a font
that has it (Noto Sans for Latin, Greek and Cyrillic; Noto Naskh Arabic; Noto
Sans Bengali), each run is shaped by HarfBuzz (reportlab calls it through
``uharfbuzz``: Arabic joining, Bengali conjuncts and vowel signs, kerning), and
runs are put in visual order by the implicit rules of the Unicode bidirectional
algorithm (``_bidi_levels``), so Arabic reads right to left. reportlab's own
right-to-left support needs ``rlbidi``, which is not on PyPI.
"""

from __future__ import annotations

import datetime
import threading
import unicodedata
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

import segno
from reportlab.lib.abag import ABag
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, TTFont, shapeFragWord
from reportlab.pdfgen.canvas import Canvas


@dataclass(frozen=True)
class CertificateData:
    holder_name: str
    course_title: str
    level: str  # "Introductory" | "Intermediate" | "Advanced"
    hours: str  # already formatted, e.g. "1.5"
    issued_on: datetime.date
    expires_on: datetime.date | None
    code: str  # the verification code, e.g. 32 hex characters
    verify_url: str  # absolute URL of the public verification page


# ---------------------------------------------------------------- fonts

FONT_DIR = Path(__file__).resolve().parent / "fonts"

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


_FACES = _register_fonts()

# reportlab keeps per-font state that shaping extends (glyphs without a code
# point get private-use ones), so one certificate is drawn at a time per process.
_LOCK = threading.Lock()

# Optional ligatures off: "ﬁ" would come out of text extraction as one odd
# character. Required ones (Arabic lam-alef, Bengali conjuncts) are always on.
_FEATURES = {"kern": True, "liga": False, "dlig": False}

# ---------------------------------------------------------------- text cleaning

# Zero-width joiner and non-joiner change how Arabic and Bengali letters join;
# every other format character (bidi overrides and isolates, zero-width spaces,
# soft hyphens, BOM) is invisible and has no glyph, so it goes.
_KEEP_FORMAT = {"\u200c", "\u200d"}


def _clean(text: str) -> str:
    """Plain, printable text: NFC, no control or format characters, single spaces."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        category = unicodedata.category(ch)
        if category[0] == "Z" or ch in "\t\n\r\v\f\x1c\x1d\x1e\x1f\x85":
            out.append(" ")
        elif category[0] == "C" and ch not in _KEEP_FORMAT:
            # Cc, Cf, Cs, Co (reportlab uses private-use code points for shaped
            # glyphs) and Cn.
            continue
        else:
            out.append(ch)
    return " ".join("".join(out).split())


# ---------------------------------------------------------------- scripts and fonts


def _script(ch: str) -> str | None:
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


def _font_per_char(text: str, face: str) -> list[str]:
    fonts = _FACES[face]
    wanted = [_script(ch) for ch in text]
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


# ---------------------------------------------------------------- bidi

_NEUTRAL = {"B", "S", "WS", "ON", "BN"}
_MIRROR = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")


def _base_level(text: str) -> int:
    """P2-P3: the first strong character sets the direction; 0 (LTR) if none."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return 0
        if kind in ("R", "AL"):
            return 1
    return 0


def _bidi_levels(text: str, base: int) -> list[int]:
    """Embedding levels from the implicit rules of UAX #9 (W1-W7, N1-N2, I1-I2).

    ``_clean`` has removed explicit embeddings, overrides and isolates, so no
    X rules are needed. Bracket pairs (N0) are not matched: a bracket takes the
    direction of the text around it, which is enough for names and titles.
    """
    sos = "R" if base else "L"
    types = [unicodedata.bidirectional(ch) or "L" for ch in text]
    n = len(types)
    last = sos
    for i, kind in enumerate(types):
        if kind == "NSM":  # W1
            types[i] = last
        last = types[i]
    last = sos
    for i, kind in enumerate(types):  # W2, W3
        if kind in ("L", "R", "AL"):
            last = kind
        elif kind == "EN" and last == "AL":
            types[i] = "AN"
    types = ["R" if kind == "AL" else kind for kind in types]
    for i in range(1, n - 1):  # W4
        before, kind, after = types[i - 1], types[i], types[i + 1]
        if kind == "ES" and before == after == "EN":
            types[i] = "EN"
        elif kind == "CS" and before == after and before in ("EN", "AN"):
            types[i] = before
    i = 0
    while i < n:  # W5
        if types[i] != "ET":
            i += 1
            continue
        j = i
        while j < n and types[j] == "ET":
            j += 1
        if (i > 0 and types[i - 1] == "EN") or (j < n and types[j] == "EN"):
            types[i:j] = ["EN"] * (j - i)
        i = j
    types = ["ON" if kind in ("ES", "ET", "CS") else kind for kind in types]  # W6
    last = sos
    for i, kind in enumerate(types):  # W7
        if kind in ("L", "R"):
            last = kind
        elif kind == "EN" and last == "L":
            types[i] = "L"
    i = 0
    while i < n:  # N1, N2
        if types[i] not in _NEUTRAL:
            i += 1
            continue
        j = i
        while j < n and types[j] in _NEUTRAL:
            j += 1
        before = sos if i == 0 else types[i - 1]
        after = sos if j == n else types[j]
        before = "R" if before in ("EN", "AN") else before
        after = "R" if after in ("EN", "AN") else after
        types[i:j] = [before if before == after else sos] * (j - i)
        i = j
    if base == 0:  # I1
        return [0 if kind == "L" else 1 if kind == "R" else 2 for kind in types]
    return [1 if kind == "R" else 2 for kind in types]  # I2


# ---------------------------------------------------------------- shaping and layout


@dataclass(frozen=True)
class _Run:
    font: str
    text: str  # a ShapedStr when HarfBuzz moved or replaced glyphs
    width: float  # at a font size of 1000


def _shape(text: str, font: str) -> _Run:
    word = [pdfmetrics.stringWidth(text, font, 1000), (ABag(fontName=font, fontSize=1000), text)]
    shaped = shapeFragWord(word, features=_FEATURES)[1][1]
    if isinstance(shaped, ShapedStr):
        width = sum(glyph.x_advance for glyph in shaped.__shapeData__)
    else:
        width = pdfmetrics.stringWidth(shaped, font, 1000)
    return _Run(font, shaped, width)


def _layout(text: str, face: str, base: int) -> list[_Run]:
    """One line of text as shaped runs in visual (left-to-right) order."""
    if not text:
        return []
    fonts = _font_per_char(text, face)
    levels = _bidi_levels(text, base)
    runs: list[tuple[int, str, str]] = []  # (level, font, logical text)
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or (levels[i], fonts[i]) != (levels[start], fonts[start]):
            runs.append((levels[start], fonts[start], text[start:i]))
            start = i
    # L2: from the highest level down to the lowest odd one, reverse every
    # sequence of runs at that level or higher.
    highest = max(level for level, _, _ in runs)
    lowest_odd = min((level for level, _, _ in runs if level % 2), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(runs):
            if runs[i][0] < level:
                i += 1
                continue
            j = i
            while j < len(runs) and runs[j][0] >= level:
                j += 1
            runs[i:j] = runs[i:j][::-1]
            i = j
    shaped = []
    for level, font, chunk in runs:
        if level % 2 and not any(unicodedata.bidirectional(c) in ("R", "AL") for c in chunk):
            # HarfBuzz guesses left to right for a run with no right-to-left
            # letters (brackets, dashes between Arabic words): order it here.
            chunk = chunk[::-1].translate(_MIRROR)
        shaped.append(_shape(chunk, font))
    return shaped


def _graphemes(word: str) -> list[str]:
    """Pieces a word may be broken into when it is wider than a line on its own."""
    pieces: list[str] = []
    for ch in word:
        joins = pieces and (
            unicodedata.category(ch)[0] == "M"
            or ch in _KEEP_FORMAT
            or pieces[-1][-1] in _KEEP_FORMAT
            or unicodedata.combining(pieces[-1][-1]) == 9  # after a virama
        )
        if joins:
            pieces[-1] += ch
        else:
            pieces.append(ch)
    return pieces


@dataclass
class _Block:
    """Text fitted into a box: the lines (shaped runs) and the font size."""

    lines: list[list[_Run]]
    size: float
    leading: float

    @property
    def height(self) -> float:
        return len(self.lines) * self.leading


class _Wrapper:
    """Greedy line breaking over words, splitting a word only when it must."""

    def __init__(self, text: str, face: str, base: int):
        self.face = face
        self.words = text.split(" ")
        self.widths = [sum(r.width for r in _layout(w, face, base)) for w in self.words]
        self.space = pdfmetrics.stringWidth(" ", _FACES[face]["latin"].fontName, 1000)
        self._pieces: dict[int, list[tuple[str, float]]] = {}

    def total(self) -> float:
        return sum(self.widths) + self.space * (len(self.words) - 1)

    def pieces(self, index: int) -> list[tuple[str, float]]:
        """A word's graphemes with widths that add up to the shaped word's width."""
        if index not in self._pieces:
            word = self.words[index]
            fonts = _font_per_char(word, self.face)
            parts = _graphemes(word)
            rough, at = [], 0
            for part in parts:
                rough.append(
                    sum(
                        pdfmetrics.stringWidth(ch, fonts[at + k], 1000) for k, ch in enumerate(part)
                    )
                )
                at += len(part)
            scale = self.widths[index] / (sum(rough) or 1)
            self._pieces[index] = [(p, w * scale) for p, w in zip(parts, rough, strict=True)]
        return self._pieces[index]

    def wrap(self, limit: float) -> list[tuple[str, float]]:
        """Lines (text, approximate width at size 1000) no wider than ``limit``."""
        lines: list[tuple[str, float]] = []
        text, width = "", 0.0
        for index, (word, word_width) in enumerate(zip(self.words, self.widths, strict=True)):
            joined = width + self.space + word_width if text else word_width
            if joined <= limit:
                text, width = (f"{text} {word}" if text else word), joined
                continue
            if text:
                lines.append((text, width))
                text, width = "", 0.0
            if word_width <= limit:
                text, width = word, word_width
                continue
            for piece, piece_width in self.pieces(index):
                if text and width + piece_width > limit:
                    lines.append((text, width))
                    text, width = "", 0.0
                text, width = text + piece, width + piece_width
        if text:
            lines.append((text, width))
        return lines

    def narrowest(self, count: int) -> list[tuple[str, float]]:
        """The wrap into at most ``count`` lines whose widest line is narrowest."""
        low, high = self.total() / count, self.total()
        best = self.wrap(high)
        for _ in range(24):
            middle = (low + high) / 2
            lines = self.wrap(middle)
            if len(lines) <= count:
                best, high = lines, middle
            else:
                low = middle
        return best


_MAX_CHARACTERS = 1000


def _fit(
    text: str,
    *,
    face: str,
    width: float,
    size: float,
    min_size: float,
    floor: float,
    height: float,
    leading: float = 1.2,
) -> _Block:
    """Fit text into a box ``width`` wide and ``height`` high.

    One line at up to ``size``, shrinking to ``min_size``; then two lines (or
    more, as ``height`` allows) at no more than ``min_size`` and no less than
    ``floor``; past that, the last line that fits ends with an ellipsis. The
    text never runs outside the box.
    """
    text = _clean(text)
    if len(text) > _MAX_CHARACTERS:
        # Far more than the box shows even at the floor size: bound the work.
        text = text[:_MAX_CHARACTERS] + "…"
    if not text:
        return _Block([], size, size * leading)
    base = _base_level(text)
    wrapper = _Wrapper(text, face, base)
    total = wrapper.total()
    chosen: list[str] = [text]
    best = min(size, width * 1000 / total if total else size, height / leading)
    if best < min_size:
        best = 0.0
        count = 2
        while count * floor * leading <= height:
            lines = wrapper.narrowest(count)
            widest = max(w for _, w in lines)
            fitted = min(min_size, width * 1000 / widest, height / (len(lines) * leading))
            if fitted > best:
                best, chosen = fitted, [t for t, _ in lines]
            if len(lines) < count:
                break  # more lines would not help
            count += 1
        if best < floor:
            best = floor
            most = max(1, int(height // (floor * leading)))
            lines = wrapper.wrap(width * 1000 / floor)
            chosen = [t for t, _ in lines[:most]]
            if len(lines) > most:
                chosen[-1] = _ellipsis(chosen[-1], face, base, width * 1000 / floor)
    laid = [_layout(line, face, base) for line in chosen]
    # Word widths were measured one by one; check the real lines.
    widest = max(sum(r.width for r in runs) for runs in laid)
    best = min(best, width * 1000 / widest) if widest else best
    return _Block(laid, best, best * leading)


def _ellipsis(line: str, face: str, base: int, limit: float) -> str:
    pieces = _graphemes(line)
    while pieces:
        candidate = "".join(pieces).rstrip() + "…"
        if sum(r.width for r in _layout(candidate, face, base)) <= limit:
            return candidate
        pieces.pop()
    return "…"


# ---------------------------------------------------------------- drawing

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 64  # left and right edge of the text
PAPER = HexColor("#faf7f2")
WHITE = HexColor("#ffffff")
INK = HexColor("#1b1e23")
INK_SECONDARY = HexColor("#4f555c")
TEAL_900 = HexColor("#0d3b42")
TEAL_700 = HexColor("#0f5f68")
PLUM = HexColor("#6a2c68")
AMBER = HexColor("#ffbf47")
RULE = HexColor("#d9d3c7")

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _date(day: datetime.date) -> str:
    """UK style, whatever the process locale: 3 March 2026."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _draw_runs(canvas: Canvas, runs: list[_Run], x: float, y: float, size: float) -> None:
    for run in runs:
        canvas.setFont(run.font, size)
        canvas.drawString(x, y, run.text)
        x += run.width * size / 1000


def _line_width(runs: list[_Run], size: float) -> float:
    return sum(r.width for r in runs) * size / 1000


def _draw_block(
    canvas: Canvas, block: _Block, top: float, colour, *, centre=None, left=None
) -> float:
    """Draw from ``top`` down; return the y below the block."""
    canvas.setFillColor(colour)
    y = top
    for runs in block.lines:
        y -= block.leading
        width = _line_width(runs, block.size)
        x = centre - width / 2 if centre is not None else left
        # Baseline about a quarter of the leading above the bottom of the line.
        _draw_runs(canvas, runs, x, y + block.leading * 0.25, block.size)
    return y


def _text(text: str, *, face: str = "regular", size: float, width: float) -> _Block:
    """Fixed wording and short values: one line, shrunk only if it must be."""
    return _fit(
        text,
        face=face,
        width=width,
        size=size,
        min_size=size * 0.6,
        floor=size * 0.6,
        height=size * 2.6,
    )


def _draw_qr(canvas: Canvas, url: str, x: float, y: float, side: float) -> None:
    """The QR code as one vector path: each row's dark modules merged into rectangles."""
    qr = segno.make(url, error="m", micro=False)
    rows = [list(row) for row in qr.matrix_iter(border=0)]
    module = side / len(rows)
    path = canvas.beginPath()
    for r, row in enumerate(rows):
        top = y + side - (r + 1) * module
        c = 0
        while c < len(row):
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            path.rect(x + start * module, top, (c - start) * module, module)
    canvas.setFillColor(TEAL_900)
    canvas.drawPath(path, stroke=0, fill=1)


def _draw_frame(canvas: Canvas) -> None:
    canvas.setFillColor(PAPER)
    canvas.rect(0, 0, PAGE_WIDTH, PAGE_HEIGHT, stroke=0, fill=1)
    canvas.setStrokeColor(TEAL_900)
    canvas.setLineWidth(2.5)
    canvas.rect(22, 22, PAGE_WIDTH - 44, PAGE_HEIGHT - 44, stroke=1, fill=0)
    canvas.setStrokeColor(TEAL_700)
    canvas.setLineWidth(0.6)
    canvas.rect(28, 28, PAGE_WIDTH - 56, PAGE_HEIGHT - 56, stroke=1, fill=0)
    # Plum corner accents.
    canvas.setFillColor(PLUM)
    for cx in (22, PAGE_WIDTH - 22):
        for cy in (22, PAGE_HEIGHT - 22):
            canvas.rect(cx - 4, cy - 4, 8, 8, stroke=0, fill=1)


def _draw_brand(canvas: Canvas, centre: float, top: float) -> None:
    """The site's mark: a "K" on an amber tile, then the word Knowhow."""
    word = _text("Knowhow", face="bold", size=17, width=200)
    tile = 24
    gap = 8
    word_width = _line_width(word.lines[0], word.size)
    x = centre - (tile + gap + word_width) / 2
    canvas.setFillColor(AMBER)
    canvas.roundRect(x, top - tile, tile, tile, 5, stroke=0, fill=1)
    letter = _text("K", face="bold", size=15, width=tile)
    canvas.setFillColor(TEAL_900)
    letter_width = _line_width(letter.lines[0], letter.size)
    _draw_runs(canvas, letter.lines[0], x + (tile - letter_width) / 2, top - tile + 7, letter.size)
    _draw_runs(canvas, word.lines[0], x + tile + gap, top - tile + 6.5, word.size)


def _hours(hours: str) -> str:
    hours = _clean(hours)
    return f"about {hours} hour{'' if hours == '1' else 's'} of learning"


def certificate_pdf(data: CertificateData) -> bytes:
    """The certificate as PDF bytes. Reads no file and fetches nothing (CERT-04)."""
    course_title = _clean(data.course_title)
    verify_url = _clean(data.verify_url)
    code = _clean(data.code)
    buffer = BytesIO()
    with _LOCK:
        canvas = Canvas(
            buffer,
            pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
            lang="en-GB",
            # Else the page starts in Helvetica, a font the PDF would name but not embed.
            initialFontName=_FACES["regular"]["latin"].fontName,
        )
        canvas.setTitle(f"Knowhow certificate: {course_title}")
        canvas.setAuthor("Knowhow")
        canvas.setSubject(f"Certificate of completion, verification code {code}")
        canvas.setCreator("Knowhow")
        _draw(canvas, data, course_title=course_title, verify_url=verify_url, code=code)
        canvas.showPage()
        canvas.save()
    return buffer.getvalue()


def _draw(canvas: Canvas, data: CertificateData, *, course_title, verify_url, code) -> None:
    centre = PAGE_WIDTH / 2
    text_width = PAGE_WIDTH - 2 * MARGIN
    _draw_frame(canvas)
    _draw_brand(canvas, centre, PAGE_HEIGHT - 58)

    title = _text("Certificate of completion", face="bold", size=34, width=text_width)
    y = _draw_block(canvas, title, PAGE_HEIGHT - 92, TEAL_900, centre=centre)
    canvas.setFillColor(PLUM)
    canvas.rect(centre - 36, y - 8, 72, 3, stroke=0, fill=1)

    # The middle of the page, between the rule under the title and the footer,
    # holds the name, the course and its level, centred vertically.
    name = _fit(
        data.holder_name,
        face="bold",
        width=text_width,
        size=40,
        min_size=26,
        floor=11,
        height=96,
        leading=1.25,
    )
    has_completed = _text("has completed", size=14, width=text_width)
    title_block = _fit(
        course_title,
        face="bold",
        width=text_width,
        size=24,
        min_size=17,
        floor=11,
        height=66,
    )
    level = _clean(data.level)
    facts = _text(
        f"{level} level · {_hours(data.hours)}" if level else _hours(data.hours),
        size=13,
        width=text_width,
    )
    gaps = (10, 8, 8)
    blocks = (name, has_completed, title_block, facts)
    height = sum(b.height for b in blocks) + sum(gaps)
    space_top, space_bottom = y - 22, 178
    y = space_top - max(0, (space_top - space_bottom - height) / 2)
    y = _draw_block(canvas, name, y, TEAL_900, centre=centre) - gaps[0]
    y = _draw_block(canvas, has_completed, y, INK_SECONDARY, centre=centre) - gaps[1]
    y = _draw_block(canvas, title_block, y, TEAL_700, centre=centre) - gaps[2]
    _draw_block(canvas, facts, y, INK_SECONDARY, centre=centre)

    # Footer: dates, code and where to check on the left, the QR code on the right.
    # 88 pt is 2.4 pt a module for a version 5 code (a typical verification URL);
    # the caption and the rule above stay outside its four-module quiet zone.
    qr_side = 88
    qr_x = PAGE_WIDTH - MARGIN - qr_side
    qr_y = 64
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, 166, PAGE_WIDTH - MARGIN, 166)
    footer_width = qr_x - 28 - MARGIN
    y = 152
    issued = f"Issued on {_date(data.issued_on)}"
    if data.expires_on is not None:
        issued += f"   ·   Valid until {_date(data.expires_on)}"
    y = _draw_block(canvas, _text(issued, size=12, width=footer_width), y, INK, left=MARGIN)
    y -= 6
    label = _text("Verification code", size=9, width=footer_width)
    y = _draw_block(canvas, label, y, INK_SECONDARY, left=MARGIN)
    code_block = _fit(
        code, face="bold", width=footer_width, size=12, min_size=8, floor=6, height=30
    )
    y = _draw_block(canvas, code_block, y, INK, left=MARGIN) - 6
    check = _fit(
        f"Check this certificate at {verify_url}",
        face="regular",
        width=footer_width,
        size=10,
        min_size=8,
        floor=6,
        height=26,
    )
    link_top = y
    y = _draw_block(canvas, check, y, TEAL_700, left=MARGIN)

    _draw_qr(canvas, verify_url, qr_x, qr_y, qr_side)
    caption = _text("Scan to check", size=8, width=qr_side + 20)
    _draw_block(canvas, caption, qr_y - 10, INK_SECONDARY, centre=qr_x + qr_side / 2)
    # Clickable in a PDF viewer too; only ever a web address, never javascript: or file:.
    if urlsplit(verify_url).scheme in ("http", "https"):
        canvas.linkURL(verify_url, (MARGIN, y, MARGIN + footer_width, link_top), relative=0)
        canvas.linkURL(verify_url, (qr_x, qr_y, qr_x + qr_side, qr_y + qr_side), relative=0)
