"""Take the guide's pictures of the site, as a reader sees it:

- review-graph.png: the Amess review's graph view as it opens in a 1,366 x 900 window;
- list-page.png: the recommendations filtered to the communication theme (chips, downloads,
  facets, the table), 1,366 x 900;
- sparql-editor.png: an example question loaded into the SPARQL editor and run, its answer with
  labels beside the IRIs sorted by its first column (the top 1,200 x 1,250 px of the page);
- phone-home.png and phone-review.png: the home page and a review's findings, grouped by theme
  and folded, on a 390 x 844 phone.

Serves the curated reviews (data/) with `lrkg serve --memory` on 127.0.0.1 and drives Debian's
headless Chromium through Playwright (which downloads nothing).

    .venv/bin/python bench/screenshots.py                 # every picture, into docs/
    .venv/bin/python bench/screenshots.py list-page --out /tmp
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the browser harness lives in tests/browser

from tests.browser.harness import launch_chromium  # noqa: E402
from tests.servers import Server  # noqa: E402

REVIEW = "amess-prevent-learning-review"
SPARQL_EXAMPLE = "Actors implicated in the most findings"


@contextmanager
def curated_site() -> Iterator[tuple[Browser, str]]:
    """Chromium, and the address of a server holding a copy of the curated reviews."""
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        for source in sorted((ROOT / "data").glob("*.ttl")):
            shutil.copy(source, data / source.name)
        server = Server.start(data)
        try:
            server.wait()
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                try:
                    yield browser, server.url
                finally:
                    browser.close()
        finally:
            server.stop()


def review_graph(browser: Browser, url: str, out: Path) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{url}/views/review/{REVIEW}")
    page.locator("#lrkg-view[data-drawn='true']").wait_for(state="attached")
    page.wait_for_timeout(200)
    page.screenshot(path=out / "review-graph.png")


def list_page(browser: Browser, url: str, out: Path) -> None:
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{url}/recommendations?theme=communication", wait_until="load")
    page.screenshot(path=out / "list-page.png")


def sparql_editor(browser: Browser, url: str, out: Path) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    page.goto(f"{url}/sparql", wait_until="load")
    page.locator("li.example", has_text=SPARQL_EXAMPLE).get_by_role("button", name="Load into the editor").click()
    page.get_by_role("button", name="Run query").click()
    page.wait_for_selector("#answer-table")
    page.locator("#answer-table").get_by_role("button", name="actor").click()
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=out / "sparql-editor.png", full_page=True, clip={"x": 0, "y": 0, "width": 1200, "height": 1250})


def phone(browser: Browser, url: str, out: Path) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{url}/", wait_until="load")
    page.screenshot(path=out / "phone-home.png")
    page.goto(f"{url}/reviews/{REVIEW}", wait_until="load")
    heading = page.locator("main h2", has_text="Findings by theme")
    page.evaluate("top => window.scrollTo(0, top - 8)", heading.evaluate("h => h.getBoundingClientRect().top + window.scrollY"))
    page.screenshot(path=out / "phone-review.png")


PICTURES: dict[str, Callable[[Browser, str, Path], None]] = {
    "review-graph": review_graph,
    "list-page": list_page,
    "sparql-editor": sparql_editor,
    "phone": phone,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pictures", nargs="*", help=f"which of {', '.join(PICTURES)} (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="the folder to write them into")
    arguments = parser.parse_args()
    unknown = sorted(set(arguments.pictures) - set(PICTURES))
    if unknown:
        parser.error(f"no picture named {', '.join(unknown)}: choose from {', '.join(PICTURES)}")
    arguments.out.mkdir(parents=True, exist_ok=True)
    with curated_site() as (browser, url):
        for name in arguments.pictures or PICTURES:
            PICTURES[name](browser, url, arguments.out)
            print(f"{name}: written into {arguments.out}")


if __name__ == "__main__":
    main()
