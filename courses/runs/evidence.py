"""The paid-release evidence pack (issue #17 item 4): a letter to the
employer asking for paid time off for a confirmed place, and a certificate
of attendance with the hours once the run is over. Both carry the place's
verification code (/runs/verify/<code>/).

The wording is in templates (runs/evidence/*.txt), so the editable text and
the PDF say the same thing; the PDF draws that text on a canvas, never
through markup (as CERT-04). Sources for the legal wording are in
runs/_sources.html and docs/decisions.md (ADR 0062).
"""

import datetime
from dataclasses import dataclass
from io import BytesIO

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from courses.certificates.pdf.fonts import FACES, LOCK
from courses.certificates.pdf.text import clean, paragraph
from courses.runs.models import ApplicationStatus, RunApplication


class Role:
    """Which right the letter relies on. The rep chooses; officials are the default."""

    OFFICIAL = "official"
    LEARNING_REP = "learning_rep"
    EQUALITY_REP = "equality_rep"
    CHOICES = [
        (OFFICIAL, "A union representative (an official of the union): steward, workplace rep"),
        (LEARNING_REP, "A union learning representative"),
        (EQUALITY_REP, "A union equality representative"),
    ]

    @classmethod
    def of(cls, value) -> str:
        return value if value in dict(cls.CHOICES) else cls.OFFICIAL


@dataclass(frozen=True)
class SessionLine:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    where: str
    hours: float
    attended: bool


@dataclass(frozen=True)
class Evidence:
    application: RunApplication
    sessions: list[SessionLine]
    total_hours: float
    attended_hours: float
    finished: bool
    verify_url: str


def _hours(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def evidence_for(*, application: RunApplication, base_url: str) -> Evidence:
    """Sessions and hours for one application: two queries."""
    run = application.run
    attended = set(
        run.sessions.filter(
            attendance__user_id=application.user_id, attendance__present=True
        ).values_list("pk", flat=True)
    )
    rows = []
    for session in run.sessions.order_by("starts_at", "pk"):
        where = "Online" if session.online_url else " ".join(session.venue.split())
        rows.append(
            SessionLine(
                session.starts_at,
                session.ends_at,
                where,
                session.hours,
                session.pk in attended,
            )
        )
    return Evidence(
        application=application,
        sessions=rows,
        total_hours=sum(r.hours for r in rows),
        attended_hours=sum(r.hours for r in rows if r.attended),
        finished=bool(rows) and rows[-1].ends_at <= timezone.now(),
        verify_url=base_url + reverse("runs:verify", args=[application.evidence_code]),
    )


def letter_text(*, evidence: Evidence, role: str, today=None) -> str:
    application = evidence.application
    return render_to_string(
        "runs/evidence/letter.txt",
        {
            "application": application,
            "run": application.run,
            "evidence": evidence,
            "role": Role.of(role),
            "today": today or timezone.localdate(),
            "total_hours": _hours(evidence.total_hours),
            "employer": application.branch.employer,
        },
    ).strip()


def attendance_text(*, evidence: Evidence, today=None) -> str:
    application = evidence.application
    return render_to_string(
        "runs/evidence/attendance.txt",
        {
            "application": application,
            "run": application.run,
            "evidence": evidence,
            "today": today or timezone.localdate(),
            "attended_hours": _hours(evidence.attended_hours),
            "attended": [s for s in evidence.sessions if s.attended],
        },
    ).strip()


def may_have_letter(application) -> bool:
    return application.status == ApplicationStatus.CONFIRMED and bool(application.evidence_code)


def may_have_attendance(evidence: Evidence) -> bool:
    return (
        may_have_letter(evidence.application) and evidence.finished and evidence.attended_hours > 0
    )


# The PDF ------------------------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 64
INK = HexColor("#1b1e23")
TEAL_900 = HexColor("#0d3b42")


def text_pdf(*, title: str, text: str, code: str) -> bytes:
    """Plain paragraphs (separated by blank lines) on A4 pages, with the
    verification code in every footer. Reads no file and fetches nothing."""
    buffer = BytesIO()
    width = PAGE_WIDTH - 2 * MARGIN
    with LOCK:
        canvas = Canvas(
            buffer,
            pagesize=A4,
            lang="en-GB",
            initialFontName=FACES["regular"]["latin"].fontName,
        )
        canvas.setTitle(clean(title))
        canvas.setAuthor("Knowhow")
        canvas.setSubject(f"Verification code {clean(code)}")
        canvas.setCreator("Knowhow")

        def footer():
            block = paragraph(
                f"Verification code {code}. Check it at the address in the text above.",
                face="regular",
                size=8,
                width=width,
            )
            _draw(canvas, block, 40 + block.height, INK)

        y = PAGE_HEIGHT - MARGIN
        for number, chunk in enumerate(c for c in text.split("\n\n") if c.strip()):
            face = "bold" if number == 0 else "regular"
            block = paragraph(chunk, face=face, size=11, width=width)
            if y - block.height < MARGIN + 20:
                footer()
                canvas.showPage()
                y = PAGE_HEIGHT - MARGIN
            y = _draw(canvas, block, y, TEAL_900 if number == 0 else INK) - 8
        footer()
        canvas.showPage()
        canvas.save()
    return buffer.getvalue()


def _draw(canvas, block, top, colour) -> float:
    canvas.setFillColor(colour)
    y = top
    for runs in block.lines:
        y -= block.leading
        x = MARGIN
        for run in runs:
            canvas.setFont(run.font, block.size)
            canvas.drawString(x, y + block.leading * 0.25, run.text)
            x += run.width * block.size / 1000
    return y
