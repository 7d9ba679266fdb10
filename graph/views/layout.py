"""Where each node of a graph view is drawn, computed once on the server so that the browser
shows a settled picture at once instead of simulating physics (minutes for ~1,500 nodes).

Each linked part of up to FR_UP_TO nodes (a review's view, a theme's, the curated whole graph)
is laid out by python-igraph's Fruchterman-Reingold, in C with every pair exact: measured on
the same views (bench/layouts.py, docs/performance.md) it took a tenth of the time of the
multilevel layout below or less, and gave a tighter picture (a larger zoom when fitted, so
larger labels) with as few or fewer crossings. Past FR_UP_TO its time grows with the square of
the nodes (0.9 s at 500) and, with its grid, it overlaps more nodes than ours; larger parts
keep the multilevel layout.

networkx's own force layouts compare every pair of nodes on every step: spring_layout takes
about 17 s for 2,000 nodes here. This is a multilevel force layout instead (the scheme of
Walshaw's and Hu's sfdp): each linked part of the graph is coarsened again and again by merging
each community (networkx's fast label propagation) into one node; the coarsest graph is laid
out by networkx's spring_layout; each finer level starts from where its community was put and
is refined by Fruchterman-Reingold steps in which linked nodes pull and every node pushes every
other, a node with more links harder (as in ForceAtlas2, so that a hub's neighbours get room).
Past EXACT nodes the push of distant nodes comes from a grid, convolved by FFT (the
particle-mesh method), and only nearby pairs, found by a k-d tree, push exactly: a step costs
about n log n instead of n². A hub with only leaves is simply drawn as a ring. The parts are
then packed in rows, largest first, and scaled to pixels.
"""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Sequence

import igraph
import networkx as nx
import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

SPACING = 130.0
"""Pixels from a node to its nearest neighbour, typically: room for a short label."""

COARSEST = 60
"""Coarsening stops once a level has at most this many nodes; spring_layout places those."""

REACH = 1.5
"""Nearby nodes, up to this many natural lengths apart, push each other exactly."""

GRID = 128
"""Most cells along each side of the grid that carries the push of distant nodes."""

STEPS = 40
"""Refinement steps at each level."""

EXACT = 200
"""Up to this many nodes, every pair's push is computed directly (cheaper than the grid)."""

FR_UP_TO = 300
"""Linked parts of at most this many nodes are laid out by igraph's Fruchterman-Reingold."""

FR_STEPS = 500

_IGRAPH_RANDOM = threading.Lock()
"""igraph draws from one process-wide random generator: a layout seeds it, under this lock, so
that the same graph always gets the same positions."""

Positions = NDArray[np.float64]
Edges = NDArray[np.int64]


def layout(node_count: int, edges: Sequence[tuple[int, int]], *, seed: int = 7) -> list[tuple[float, float]]:
    """Pixel positions of nodes 0..node_count-1 linked by `edges` (pairs of node numbers; their
    direction and repeats do not matter). The same graph always gets the same positions."""
    if node_count == 0:
        return []
    rng = np.random.default_rng(seed)
    graph = nx.Graph()
    graph.add_nodes_from(range(node_count))
    graph.add_edges_from((a, b) for a, b in edges if a != b)
    parts = sorted((sorted(part) for part in nx.connected_components(graph)), key=lambda p: (-len(p), p[0]))
    placed = []
    for part in parts:
        index = {node: number for number, node in enumerate(part)}
        part_edges = np.array([(index[a], index[b]) for a, b in graph.edges(part)], dtype=np.int64).reshape(-1, 2)
        place = _fruchterman_reingold if len(part) <= FR_UP_TO else _multilevel
        placed.append(_to_pixels(place(len(part), part_edges, rng)))
    positions = np.zeros((node_count, 2))
    for part, offset_positions in zip(parts, _pack(placed), strict=True):
        positions[part] = offset_positions
    return [(round(float(x), 1), round(float(y), 1)) for x, y in positions]


def _to_pixels(positions: Positions) -> Positions:
    """Positions scaled so that the median distance from a node to its nearest is SPACING."""
    if len(positions) < 2:
        return positions * SPACING
    nearest = cKDTree(positions).query(positions, k=2)[0][:, 1]
    return positions * (SPACING / max(float(np.median(nearest)), 1e-9))


