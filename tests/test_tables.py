"""Table answers: JSON by default, CSV on request, with formulas made inert."""

from __future__ import annotations

import csv
import io

from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from api.errors import install_error_handlers
from api.tables import table_answer
from graph.analytics.csv_writing import csv_cell

ROWS = [
    {"theme": "Communication", "reviews": ["Amess", "Southport"], "count": 2},
    {"theme": "=HYPERLINK(\"http://x\")", "reviews": [], "count": -1},
]


def _client() -> TestClient:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/rows")
    def rows(request: Request):  # noqa: ANN202 - a test route
        return table_answer(request, ROWS, ["theme", "reviews", "count"], "rows", theme_asked="all")

    return TestClient(app)


def test_json_by_default_echoes_how_the_request_was_read() -> None:
    body = _client().get("/rows").json()
    assert body["items"][0]["reviews"] == ["Amess", "Southport"]
    assert body["total"] == 2 and body["theme_asked"] == "all"


def test_csv_by_parameter_or_accept_header() -> None:
    client = _client()
    for response in (client.get("/rows?format=csv"), client.get("/rows", headers={"Accept": "text/csv"})):
        assert response.headers["content-type"].startswith("text/csv")
        assert 'filename="rows.csv"' in response.headers["content-disposition"]
        rows = list(csv.reader(io.StringIO(response.text)))
        assert rows[0] == ["theme", "reviews", "count"]
        assert rows[1] == ["Communication", "Amess; Southport", "2"]
        assert rows[2] == ["'=HYPERLINK(\"http://x\")", "", "-1"]


def test_unknown_format_is_refused_with_the_choices() -> None:
    response = _client().get("/rows?format=xlsx")
    assert response.status_code == 400
    assert "json or csv" in response.json()["error"]


def test_cells() -> None:
    assert csv_cell(None) == "" and csv_cell(True) == "true" and csv_cell("+44 1234") == "'+44 1234"
    assert csv_cell("-3.5") == "-3.5"
