"""EXP-01: the member table as CSV and XLSX — exact contents, formula-safe,
never cached, streamed, scoped to the branch and to consent, and audited."""

import csv
import io

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from branches.exports import HEADER
from branches.models import Branch
from branches.services import consent_set
from tests.factories.branches import make_branch, make_member, make_officer
from tests.factories.courses import complete, make_course

pytestmark = pytest.mark.django_db

EXPECTED_HEADER = [
    "Name",
    "Courses in progress",
    "Courses completed",
    "Certificates",
    "Last lesson completed",
]
FORMULAS = ["=1+1", "+cmd|' /C calc'!A0", "-2", "@SUM(A1)", "\tTabbed", "\rReturned"]


def export_url(branch, kind, **params):
    from urllib.parse import urlencode

    url = reverse(f"branches:export_{kind}", args=[branch.slug])
    return url + ("?" + urlencode(params) if params else "")


def content_of(response):
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response):
    text = content_of(response).decode("utf-8")
    assert text.startswith("\ufeff")  # Excel opens it as UTF-8
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def xlsx_sheet(response):
    return openpyxl.load_workbook(io.BytesIO(content_of(response))).active


def xlsx_values(response):
    return [
        [value if value is not None else "" for value in row] for row in xlsx_sheet(response).values
    ]


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def world(branch):
    """Two sharing members with known figures, one who does not share, and a
    sharing member of another branch."""
    intro = make_course(title="Your data rights", modules=1, lessons=2, level="introductory")
    advanced = make_course(title="Bargaining on AI", modules=1, lessons=2, level="advanced")
    dana = make_member(branch, display_name="Dana Done").user
    pat = make_member(branch, display_name="Pat Part").user
    complete(dana, intro)
    complete(pat, intro, n=1)
    complete(pat, advanced, n=0)
    make_member(branch, display_name="Nadia Nope", shares=False)
    make_member(make_branch("Elsewhere"), display_name="Oscar Other")
    return {"intro": intro, "advanced": advanced, "dana": dana, "pat": pat}


def today():
    return timezone.localdate().strftime("%Y-%m-%d")


def test_header_is_pinned():
    assert HEADER == EXPECTED_HEADER


def test_csv_holds_exactly_the_sharing_members_of_the_branch(officer_client, branch, world):
    response = officer_client.get(export_url(branch, "csv", sort="name"))
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_rows(response) == [
        EXPECTED_HEADER,
        ["Dana Done", "0", "1", "1", today()],
        ["Pat Part", "2", "0", "0", today()],
    ]


def test_xlsx_holds_exactly_the_sharing_members_of_the_branch(officer_client, branch, world):
    response = officer_client.get(export_url(branch, "xlsx", sort="name"))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert xlsx_values(response) == [
        EXPECTED_HEADER,
        ["Dana Done", 0, 1, 1, today()],
        ["Pat Part", 2, 0, 0, today()],
    ]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_exports_are_attachments_never_cached(officer_client, branch, kind):
    make_member(branch, display_name="Sharon Shares")
    response = officer_client.get(export_url(branch, kind))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="{branch.slug}-members-{timezone.localdate():%Y-%m-%d}.{kind}"' in disposition
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert "no-store" in directives
    assert "private" in directives


def test_formula_triggers_are_neutralised_in_csv(officer_client, branch):
    for name in FORMULAS:
        make_member(branch, display_name=name)
    rows = csv_rows(officer_client.get(export_url(branch, "csv", sort="name")))
    names = [row[0] for row in rows[1:]]
    assert sorted(names) == sorted("'" + name for name in FORMULAS)
    for row in rows[1:]:
        assert not row[0].startswith(("=", "+", "-", "@", "\t", "\r"))


def test_formula_triggers_are_neutralised_in_xlsx(officer_client, branch):
    for name in FORMULAS:
        make_member(branch, display_name=name)
    sheet = xlsx_sheet(officer_client.get(export_url(branch, "xlsx", sort="name")))
    name_cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert len(name_cells) == len(FORMULAS)
    for cell in name_cells:
        assert cell.data_type == "s", (cell.value, cell.data_type)
        assert cell.value.startswith("'"), cell.value
    # XML parsers read a raw carriage return back as a line feed.
    expected = sorted("'" + name.replace("\r", "\n") for name in FORMULAS)
    assert sorted(cell.value for cell in name_cells) == expected
    # Figures stay numbers, not text.
    assert all(row[1].data_type == "n" for row in sheet.iter_rows(min_row=2))


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_each_export_is_in_the_audit_log(officer_client, officer, branch, kind):
    make_member(branch)
    before = ModelLogEntry.objects.filter(action="knowhow.branch.export").count()
    officer_client.get(export_url(branch, kind, status="completed", sort="name"))
    entries = ModelLogEntry.objects.filter(action="knowhow.branch.export")
    assert entries.count() == before + 1
    entry = entries.latest("timestamp")
    assert entry.user_id == officer.pk
    assert entry.content_type == ContentType.objects.get_for_model(Branch)
    assert entry.object_id == str(branch.pk)
    assert entry.data["format"] == kind
    assert entry.data["filters"] == {"status": "completed", "sort": "name"}
    assert entry.label == str(branch)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_filters_apply_to_the_export(officer_client, branch, world, kind):
    read = csv_rows if kind == "csv" else xlsx_values

    def names(**params):
        return [row[0] for row in read(officer_client.get(export_url(branch, kind, **params)))[1:]]

    assert names(course=world["intro"].pk, status="completed") == ["Dana Done"]
    assert names(course=world["intro"].pk, status="in_progress") == ["Pat Part"]
    assert names(course=world["advanced"].pk) == ["Pat Part"]
    assert names(level="advanced", status="not_started") == ["Dana Done"]
    assert names(name="dana") == ["Dana Done"]
    assert names(name="nadia") == []
    assert names(name="oscar") == []
    assert names(sort="name") == ["Dana Done", "Pat Part"]
    # Unknown values are ignored, not an error.
    assert names(sort="name", course="x", status="all", level="<script>") == [
        "Dana Done",
        "Pat Part",
    ]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_withdrawn_consent_leaves_the_next_export(officer_client, branch, kind):
    read = csv_rows if kind == "csv" else xlsx_values
    wendy = make_member(branch, display_name="Wendy Withdraws")
    make_member(branch, display_name="Sam Stays")
    first = [row[0] for row in read(officer_client.get(export_url(branch, kind, sort="name")))]
    assert first[1:] == ["Sam Stays", "Wendy Withdraws"]
    consent_set(membership=wendy, shares_progress=False)
    second = [row[0] for row in read(officer_client.get(export_url(branch, kind, sort="name")))]
    assert second[1:] == ["Sam Stays"]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_another_branchs_export_is_a_404_and_not_logged(client, branch, kind):
    make_member(branch)
    other_officer = make_officer(make_branch())
    client.force_login(other_officer)
    response = client.get(export_url(branch, kind))
    assert response.status_code == 404
    assert not ModelLogEntry.objects.filter(action="knowhow.branch.export").exists()


def test_an_empty_branch_exports_just_the_header(officer_client, branch):
    make_member(branch, shares=False)
    assert csv_rows(officer_client.get(export_url(branch, "csv"))) == [EXPECTED_HEADER]
    assert xlsx_values(officer_client.get(export_url(branch, "xlsx"))) == [EXPECTED_HEADER]