def _fruchterman_reingold(count: int, edges: Edges, rng: np.random.Generator) -> Positions:
    """igraph's Fruchterman-Reingold (every pair exact, no grid) from a seeded random start."""
    if count == 1:
        return np.zeros((1, 2))
    graph = igraph.Graph(n=count, edges=edges.tolist())
    start = rng.uniform(-1.0, 1.0, (count, 2)) * math.sqrt(count)
    with _IGRAPH_RANDOM:
        igraph.set_random_number_generator(random.Random(int(rng.integers(2**31))))
        try:
            placed = graph.layout_fruchterman_reingold(seed=start.tolist(), niter=FR_STEPS, grid=False)
        finally:
            igraph.set_random_number_generator(random)
    return np.array(placed.coords, dtype=np.float64).reshape(count, 2)


def _multilevel(count: int, edges: Edges, rng: np.random.Generator) -> Positions:
    """Positions (in natural lengths) of a connected graph."""
    if len(edges) == count - 1 and count > 2 and np.bincount(edges.ravel()).max() == count - 1:
        return _star(count, edges)
    if count <= COARSEST:
        start = _spring(count, edges, rng)
        return _refine(start, edges, steps=STEPS, heat=1.0) if len(edges) else start
    membership = _communities(count, edges, rng)
    coarse_count = int(membership.max()) + 1
    if coarse_count > 0.8 * count:  # hardly coarser: lay this level out from a random start
        start = rng.uniform(-0.5, 0.5, (count, 2)) * math.sqrt(count)
        return _refine(start, edges, steps=3 * STEPS, heat=math.sqrt(count) / 4)
    coarse_edges = np.unique(np.sort(membership[edges], axis=1), axis=0)
    coarse = _multilevel(coarse_count, coarse_edges[coarse_edges[:, 0] != coarse_edges[:, 1]], rng)
    # A coarse node stands for count/coarse_count nodes: spread the level out to keep the density.
    stretch = math.sqrt(count / coarse_count)
    start = (coarse[membership] + rng.uniform(-0.5, 0.5, (count, 2))) * stretch
    return _refine(start, edges, steps=STEPS, heat=stretch)


def _star(count: int, edges: Edges) -> Positions:
    """A hub and the nodes linked only to it (an actor and the findings that implicate it, say):
    the hub in the middle, the others evenly round it, as far apart as linked nodes."""
    hub = int(np.bincount(edges.ravel()).argmax())
    angles = np.linspace(0, 2 * math.pi, count - 1, endpoint=False)
    radius = max(1.0, (count - 1) / (2 * math.pi))
    ring = np.stack([np.cos(angles), np.sin(angles)], axis=1) * radius
    positions = np.zeros((count, 2))
    positions[np.arange(count) != hub] = ring
    return positions


def _communities(count: int, edges: Edges, rng: np.random.Generator) -> NDArray[np.int64]:
    """The community number of each node."""
    graph = nx.Graph()
    graph.add_nodes_from(range(count))
    graph.add_edges_from(edges.tolist())
    membership = np.empty(count, dtype=np.int64)
    found = nx.community.fast_label_propagation_communities(graph, seed=int(rng.integers(2**31)))
    for number, members in enumerate(found):
        membership[list(members)] = number
    return membership


def _spring(count: int, edges: Edges, rng: np.random.Generator) -> Positions:
    """networkx's spring_layout, scaled so that linked nodes are about one length apart."""
    if count <= 2:
        return np.array([[0.0, 0.0], [1.0, 0.0]])[:count]
    graph = nx.Graph()
    graph.add_nodes_from(range(count))
    graph.add_edges_from(edges.tolist())
    placed = nx.spring_layout(graph, seed=int(rng.integers(2**31)))
    positions = np.array([placed[node] for node in range(count)], dtype=np.float64)
    typical = float(np.median(np.linalg.norm(positions[edges[:, 0]] - positions[edges[:, 1]], axis=1)))
    return positions / max(typical, 1e-9)


