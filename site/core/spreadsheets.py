"""Cells that are safe to open in a spreadsheet (EXP-01).

A cell starting with = + - @, a tab or a carriage return can run as a
formula in Excel or LibreOffice. Such cells get a leading apostrophe, which
spreadsheets show as plain text.
"""

import csv
import io

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_text(rows) -> str:
    """CSV for `rows` (lists of values), every cell made formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue()
