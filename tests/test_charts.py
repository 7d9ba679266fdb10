"""Charts drawn offline: the heat map and the status bars as SVG (which must parse, with every
label escaped, and come out the same twice) and PNG; "no data" drawn as an image; the tables and
images over REST with their media types and file names; the page that shows them; the command."""

from __future__ import annotations

import csv
import io
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from pyoxigraph import Literal as PyLiteral
from pyoxigraph import NamedNode, Quad

from api.app import create_app
from api.cli import main
from graph.analytics.chart_images import CHARTS_AHEAD, charts_ready, status_chart, theme_years_chart
from graph.analytics.charts import MISSING_GLYPH, drawable, heat_map, no_data, status_bars
from graph.answers.questions import Ref
from graph.answers.status_counts import STATUS_GROUPS, StatusCounts, StatusTable, status_by_actor, status_by_review
from graph.answers.theme_years import ThemeRow, ThemeYears, theme_years
from graph.ingestion.loading import Loader
from graph.store.config import Settings
from graph.store.errors import InvalidInput
from graph.store.knowledge_store import KnowledgeStore
from graph.store.validation import ShapesValidator
from graph.store.work_ahead import WorkAhead
from tests.conftest import ONTOLOGY_DIR, TEST_DATA
from tests.test_pages import Html

CHARTS_DATA = TEST_DATA / "charts"
SVG = "{http://www.w3.org/2000/svg}"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MARKUP = "<script>alert(1)</script> & Sons Trust"


@pytest.fixture(scope="module")
def charts_store(validator: ShapesValidator) -> KnowledgeStore:
    store = KnowledgeStore.in_memory()
    Loader(store, validator).load([CHARTS_DATA])
    return store


def svg_texts(svg: bytes) -> list[str]:
    """Every piece of text an SVG draws, after checking that it parses as XML."""
    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg"
    return ["".join(element.itertext()) for element in root.iter(SVG + "text")]


def test_the_heat_map_writes_each_label_and_count(charts_store: KnowledgeStore) -> None:
    texts = svg_texts(heat_map(theme_years(charts_store), "svg"))
    for label in ("Communication", "Information sharing", "Record keeping", "Training and guidance",
                  "2021", "2022", "2023", "no date", "failures"):
        assert label in texts
    assert "3" in texts and "1" in texts  # the counts, written in their cells
    assert any(text.startswith("Failures (findings of shortcomings) by theme and year") for text in texts)
    narrower = svg_texts(heat_map(theme_years(charts_store, theme="communication", kind="CSPR"), "svg"))
    assert "Communication (itself)" in narrower and "Communication with family" in narrower
    assert any("under Communication; reviews of kind Child Safeguarding Practice Review" in text for text in narrower)


def test_labels_from_the_data_are_escaped_in_the_svg(charts_store: KnowledgeStore) -> None:
    svg = status_bars(status_by_actor(charts_store), "owner", "svg")
    assert b"&lt;script&gt;alert(1)&lt;/script&gt; &amp; Sons Trust" in svg
    assert b"<script" not in svg
    assert MARKUP in svg_texts(svg)  # parsed back, the label is the text it was


def test_svg_is_the_same_each_time_and_carries_no_date(charts_store: KnowledgeStore) -> None:
    data = theme_years(charts_store)
    first, second = heat_map(data, "svg"), heat_map(data, "svg")
    assert first == second
    assert b"<dc:date>" not in first
    # Vector shapes only: an embedded raster would need a data: URL, which a report's policy refuses.
    assert b"<image" not in first and b"data:" not in first


def test_png_images(charts_store: KnowledgeStore) -> None:
    assert heat_map(theme_years(charts_store), "png").startswith(PNG_MAGIC)
    assert status_bars(status_by_review(charts_store), "review", "png").startswith(PNG_MAGIC)
    with pytest.raises(InvalidInput, match="Unknown image format 'gif'"):
        heat_map(theme_years(charts_store), "gif")


def test_the_bars_are_the_top_ones_with_a_legend_of_every_status_group(charts_store: KnowledgeStore) -> None:
    texts = svg_texts(status_bars(status_by_actor(charts_store), "owner", "svg", top=2))
    assert "Alpha Agency" in texts and "Beta Council" in texts and MARKUP not in texts
    assert [name for _, name in STATUS_GROUPS] == ["Decision", "Implementation", "Closure", "No response"]
    for _, name in STATUS_GROUPS:
        assert name in texts
    assert any(text.endswith("(the 2 of 3 with the most)") for text in texts)


