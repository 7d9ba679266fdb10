"""Our layout (graph/views/layout.py) against well-kept libraries' on the same views: python-igraph's
Fruchterman-Reingold and DrL (C code) and, when Debian's graphviz is installed, Graphviz's sfdp.
`lrkg` is the layout as shipped (igraph's Fruchterman-Reingold up to FR_UP_TO nodes a linked
part, the multilevel layout past it); `lrkg multilevel` is the multilevel layout alone, as it was
before this comparison chose igraph for the smaller parts.

Each view's nodes and links are taken as the server draws them (the curated reviews in data/, and a
synthetic graph of about 2,000 nodes from bench/views.py), laid out by each method, and scaled as
the server scales ours: the median distance from a node to its nearest is SPACING px. Then:

- time: seconds to lay the view out (igraph: building its graph too; sfdp: the whole process);
- open zoom: the zoom at which the view fits a 1,366 x 900 window's canvas (1,334 x 680 px), and
  `label px`, how high a 14 px label is drawn at that zoom: the readability on arrival;
- overlaps: pairs of nodes closer than 30 px (their shapes touch), per 100 nodes;
- crossings: pairs of links that cross (sharing no end), per link;
- length CV: the spread of link lengths (standard deviation / mean); lower reads more evenly.

    .venv/bin/python bench/layouts.py
    .venv/bin/python bench/layouts.py --runs 1 --sizes 2000 20000
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import igraph
import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the synthetic graphs come from bench/views.py

import graph.views.layout
from bench.views import synthetic_store
from graph.ingestion.loading import Loader
from graph.store.knowledge_store import KnowledgeStore
from graph.store.validation import ShapesValidator
from graph.views.contents import GraphView, review_view, theme_view, whole_graph_view
from graph.views.layout import SPACING, layout
from graph.vocabulary.ontology import ONTOLOGY_DIR

DATA_DIR = ROOT / "data"
CANVAS = (1334.0, 680.0)
TOUCHING = 30.0
Edges = Sequence[tuple[int, int]]
Positions = NDArray[np.float64]


def curated_store() -> KnowledgeStore:
    store = KnowledgeStore.in_memory()
    vocabulary = [ONTOLOGY_DIR / name for name in ("lrkg.ttl", "themes.ttl", "statuses.ttl")]
    Loader(store, ShapesValidator(ONTOLOGY_DIR)).load([*vocabulary, DATA_DIR])
    return store


def as_graph(view: GraphView) -> tuple[int, list[tuple[int, int]]]:
    """The view's nodes as numbers and its links as pairs of them."""
    index = {node.id: number for number, node in enumerate(view.nodes)}
    return len(view.nodes), [(index[edge.source], index[edge.target]) for edge in view.edges]


# ------------------------------------------------------------------ the layouts


def ours(count: int, edges: Edges) -> Positions:
    return np.array(layout(count, edges), dtype=np.float64).reshape(-1, 2)


def multilevel(count: int, edges: Edges) -> Positions:
    shipped = graph.views.layout.FR_UP_TO
    graph.views.layout.FR_UP_TO = 0
    try:
        return ours(count, edges)
    finally:
        graph.views.layout.FR_UP_TO = shipped


def _igraph(count: int, edges: Edges) -> igraph.Graph:
    graph = igraph.Graph(n=count, edges=[(a, b) for a, b in edges if a != b])
    graph.simplify()
    return graph


def igraph_fr(count: int, edges: Edges) -> Positions:
    return np.array(_igraph(count, edges).layout_fruchterman_reingold(niter=500).coords, dtype=np.float64)


def igraph_drl(count: int, edges: Edges) -> Positions:
    return np.array(_igraph(count, edges).layout_drl().coords, dtype=np.float64)


def sfdp(count: int, edges: Edges) -> Positions:
    """Graphviz's sfdp, overlaps removed (overlap=prism), read back from -Tplain."""
    lines = ["graph G {", "node [shape=point];"] + [f"{n};" for n in range(count)]
    lines += [f"{a} -- {b};" for a, b in edges if a != b] + ["}"]
    with tempfile.NamedTemporaryFile("w", suffix=".dot") as dot:
        dot.write("\n".join(lines))
        dot.flush()
        plain = subprocess.run(["sfdp", "-Goverlap=prism", "-Tplain", dot.name], check=True,
                               capture_output=True, text=True).stdout
    positions = np.zeros((count, 2))
    for line in plain.splitlines():
        parts = line.split()
        if parts and parts[0] == "node":
            positions[int(parts[1])] = (float(parts[2]), float(parts[3]))
    return positions


