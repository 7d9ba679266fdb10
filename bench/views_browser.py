"""How long a graph view takes to settle in headless Chromium, up to 2,000 nodes and beyond.

For each size, a synthetic graph of about that many resources (bench/views.py's reviews:
findings, recommendations, responses, events, shared actors and the real theme scheme) is
written to an on-disk store and served by a real `lrkg serve` on 127.0.0.1 with
LRKG_VIEW_NODE_LIMIT at 2,000 (the default); the whole-graph view (/views/graph, capped) and
one review's view are opened in Debian's headless Chromium (Playwright drives it and downloads
nothing), each load in a fresh page with an empty cache. Per view, the median of a few loads:

- server s: from the request to the first byte of the page (the server builds the view);
- page kB: the HTML page with its node data;
- drawn s: from the start of navigation to vis-network's first complete drawing. Positions come
  from the server and physics is off, so this is when the view has settled;
- redraw ms: one more full drawing, what each frame of a pan or zoom costs;
- moved px: how far any node moved in the second after the first drawing (0: settled).

    .venv/bin/python bench/views_browser.py                  # graphs of 200, 2,000 and 5,000
    .venv/bin/python bench/views_browser.py --sizes 2000 --limit 5000 --runs 5
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright
from pyoxigraph import Store

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the browser harness lives in tests/browser

from bench.views import synthetic_store  # noqa: E402
from tests.browser.harness import launch_chromium  # noqa: E402
from tests.servers import Server  # noqa: E402

DRAWN_AT = """
new MutationObserver((_, observer) => {
    const view = document.getElementById('lrkg-view');
    if (view && view.dataset.drawn) {
        window.__drawnAt = performance.now();
        observer.disconnect();
    }
}).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-drawn'] });
"""
"""Records the moment views.js marks the view drawn (its first `afterDrawing`)."""

MEASURE = """async () => {
    const network = window.lrkgNetwork;
    const navigation = performance.getEntriesByType('navigation')[0];
    const before = network.getPositions();
    const redrawStart = performance.now();
    await new Promise(done => { network.once('afterDrawing', done); network.redraw(); });
    const redraw = performance.now() - redrawStart;
    await new Promise(done => setTimeout(done, 1000));
    const after = network.getPositions();
    let moved = 0;
    for (const id of Object.keys(before)) {
        moved = Math.max(moved, Math.hypot(after[id].x - before[id].x, after[id].y - before[id].y));
    }
    return {
        server: (navigation.responseStart - navigation.requestStart) / 1000,
        bytes: navigation.transferSize || navigation.encodedBodySize,
        drawn: window.__drawnAt / 1000,
        redraw: redraw,
        moved: moved,
        nodes: window.lrkgNodes.length,
        edges: window.lrkgEdges.length,
    };
}"""


@dataclass(frozen=True)
class Measure:
    nodes: int
    edges: int
    server: float
    kilobytes: float
    drawn: float
    redraw_ms: float
    moved: float


def write_store(size: int, folder: Path) -> Path:
    """The synthetic graph of about `size` resources, in an on-disk store in `folder`."""
    path = folder / "store"
    disk = Store(str(path))
    disk.extend(synthetic_store(size).quads())
    disk.flush()
    del disk
    gc.collect()  # releases the store's lock before the server opens it
    return path


def measure(browser: Browser, url: str, runs: int) -> Measure:
    """Median figures of `runs` loads of the view at `url`, each in a fresh page (after one
    load left out, which warms the server up)."""
    samples = []
    for _ in range(runs + 1):
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        page.add_init_script(DRAWN_AT)
        page.goto(url)
        page.locator("#lrkg-view[data-drawn='true']").wait_for(state="attached", timeout=120_000)
        page.wait_for_function("() => window.__drawnAt !== undefined")
        samples.append(page.evaluate(MEASURE))
        page.close()
    samples = samples[1:]

    def median(key: str) -> float:
        return float(statistics.median(sample[key] for sample in samples))

    return Measure(
        nodes=int(median("nodes")), edges=int(median("edges")), server=median("server"),
        kilobytes=median("bytes") / 1000, drawn=median("drawn"), redraw_ms=median("redraw"), moved=median("moved"),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 5000])
    parser.add_argument("--limit", type=int, default=2000, help="LRKG_VIEW_NODE_LIMIT: most nodes a view draws")
    parser.add_argument("--runs", type=int, default=3, help="loads of each view; the median is shown")
    arguments = parser.parse_args()
    print(f"{'graph':>6} {'view':<14} {'nodes':>6} {'links':>6} {'server s':>9} {'page kB':>8} "
          f"{'drawn s':>8} {'redraw ms':>10} {'moved px':>9}")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            for size in arguments.sizes:
                with tempfile.TemporaryDirectory() as folder:
                    store = write_store(size, Path(folder))
                    server = Server.start(Path(folder), store=store, view_node_limit=str(arguments.limit))
                    try:
                        server.wait(timeout=1800)  # at start it indexes every review for search
                        for name, path in [("whole graph", "/views/graph"), ("one review", "/views/review/review-0")]:
                            result = measure(browser, server.url + path, arguments.runs)
                            print(f"{size:>6} {name:<14} {result.nodes:>6} {result.edges:>6} {result.server:>9.2f} "
                                  f"{result.kilobytes:>8.0f} {result.drawn:>8.2f} {result.redraw_ms:>10.0f} "
                                  f"{result.moved:>9.1f}", flush=True)
                    finally:
                        server.stop()
        finally:
            browser.close()


if __name__ == "__main__":
    main()
