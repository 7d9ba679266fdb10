"""Take the guide's picture of a review's graph view (docs/review-graph.png): the window of
1,366 x 900 px as the view opens in it.

Serves the curated reviews (data/) with `lrkg serve --memory` on 127.0.0.1, opens the review's
graph view in Debian's headless Chromium (driven by Playwright, which downloads nothing) and
saves the window: toolbar, legend and the fitted graph.

    .venv/bin/python bench/screenshot.py
    .venv/bin/python bench/screenshot.py --review southport-prevent-learning-review --out /tmp/southport.png
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

from tests.browser.harness import launch_chromium  # noqa: E402
from tests.servers import Server  # noqa: E402

WIDTH, HEIGHT = 1366, 900


def screenshot(review: str, out: Path, zoom_in: int) -> None:
    """Save the window as `review`'s view opens in it (after pressing Zoom in `zoom_in` times)."""
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
                    page.goto(f"{server.url}/views/review/{review}")
                    page.locator("#lrkg-view[data-drawn='true']").wait_for(state="attached")
                    for _ in range(zoom_in):
                        page.get_by_role("button", name="Zoom in").click()
                    page.wait_for_timeout(200)
                    out.parent.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=out)
                finally:
                    browser.close()
        finally:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--review", default="amess-prevent-learning-review", help="the review's id")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "review-graph.png")
    parser.add_argument("--zoom-in", type=int, default=0, help="press Zoom in this many times first")
    arguments = parser.parse_args()
    screenshot(arguments.review, arguments.out, arguments.zoom_in)
    print(f"{arguments.out} ({arguments.out.stat().st_size // 1000} kB)")


if __name__ == "__main__":
    main()
