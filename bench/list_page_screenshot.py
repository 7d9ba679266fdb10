"""Take the guide's picture of a list page (docs/list-page.png): the recommendations filtered to
the communication theme, in a window of 1,366 x 900 px.

Serves the curated reviews (data/) with `lrkg serve --memory` on 127.0.0.1, opens the list in
Debian's headless Chromium (driven by Playwright, which downloads nothing) and saves the window:
chips, downloads, facets and the table.

    .venv/bin/python bench/list_page_screenshot.py
    .venv/bin/python bench/list_page_screenshot.py --path '/findings?polarity=shortcoming' --out /tmp/findings.png
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

WIDTH, HEIGHT = 1366, 900


def screenshot(path: str, out: Path) -> None:
    """Save the window as the list at `path` opens in it."""
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
                    page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT})
                    page.goto(f"{server.url}{path}", wait_until="load")
                    out.parent.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=out)
                finally:
                    browser.close()
        finally:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", default="/recommendations?theme=communication", help="the list and its filters")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "list-page.png")
    arguments = parser.parse_args()
    screenshot(arguments.path, arguments.out)
    print(arguments.out)


if __name__ == "__main__":
    main()
