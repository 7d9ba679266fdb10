"""How long every HTML page takes to load on the curated reviews (data/), the first time and again.

The pages are found as the browser tests find them (tests/browser/crawl.py): by following the
links of the home page and the pages it links to, one page of each shape, so a page added later
is measured as soon as something links to it. The images a page shows (the charts) are measured
as rows of their own.

The crawl runs on one `lrkg serve --memory`; the pages are then timed on fresh servers, so that a
page's first load is the first time that server was asked for it (what a visitor after a restart
waits for; what earlier pages computed and kept may still help, as it would for a visitor). Each
time is the whole answer over HTTP on 127.0.0.1, from request to last byte; with `--runs`, each
page's fastest over that many fresh servers, since other work on the machine only ever adds.

    .venv/bin/python bench/pages.py
    .venv/bin/python bench/pages.py --runs 1 --slowest 10
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the crawler lives in tests/browser

from tests.browser.crawl import crawl  # noqa: E402
from tests.servers import Server  # noqa: E402

STARTS = ("/", "/analytics", "/reviews", "/actors", "/themes", "/search?q=referral", "/views/graph", "/sparql")
BUDGET_S = 0.5
"""A page's first load should take less than this (issue 18)."""
WIDTH = 72
"""Characters of a page's path printed (longer ones are cut short)."""


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.sources.extend(value for name, value in attrs if name == "src" and value and value.startswith("/"))


def images(html: str) -> list[str]:
    parser = _Images()
    parser.feed(html)
    return parser.sources


@dataclass(frozen=True)
class Timing:
    path: str
    first_s: float
    second_s: float
    kb: float


def timed_get(client: httpx.Client, path: str) -> tuple[float, httpx.Response]:
    start = time.perf_counter()
    response = client.get(path)
    return time.perf_counter() - start, response


def fastest(runs: list[list[Timing]]) -> list[Timing]:
    """Each row's fastest first and second load over the runs (the same rows in the same order)."""
    return [Timing(rows[0].path, min(t.first_s for t in rows), min(t.second_s for t in rows), rows[0].kb)
            for rows in zip(*runs)]


def measure(url: str, pages: list[str]) -> list[Timing]:
    """Each page's first and second load, then each image it shows, in the order found."""
    timings: list[Timing] = []
    with httpx.Client(base_url=url, timeout=120) as client:
        for path in pages:
            first, response = timed_get(client, path)
            second, _ = timed_get(client, path)
            timings.append(Timing(path, first, second, len(response.content) / 1000))
            for source in images(response.text):
                first, image = timed_get(client, source)
                second, _ = timed_get(client, source)
                timings.append(Timing("  img " + source, first, second, len(image.content) / 1000))
    return timings


def served(data: Path) -> Server:
    server = Server.start(data)
    server.wait()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--slowest", type=int, default=0, help="print only the N slowest first loads")
    parser.add_argument("--runs", type=int, default=3, help="fresh servers to time the pages on (the fastest counts)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        for review in sorted((ROOT / "data").glob("*.ttl")):
            shutil.copy(review, data / review.name)
        server = served(data)
        try:
            with httpx.Client(base_url=server.url, timeout=120) as client:
                pages = crawl(client, STARTS, api_docs=True).pages
        finally:
            server.stop()
        runs = []
        for _ in range(arguments.runs):
            server = served(data)
            try:
                runs.append(measure(server.url, pages))
            finally:
                server.stop()
        timings = fastest(runs)
    shown = sorted(timings, key=lambda t: -t.first_s)[: arguments.slowest] if arguments.slowest else timings
    width = min(WIDTH, max(len(t.path) for t in shown))
    print(f"{'page':<{width}}  {'first ms':>9}  {'second ms':>9}  {'kB':>7}")
    for t in shown:
        flag = "  over budget" if t.first_s > BUDGET_S else ""
        path = t.path if len(t.path) <= width else t.path[: width - 1] + "…"
        print(f"{path:<{width}}  {t.first_s * 1000:9.0f}  {t.second_s * 1000:9.0f}  {t.kb:7.1f}{flag}")
    over = [t for t in timings if t.first_s > BUDGET_S]
    print(f"\n{len(pages)} pages, {len(timings) - len(pages)} images, fastest of {arguments.runs} fresh servers; "
          f"{len(over)} first loads over {BUDGET_S * 1000:.0f} ms; "
          f"slowest first load {max(t.first_s for t in timings) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
