"""Spreadsheets (.xlsx) as exports write them: plain values, never formulas."""

import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell


def _safe(value):
    """Keep a cell a plain value: text a spreadsheet would run as a formula gets a leading quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def workbook(
    title: str, headers: list[str], rows: Iterable[list], *, percent_columns: frozenset[int] = frozenset()
) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31] or "Sheet")
    sheet.append(headers)
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            cell = WriteOnlyCell(sheet, value=_safe(value))
            if i in percent_columns and isinstance(value, float):
                cell.number_format = "0.0%"
            cells.append(cell)
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
