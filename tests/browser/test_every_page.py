"""Every page and view, found by following links (tests/browser/crawl.py), on the server whose
one review is made of XSS payloads (tests/browser/hostile.py): none runs.

The pages are not listed here: whatever the home page, the analytics pages, the lists, search,
the graph views and the SPARQL page link to is opened, so a page added later is covered as
soon as something links to it. Each is opened in Chromium and left to settle; the `tab`
fixture fails on any payload that ran (a call of `window.__xss`, a dialog, a request outside
127.0.0.1, a console or page error), and the page must hold no element a payload armed.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlencode

import httpx2 as httpx
import pytest

from tests.browser.conftest import Tab
from tests.browser.crawl import Crawl, crawl
from tests.browser.hostile import PAYLOADS, SEARCH_WORD
from tests.browser.test_xss import ARMED
from tests.browser.vis import open_view
from tests.reliability.conftest import FIGURES, LONG

STARTS = (
    "/", "/analytics", "/reviews", "/actors", "/themes", f"/search?{urlencode({'q': SEARCH_WORD})}", "/views/graph",
    "/sparql",
)
OWN_POLICY = '<meta http-equiv="Content-Security-Policy"'
"""A report carries its own policy (only ever a restriction), which the check of armed elements lists."""
SETTLE_MS = 150
"""Time for what a payload might schedule (autofocus, toggle, SVG animation, meta refresh)."""


@pytest.fixture(scope="module")
def found(hostile_url: str) -> Iterator[Crawl]:
    with httpx.Client(base_url=hostile_url, timeout=60) as client:
        yield crawl(client, STARTS, per_shape=3 if LONG else 1)


def test_the_crawl_finds_every_kind_of_page(found: Crawl) -> None:
    pages = found.pages
    kinds = {page.split("?")[0].split("/")[1] for page in pages}
    assert {"", "reviews", "findings", "recommendations", "actors", "themes", "search", "views", "id", "sparql"} <= kinds
    assert any(page.startswith("/analytics/") for page in pages)


def test_no_payload_runs_on_any_page(tab: Tab, hostile_url: str, found: Crawl) -> None:
    pages = found.pages
    showing_payloads = 0
    for path in pages:
        page = open_view(tab, hostile_url + path) if path.startswith("/views/") else tab.open(hostile_url + path)
        page.wait_for_timeout(SETTLE_MS)
        assert page.evaluate(ARMED) == [], path
        assert not tab.problems(), f"{path}: " + "; ".join(tab.problems())
        showing_payloads += "__xss(" in page.content()
    assert showing_payloads >= len(pages) // 2, "most pages should show the hostile review's text"
    FIGURES.setdefault("XSS", {}).update({
        "payloads": len(PAYLOADS),
        "pages and views opened (found by crawling)": len(pages),
        "of which showing payloads": showing_payloads,
        "payloads executed": 0,
    })


def test_no_payload_runs_in_a_downloaded_report(tab: Tab, hostile_url: str, found: Crawl) -> None:
    """A report is saved and opened from disk, where no Content-Security-Policy protects it: it
    is rendered as it is, with whatever scripts it carries, and no payload may run."""
    assert found.downloads, "the crawl should find the reports"
    with httpx.Client(base_url=hostile_url, timeout=60) as client:
        for path in found.downloads:
            tab.page.set_content(client.get(path).text, wait_until="load")
            tab.page.wait_for_timeout(SETTLE_MS)
            armed = [found for found in tab.page.evaluate(ARMED) if not found.startswith(OWN_POLICY)]
            assert armed == [], path
            assert not tab.problems(), f"{path}: " + "; ".join(tab.problems())
            assert "__xss(" in tab.page.content(), path
    FIGURES.setdefault("XSS", {})["downloaded reports opened"] = len(found.downloads)
