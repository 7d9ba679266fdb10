"""A written report opened from disk (file://) in Chromium: its content shows, the chart is drawn,
nothing is fetched (not even from 127.0.0.1), nothing is logged as an error, and the payloads of
the hostile review (tests/browser/hostile.py), in every label of the report and of its chart,
stay text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Request, expect

from graph.analytics.report import Report, review_report, theme_report
from graph.ingestion.loading import Loader
from graph.store.knowledge_store import KnowledgeStore
from graph.store.validation import ShapesValidator
from tests.browser.conftest import SCREENSHOTS, VIEWPORT
from tests.browser.hostile import PAYLOADS, REVIEW_ID, THEMES, write_hostile_review
from tests.browser.test_xss import ARMED
from tests.conftest import ONTOLOGY_DIR

POLICY = "default-src 'none'; style-src 'unsafe-inline'"
SETTLE_MS = 1000
"""Time for what a payload might schedule (autofocus, toggle, SVG animation, meta refresh)."""


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeStore:
    store = KnowledgeStore.in_memory()
    review = write_hostile_review(tmp_path_factory.mktemp("hostile") / "hostile-review.ttl")
    Loader(store, ShapesValidator(ONTOLOGY_DIR)).load([review])
    return store


REPORTS: dict[str, Callable[[KnowledgeStore], Report]] = {
    "review": lambda store: review_report(store, REVIEW_ID),
    "theme": lambda store: theme_report(store, THEMES[0]),
}


@pytest.mark.parametrize("policy", [True, False], ids=["as-written", "without-its-policy"])
@pytest.mark.parametrize("subject", list(REPORTS))
def test_a_report_opens_from_a_file_offline_and_inert(
    chromium: Browser, hostile_store: KnowledgeStore, tmp_path: Path, subject: str, policy: bool
) -> None:
    """Also with the report's content security policy taken out, so that what keeps it inert and
    offline is the escaping and the absence of any outside resource, not the policy alone."""
    report = REPORTS[subject](hostile_store)
    own_policy = f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
    assert own_policy in report.html
    path = tmp_path / f"{report.name}.html"
    path.write_text(report.html if policy else report.html.replace(own_policy, ""), encoding="utf-8")
    requests: list[str] = []
    problems: list[str] = []
    context = chromium.new_context(viewport=VIEWPORT)
    try:
        context.expose_function("__xss", lambda n: problems.append(f"payload executed: __xss({n})"))

        def record_console(message: ConsoleMessage) -> None:
            if message.type in ("error", "warning"):
                problems.append(f"console {message.type}: {message.text}")

        def record_request(request: Request) -> None:
            requests.append(request.url)

        context.on("request", record_request)
        context.route("**/*", lambda route: route.continue_() if route.request.url == path.as_uri()
                      else route.abort("blockedbyclient"))  # anything else is recorded above and never sent
        context.on("console", record_console)
        context.on("weberror", lambda error: problems.append(f"page error: {error.error}"))
        context.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        page = context.new_page()
        response = page.goto(path.as_uri(), wait_until="load")
        assert response is not None and response.ok
        page.wait_for_timeout(SETTLE_MS)

        if subject == "review":
            expect(page.locator("h1")).to_have_text(f"Zanzibar hostile review {PAYLOADS[4]}")
            headings = set(page.locator("article h3").all_inner_texts())
            assert set(PAYLOADS) <= headings  # each finding's label
            assert {f"R{n}: {payload}" for n, payload in enumerate(PAYLOADS)} <= headings
        else:
            expect(page.locator("h1")).to_be_visible()
            shown = [n for n in range(len(PAYLOADS)) if THEMES[n % len(THEMES)] == THEMES[0]]
            assert {PAYLOADS[n] for n in shown} <= set(page.locator("article h3").all_inner_texts())
        main = page.locator("main").inner_text()
        assert "Zanzibar excerpt 0: " + PAYLOADS[0] in main
        chart = page.locator("figure.chart svg")
        expect(chart).to_be_visible()
        box = chart.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] > 100
        # The report's own policy is the one <meta http-equiv> allowed: what a payload put there would be another.
        assert page.evaluate(ARMED) == ([own_policy] if policy else [])
        assert page.locator("meta[http-equiv]").count() == (1 if policy else 0)
        assert page.locator("script").count() == 0
        SCREENSHOTS.mkdir(exist_ok=True)
        if policy:
            page.screenshot(path=SCREENSHOTS / f"report-{subject}-file.png")
    finally:
        context.close()
    assert [url for url in requests if url != path.as_uri()] == [], "the report fetched something"
    assert problems == []
