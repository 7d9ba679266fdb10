"""Take the README's picture of a review's graph view (docs/review-graph.png, 1200×800).

Serves the curated reviews (data/) with `lrkg serve --memory` on 127.0.0.1, opens the review's
graph view in Debian's headless Chromium (driven by Playwright, which downloads nothing) and
saves the legend and the graph below it.

    .venv/bin/python bench/screenshot.py
    .venv/bin/python bench/screenshot.py --review southport-prevent-learning-review --out /tmp/southport.png
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the browser harness lives in tests/browser

from tests.browser.harness import launch_chromium  # noqa: E402
from tests.servers import Server  # noqa: E402

WIDTH, HEIGHT = 1200, 800
MARGIN = 12


def fit_canvas(page: Page, height: float) -> None:
    """Make the graph `height` pixels tall, fit every node into it and wait for the redraw."""
    page.evaluate(
        """height => new Promise(drawn => {
            document.getElementById('lrkg-view').style.height = `${height}px`;
            window.lrkgNetwork.once('afterDrawing', () => drawn());
            window.lrkgNetwork.setSize('100%', '100%');
            window.lrkgNetwork.fit({ animation: false });
            window.lrkgNetwork.redraw();
        })""",
        height,
    )


def screenshot(review: str, out: Path) -> None:
    """Save the legend and graph of `review`'s view to `out`."""
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
                    legend = page.locator("ul.legend").bounding_box()
                    canvas = page.locator("#lrkg-view").bounding_box()
                    assert legend is not None and canvas is not None
                    top = legend["y"] - MARGIN
                    fit_canvas(page, top + HEIGHT - MARGIN - canvas["y"])
                    out.parent.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=out, full_page=True, clip={"x": 0, "y": top, "width": WIDTH, "height": HEIGHT})
                finally:
                    browser.close()
        finally:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--review", default="amess-prevent-learning-review", help="the review's id")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "review-graph.png")
    arguments = parser.parse_args()
    screenshot(arguments.review, arguments.out)
    print(f"{arguments.out} ({arguments.out.stat().st_size // 1000} kB)")


if __name__ == "__main__":
    main()
