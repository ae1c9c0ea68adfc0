"""The certificate PDF (issue 5, CERT-04): read back with pypdf, no database."""

import builtins
import datetime
import io
import socket
import sys
import urllib.request
from unittest import mock

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4, landscape

from courses.certificates.pdf import CertificateData, certificate_pdf, draw
from courses.certificates.pdf.bidi import bidi_levels
from courses.certificates.pdf.text import clean, fit, layout

CODE = "0123456789abcdef0123456789abcdef"
VERIFY_URL = f"https://knowhow.example.org/certificates/verify/{CODE}/"


def make_data(**overrides):
    values = {
        "holder_name": "Łukasz Wójcik",
        "course_title": "Negotiating new technology at work",
        "level": "Intermediate",
        "hours": "1.5",
        "issued_on": datetime.date(2026, 3, 3),
        "expires_on": None,
        "code": CODE,
        "verify_url": VERIFY_URL,
    }
    values.update(overrides)
    return CertificateData(**values)


def read(pdf: bytes):
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    return reader, reader.pages[0]


def text_of(pdf: bytes) -> str:
    return read(pdf)[1].extract_text()


def embedded_fonts(pdf: bytes) -> set[str]:
    page = read(pdf)[1]
    fonts = page["/Resources"]["/Font"]
    # Subset fonts are named "ABCDEF+PostScriptName".
    return {str(f.get_object()["/BaseFont"]).split("+")[-1] for f in fonts.values()}


def test_one_a4_landscape_page_with_metadata():
    reader, page = read(certificate_pdf(make_data()))

    width, height = landscape(A4)
    assert float(page.mediabox.width) == pytest.approx(width)
    assert float(page.mediabox.height) == pytest.approx(height)
    assert reader.metadata.title == "Knowhow certificate: Negotiating new technology at work"
    assert reader.metadata.author == "Knowhow"
    assert reader.metadata.creator == "Knowhow"
    assert CODE in reader.metadata.subject


def test_the_facts_are_printed():
    text = text_of(certificate_pdf(make_data()))

    assert "Certificate of completion" in text
    assert "Łukasz Wójcik" in text
    assert "has completed" in text
    assert "Negotiating new technology at work" in text
    assert "Intermediate level" in text
    assert "about 1.5 hours of learning" in text
    assert "3 March 2026" in text
    assert CODE in text
    assert f"Check this certificate at {VERIFY_URL}" in text


def test_one_hour_is_singular():
    assert "about 1 hour of learning" in text_of(certificate_pdf(make_data(hours="1")))


def test_expiry_line_only_when_the_certificate_expires():
    assert "Valid until" not in text_of(certificate_pdf(make_data()))

    text = text_of(certificate_pdf(make_data(expires_on=datetime.date(2029, 3, 3))))

    assert "Valid until 3 March 2029" in text


def test_only_bundled_fonts_are_used():
    # Nothing names a font the PDF does not carry (such as the default Helvetica).
    assert embedded_fonts(certificate_pdf(make_data())) == {"NotoSans-Regular", "NotoSans-Bold"}


@pytest.mark.parametrize(
    "name",
    ["Łukasz Wójcik", "Siân Llŷr", "Şükrü Çağlar", "Αλέξανδρος", "Оксана Шевченко", "Nguyễn Thị"],
)
def test_latin_greek_and_cyrillic_names_are_text(name):
    assert name in text_of(certificate_pdf(make_data(holder_name=name)))


@pytest.mark.parametrize(
    ("name", "font"),
    [
        ("মৌমিতা রায়", "NotoSansBengali-Bold"),
        ("نور الهدى", "NotoNaskhArabic-Bold"),
    ],
)
def test_complex_script_names_use_their_own_font(name, font):
    assert font in embedded_fonts(certificate_pdf(make_data(holder_name=name)))


def test_a_name_that_mixes_scripts_uses_both_fonts():
    fonts = embedded_fonts(certificate_pdf(make_data(holder_name="Nour نور الهدى")))

    assert {"NotoSans-Bold", "NotoNaskhArabic-Bold"} <= fonts


def test_arabic_is_shaped_and_right_to_left():
    runs = layout("نور", "bold", base=1)

    # One run of joining forms in visual order, left to right: ر (isolated, as
    # و never joins to the letter after it), final و, initial ن.
    assert len(runs) == 1
    assert list(runs[0].text) == ["\u0631", "\ufeee", "\ufee7"]


def test_bengali_vowel_signs_are_positioned():
    (run,) = layout("মিতা", "bold", base=0)

    # The vowel sign ি follows its consonant ম in the text but is drawn before it.
    assert list(run.text[:2]) == ["\u09bf", "\u09ae"]


@pytest.mark.parametrize(
    ("text", "base", "levels"),
    [
        ("ab", 0, [0, 0]),
        ("نو", 1, [1, 1]),
        # Latin, Arabic, then Arabic-context digits (level 2) and Latin again.
        ("a نو 12 b", 0, [0, 0, 1, 1, 1, 2, 2, 0, 0]),
        ("نو ab", 1, [1, 1, 1, 2, 2]),
    ],
)
def test_bidi_levels(text, base, levels):
    assert bidi_levels(text, base) == levels


