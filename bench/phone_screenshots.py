"""Take docs/analysts.md's pictures of the site on a phone: the home page and a review page, at
390×844 (an iPhone 12 to 15's screen in CSS pixels).

Serves the curated reviews (data/) with `lrkg serve --memory` on 127.0.0.1 and opens the pages in
Debian's headless Chromium (driven by Playwright, which downloads nothing). The review page is
shown at its findings, grouped by theme, each group folded.

    .venv/bin/python bench/phone_screenshots.py
    .venv/bin/python bench/phone_screenshots.py --out /tmp
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import ViewportSize, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the browser harness lives in tests/browser

from tests.browser.harness import launch_chromium  # noqa: E402
from tests.servers import Server  # noqa: E402

PHONE: ViewportSize = {"width": 390, "height": 844}
REVIEW = "amess-prevent-learning-review"


def screenshots(out: Path) -> list[Path]:
    """Save phone-home.png and phone-review.png into `out`."""
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
                    page = browser.new_page(viewport=PHONE)
                    page.goto(f"{server.url}/", wait_until="load")
                    page.screenshot(path=out / "phone-home.png")
                    page.goto(f"{server.url}/reviews/{REVIEW}", wait_until="load")
                    heading = page.locator("main h2", has_text="Findings by theme")
                    page.evaluate("top => window.scrollTo(0, top - 8)", heading.evaluate(
                        "h => h.getBoundingClientRect().top + window.scrollY"))
                    page.screenshot(path=out / "phone-review.png")
                finally:
                    browser.close()
        finally:
            server.stop()
    return [out / "phone-home.png", out / "phone-review.png"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for the two pictures")
    for path in screenshots(parser.parse_args().out):
        print(path)


if __name__ == "__main__":
    main()