def _refine(positions: Positions, edges: Edges, *, steps: int, heat: float) -> Positions:
    """Fruchterman-Reingold steps with natural length 1: linked nodes pull (d²), every node
    pushes every other (1/d), and, as in ForceAtlas2, a node with more links pushes harder, so
    that the many neighbours of a hub (a review, a theme) get room around it. A step moves a
    node at most `heat`, cooling linearly."""
    positions = positions.copy()
    count = len(positions)
    sources, targets = edges[:, 0], edges[:, 1]
    mass = np.sqrt(np.bincount(edges.ravel(), minlength=count) + 1.0)
    for step in range(steps):
        force = _push(positions, mass)
        along = positions[sources] - positions[targets]
        pull = along * np.linalg.norm(along, axis=1)[:, None]
        force += _sum_at(targets, pull, count) - _sum_at(sources, pull, count)
        limit = heat * (1 - step / steps) + 0.01
        length = np.maximum(np.linalg.norm(force, axis=1), 1e-9)
        positions += force * (np.minimum(length, limit) / length)[:, None]
    return positions


def _push(positions: Positions, mass: NDArray[np.float64]) -> Positions:
    """The push of every node on every other: pair by pair for a few nodes; else through the
    grid for all, plus pair by pair for those nearer than REACH, whom the grid blurs."""
    count = len(positions)
    if count <= EXACT:
        apart = positions[:, None, :] - positions[None, :, :]
        weights = mass[:, None] * mass[None, :] / np.maximum((apart**2).sum(axis=2), 1e-4)
        np.fill_diagonal(weights, 0.0)
        return (apart * weights[:, :, None]).sum(axis=1)
    force = _far_push(positions, mass) * mass[:, None]
    pairs = cKDTree(positions).query_pairs(REACH, output_type="ndarray")
    if len(pairs):
        first, second = pairs[:, 0], pairs[:, 1]
        apart = positions[first] - positions[second]
        push = apart * (mass[first] * mass[second] / np.maximum((apart**2).sum(axis=1), 1e-4))[:, None]
        force += _sum_at(first, push, count) - _sum_at(second, push, count)
    return force


def _far_push(positions: Positions, mass: NDArray[np.float64]) -> Positions:
    """The push (mass/d, away) on each node from all the others, through a grid: their masses
    are summed into cells and the sums convolved with the push of one node by FFT."""
    count = len(positions)
    cells = int(min(GRID, max(8, math.sqrt(count))))
    low = positions.min(axis=0)
    size = max(float((positions.max(axis=0) - low).max()), 1e-6) / (cells - 1)
    cell = np.minimum(((positions - low) / size).astype(np.int64), cells - 1)
    summed = np.bincount(cell[:, 0] * cells + cell[:, 1], weights=mass, minlength=cells * cells)
    summed = summed.reshape(cells, cells)
    offsets = np.arange(-cells, cells) * size
    dx, dy = np.meshgrid(offsets, offsets, indexing="ij")
    softened = dx**2 + dy**2 + size**2
    shape = (2 * cells, 2 * cells)
    spectrum = np.fft.rfft2(summed, shape)
    field = [
        np.fft.irfft2(spectrum * np.fft.rfft2(np.fft.ifftshift(kernel / softened)), shape)[:cells, :cells]
        for kernel in (dx, dy)
    ]
    # A node's own cell counts it too; its push on itself is zero by symmetry of the kernel.
    return np.stack([field[0][cell[:, 0], cell[:, 1]], field[1][cell[:, 0], cell[:, 1]]], axis=1)


def _sum_at(index: NDArray[np.int64], vectors: Positions, count: int) -> Positions:
    """Row i is the sum of the vectors whose index is i (np.add.at, but much faster)."""
    return np.stack(
        [
            np.bincount(index, weights=vectors[:, 0], minlength=count),
            np.bincount(index, weights=vectors[:, 1], minlength=count),
        ],
        axis=1,
    )


def _pack(parts: list[Positions]) -> list[Positions]:
    """The parts moved into rows, left to right, largest first, in a roughly square area."""
    boxes = [(p.max(axis=0) - p.min(axis=0)) + SPACING for p in parts]
    width = max(math.sqrt(sum(float(b[0] * b[1]) for b in boxes)), max(float(b[0]) for b in boxes))
    moved, x, y, row_height = [], 0.0, 0.0, 0.0
    for part, box in zip(parts, boxes, strict=True):
        if x > 0 and x + box[0] > width:
            x, y, row_height = 0.0, y + row_height, 0.0
        moved.append(part - part.min(axis=0) + (x, y))
        x += float(box[0])
        row_height = max(row_height, float(box[1]))
    return moved
