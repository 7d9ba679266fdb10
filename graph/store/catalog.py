"""The load catalogue: for each named graph, where its content came from and a fingerprint of it.

Every write records, in the same transaction, a new fingerprint for each graph it changes
(the SHA-256 of the file for a load). Anything kept beside the store, such as the search
index, compares fingerprints to know which graphs it must bring up to date.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

from pyoxigraph import Literal, NamedNode, Quad

from graph.store.knowledge_store import KnowledgeStore
from graph.vocabulary.namespaces import CATALOG_GRAPH, LRKG, minted_iri

CATALOG = NamedNode(CATALOG_GRAPH)
LOADED_FROM = NamedNode(str(LRKG.loadedFrom))
CONTENT_HASH = NamedNode(str(LRKG.contentHash))
MODIFIED = NamedNode("http://purl.org/dc/terms/modified")
XSD_DATETIME = NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")
ATTRIBUTED_TO = NamedNode("http://www.w3.org/ns/prov#wasAttributedTo")
FOAF_NAME = NamedNode("http://xmlns.com/foaf/0.1/name")
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
PROV_AGENT = NamedNode("http://www.w3.org/ns/prov#Agent")
CURATOR_KIND = "curator"


def curator_iri(name: str) -> NamedNode:
    """The agent IRI minted for a curator's name (letters and digits of it, in lower case)."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or hashlib.sha256(name.encode()).hexdigest()[:16]
    return NamedNode(minted_iri(CURATOR_KIND, slug))


def entries(graph: NamedNode, source: str, fingerprint: str, attributed_to: str | None = None) -> list[Quad]:
    """The catalogue quads saying that `graph` now holds content `fingerprint` from `source`,
    written by the curator named `attributed_to` (prov:wasAttributedTo, a prov:Agent with a foaf:name)."""
    modified = datetime.now(UTC).replace(microsecond=0).isoformat()
    quads = [
        Quad(graph, LOADED_FROM, Literal(source), CATALOG),
        Quad(graph, CONTENT_HASH, Literal(fingerprint), CATALOG),
        Quad(graph, MODIFIED, Literal(modified, datatype=XSD_DATETIME), CATALOG),
    ]
    if attributed_to is not None:
        agent = curator_iri(attributed_to)
        quads += [
            Quad(graph, ATTRIBUTED_TO, agent, CATALOG),
            Quad(agent, RDF_TYPE, PROV_AGENT, CATALOG),
            Quad(agent, FOAF_NAME, Literal(attributed_to), CATALOG),
        ]
    return quads


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
