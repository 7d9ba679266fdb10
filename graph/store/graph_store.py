"""The Graph Store Protocol's operations on plain values: a graph named by its IRI as text (None for
the default graph, the union of the named graphs), a document as bytes of a media type.

Reading writes the graph in the media type asked for; replacing and merging read the document
into the named graph, with the parser limits of every upload (graph.store.parser_limits), and
hand it to the Writer, which validates it before anything is stored (graph.store.writes).
"""

from __future__ import annotations

from pyoxigraph import NamedNode, Quad, parse

from graph.store.errors import InvalidInput, NotFound
from graph.store.formats import format_for_media_type, graph_bytes
from graph.store.knowledge_store import KnowledgeStore
from graph.store.parser_limits import refuse_huge_literals, refuse_unsafe_document
from graph.store.writes import WriteOutcome, Writer, graph_iri
from graph.vocabulary.namespaces import PREFIXES


def checked_graph_iri(iri: str) -> str:
    """`iri` itself, once checked to be an absolute IRI a graph can be named by (else InvalidInput)."""
    return graph_iri(iri).value


def read_graph(store: KnowledgeStore, graph: str | None, media_type: str) -> bytes:
    """The triples of `graph`, or of the default graph when None, written as `media_type`;
    NotFound when the store holds no such graph."""
    if graph is None:
        triples = sorted({quad.triple for quad in store.quads() if isinstance(quad.graph_name, NamedNode)}, key=str)
    else:
        target = graph_iri(graph)
        if not store.has_graph(target):
            raise NotFound(f"No graph {target} is held here.")
        triples = [quad.triple for quad in store.quads(target)]
    return graph_bytes(triples, media_type, PREFIXES)


def replace_graph(writer: Writer, graph: str, document: bytes, media_type: str) -> WriteOutcome:
    """Make the document the whole content of `graph` (HTTP PUT)."""
    target = graph_iri(graph)
    return writer.replace_graph(target, _document_quads(document, media_type, target))


def merge_into_graph(writer: Writer, graph: str, document: bytes, media_type: str) -> WriteOutcome:
    """Add the document's triples to `graph`, creating it if needed (HTTP POST)."""
    target = graph_iri(graph)
    return writer.merge_into_graph(target, _document_quads(document, media_type, target))


def delete_graph(writer: Writer, graph: str) -> WriteOutcome:
    """Remove `graph` and everything in it (HTTP DELETE); NotFound if it is not held."""
    return writer.delete_graph(graph_iri(graph))


def _document_quads(document: bytes, media_type: str, graph: NamedNode) -> frozenset[Quad]:
    """The triples of an RDF document (one graph, no named graphs), placed in `graph`.

    A document that would make its parser explode is refused before it is parsed, and one
    holding a huge literal after. Blank nodes get fresh identifiers, so merging a document
    never joins its blank nodes with those already in the graph; relative IRIs resolve
    against the graph's IRI.
    """
    format = format_for_media_type(media_type)
    refuse_unsafe_document(document, format)
    try:
        triples = parse(document, format=format, base_iri=graph.value, without_named_graphs=True, rename_blank_nodes=True)
        quads = frozenset(Quad(q.subject, q.predicate, q.object, graph) for q in triples)
    except (SyntaxError, ValueError) as error:
        raise InvalidInput(f"The {format.name} document cannot be parsed: {error}") from error
    refuse_huge_literals(quads)
    return quads
