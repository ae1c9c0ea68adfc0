"""Text for the certificate: cleaned, shaped by HarfBuzz (reportlab calls it
through uharfbuzz: Arabic joining, Bengali conjuncts and vowel signs,
kerning), put in visual order (bidi.py), and fitted into a box by shrinking,
wrapping and, past a floor size, an ellipsis.

Text is measured and drawn as runs of one font and one direction; a line is
a list of runs in visual (left-to-right) order.
"""

import unicodedata
from dataclasses import dataclass

from reportlab.lib.abag import ABag
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import ShapedStr, shapeFragWord

from courses.certificates.pdf.bidi import MIRROR, base_level, bidi_levels
from courses.certificates.pdf.fonts import FACES, font_per_char

# Optional ligatures off: "ﬁ" would come out of text extraction as one odd
# character. Required ones (Arabic lam-alef, Bengali conjuncts) are always on.
_FEATURES = {"kern": True, "liga": False, "dlig": False}

# Zero-width joiner and non-joiner change how Arabic and Bengali letters join;
# every other format character (bidi overrides and isolates, zero-width spaces,
# soft hyphens, BOM) is invisible and has no glyph, so it goes.
KEEP_FORMAT = {"\u200c", "\u200d"}


def clean(text: str) -> str:
    """Plain, printable text: NFC, no control or format characters, single spaces."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        category = unicodedata.category(ch)
        if category[0] == "Z" or ch in "\t\n\r\v\f\x1c\x1d\x1e\x1f\x85":
            out.append(" ")
        elif category[0] == "C" and ch not in KEEP_FORMAT:
            # Cc, Cf, Cs, Co (reportlab uses private-use code points for shaped
            # glyphs) and Cn.
            continue
        else:
            out.append(ch)
    return " ".join("".join(out).split())


@dataclass(frozen=True)
class Run:
    font: str
    text: str  # a ShapedStr when HarfBuzz moved or replaced glyphs
    width: float  # at a font size of 1000


def _shape(text: str, font: str) -> Run:
    word = [pdfmetrics.stringWidth(text, font, 1000), (ABag(fontName=font, fontSize=1000), text)]
    shaped = shapeFragWord(word, features=_FEATURES)[1][1]
    if isinstance(shaped, ShapedStr):
        width = sum(glyph.x_advance for glyph in shaped.__shapeData__)
    else:
        width = pdfmetrics.stringWidth(shaped, font, 1000)
    return Run(font, shaped, width)


def layout(text: str, face: str, base: int) -> list[Run]:
    """One line of text as shaped runs in visual (left-to-right) order."""
    if not text:
        return []
    fonts = font_per_char(text, face)
    levels = bidi_levels(text, base)
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
            chunk = chunk[::-1].translate(MIRROR)
        shaped.append(_shape(chunk, font))
    return shaped


def _graphemes(word: str) -> list[str]:
    """Pieces a word may be broken into when it is wider than a line on its own."""
    pieces: list[str] = []
    for ch in word:
        joins = pieces and (
            unicodedata.category(ch)[0] == "M"
            or ch in KEEP_FORMAT
            or pieces[-1][-1] in KEEP_FORMAT
            or unicodedata.combining(pieces[-1][-1]) == 9  # after a virama
        )
        if joins:
            pieces[-1] += ch
        else:
            pieces.append(ch)
    return pieces


@dataclass
class Block:
    """Text fitted into a box: the lines (shaped runs) and the font size."""

    lines: list[list[Run]]
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
        self.widths = [sum(r.width for r in layout(w, face, base)) for w in self.words]
        self.space = pdfmetrics.stringWidth(" ", FACES[face]["latin"].fontName, 1000)
        self._pieces: dict[int, list[tuple[str, float]]] = {}

    def total(self) -> float:
        return sum(self.widths) + self.space * (len(self.words) - 1)

    def pieces(self, index: int) -> list[tuple[str, float]]:
        """A word's graphemes with widths that add up to the shaped word's width."""
        if index not in self._pieces:
            word = self.words[index]
            fonts = font_per_char(word, self.face)
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


MAX_CHARACTERS = 1000


def fit(
    text: str,
    *,
    face: str,
    width: float,
    size: float,
    min_size: float,
    floor: float,
    height: float,
    leading: float = 1.2,
) -> Block:
    """Fit text into a box ``width`` wide and ``height`` high.

    One line at up to ``size``, shrinking to ``min_size``; then two lines (or
    more, as ``height`` allows) at no more than ``min_size`` and no less than
    ``floor``; past that, the last line that fits ends with an ellipsis. The
    text never runs outside the box.
    """
    text = clean(text)
    if len(text) > MAX_CHARACTERS:
        # Far more than the box shows even at the floor size: bound the work.
        text = text[:MAX_CHARACTERS] + "…"
    if not text:
        return Block([], size, size * leading)
    base = base_level(text)
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
    laid = [layout(line, face, base) for line in chosen]
    # Word widths were measured one by one; check the real lines.
    widest = max(sum(r.width for r in runs) for runs in laid)
    best = min(best, width * 1000 / widest) if widest else best
    return Block(laid, best, best * leading)


def _ellipsis(line: str, face: str, base: int, limit: float) -> str:
    pieces = _graphemes(line)
    while pieces:
        candidate = "".join(pieces).rstrip() + "…"
        if sum(r.width for r in layout(candidate, face, base)) <= limit:
            return candidate
        pieces.pop()
    return "…"


def paragraph(text: str, *, face: str, size: float, width: float, leading: float = 1.35) -> Block:
    """A paragraph of running text at a fixed size, wrapped to ``width``:
    as many lines as it needs (letters, not certificates, use this)."""
    text = clean(text)[:MAX_CHARACTERS]
    if not text:
        return Block([], size, size * leading)
    wrapper = _Wrapper(text, face, base_level(text))
    lines = [line for line, _ in wrapper.wrap(width * 1000 / size)]
    return Block([layout(line, face, base_level(text)) for line in lines], size, size * leading)