LAYOUTS: dict[str, Callable[[int, Edges], Positions]] = {
    "lrkg": ours, "lrkg multilevel": multilevel, "igraph FR": igraph_fr, "igraph DrL": igraph_drl,
}
if shutil.which("sfdp"):
    LAYOUTS["graphviz sfdp"] = sfdp


# ------------------------------------------------------------------ readability


def scaled(positions: Positions) -> Positions:
    """As the server scales ours: the median distance to a node's nearest is SPACING."""
    if len(positions) < 2:
        return positions
    nearest = cKDTree(positions).query(positions, k=2)[0][:, 1]
    return positions * (SPACING / max(float(np.median(nearest)), 1e-9))


def open_zoom(positions: Positions) -> float:
    size = positions.max(axis=0) - positions.min(axis=0) + 2 * TOUCHING
    return float(min(CANVAS[0] / size[0], CANVAS[1] / size[1]))


def overlaps(positions: Positions) -> float:
    return 100 * len(cKDTree(positions).query_pairs(TOUCHING)) / len(positions)


def crossings(positions: Positions, edges: Edges) -> float:
    """Pairs of links that cross, per link (links that share an end are not counted)."""
    pairs = np.array([(a, b) for a, b in edges if a != b], dtype=np.int64).reshape(-1, 2)
    if len(pairs) < 2:
        return 0.0
    start, end = positions[pairs[:, 0]], positions[pairs[:, 1]]
    total = 0
    for first in range(0, len(pairs), 256):  # in blocks, to bound the memory of the pair matrix
        a, b = start[first : first + 256, None, :], end[first : first + 256, None, :]
        c, d = start[None, :, :], end[None, :, :]

        def side(p: NDArray[np.float64], q: NDArray[np.float64], r: NDArray[np.float64]) -> NDArray[np.float64]:
            return np.sign((q[..., 0] - p[..., 0]) * (r[..., 1] - p[..., 1]) - (q[..., 1] - p[..., 1]) * (r[..., 0] - p[..., 0]))

        cross = (side(a, b, c) * side(a, b, d) < 0) & (side(c, d, a) * side(c, d, b) < 0)
        block = pairs[first : first + 256]
        shared = ((block[:, None, 0] == pairs[None, :, 0]) | (block[:, None, 0] == pairs[None, :, 1])
                  | (block[:, None, 1] == pairs[None, :, 0]) | (block[:, None, 1] == pairs[None, :, 1]))
        total += int((cross & ~shared).sum())
    return total / 2 / len(pairs)


def length_cv(positions: Positions, edges: Edges) -> float:
    lengths = np.array([np.linalg.norm(positions[a] - positions[b]) for a, b in edges if a != b])
    return float(lengths.std() / lengths.mean()) if len(lengths) else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="layouts of each view; the median time is shown")
    parser.add_argument("--sizes", type=int, nargs="*", default=[2000], help="synthetic graphs (nodes) besides data/")
    arguments = parser.parse_args()
    curated = curated_store()
    views: list[tuple[str, GraphView]] = [
        ("data/: review (Amess)", review_view(curated, "amess-prevent-learning-review", 2000)),
        ("data/: theme communication", theme_view(curated, "communication", 2000)),
        ("data/: whole graph", whole_graph_view(curated, 2000)),
    ]
    for size in arguments.sizes:
        store = synthetic_store(size)
        views += [(f"synthetic {size}: review", review_view(store, "review-0", 2000)),
                  (f"synthetic {size}: whole graph", whole_graph_view(store, 2000))]
    print(f"{'view':<30} {'nodes':>6} {'links':>6}  {'layout':<18} {'time s':>7} {'open zoom':>9} "
          f"{'label px':>8} {'overlaps':>8} {'crossings':>9} {'length CV':>9}")
    for name, view in views:
        count, edges = as_graph(view)
        for method, run in LAYOUTS.items():
            times, positions = [], np.zeros((0, 2))
            for _ in range(arguments.runs):
                started = time.perf_counter()
                positions = run(count, edges)
                times.append(time.perf_counter() - started)
            positions = scaled(positions)
            zoom = open_zoom(positions)
            print(f"{name:<30} {count:>6} {len(edges):>6}  {method:<18} {statistics.median(times):>7.3f} "
                  f"{zoom:>9.3f} {14 * zoom:>8.1f} {overlaps(positions):>8.1f} {crossings(positions, edges):>9.2f} "
                  f"{length_cv(positions, edges):>9.2f}", flush=True)


if __name__ == "__main__":
    main()
