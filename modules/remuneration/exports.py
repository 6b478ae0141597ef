"""The payroll list for the finance agency as CSV (UTF-8, comma separated, amounts in
whole rupiah) or XLSX (openpyxl), one row per employee."""
from __future__ import annotations

import csv
import io

from flask import Response

from core.kit import clean_text

COLUMNS = ("nip", "name", "agency", "position_class", "ceiling", "tpp")


def _safe(value):
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = clean_text(str(value))
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def payroll_csv(rows: list[dict], name: str) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row[c] if isinstance(row[c], int) else _safe(row[c]) for c in COLUMNS])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


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