def test_nothing_to_draw_is_an_image_saying_so(charts_store: KnowledgeStore) -> None:
    empty = svg_texts(heat_map(theme_years(charts_store, kind="PFD"), "svg"))
    assert "No data: nothing in the graph matches these filters." in empty
    bars = status_bars(StatusTable((), None, None, None), "review", "png")
    assert bars.startswith(PNG_MAGIC)
    assert "No data: nothing in the graph matches these filters." in svg_texts(no_data("Anything", "svg"))


def test_labels_are_made_drawable() -> None:
    assert drawable("Costs $5 and $6") == r"Costs \$5 and \$6"  # not mathtext
    assert drawable("right\u202eleft\u200b and\nnext\tline") == "right left and next line"
    assert drawable("＜script＞") == MISSING_GLYPH + "script" + MISSING_GLYPH
    assert drawable("x" * 100) == "x" * 41 + "…"
    assert drawable("Café – naïve", width=12) == "Café – naïve"


def test_a_drawn_label_with_a_dollar_or_a_missing_glyph_keeps_its_text() -> None:
    row = ThemeRow("https://example.org/t", "t", "Costs $5 ＜b＞", "T", 1, 0)
    texts = svg_texts(heat_map(ThemeYears((row,), (2020,), ((1,),), None, None), "svg"))
    assert f"Costs $5 {MISSING_GLYPH}b{MISSING_GLYPH}" in texts
    counts = StatusCounts(Ref("https://example.org/a", "a", "A $ actor"), None, 1, 0, 0, 0)
    assert "A $ actor" in svg_texts(status_bars(StatusTable((counts,), None, None, None), "owner", "svg"))


# ------------------------------------------------------------------ over HTTP


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    settings = Settings(memory=True, data_dir=CHARTS_DATA, ontology_dir=ONTOLOGY_DIR, query_workers=1)
    with TestClient(create_app(settings)) as client:
        yield client


def test_the_theme_year_table_as_json_and_csv(client: TestClient) -> None:
    body = client.get("/api/analytics/theme-years").json()
    assert body["ok"] is True and body["total"] == 4 and body["years"] == [2021, 2022, 2023]
    assert body["items"][0] == {
        "theme": "https://w3id.org/lrkg/id/theme/communication", "id": "communication", "label": "Communication",
        "notation": "COM", "2021": 3, "2022": 0, "2023": 1, "undated": 0, "total": 4,
    }
    assert body["filters"] == {"theme": None, "kind": None}
    narrower = client.get("/api/analytics/theme-years", params={"theme": "communication", "kind": "CSPR"}).json()
    assert [item["id"] for item in narrower["items"]] == [
        "communication", "communication-between-agencies", "communication-with-family", "communication-with-referrer"]
    assert narrower["filters"]["kind"] == "https://w3id.org/lrkg/id/review-kind/child-safeguarding-practice-review"
    response = client.get("/api/analytics/theme-years", params={"format": "csv"})
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="theme-years.csv"'
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == ["theme", "id", "label", "notation", "2021", "2022", "2023", "undated", "total"]
    assert [(row["id"], row["2021"], row["undated"]) for row in rows][-1] == ("training-and-guidance", "0", "1")


def test_the_status_tables_as_json_and_csv(client: TestClient) -> None:
    actors = client.get("/api/analytics/status-by-actor").json()
    assert [(i["id"], i["decision"], i["implementation"], i["closure"], i["no_response"], i["total"])
            for i in actors["items"]] == [
        ("alpha-agency", 0, 1, 1, 0, 2), ("beta-council", 0, 0, 1, 1, 2), ("markup-trust", 1, 0, 0, 0, 1)]
    reviews = client.get("/api/analytics/status-by-review", params={"kind": "DHR"}).json()
    assert [(i["id"], i["issued"], i["decision"]) for i in reviews["items"]] == [("southby-review", "2023-02-01", 1)]
    one = client.get("/api/analytics/status-by-actor", params={"review": "northby-review", "format": "csv"})
    assert one.headers["content-disposition"] == 'attachment; filename="status-by-actor.csv"'
    assert [row["id"] for row in csv.DictReader(io.StringIO(one.text))] == ["alpha-agency", "beta-council"]


