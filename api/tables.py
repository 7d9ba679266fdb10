"""Answers that are tables: a list of flat rows as JSON, or as CSV for a spreadsheet.

Every analysis answers through `table_answer`, so `?format=csv` (or `Accept: text/csv`) works the
same on every list (see graph.analytics.csv_writing for how cells are written).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from api.negotiation import CSV, best
from graph.analytics.csv_writing import csv_text
from graph.store.errors import InvalidInput

JSON = "application/json"


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
