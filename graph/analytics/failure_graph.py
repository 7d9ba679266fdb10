"""The graph of failures as a networkx graph kept in step with the store, and the actors and
themes most central to it.

Nodes are actors, themes, findings, recommendations and reviews; edges point the way the data
does: a finding implicates an actor, has a theme and belongs to a review; a recommendation
addresses a finding and is owned by an actor. Only failures count: a finding that records good
practice, an improvement or an observation is left out (with its edges); a shortcoming, or a
finding with no polarity, stays.

Centrality is PageRank over the directed edges: a node scores high when many nodes point to it,
and more when those score high themselves. An actor gains from every failure that implicates it
(more from a failure that several recommendations address) and from every recommendation it
owns; a theme from every failure tagged with it. Degree (the edges pointing to the node) and
the counts of findings, reviews and recommendations say where the score comes from.
Betweenness is not computed: actors and themes have no edge leaving them, so no path runs through
one and their betweenness is always 0.

Keeping in step: the projection is built once, on first use, from two queries over every named
graph, remembering which named graph stated which edge, label and polarity. After that each
committed write (`KnowledgeStore.on_change`) re-reads only the graphs it changed, drops what
they stated before and adds what they state now; an edge stated in two graphs stays until
neither states it (a count of the graphs stating each edge says when). IRIs are interned as
they are read: each names a node in many edges and graphs, and one string for each keeps the
projection about a third smaller (about 140,000 edges at a million triples). A counter
(`version`) moves on whenever the projection changes, and PageRank is computed again only when
it has moved since the last computation, with where every actor and theme stands. A lock
serialises updates, builds and computations, so a write waits while PageRank runs.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from sys import intern

import networkx as nx
from pyoxigraph import DefaultGraph, NamedNode

from graph.store import catalog
from graph.store.errors import LrkgError
from graph.store.knowledge_store import KnowledgeStore, Row
from graph.store.queries import bind_values, named_query
from graph.vocabulary.namespaces import minted_id, minted_iri

logger = logging.getLogger(__name__)

SHORTCOMING = minted_iri("polarity", "shortcoming")
KINDS: dict[str, tuple[str, str]] = {
    "implicates": ("finding", "actor"),
    "theme": ("finding", "theme"),
    "inReview": ("finding", "review"),
    "addresses": ("recommendation", "finding"),
    "owner": ("recommendation", "actor"),
}
"""The kinds of node at each end of each relation."""
RANKED_KINDS = ("actor", "theme")

Edge = tuple[str, str, str]
"""(source IRI, relation, target IRI)"""


def counts_as_failure(polarity: str | None) -> bool:
    """Whether a finding of this polarity (an IRI, or None when it has none) is a failure."""
    return polarity is None or polarity == SHORTCOMING


@dataclass(frozen=True)
class Contribution:
    """What one named graph states about the graph of failures."""

    edges: frozenset[Edge] = frozenset()
    labels: Mapping[str, str] = field(default_factory=dict)
    polarities: Mapping[str, str] = field(default_factory=dict)


NOTHING = Contribution()


@dataclass(frozen=True)
class CentralNode:
    """An actor or theme with its PageRank score, its rank among its kind (1 is the most
    central), the edges pointing to it, and the failures, reviews and recommendations behind them.
    For an actor, `recommendations` are those it owns; for a theme, those that address its failures."""

    kind: str
    rank: int
    iri: str
    id: str
    label: str
    score: float
    degree: int
    findings: int
    reviews: int
    recommendations: int


@dataclass(frozen=True)
class Centrality:
    """The most central actors and themes, and the size of the graph of failures they come from."""

    actors: list[CentralNode]
    themes: list[CentralNode]
    nodes: int
    edges: int
    version: int


@dataclass(frozen=True)
class _Ranking:
    """PageRank as computed for one version of the projection, and where every actor and theme
    stands in it, worked out at the same time (half a second at a million triples): counting
    from the graph of failures on each request instead would keep a second copy of the
    projection (about 100 MB) and take about 200 ms for the top ten."""

    version: int
    standings: dict[str, CentralNode]
    ranked: dict[str, list[str]]
    nodes: int
    edges: int


class FailureGraph:
    """The graph of failures of one store. Thread-safe; `builds` and `computations` count the
    full reads of the store and the PageRank computations (tests and benchmarks read them)."""

    def __init__(self, store: KnowledgeStore) -> None:
        self.store = store
        self.version = 0
        self.builds = 0
        self.computations = 0
        self._lock = threading.RLock()
        self._built = False
        self._graph = nx.DiGraph()
        self._contributions: dict[str, Contribution] = {}
        self._edge_holders: dict[Edge, int] = {}
        """How many graphs state each edge."""
        self._labels: dict[str, dict[str, str]] = defaultdict(dict)
        self._polarities: dict[str, dict[str, str]] = defaultdict(dict)
        self._ranking: _Ranking | None = None

    @classmethod
    def following(cls, store: KnowledgeStore) -> FailureGraph:
        """The graph of failures of `store`, built on first use and following its writes from then on."""
        projection = cls(store)
        store.on_change(projection.on_change)
        return projection

    # ------------------------------------------------------------------ keeping in step

    def on_change(self, store: KnowledgeStore, graphs: frozenset[NamedNode | DefaultGraph]) -> None:
        """The store's change listener: re-read the graphs a committed write changed. The write
        must not fail because the projection cannot follow it, so a failure to re-read makes the
        next use build the projection again from the whole store."""
        changed = sorted(g.value for g in graphs if isinstance(g, NamedNode) and g != catalog.CATALOG)
        with self._lock:
            if not self._built or not changed:
                return
            try:
                self._apply(_contributions(store, changed), changed)
            except (LrkgError, OSError) as error:
                logger.warning("The graph of failures could not follow a write (%s); it is rebuilt on next use.", error)
                self._built = False

    def _ensure_built(self) -> None:
        if self._built:
            return
        read = _contributions(self.store, None)
        self._graph = nx.DiGraph()
        self._contributions, self._edge_holders = {}, {}
        self._labels, self._polarities = defaultdict(dict), defaultdict(dict)
        self._apply(read, sorted(read))
        self._built = True
        self.builds += 1

    def _apply(self, read: Mapping[str, Contribution], graphs: Iterable[str]) -> None:
        changed = False
        for graph in graphs:
            old, new = self._contributions.get(graph, NOTHING), read.get(graph, NOTHING)
            if old != new:
                self._forget(graph, old)
                self._add(graph, new)
                changed = True
        if changed:
            self.version += 1

    def _add(self, graph: str, contribution: Contribution) -> None:
        if contribution == NOTHING:
            return
        self._contributions[graph] = contribution
        for edge in contribution.edges:
            holders = self._edge_holders.get(edge, 0) + 1
            self._edge_holders[edge] = holders
            if holders == 1:
                source, relation, target = edge
                source_kind, target_kind = KINDS[relation]
                self._graph.add_node(source, kind=source_kind)
                self._graph.add_node(target, kind=target_kind)
                self._graph.add_edge(source, target, relation=relation)
        for iri, label in contribution.labels.items():
            self._labels[iri][graph] = label
        for iri, polarity in contribution.polarities.items():
            self._polarities[iri][graph] = polarity

    def _forget(self, graph: str, contribution: Contribution) -> None:
        self._contributions.pop(graph, None)
        for edge in contribution.edges:
            holders = self._edge_holders[edge] - 1
            if holders:
                self._edge_holders[edge] = holders
                continue
            del self._edge_holders[edge]
            source, _, target = edge
            self._graph.remove_edge(source, target)
            for node in (source, target):
                if self._graph.degree(node) == 0:
                    self._graph.remove_node(node)
        for facts, stated in ((self._labels, contribution.labels), (self._polarities, contribution.polarities)):
            for iri in stated:
                facts[iri].pop(graph, None)
                if not facts[iri]:
                    del facts[iri]

    # ------------------------------------------------------------------ answers

    def label(self, iri: str) -> str:
        """The node's label, from the first graph (by IRI) that gives one; the IRI when none does."""
        with self._lock:
            labels = self._labels.get(iri)
            return labels[min(labels)] if labels else iri

    def _is_failure(self, node: str) -> bool:
        """Whether a finding counts as a failure (a finding with no polarity does)."""
        polarities = self._polarities.get(node)
        return counts_as_failure(polarities[min(polarities)] if polarities else None)

    def _failures(self) -> nx.DiGraph:
        """The graph of failures: the projection without the findings that are not failures, and
        without the nodes left with no edge once those are gone."""
        graph = self._graph
        dropped = {n for n, kind in graph.nodes(data="kind") if kind == "finding" and not self._is_failure(n)}
        kept = [
            n for n in graph
            if n not in dropped and any(m not in dropped for m in (*graph.predecessors(n), *graph.successors(n)))
        ]
        return graph.subgraph(kept).copy()  # a copy: PageRank and the counts run several times faster than on a view

    def centrality(self, top: int = 10) -> Centrality:
        """The `top` most central actors and themes (see the module's description)."""
        with self._lock:
            ranking = self._current_ranking()
            return Centrality(
                actors=[ranking.standings[iri] for iri in ranking.ranked["actor"][:top]],
                themes=[ranking.standings[iri] for iri in ranking.ranked["theme"][:top]],
                nodes=ranking.nodes,
                edges=ranking.edges,
                version=ranking.version,
            )

    def standing(self, iri: str) -> CentralNode | None:
        """Where one actor or theme stands in the graph of failures; None when no failure, and
        no recommendation, points to it."""
        with self._lock:
            return self._current_ranking().standings.get(iri)

    def _current_ranking(self) -> _Ranking:
        self._ensure_built()
        if self._ranking is not None and self._ranking.version == self.version:
            return self._ranking
        failures = self._failures()
        scores: dict[str, float] = nx.pagerank(failures)
        self.computations += 1
        ranked = {
            kind: sorted(
                (n for n, k in failures.nodes(data="kind") if k == kind),
                key=lambda n: (-scores[n], self.label(n), n),
            )
            for kind in RANKED_KINDS
        }
        standings = {
            iri: self._central(failures, scores, iri, rank) for nodes in ranked.values() for rank, iri in enumerate(nodes, 1)
        }
        self._ranking = _Ranking(self.version, standings, ranked, failures.number_of_nodes(), failures.number_of_edges())
        return self._ranking

    def _central(self, failures: nx.DiGraph, scores: dict[str, float], iri: str, rank: int) -> CentralNode:
        kind = failures.nodes[iri]["kind"]
        pointing = list(failures.predecessors(iri))
        findings = [n for n in pointing if failures.nodes[n]["kind"] == "finding"]
        if kind == "actor":
            recommendations = {n for n in pointing if failures.nodes[n]["kind"] == "recommendation"}
        else:
            recommendations = {
                r for f in findings for r in failures.predecessors(f) if failures.nodes[r]["kind"] == "recommendation"
            }
        reviews = {r for f in findings for r in failures.successors(f) if failures.nodes[r]["kind"] == "review"}
        return CentralNode(
            kind=kind,
            rank=rank,
            iri=iri,
            id=(minted_id(iri) or ("", iri))[1],
            label=self.label(iri),
            score=scores[iri],
            degree=len(pointing),
            findings=len(findings),
            reviews=len(reviews),
            recommendations=len(recommendations),
        )


def _contributions(store: KnowledgeStore, graphs: list[str] | None) -> dict[str, Contribution]:
    """What each graph states (every graph when `graphs` is None), read with two queries."""

    def rows(query: str) -> list[Row]:
        text = named_query(query).text
        if graphs is not None:
            text = bind_values(text, {"graph": [NamedNode(g) for g in graphs]})
        return store.select(text)

    edges: dict[str, set[Edge]] = defaultdict(set)
    for row in rows("failure_graph_edges"):
        edge = (intern(row["source"].value), intern(row["relation"].value), intern(row["target"].value))
        edges[intern(row["graph"].value)].add(edge)
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    polarities: dict[str, dict[str, str]] = defaultdict(dict)
    for row in rows("failure_graph_nodes"):
        graph, node = intern(row["graph"].value), intern(row["node"].value)
        if "label" in row:
            labels[graph][node] = row["label"].value
        if "polarity" in row:
            polarities[graph][node] = intern(row["polarity"].value)
    return {
        graph: Contribution(frozenset(edges[graph]), labels[graph], polarities[graph])
        for graph in edges.keys() | labels.keys() | polarities.keys()
    }