@pytest.mark.parametrize(
    "path", ["/api/analytics/charts/theme-years", "/api/analytics/charts/actor-status", "/api/analytics/charts/review-status"]
)
def test_each_chart_as_svg_and_png(client: TestClient, path: str) -> None:
    svg = client.get(f"{path}.svg")
    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
    assert "content-disposition" not in svg.headers
    assert svg.headers["content-security-policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    assert svg_texts(svg.content)
    png = client.get(f"{path}.png", params={"download": "1"})
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content.startswith(PNG_MAGIC)
    name = path.rsplit("/", 1)[-1]
    assert png.headers["content-disposition"] == f'attachment; filename="{name}.png"'


def test_charts_follow_their_filters_and_say_no_data(client: TestClient) -> None:
    texts = svg_texts(client.get("/api/analytics/charts/actor-status.svg", params={"theme": "information sharing"}).content)
    assert "Alpha Agency" in texts and "Beta Council" in texts and MARKUP not in texts
    empty = client.get("/api/analytics/charts/review-status.svg", params={"kind": "PFD"})
    assert empty.status_code == 200
    assert "No data: nothing in the graph matches these filters." in svg_texts(empty.content)


@pytest.mark.parametrize(
    ("url", "params", "status", "words"),
    [
        ("/api/analytics/charts/theme-years.svg", {"theme": "comunication"}, 404, "Did you mean: Communication"),
        ("/api/analytics/theme-years", {"kind": "homicide revue"}, 404, "No kind of review matches 'homicide revue'"),
        ("/api/analytics/status-by-review", {"review": "northby"}, 404, "Did you mean: Northby practice review"),
        ("/api/analytics/charts/theme-years.gif", {}, 422, "image_format"),
        ("/api/analytics/charts/actor-status.svg", {"top": "0"}, 422, "top"),
        ("/api/analytics/theme-years", {"format": "xls"}, 400, "Unknown format 'xls'"),
    ],
)
def test_bad_requests_say_what_to_fix(client: TestClient, url: str, params: dict[str, str], status: int, words: str) -> None:
    response = client.get(url, params=params)
    assert response.status_code == status
    body = response.json()
    assert body["ok"] is False and words in body["error"]


def test_the_charts_page(client: TestClient) -> None:
    response = client.get("/analytics/charts", params={"kind": "CSPR", "top": "5"})
    assert response.status_code == 200
    page = Html(response.text)
    assert not page.misnested
    assert page.heading_texts("h1") == ["Charts"]
    images = page.tags("img")
    assert [image["src"] for image in images] == [
        "/api/analytics/charts/theme-years.svg?kind=child-safeguarding-practice-review",
        "/api/analytics/charts/actor-status.svg?kind=child-safeguarding-practice-review&top=5",
        "/api/analytics/charts/review-status.svg?kind=child-safeguarding-practice-review&top=5",
    ]
    assert all(image["alt"] and len(image["alt"] or "") > 40 for image in images)
    hrefs = page.hrefs()
    assert "/api/analytics/charts/theme-years.png?kind=child-safeguarding-practice-review&download=1" in hrefs
    assert "/api/analytics/status-by-review?kind=child-safeguarding-practice-review&format=csv" in hrefs
    for image in images:
        assert client.get(image["src"] or "").headers["content-type"] == "image/svg+xml"
    for href in hrefs:
        if href.startswith("/api/analytics/"):
            assert client.get(href).status_code == 200, href
    selected = [option for option in page.tags("option") if "selected" in option]
    assert [option["value"] for option in selected] == ["child-safeguarding-practice-review"]


def test_the_charts_page_with_an_unknown_theme_is_a_page_naming_the_closest(client: TestClient) -> None:
    response = client.get("/analytics/charts", params={"theme": "comunication"})
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert "/themes/Communication" in Html(response.text).hrefs()


# ------------------------------------------------------------------ kept until the next write


def test_a_chart_is_drawn_once_and_again_after_a_write(validator: ShapesValidator) -> None:
    store = KnowledgeStore.in_memory()
    Loader(store, validator).load([CHARTS_DATA])
    first = theme_years_chart(store, "svg")
    assert theme_years_chart(store, "svg") is first  # the kept drawing, not a new one
    assert status_chart(store, "owner", "svg", top=2) is status_chart(store, "owner", "svg", top=2)
    assert status_chart(store, "owner", "svg", top=2) is not status_chart(store, "owner", "svg", top=3)
    store.write([Quad(NamedNode("urn:test:s"), NamedNode("urn:test:p"), PyLiteral("o"), NamedNode("urn:test:g"))])
    again = theme_years_chart(store, "svg")
    assert again is not first and again == first  # drawn anew, the same chart (the write changed nothing drawn)


def test_a_chart_carries_an_etag_and_is_not_sent_again_until_it_changes() -> None:
    settings = Settings(memory=True, data_dir=CHARTS_DATA, ontology_dir=ONTOLOGY_DIR, query_workers=1)
    with TestClient(create_app(settings)) as client:
        path = "/api/analytics/charts/review-status.svg"
        drawn = client.get(path)
        etag = drawn.headers["etag"]
        assert client.get(path).headers["etag"] == etag
        unchanged = client.get(path, headers={"If-None-Match": etag})
        assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged.headers["etag"] == etag
        assert client.get(path + "?top=1", headers={"If-None-Match": etag}).status_code == 200  # another chart
        store: KnowledgeStore = client.app.state.store  # type: ignore[attr-defined]
        northby = [graph for graph in store.named_graphs() if graph.value.endswith("northby-review")]
        store.write([], drop_graphs=northby)
        redrawn = client.get(path, headers={"If-None-Match": etag})
        assert redrawn.status_code == 200 and redrawn.headers["etag"] != etag
        assert "Northby practice review" not in svg_texts(redrawn.content)
        assert "Northby practice review" in svg_texts(drawn.content)


def wait_until(ready: Callable[[], bool], seconds: float = 60.0) -> None:
    """Poll `ready` until it holds; fail if it does not within `seconds` (a bound, not a measure)."""
    deadline = time.monotonic() + seconds
    while not ready():
        assert time.monotonic() < deadline, "the charts were not drawn ahead"
        time.sleep(0.02)


def test_the_page_charts_are_drawn_ahead_after_a_write_and_a_request_meanwhile_gets_the_new_one(
    validator: ShapesValidator,
) -> None:
    store = KnowledgeStore.in_memory()
    Loader(store, validator).load([CHARTS_DATA])
    ahead = WorkAhead.following(store, CHARTS_AHEAD, "charts")  # draws once as it starts
    ready = partial(charts_ready, store)
    wait_until(ready)
    before = status_chart(store, "review", "svg")
    assert "Northby practice review" in svg_texts(before.image)
    northby = [graph for graph in store.named_graphs() if graph.value.endswith("northby-review")]
    store.write([], drop_graphs=northby)
    asked = status_chart(store, "review", "svg")  # while the charts are drawn again, or after
    assert "Northby practice review" not in svg_texts(asked.image)
    wait_until(ready)  # every chart drawn again with no request for it
    assert status_chart(store, "review", "svg") is asked  # drawn once, not again beside the request
    heat = theme_years_chart(store, "svg")
    assert heat is theme_years_chart(store, "svg")
    southby = [graph for graph in store.named_graphs() if graph.value.endswith("southby-review")]
    store.write([], drop_graphs=southby)
    wait_until(ready)
    assert theme_years_chart(store, "svg") is not heat
    assert "Southby" not in " ".join(svg_texts(status_chart(store, "review", "svg").image))
    ahead.close()


def test_the_server_draws_the_page_charts_as_it_starts(small_settings: Settings) -> None:
    with TestClient(create_app(small_settings.model_copy(update={"work_ahead": True}))) as client:
        store = client.app.state.store  # type: ignore[attr-defined]
        wait_until(partial(charts_ready, store))
        kept = theme_years_chart(store, "svg")
        assert client.get("/api/analytics/charts/theme-years.svg").headers["etag"] == kept.etag


# ------------------------------------------------------------------ the command


def test_the_commands_answer_and_draw(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LRKG_DATA_DIR", str(CHARTS_DATA))
    runner = CliRunner()
    table = runner.invoke(main, ["analytics", "theme-years", "--memory"])
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert lines[0].split() == ["theme", "2021", "2022", "2023", "no", "date", "total"]
    assert lines[2].split() == ["Communication", "3", "0", "1", "0", "4"] and lines[-1] == "(4 rows)"
    as_csv = runner.invoke(main, ["analytics", "status-counts", "--by", "review", "--memory", "--format", "csv"])
    assert [row["no_response"] for row in csv.DictReader(io.StringIO(as_csv.output))] == ["1", "0"]
    picture = tmp_path / "heat.png"
    drawn = runner.invoke(main, ["analytics", "chart", "theme-years", "--kind", "DHR", "-o", str(picture), "--memory"])
    assert drawn.exit_code == 0, drawn.output
    assert picture.read_bytes().startswith(PNG_MAGIC)
    wrong = runner.invoke(main, ["analytics", "chart", "actor-status", "-o", str(tmp_path / "bars.gif"), "--memory"])
    assert wrong.exit_code == 2 and "must end in .svg or .png" in wrong.output
