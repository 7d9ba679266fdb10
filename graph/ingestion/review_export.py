"""One review taken out of the store, for `lrkg export`: as a YAML review file that `lrkg import`
reads back, or as Turtle.

The review is named by its id or IRI and its named graph is read whole. A YAML file cannot hold
everything a graph can say: what it leaves out, and what importing it would state instead, come
back beside the text (graph.ingestion.review_rdf.from_quads), so that nothing is lost silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import NamedNode

from graph.ingestion.review_rdf import from_quads
from graph.ingestion.review_yaml_writer import write_review
from graph.store.errors import NotFound
from graph.store.formats import graph_bytes
from graph.store.knowledge_store import KnowledgeStore
from graph.vocabulary.namespaces import PREFIXES, minted_id, minted_iri

EXPORT_FORMATS = ("yaml", "turtle")


@dataclass(frozen=True)
class ExportedReview:
    """A review's file text; for YAML, the statements of the graph it leaves out and those importing
    it would state instead (each as N-Triples text)."""

    text: str
    left_out: tuple[str, ...] = ()
    added: tuple[str, ...] = ()


def export_review(store: KnowledgeStore, review: str, export_format: str) -> ExportedReview:
    """The review `review` (its id or IRI) written as `export_format`, one of EXPORT_FORMATS;
    NotFound, naming the reviews held, when the store has no such review."""
    graph = NamedNode(review if review.startswith(("http://", "https://")) else minted_iri("review", review))
    if not store.has_graph(graph):
        known = [minted[1] for g in store.named_graphs() if (minted := minted_id(g.value)) and minted[0] == "review"]
        raise NotFound(f"No review {review!r} in the store. Reviews: {', '.join(known) or 'none'}.")
    quads = list(store.quads(graph))
    if export_format == "turtle":
        triples = sorted((q.triple for q in quads), key=str)
        return ExportedReview(graph_bytes(triples, "text/turtle", PREFIXES).decode("utf-8"))
    read_back = from_quads(quads, graph.value)
    heading = f"Review {graph.value}, exported from the lrkg store.\nEdit it, then load it with `lrkg import`."
    return ExportedReview(
        write_review(read_back.document, heading=heading),
        left_out=tuple(str(triple) for triple in read_back.left_out),
        added=tuple(str(triple) for triple in read_back.added),
    )
