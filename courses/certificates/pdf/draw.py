"""The certificate page: A4 landscape, drawn on a reportlab canvas.

Text goes straight to the canvas (``drawString``), never through Paragraph
markup, so a name such as ``<img src="file:///etc/passwd"/>`` is printed as
the characters it is made of (CERT-04).
"""

import datetime
from dataclasses import dataclass
from io import BytesIO
from urllib.parse import urlsplit

import segno
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from courses.certificates.pdf.fonts import FACES, LOCK
from courses.certificates.pdf.text import Block, Run, clean, fit


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


PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 64  # left and right edge of the text
PAPER = HexColor("#faf7f2")
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


def _draw_runs(canvas: Canvas, runs: list[Run], x: float, y: float, size: float) -> None:
    for run in runs:
        canvas.setFont(run.font, size)
        canvas.drawString(x, y, run.text)
        x += run.width * size / 1000


def _line_width(runs: list[Run], size: float) -> float:
    return sum(r.width for r in runs) * size / 1000


def _draw_block(
    canvas: Canvas, block: Block, top: float, colour, *, centre=None, left=None
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


def _text(text: str, *, face: str = "regular", size: float, width: float) -> Block:
    """Fixed wording and short values: one line, shrunk only if it must be."""
    return fit(
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
    hours = clean(hours)
    return f"about {hours} hour{'' if hours == '1' else 's'} of learning"


def certificate_pdf(data: CertificateData) -> bytes:
    """The certificate as PDF bytes. Reads no file and fetches nothing (CERT-04)."""
    course_title = clean(data.course_title)
    verify_url = clean(data.verify_url)
    code = clean(data.code)
    buffer = BytesIO()
    with LOCK:
        canvas = Canvas(
            buffer,
            pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
            lang="en-GB",
            # Else the page starts in Helvetica, a font the PDF would name but not embed.
            initialFontName=FACES["regular"]["latin"].fontName,
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
    name = fit(
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
    title_block = fit(
        course_title,
        face="bold",
        width=text_width,
        size=24,
        min_size=17,
        floor=11,
        height=66,
    )
    level = clean(data.level)
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
    code_block = fit(code, face="bold", width=footer_width, size=12, min_size=8, floor=6, height=30)
    y = _draw_block(canvas, code_block, y, INK, left=MARGIN) - 6
    check = fit(
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
