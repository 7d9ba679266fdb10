"""Take the guide's picture of the SPARQL page (docs/sparql-editor.png): an example question loaded
into the editor and run, its answer with labels beside the IRIs, sorted by its first column.

Serves the curated reviews (data/) with `lrkg serve --memory` on 127.0.0.1, drives the page in
Debian's headless Chromium (Playwright downloads nothing) as a reader would, and saves the top
1,200 x 1,250 px of the page.

    .venv/bin/python bench/sparql_editor_screenshot.py
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the browser harness lives in tests/browser

from tests.browser.harness import launch_chromium
from tests.servers import Server

WIDTH, HEIGHT = 1200, 1250
EXAMPLE = "Actors implicated in the most findings"


def screenshot(out: Path) -> None:
    """Load and run the example, sort its answer by actor, and save the top of the page."""
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
                    page = browser.new_page(viewport={"width": WIDTH, "height": 800})
                    page.goto(f"{server.url}/sparql", wait_until="load")
                    page.locator("li.example", has_text=EXAMPLE).get_by_role("button", name="Load into the editor").click()
                    page.get_by_role("button", name="Run query").click()
                    page.wait_for_selector("#answer-table")
                    page.locator("#answer-table").get_by_role("button", name="actor").click()
                    page.evaluate("window.scrollTo(0, 0)")
                    out.parent.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=out, full_page=True, clip={"x": 0, "y": 0, "width": WIDTH, "height": HEIGHT})
                finally:
                    browser.close()
        finally:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "sparql-editor.png")
    arguments = parser.parse_args()
    screenshot(arguments.out)
    print(arguments.out)


if __name__ == "__main__":
    main()
