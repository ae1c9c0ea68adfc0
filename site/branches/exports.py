"""The officer's member table as CSV or XLSX (EXP-01).

Rows come from branches.selectors.member_export, which builds them with
the same query as the dashboard's table, so an export holds exactly
what the dashboard would show with the same filters: sharing members of the
officer's own branch. Every cell goes through core.spreadsheets.safe_cell.
The CSV streams row by row from a database cursor, so memory stays flat
however large the branch is.
"""

import csv
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from wagtail.log_actions import log

from core.spreadsheets import safe_cell

HEADER = [
    "Name",
    "Courses in progress",
    "Courses completed",
    "Certificates",
    "Last lesson completed",
]
CHUNK = 200


# The figures the rows carry, read as plain values: no model instances (and
# none of the user's other columns) for a file that needs five cells a row.
FIELDS = ("user__display_name", "in_progress", "completed", "certificates", "last_activity")


def _records(rows):
    for name, in_progress, completed, certificates, last in rows.values_list(*FIELDS).iterator(
        chunk_size=CHUNK
    ):
        yield [
            name,
            in_progress,
            completed,
            certificates,
            timezone.localtime(last).strftime("%Y-%m-%d") if last else "",
        ]


class _Echo:
    def write(self, value):
        return value


def _csv_lines(rows):
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so Excel opens the file as UTF-8
    yield writer.writerow(HEADER)
    for record in _records(rows):
        yield writer.writerow([safe_cell(value) for value in record])


def _filename(branch, extension):
    return f"{branch.slug}-members-{timezone.localdate():%Y-%m-%d}.{extension}"


def _audit(*, branch, by, kind, filters):
    log(
        instance=branch,
        action="knowhow.branch.export",
        user=by,
        data={"format": kind, "filters": dict(filters.as_query())},
    )


def _private(response):
    patch_cache_control(response, private=True, no_store=True)
    return response


def members_csv(*, branch, rows, by, filters):
    _audit(branch=branch, by=by, kind="csv", filters=filters)
    response = StreamingHttpResponse(_csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(branch, "csv")}"'
    return _private(response)


def members_xlsx(*, branch, rows, by, filters):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    _audit(branch=branch, by=by, kind="xlsx", filters=filters)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Members")

    def cells(values):
        for value in values:
            if isinstance(value, int):
                yield WriteOnlyCell(sheet, value=value)
                continue
            cell = WriteOnlyCell(sheet, value=safe_cell(value))
            # Text, always: openpyxl would otherwise store "=…" as a formula.
            cell.data_type = "s"
            yield cell

    sheet.append(list(cells(HEADER)))
    for record in _records(rows):
        sheet.append(list(cells(record)))
    # FileResponse closes the file once it has been sent.
    output = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)  # noqa: SIM115
    workbook.save(output)
    output.seek(0)
    response = FileResponse(
        output,
        as_attachment=True,
        filename=_filename(branch, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return _private(response)


# Course run places (issue #17) ---------------------------------------------------

RUN_HEADER = [
    "Name",
    "Course",
    "Run",
    "Kind",
    "Status",
    "Applied on",
    "Place confirmed on",
    "Sessions attended",
    "Sessions",
    "Completed the run on",
]


def _day(value):
    return timezone.localtime(value).strftime("%Y-%m-%d") if value else ""


def _run_values(row):
    return [
        row.user.display_name,
        row.run.course.title,
        row.run.title,
        row.run.get_kind_display(),
        row.get_status_display(),
        _day(row.applied_at),
        _day(row.confirmed_at),
        row.sessions_attended,
        row.sessions_total,
        _day(row.completed_at),
    ]


def _run_csv_lines(rows):
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow(RUN_HEADER)
    for row in rows.iterator(chunk_size=CHUNK):
        yield writer.writerow([safe_cell(value) for value in _run_values(row)])


def run_places_csv(*, branch, rows, by):
    """Who is booked on what, with attendance and completion (EXP-01)."""
    log(
        instance=branch,
        action="knowhow.branch.export",
        user=by,
        data={"format": "csv", "table": "run_places"},
    )
    response = StreamingHttpResponse(_run_csv_lines(rows), content_type="text/csv; charset=utf-8")
    filename = f"{branch.slug}-course-runs-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return _private(response)
