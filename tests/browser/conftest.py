"""Browser fixtures: real `lrkg serve --memory` processes and Debian's Chromium driven by Playwright.

Two servers on 127.0.0.1: one holds the curated reviews (data/), the other a generated review
whose every text is an XSS payload (tests/browser/hostile.py). Chromium is the system's
(`/usr/bin/chromium`, installed by `make test`); Playwright never downloads a browser. Every
test's page records the requests it makes (any host but 127.0.0.1 is refused and reported),
console errors, uncaught errors, dialogs and calls of `window.__xss`; `Tab.assert_clean` and
the fixture's teardown fail on any of them.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Route, ViewportSize, WebError, sync_playwright

from tests.browser.harness import launch_chromium
from tests.browser.hostile import write_hostile_review
from tests.conftest import DATA_DIR
from tests.servers import LOCAL_HOST, Server

SCREENSHOTS = Path(__file__).parent.parent / "screenshots"
VIEWPORT: ViewportSize = {"width": 1200, "height": 800}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder is a browser test (`-m browser` runs them alone)."""
    folder = Path(__file__).parent
    for item in items:
        if folder in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Both servers, started side by side: `curated` (data/) and `hostile` (the payload review)."""
    curated = tmp_path_factory.mktemp("curated-data")
    for review in sorted(DATA_DIR.glob("*.ttl")):
        shutil.copy(review, curated / review.name)
    hostile = tmp_path_factory.mktemp("hostile-data")
    write_hostile_review(hostile / "hostile-review.ttl")
    started = {"curated": Server.start(curated), "hostile": Server.start(hostile)}
    try:
        for server in started.values():
            server.wait()
        yield {name: server.url for name, server in started.items()}
    finally:
        for server in started.values():
            server.stop()


@pytest.fixture(scope="session")
def curated_url(servers: dict[str, str]) -> str:
    return servers["curated"]


@pytest.fixture(scope="session")
def hostile_url(servers: dict[str, str]) -> str:
    return servers["hostile"]


# ------------------------------------------------------------------------------ browser


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Tab:
    """A page with everything it did recorded: requests outside 127.0.0.1 (refused), console
    errors, uncaught errors, dialogs (dismissed) and calls of `window.__xss`."""

    page: Page
    outside_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    xss_calls: list[object] = field(default_factory=list)

    def open(self, url: str) -> Page:
        """Go to `url`, expect a 200, and wait until the page has loaded."""
        response = self.page.goto(url, wait_until="load")
        assert response is not None and response.status == 200, f"{url}: {response and response.status}"
        return self.page

    def open_refused(self, url: str) -> Page:
        """Go to `url`, expect an error page (4xx), and forget Chromium's console line about its status."""
        response = self.page.goto(url, wait_until="load")
        assert response is not None and 400 <= response.status < 500, f"{url}: {response and response.status}"
        notice = f"the server responded with a status of {response.status}"
        self.console_errors[:] = [text for text in self.console_errors if not (notice in text and url in text)]
        return self.page

    def problems(self) -> list[str]:
        return (
            [f"request outside {LOCAL_HOST}: {url}" for url in self.outside_requests]
            + [f"console error: {text}" for text in self.console_errors]
            + [f"page error: {text}" for text in self.page_errors]
            + [f"dialog: {text}" for text in self.dialogs]
            + [f"payload executed: __xss({n})" for n in self.xss_calls]
        )

    def assert_clean(self) -> None:
        assert not self.problems(), "\n".join(self.problems())

    def clear(self) -> None:
        for recorded in (self.outside_requests, self.console_errors, self.page_errors, self.dialogs, self.xss_calls):
            recorded.clear()

    def screenshot(self, name: str, *, full_page: bool = False) -> Path:
        """Save the window (or the whole page) to tests/screenshots/<name>.png, not committed, for
        a person to look at."""
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=path, full_page=full_page)
        return path


def _guard(tab: Tab) -> Callable[[Route], None]:
    def route(route: Route) -> None:
        if urlsplit(route.request.url).hostname == LOCAL_HOST:
            route.continue_()
        else:
            tab.outside_requests.append(route.request.url)
            route.abort("blockedbyclient")
    return route


def _record_console(tab: Tab) -> Callable[[ConsoleMessage], None]:
    def record(message: ConsoleMessage) -> None:
        if message.type == "error":
            tab.console_errors.append(f"{message.text} ({message.location.get('url', '')})")
    return record


def _record_dialog(tab: Tab) -> Callable[[Dialog], None]:
    def record(dialog: Dialog) -> None:
        tab.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()
    return record


def _record_error(tab: Tab) -> Callable[[WebError], None]:
    def record(error: WebError) -> None:
        tab.page_errors.append(str(error.error))
    return record


def _recording_tab(chromium: Browser, *, bypass_csp: bool = False, viewport: ViewportSize = VIEWPORT,
                   phone: bool = False) -> Tab:
    """A page in a context of its own, with every recorder attached; with `phone`, a touch screen
    with no hover (`@media (hover: none)` matches), as on a phone."""
    context = chromium.new_context(viewport=viewport, bypass_csp=bypass_csp, is_mobile=phone, has_touch=phone)
    tab = Tab(context.new_page())
    context.route("**/*", _guard(tab))
    context.expose_function("__xss", lambda n: tab.xss_calls.append(n))
    context.on("console", _record_console(tab))
    context.on("weberror", _record_error(tab))
    context.on("dialog", _record_dialog(tab))
    return tab


@pytest.fixture(scope="session")
def _shared_tab(chromium: Browser) -> Iterator[Tab]:
    """One context and page for the whole run (a new page costs a renderer start, ~1 s)."""
    tab = _recording_tab(chromium)
    try:
        yield tab
    finally:
        tab.page.context.close()


@pytest.fixture
def tab_without_csp(chromium: Browser) -> Iterator[Tab]:
    """A page that ignores the server's Content-Security-Policy, to show that the recorders see a
    payload that runs (the policy would block it first)."""
    tab = _recording_tab(chromium, bypass_csp=True)
    try:
        yield tab
    finally:
        tab.page.context.close()


@pytest.fixture
def phone_tab(chromium: Browser) -> Iterator[Tab]:
    """A page on a 390 x 844 touch screen (a phone), recorded as `tab` is."""
    tab = _recording_tab(chromium, viewport={"width": 390, "height": 844}, phone=True)
    try:
        yield tab
        tab.assert_clean()
    finally:
        tab.page.context.close()


@pytest.fixture
def tab(_shared_tab: Tab) -> Iterator[Tab]:
    """The shared page, its records cleared; the test fails if anything forbidden happened."""
    _shared_tab.clear()
    yield _shared_tab
    for other in _shared_tab.page.context.pages[1:]:
        other.close()
    _shared_tab.page.goto("about:blank")
    _shared_tab.assert_clean()
