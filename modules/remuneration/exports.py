"""The module's lists as files: the payroll list for the finance agency as CSV (UTF-8, comma
separated, amounts in whole rupiah) or XLSX (openpyxl), one row per employee; and any other list of
the pages (employees, runs, the per-agency table, objections, oversight) as CSV with ``table_csv``.
Text cells are neutralised against spreadsheet formulas (OWASP CSV injection)."""
from __future__ import annotations

import csv
import io

from flask import Response

from core.kit import clean_text

COLUMNS = ("nip", "name", "agency", "position_class", "ceiling", "tpp", "corrections")  # services.payroll


def _safe(value):
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = "" if value is None else clean_text(str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def table_csv(columns, rows, name: str) -> Response:
    """``rows`` (dicts) as a CSV download ``name``.csv with ``columns`` as its header (whole numbers as
    they are, everything else as safe text)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row[c] if isinstance(row[c], int) and not isinstance(row[c], bool) else _safe(row[c])
                         for c in columns])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


def payroll_csv(rows: list[dict], name: str) -> Response:
    return table_csv(COLUMNS, rows, name)


def payroll_xlsx(rows: list[dict], name: str) -> Response:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("TPP")
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([row[c] if isinstance(row[c], int) else _safe(row[c]) for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return Response(out.getvalue(), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})
