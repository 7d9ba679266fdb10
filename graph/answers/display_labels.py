"""The labels a person reads beside IRIs in an answer (the SPARQL page's table): rdfs:label, else
skos:prefLabel, one query for all of them, the IRIs bound with VALUES."""

from __future__ import annotations

from collections.abc import Collection

from pyoxigraph import NamedNode

from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import bind_values, named_query

MAX_LABELLED = 2000
"""IRIs labelled for one answer at most (the first in IRI order; 0.4 to 0.6 s at 100k triples, bench/sparql_editor.py); the rest are shown bare."""


def display_labels(store: KnowledgeStore, iris: Collection[str]) -> dict[str, str]:
    """The label of each IRI that has one, by IRI; IRIs past MAX_LABELLED are not looked up."""
    chosen = sorted(iris)[:MAX_LABELLED]
    if not chosen:
        return {}
    sparql = bind_values(named_query("display_labels").text, {"resource": [NamedNode(iri) for iri in chosen]})
    return {row["resource"].value: row["label"].value for row in store.select(sparql) if "label" in row}
