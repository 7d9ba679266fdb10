"""Every page and view, found by following links (tests/browser/crawl.py), in Chromium.

On the server whose one review is made of XSS payloads (tests/browser/hostile.py): none runs.
On the curated reviews, at 1366×900 and on a 390×844 phone, /docs included: no page asks
anything of another host than 127.0.0.1, none logs a console error, and none is wider than the
phone's screen (the page's scrollWidth, at most the window's width: a wide table scrolls inside
its own box).

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
from playwright.sync_api import Page, ViewportSize

from tests.browser.conftest import VIEWPORT, Tab
from tests.browser.crawl import Crawl, crawl
from tests.browser.hostile import PAYLOADS, SEARCH_WORD
from tests.browser.test_xss import ARMED
from tests.browser.vis import open_view
from tests.reliability.conftest import FIGURES, LONG

STARTS = (
    "/", "/analytics", "/reviews", "/actors", "/themes", f"/search?{urlencode({'q': SEARCH_WORD})}", "/views/graph",
    "/sparql",
)
CURATED_STARTS = ("/", "/search?q=referral")
"""The home page, and a search (a form, which no link reaches): everything else is found by links."""
VIEWPORTS: dict[str, ViewportSize] = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
WIDTHS = "() => [document.documentElement.scrollWidth, window.innerWidth]"
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


@pytest.fixture(scope="module")
def curated_pages(curated_url: str) -> list[str]:
    with httpx.Client(base_url=curated_url, timeout=60) as client:
        return crawl(client, CURATED_STARTS, per_shape=3 if LONG else 1, api_docs=True).pages


def _opened(tab: Tab, url: str) -> Page:
    path = url.split("/", 3)[-1]
    return open_view(tab, url) if path.startswith("views/") else tab.open(url)


def test_the_crawl_from_the_home_page_reaches_every_kind_of_page(curated_pages: list[str]) -> None:
    kinds = {page.split("?")[0].split("/")[1] for page in curated_pages}
    assert {"", "reviews", "findings", "recommendations", "actors", "themes", "views", "sparql", "ask", "docs",
            "analytics"} <= kinds


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_every_page_stays_on_this_machine_logs_no_error_and_fits_the_screen(
    tab: Tab, curated_url: str, curated_pages: list[str], viewport: str
) -> None:
    tab.page.set_viewport_size(VIEWPORTS[viewport])
    try:
        too_wide = []
        for path in curated_pages:
            page = _opened(tab, curated_url + path)
            if path.startswith("/docs"):
                page.wait_for_selector(".swagger-ui .opblock", timeout=20_000)
            page.wait_for_timeout(SETTLE_MS)
            assert not tab.problems(), f"{path} at {viewport}: " + "; ".join(tab.problems())
            scroll_width, window_width = page.evaluate(WIDTHS)
            if viewport == "phone" and scroll_width > window_width:
                too_wide.append(f"{path}: {scroll_width} px")
        assert too_wide == [], f"wider than a {VIEWPORTS['phone']['width']} px phone"
    finally:
        tab.page.set_viewport_size(VIEWPORT)
