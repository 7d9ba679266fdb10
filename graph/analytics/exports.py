"""The graph as a file for Gephi and other network tools: GraphML or GEXF, of the whole graph,
of one review (its named graph) or of one theme's neighbourhood.

Built on `graph.analytics.projection.to_networkx`, then kept to the resources lrkg mints (reviews,
findings, recommendations, responses, actors, themes, statuses, sources, excerpts, events, ...):
the ontology's own classes and properties, the catalog of loaded files and outside web pages
are left out. Each node is its IRI, with a `label` (its label, else its id), its `kind` (the
kind of resource its IRI names) and its `types` (its rdf:type IRIs, space-separated: GraphML
holds no lists). Each edge is one statement, with its `predicate` IRI and a short `label` (the
predicate's local name), and an id of its own (`e0`, `e1`, ...), as Gephi wants edge ids unique.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import networkx as nx
from pyoxigraph import NamedNode

from graph.analytics.projection import to_networkx
from graph.answers.review_names import named_reviews
from graph.answers.themes import resolve_theme
from graph.store.errors import InvalidInput
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import bind_values, named_query
from graph.vocabulary.namespaces import minted_id

GRAPH_FORMATS: dict[str, tuple[str, Callable[[nx.MultiDiGraph, io.BytesIO], None]]] = {
    "graphml": ("application/graphml+xml", nx.write_graphml),
    "gexf": ("application/gexf+xml", nx.write_gexf),
}
"""Each file format, with its media type and the networkx function that writes it."""


@dataclass(frozen=True)
class GraphExport:
    """A graph ready to write, and the name its file is given (without the suffix)."""

    graph: nx.MultiDiGraph
    name: str


def export_graph(store: KnowledgeStore, *, review: str | None = None, theme: str | None = None) -> GraphExport:
    """The whole graph; or one review's named graph (by id, IRI or label); or the neighbourhood
    of a theme: the findings with it or a narrower theme, their reviews, themes and implicated
    actors, and the recommendations addressing them (or tagged with the theme) with their owners."""
    if review and theme:
        raise InvalidInput("Export one review or one theme, not both: leave out review or theme.")
    if review:
        found = named_reviews(store, [review])[0]
        return GraphExport(for_export(store, to_networkx(store, found.iri)), f"lrkg-review-{found.id}")
    if theme:
        resolved = resolve_theme(store, theme)
        rows = store.select(named_query("theme_neighbourhood").text, {"theme": NamedNode(resolved.iri)})
        around = to_networkx(store).subgraph(row["node"].value for row in rows)
        return GraphExport(for_export(store, around), f"lrkg-theme-{resolved.id}")
    return GraphExport(for_export(store, to_networkx(store)), "lrkg-graph")


def for_export(store: KnowledgeStore, projected: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """`projected` kept to minted resources, with the attributes a GraphML or GEXF file can hold;
    a node the graph points to but does not describe (a theme, from one review's graph) gets its
    label and types from the rest of the store."""
    kept = sorted(node for node in projected if minted_id(node))
    described = _labels_and_types(
        store, [node for node in kept if not projected.nodes[node]["label"] or not projected.nodes[node]["types"]]
    )
    exported = nx.MultiDiGraph()
    for node in kept:
        attributes = projected.nodes[node]
        label, types = described.get(node, (None, []))
        kind, slug = minted_id(node) or ("", node)
        exported.add_node(
            node,
            label=attributes["label"] or label or slug,
            kind=kind,
            types=" ".join(attributes["types"] or types),
        )
    edges = sorted(
        (source, target, predicate)
        for source, target, predicate in projected.edges(keys=True)
        if source in exported and target in exported
    )
    for number, (source, target, predicate) in enumerate(edges):
        exported.add_edge(source, target, key=f"e{number}", predicate=predicate, label=local_name(predicate))
    return exported


def write_graph(graph: nx.MultiDiGraph, graph_format: str) -> bytes:
    """The graph as a GraphML or GEXF document."""
    if graph_format not in GRAPH_FORMATS:
        raise InvalidInput(f"Unknown graph format {graph_format!r}; use one of {', '.join(GRAPH_FORMATS)}.")
    buffer = io.BytesIO()
    GRAPH_FORMATS[graph_format][1](graph, buffer)
    return buffer.getvalue()


def local_name(iri: str) -> str:
    """The last part of an IRI, after its last '#' or '/': `inReview`, `broader`."""
    return re.split(r"[#/]", iri.rstrip("#/"))[-1] or iri


def _labels_and_types(store: KnowledgeStore, nodes: Iterable[str]) -> dict[str, tuple[str | None, list[str]]]:
    wanted = [NamedNode(node) for node in nodes]
    if not wanted:
        return {}
    found: dict[str, tuple[str | None, list[str]]] = {}
    for row in store.select(bind_values(named_query("resource_labels").text, {"resource": wanted})):
        label, types = found.get(row["resource"].value, (None, []))
        if "label" in row:
            label = min(label or row["label"].value, row["label"].value)
        if "type" in row and row["type"].value not in types:
            types = sorted([*types, row["type"].value])
        found[row["resource"].value] = (label, types)
    return found
