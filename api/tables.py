"""Answers that are tables: a list of flat rows as JSON, or as CSV for a spreadsheet.

Every analysis answers through `table_answer`, so `?format=csv` (or `Accept: text/csv`) works the
same on every list. A cell holding a list is written with "; " between its values. A cell that a
spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return)
is written with a leading apostrophe, so a label cannot become a formula in someone's spreadsheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from api.negotiation import CSV, best
from graph.errors import InvalidInput

JSON = "application/json"
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


def _wants_csv(request: Request) -> bool:
    format_name = (request.query_params.get("format") or "").strip().lower()
    if format_name:
        if format_name not in ("json", "csv"):
            raise InvalidInput(f"Unknown format {format_name!r} for a table; use json or csv.")
        return format_name == "csv"
    return best((JSON, CSV), request.headers.get("accept")) == CSV


def table_answer(
    request: Request, rows: Sequence[Mapping[str, Any]], columns: Sequence[str], name: str, **echo: Any
) -> Response:
    """`rows` as `{"ok": true, "items": [...], "total": N, **echo}`, or as CSV named `name`.csv
    when the `format` parameter says csv or the Accept header prefers text/csv."""
    if _wants_csv(request):
        return Response(
            csv_text(rows, columns),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    return JSONResponse({"ok": True, "items": list(rows), "total": len(rows), **echo})
