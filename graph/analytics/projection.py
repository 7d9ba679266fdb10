"""The graph (or one named graph) as a networkx graph, for analytics and views.

Nodes are IRIs, with their label and types as attributes; edges are statements between
IRIs, keyed by predicate. Literals other than labels are left out.
"""

from __future__ import annotations

import networkx as nx
from pyoxigraph import NamedNode

from graph.store.knowledge_store import KnowledgeStore

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABELS = ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel")


def to_networkx(store: KnowledgeStore, graph: str | None = None) -> nx.MultiDiGraph:
    """Project the union of all graphs, or the named graph `graph`, to a MultiDiGraph."""
    projected = nx.MultiDiGraph()
    for quad in store.quads(NamedNode(graph) if graph else None):
        subject, predicate, value = quad.subject, quad.predicate.value, quad.object
        if not isinstance(subject, NamedNode):
            continue
        projected.add_node(subject.value)
        node = projected.nodes[subject.value]
        if predicate == RDF_TYPE and isinstance(value, NamedNode):
            node.setdefault("types", set()).add(value.value)
        elif predicate in LABELS and not isinstance(value, NamedNode):
            node.setdefault("label", value.value)
        elif isinstance(value, NamedNode):
            projected.add_edge(subject.value, value.value, key=predicate, predicate=predicate)
    for _, attributes in projected.nodes(data=True):
        attributes.setdefault("label", None)
        attributes["types"] = sorted(attributes.get("types", ()))
    return projected
