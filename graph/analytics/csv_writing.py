"""Rows written as CSV for a spreadsheet, by the REST routes and the command line alike.

A cell holding a list is written with "; " between its values. A cell that a spreadsheet would
run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is written with a
leading apostrophe, so a label cannot become a formula in someone's spreadsheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """One value as a CSV cell: lists joined with "; ", None empty, formulas made inert."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set, frozenset)):
        return "; ".join(csv_cell(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text.startswith(_FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def csv_text(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """The rows as CSV text with a header line of `columns` (other keys are left out)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(column)) for column in columns])
    return buffer.getvalue()
