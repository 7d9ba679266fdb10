"""The load catalogue: for each named graph, where its content came from and a fingerprint of it.

Every write records, in the same transaction, a new fingerprint for each graph it changes
(the SHA-256 of the file for a load). Anything kept beside the store, such as the search
index, compares fingerprints to know which graphs it must bring up to date.
"""

from __future__ import annotations

from datetime import datetime, timezone

from pyoxigraph import Literal, NamedNode, Quad

from graph.store.knowledge_store import KnowledgeStore
from graph.vocabulary.namespaces import CATALOG_GRAPH, LRKG

CATALOG = NamedNode(CATALOG_GRAPH)
LOADED_FROM = NamedNode(str(LRKG.loadedFrom))
CONTENT_HASH = NamedNode(str(LRKG.contentHash))
MODIFIED = NamedNode("http://purl.org/dc/terms/modified")
XSD_DATETIME = NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")


def entries(graph: NamedNode, source: str, fingerprint: str) -> list[Quad]:
    """The catalogue quads saying that `graph` now holds content `fingerprint` from `source`."""
    modified = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    return [
        Quad(graph, LOADED_FROM, Literal(source), CATALOG),
        Quad(graph, CONTENT_HASH, Literal(fingerprint), CATALOG),
        Quad(graph, MODIFIED, Literal(modified, datatype=XSD_DATETIME), CATALOG),
    ]


def current_entries(store: KnowledgeStore, graphs: list[NamedNode]) -> list[Quad]:
    """The catalogue quads about `graphs` as they stand, to be replaced by a write."""
    wanted = set(graphs)
    return [quad for quad in store.quads(CATALOG) if quad.subject in wanted]


def fingerprints(store: KnowledgeStore) -> dict[str, str]:
    """Each catalogued graph's current fingerprint."""
    return {
        quad.subject.value: quad.object.value
        for quad in store.quads(CATALOG)
        if quad.predicate == CONTENT_HASH and isinstance(quad.subject, NamedNode)
    }
