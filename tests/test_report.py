"""Static HTML reports: one review or one theme in a single file that opens without a server.
Each report is parsed: it holds every finding with its evidence and every recommendation with its
status history, a chart as inline SVG, no script and no outside address but links to sources,
and markup from the data as text. Served as a download, linked from the review and theme pages,
and written by the command. (tests/browser/test_report_file.py opens one in Chromium.)"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from api.app import create_app
from api.cli import main
from graph.analytics.report import review_report, theme_report, web_link
from graph.ingestion.loading import Loader
from graph.store.config import Settings
from graph.store.errors import NotFound, UnknownTheme
from graph.store.knowledge_store import KnowledgeStore
from graph.store.validation import ShapesValidator
from tests.conftest import ONTOLOGY_DIR, TEST_DATA
from tests.test_pages import Html

CHARTS_DATA = TEST_DATA / "charts"
MARKUP = "<script>alert(1)</script> & Sons Trust"
POLICY = "default-src 'none'; style-src 'unsafe-inline'"


@pytest.fixture(scope="module")
def charts_store(validator: ShapesValidator) -> KnowledgeStore:
    store = KnowledgeStore.in_memory()
    Loader(store, validator).load([CHARTS_DATA])
    return store


def inline_svg(html: str) -> ET.Element:
    """The one chart of a report, parsed as XML."""
    charts = re.findall(r"<svg\b.*?</svg>", html, flags=re.DOTALL)
    assert len(charts) == 1
    return ET.fromstring(charts[0])


def assert_self_contained(page: Html, sources: set[str]) -> None:
    """No script, nothing fetched: no src, no stylesheet link, and the only outside addresses are
    links to sources."""
    assert not page.tags("script") and not page.tags("link") and not page.tags("img") and not page.tags("iframe")
    assert all("src" not in attributes for _, attributes in page.elements)
    outside = {href for href in page.hrefs() if not href.startswith("#")}
    assert outside <= sources
    policy = [m for m in page.tags("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    assert [m["content"] for m in policy] == [POLICY]
    assert not page.misnested


def test_a_review_report(charts_store: KnowledgeStore) -> None:
    report = review_report(charts_store, "northby-review")
    assert report.name == "lrkg-review-northby-review"
    page = Html(report.html)
    assert_self_contained(page, {"https://example.org/northby-review.pdf"})
    assert page.heading_texts("h1") == ["Northby practice review"]
    assert page.heading_texts("h2") == ["Sources", "Where its recommendations stand", "Findings (4)", "Recommendations (3)"]
    assert page.heading_texts("h3") == [
        "The referrer heard nothing back", "Agencies did not share what they knew", "The council kept the family informed",
        "Nobody explained the plan to the family",
        "R1: Tell referrers the outcome", "R2: Share information between agencies", "R3: Explain plans to families",
    ]
    text = " ".join(page.text.split())
    assert "the referrer was never told what had happened" in page.blockquotes
    assert "Each agency held part of the picture and kept it to itself." in text  # a paraphrase, said to be one
    assert "themes: Communication between agencies; Information sharing" in text
    assert "implicates Alpha Agency; Beta Council" in text
    assert "Owners: Alpha Agency; Beta Council" in text
    totals = next(table for table in page.tables if table.caption.startswith("Recommendations by the group"))
    assert totals.rows == [["Decision", "Implementation", "Closure", "No response"], ["0", "1", "1", "1"]]
    history = next(table for table in page.tables if table.caption == "Status history of R2")
    assert [row[:2] for row in history.rows[1:]] == [["2021-07-01", "Accepted (decision)"], ["2022-01-10", "Superseded (closure)"]]
    assert "No response to this recommendation is recorded." in text
    # A recommendation links to the findings it addresses, within the file.
    assert "#northby-review-f2" in page.hrefs()
    ids = {attributes.get("id") for _, attributes in page.elements}
    assert {"northby-review-f2", "northby-review-r2"} <= ids
    chart = inline_svg(report.html)
    drawn = ["".join(t.itertext()) for t in chart.iter("{http://www.w3.org/2000/svg}text")]
    assert "Alpha Agency" in drawn and "Beta Council" in drawn


def test_markup_from_the_data_stays_text(charts_store: KnowledgeStore) -> None:
    report = review_report(charts_store, "Southby homicide review")
    assert "<script" not in report.html.lower()
    page = Html(report.html)
    assert MARKUP in page.text  # in the finding's "implicates", and drawn in the chart
    drawn = ["".join(t.itertext()) for t in inline_svg(report.html).iter("{http://www.w3.org/2000/svg}text")]
    assert MARKUP in drawn
    history = next(table for table in page.tables if table.caption == "Status history of 1")
    assert [row[:3] for row in history.rows[1:]] == [
        ["2023-05-01", "Reported implemented (implementation)", MARKUP],
        ["not before 2023-05-01", "Accepted (decision)", MARKUP],
    ]


def test_a_theme_report(charts_store: KnowledgeStore) -> None:
    report = theme_report(charts_store, "communication")
    assert report.name == "lrkg-theme-communication"
    page = Html(report.html)
    assert_self_contained(page, {"https://example.org/northby-review.pdf", "https://example.org/southby-review.pdf"})
    assert page.heading_texts("h1") == ["Theme: Communication"]
    assert page.heading_texts("h2") == ["Failures by year", "Findings across reviews, by year", "Recommendations addressing it (3)"]
    # Every finding with the theme or a narrower one (good practice too), by the year of its review.
    assert [h for h in page.heading_texts("h3") if h[:4].isdigit()] == ["2021 (4)", "2023 (1)"]
    text = " ".join(page.text.split())
    assert "The referrer was left waiting" in text and "in Southby homicide review" in text
    assert "the referrer waited six weeks for a reply" in page.blockquotes
    assert "Latest status: Superseded" in text and "In Northby practice review" in text
    drawn = ["".join(t.itertext()) for t in inline_svg(report.html).iter("{http://www.w3.org/2000/svg}text")]
    assert "Communication (itself)" in drawn and "Communication with the referrer" in drawn


def test_a_theme_with_findings_of_an_undated_review(charts_store: KnowledgeStore) -> None:
    page = Html(theme_report(charts_store, "TRN").html)
    assert "No date (1)" in page.heading_texts("h3")
    assert "none of the staff had been trained" in page.blockquotes
    assert "No recommendation addresses this theme." in page.text


def test_unknown_review_and_theme(charts_store: KnowledgeStore) -> None:
    with pytest.raises(NotFound, match="Did you mean: Northby practice review"):
        review_report(charts_store, "northby")
    with pytest.raises(UnknownTheme):
        theme_report(charts_store, "comunication")


def test_only_web_pages_are_links() -> None:
    assert web_link("https://example.org/a.pdf") == "https://example.org/a.pdf"
    assert web_link("HTTP://example.org/") == "HTTP://example.org/"
    for url in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "", None):
        assert web_link(url) is None


def test_the_curated_amess_review(curated_store: KnowledgeStore) -> None:
    report = review_report(curated_store, "amess-prevent-learning-review")
    page = Html(report.html)
    assert "Findings (20)" in page.heading_texts("h2")
    sources = {href for href in page.hrefs() if not href.startswith("#")}
    assert sources and all(href.startswith("https://") for href in sources)
    assert_self_contained(page, sources)


# ------------------------------------------------------------------ over HTTP, and the command


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    settings = Settings(memory=True, data_dir=CHARTS_DATA, ontology_dir=ONTOLOGY_DIR, query_workers=1)
    with TestClient(create_app(settings)) as client:
        yield client


def test_reports_are_downloads(client: TestClient) -> None:
    review = client.get("/reports/review/northby-review.html")
    assert review.status_code == 200
    assert review.headers["content-type"] == "text/html; charset=utf-8"
    assert review.headers["content-disposition"] == 'attachment; filename="lrkg-review-northby-review.html"'
    assert review.headers["content-security-policy"] == POLICY
    assert Html(review.text).heading_texts("h1") == ["Northby practice review"]
    theme = client.get("/reports/theme/COM.REF.html")
    assert theme.headers["content-disposition"] == 'attachment; filename="lrkg-theme-communication-with-referrer.html"'
    assert Html(theme.text).heading_texts("h1") == ["Theme: Communication with the referrer"]


def test_an_unknown_report_is_a_page_naming_the_closest(client: TestClient) -> None:
    review = client.get("/reports/review/northby.html")
    assert review.status_code == 404 and review.headers["content-type"].startswith("text/html")
    assert "Northby practice review" in Html(review.text).text
    theme = client.get("/reports/theme/comunication.html")
    assert theme.status_code == 404 and "/themes/Communication" in Html(theme.text).hrefs()


def test_the_review_and_theme_pages_link_their_reports(client: TestClient) -> None:
    review = Html(client.get("/reviews/northby-review").text)
    assert "/reports/review/northby-review.html" in review.hrefs()
    theme = Html(client.get("/themes/communication-with-referrer").text)
    assert "/reports/theme/communication-with-referrer.html" in theme.hrefs()


def test_the_command(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LRKG_DATA_DIR", str(CHARTS_DATA))
    out = tmp_path / "northby.html"
    result = CliRunner().invoke(main, ["analytics", "report", "--review", "northby-review", "-o", str(out), "--memory"])
    assert result.exit_code == 0, result.output
    assert Html(out.read_text(encoding="utf-8")).heading_texts("h1") == ["Northby practice review"]
    themed = CliRunner().invoke(main, ["analytics", "report", "--theme", "record keeping", "-o", str(out), "--memory"])
    assert themed.exit_code == 0 and "Theme: Record keeping" in out.read_text(encoding="utf-8")
    neither = CliRunner().invoke(main, ["analytics", "report", "-o", str(out), "--memory"])
    assert neither.exit_code == 2 and "Give either --review or --theme" in neither.output