def test_mixed_direction_runs_are_in_visual_order():
    runs = layout("Nour نور 2024", "bold", base=0)

    assert [run.text.strip() for run in runs][0] == "Nour"
    assert runs[-1].text.strip() != "2024"  # the digits sit left of the Arabic


HOSTILE_NAMES = [
    "<script>alert(1)</script>",
    '<img src="file:///etc/passwd"/>',
    '<a href="http://evil.example">x</a>',
    '<font name="/etc/passwd">x</font>',
    "&amp; &lt;b&gt; &#0;",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_markup_in_a_name_is_printed_as_text(name):
    assert name in text_of(certificate_pdf(make_data(holder_name=name)))


def test_markup_in_the_course_title_is_printed_as_text():
    title = '<img src="http://evil.example/x.png"/> Health & safety'
    assert title in text_of(certificate_pdf(make_data(course_title=title)))


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("\u202eevil\u202c Smith", "evil Smith"),
        ("\u2066Ann\u2069 \u200bLee\ufeff", "Ann Lee"),
        ("Ann\x00 Smith\x07", "Ann Smith"),
        ("Ann\nSmith\t", "Ann Smith"),
    ],
)
def test_control_and_bidi_override_characters_are_dropped(name, shown):
    assert clean(name) == shown
    assert shown in text_of(certificate_pdf(make_data(holder_name=name)))


def test_joiners_are_kept_for_shaping():
    assert clean("র\u200d্য") == "র\u200d্য"


def test_very_long_name_is_kept_whole_on_the_page():
    name = "W" * 300

    text = text_of(certificate_pdf(make_data(holder_name=name)))

    assert "".join(text.split()).count("W") >= 300


@pytest.mark.parametrize(
    "name",
    [
        "W" * 300,
        "Maximiliana Wilhelmina Theodora Konstantinopoulou-Featherstonehaugh " * 4,
        "نور الهدى " * 25,
        "মৌমিতা রায় " * 25,
        "i" * 5000,
    ],
)
def test_long_names_fit_their_box(name):
    block = fit(name, face="bold", width=700, size=40, min_size=26, floor=11, height=96)

    assert block.height <= 96
    assert block.size >= 11 or block.size * 1.25 * len(block.lines) <= 96
    for runs in block.lines:
        assert sum(r.width for r in runs) * block.size / 1000 <= 700 + 0.01


def test_a_long_name_shrinks_before_it_wraps():
    box = {"face": "bold", "width": 700, "size": 40, "min_size": 26, "floor": 11, "height": 96}
    one_line = fit("Alexandra Konstantinopoulou", **box)
    two_lines = fit("Alexandra " * 8, **box)

    assert len(one_line.lines) == 1
    assert one_line.size == 40
    assert len(two_lines.lines) >= 2
    assert two_lines.size <= 26


def test_a_name_beyond_any_box_is_cut_with_an_ellipsis():
    text = text_of(certificate_pdf(make_data(holder_name="i" * 5000)))

    assert "…" in text


@pytest.mark.parametrize("name", ["", "\x00\u202e", "\u200d", "字字 😀", "\ue000\udfff"])
def test_empty_and_unsupported_names_still_generate(name):
    assert read(certificate_pdf(make_data(holder_name=name)))


def test_nothing_is_opened_or_fetched():
    """CERT-04: with every way to read a file or URL blocked, generation succeeds."""
    certificate_pdf(make_data())  # fonts and lazy imports settled first

    def refuse(*args, **kwargs):
        raise AssertionError(f"tried to read {args[:1]!r}")

    patches = [
        mock.patch.object(builtins, "open", refuse),
        mock.patch.object(io, "open", refuse),
        mock.patch.object(urllib.request, "urlopen", refuse),
        mock.patch.object(socket.socket, "connect", refuse),
        mock.patch.object(socket, "create_connection", refuse),
    ]
    # reportlab loads images and remote files through open_for_read and
    # ImageReader; patch every module that imported either.
    for module in [m for name, m in sys.modules.items() if name.startswith("reportlab")]:
        for attribute in ("open_for_read", "ImageReader"):
            if hasattr(module, attribute):
                patches.append(mock.patch.object(module, attribute, refuse))
    for patch in patches:
        patch.start()
    try:
        pdf = certificate_pdf(
            make_data(
                holder_name='<img src="file:///etc/passwd"/><img src="http://evil.example/x"/>',
                course_title='<a href="http://evil.example">x</a>',
            )
        )
    finally:
        for patch in patches:
            patch.stop()

    assert '<img src="file:///etc/passwd"/>' in text_of(pdf)


def test_the_qr_code_encodes_the_verification_url():
    with mock.patch.object(draw.segno, "make", wraps=draw.segno.make) as make:
        certificate_pdf(make_data())

    make.assert_called_once_with(VERIFY_URL, error="m", micro=False)


def test_the_link_is_only_ever_a_web_address():
    reader, page = read(certificate_pdf(make_data()))
    uris = {a.get_object()["/A"]["/URI"] for a in page["/Annots"]}
    assert uris == {VERIFY_URL}

    _, page = read(certificate_pdf(make_data(verify_url="javascript:alert(1)")))
    assert "/Annots" not in page
