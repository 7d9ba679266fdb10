"""SPARQL updates worked out on the store (graph.store.update_effect) give what the scratch copy
of the whole store gave: the same graphs changed, the same refusals, the same quads stored.

Each update runs twice on two copies of the curated store: once as the Writer runs it, and once
with a base IRI, which the worked-out effect does not take, so that the update goes through the
scratch copy (the way every update went before)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pyoxigraph import BlankNode, NamedNode, Quad

from graph.ingestion.loading import Loader
from graph.store import catalog
from graph.store.errors import LrkgError, ValidationFailed
from graph.store.knowledge_store import KnowledgeStore
from graph.store.update_effect import effect
from graph.store.validation import ShapesValidator
from graph.store.writes import Writer
from tests.conftest import DATA_DIR, PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
import generate

AMESS = "https://w3id.org/lrkg/id/review/amess-prevent-learning-review"
LESSONS = "https://w3id.org/lrkg/id/review/lessons-for-prevent"
NOTES = "https://example.org/graph/notes"
F6 = "finding:amess-prevent-learning-review-f6"
BASE = "https://example.org/base/"

UPDATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "insert data": (f'INSERT DATA {{ GRAPH <{AMESS}> {{ {F6} rdfs:comment "Checked."@en }} }}', ()),
    "delete data then insert data": (
        (
            f'DELETE DATA {{ GRAPH <{AMESS}> {{ {F6} rdfs:comment "Checked."@en }} }} ;'
            f' INSERT DATA {{ GRAPH <{NOTES}> {{ {F6} rdfs:comment "Noted."@en }} }}'
        ),
        (),
    ),
    "insert where over the union": (
        f'INSERT {{ GRAPH <{NOTES}> {{ ?f rdfs:comment "seen" }} }} WHERE {{ ?f a lrkg:Finding }}', ()
    ),
    "relabel in its own graph": (
        (
            f'DELETE {{ GRAPH ?g {{ {F6} rdfs:label ?l }} }} INSERT {{ GRAPH ?g {{ {F6} rdfs:label "Relabelled"@en }} }}'
            f" WHERE {{ GRAPH ?g {{ {F6} rdfs:label ?l }} }}"
        ),
        (),
    ),
    "delete where breaking a shape": (f"DELETE WHERE {{ GRAPH ?g {{ {F6} lrkg:theme ?t }} }}", ()),
    "delete where of a whole resource": (f"DELETE WHERE {{ GRAPH ?g {{ {F6} ?p ?o }} }}", ()),
    "blank nodes made new per solution": (
        f'INSERT {{ GRAPH <{NOTES}> {{ ?r rdfs:seeAlso [ rdfs:comment "note" ] }} }} WHERE {{ ?r a lrkg:Review }}', ()
    ),
    "into the default graph": ('INSERT { ?r rdfs:comment "x" } WHERE { ?r a lrkg:Review }', ()),
    "into the catalogue": (f'INSERT DATA {{ GRAPH <{catalog.CATALOG.value}> {{ <{AMESS}> rdfs:comment "x" }} }}', ()),
    "the catalogue is not read": (
        f'INSERT {{ GRAPH <{NOTES}> {{ ?g rdfs:comment "catalogued" }} }} WHERE {{ ?g lrkg:contentHash ?h }}', ()
    ),
    "a finding put in a second review (cross-graph)": (
        f"INSERT DATA {{ GRAPH <{NOTES}> {{ {F6} lrkg:inReview <{LESSONS}> }} }}", ()
    ),
    "an unbound template variable": (
        f"INSERT {{ GRAPH <{NOTES}> {{ ?r rdfs:seeAlso ?missing }} }} WHERE {{ ?r a lrkg:Review }}", ()
    ),
    "the protocol's dataset": (
        f'INSERT {{ GRAPH <{NOTES}> {{ ?f rdfs:comment "seen" }} }} WHERE {{ ?f a lrkg:Finding }}', (LESSONS,)
    ),
    "an empty protocol dataset": (
        f'INSERT {{ GRAPH <{NOTES}> {{ ?f rdfs:comment "seen" }} }} WHERE {{ ?f a lrkg:Finding }}',
        ("https://example.org/graph/empty",),
    ),
}


@pytest.fixture(scope="module")
def curated(validator: ShapesValidator) -> list[Quad]:
    store = KnowledgeStore.in_memory()
    Loader(store, validator).load([DATA_DIR])
    return list(store.quads())


def _run(quads: list[Quad], validator: ShapesValidator, update: str, using: tuple[str, ...], base: str | None):
    store = KnowledgeStore.in_memory()
    store.write(quads)
    try:
        outcome: object = Writer(store, validator).update(update, using_graphs=using, base_iri=base)
    except LrkgError as error:
        outcome = (type(error).__name__, str(error))
    return outcome, store


def _content(store: KnowledgeStore) -> tuple[set[Quad], int]:
    """The quads outside the catalogue without blank nodes (whose labels are new each time), and
    how many have one."""
    quads = [q for q in store.quads() if q.graph_name != catalog.CATALOG]
    blank = [q for q in quads if isinstance(q.subject, BlankNode) or isinstance(q.object, BlankNode)]
    return set(quads) - set(blank), len(blank)


@pytest.mark.parametrize("name", UPDATES)
def test_an_update_worked_out_on_the_store_matches_the_scratch_copy(
    name: str, curated: list[Quad], validator: ShapesValidator
) -> None:
    update, using = UPDATES[name]
    probe = KnowledgeStore.in_memory()
    probe.write(curated)
    assert effect(probe, update, using, ()) is not None, "this update should be worked out without a copy"
    fast, fast_store = _run(curated, validator, update, using, None)
    copied, copied_store = _run(curated, validator, update, using, BASE)
    assert fast == copied
    assert _content(fast_store) == _content(copied_store)


def test_graph_management_and_chained_reads_fall_back_to_the_copy(curated: list[Quad]) -> None:
    store = KnowledgeStore.in_memory()
    store.write(curated)
    assert effect(store, f"DROP GRAPH <{AMESS}>", (), ()) is None
    chained = f"INSERT DATA {{ GRAPH <{NOTES}> {{ <x:a> <x:b> <x:c> }} }} ; DELETE WHERE {{ GRAPH ?g {{ ?s <x:b> ?o }} }}"
    assert effect(store, chained, (), ()) is None
    assert effect(store, f"WITH <{AMESS}> DELETE {{ ?s rdfs:comment ?c }} WHERE {{ ?s rdfs:comment ?c }}", (), ()) is None


def test_a_violating_update_is_refused_and_stores_nothing(curated: list[Quad], validator: ShapesValidator) -> None:
    store = KnowledgeStore.in_memory()
    store.write(curated)
    before = set(store.quads())
    with pytest.raises(ValidationFailed) as refused:
        Writer(store, validator).update(f"DELETE WHERE {{ GRAPH ?g {{ {F6} lrkg:theme ?t }} }}")
    assert "amess-prevent-learning-review-f6" in str(refused.value)
    assert set(store.quads()) == before


def test_a_cross_graph_violation_is_still_caught(curated: list[Quad], validator: ShapesValidator) -> None:
    store = KnowledgeStore.in_memory()
    store.write(curated)
    before = set(store.quads())
    with pytest.raises(ValidationFailed):
        Writer(store, validator).update(f"INSERT DATA {{ GRAPH <{NOTES}> {{ {F6} lrkg:inReview <{LESSONS}> }} }}")
    assert set(store.quads()) == before


def test_a_valid_update_on_a_generated_corpus_is_accepted(tmp_path: Path, validator: ShapesValidator) -> None:
    generate.generate(100_000, tmp_path / "corpus", seed=3)
    store = KnowledgeStore.in_memory()
    Loader(store, validator).load([tmp_path / "corpus"])
    finding = store.select("SELECT ?f ?g WHERE { GRAPH ?g { ?f a lrkg:Finding } } ORDER BY ?f LIMIT 1")[0]
    graph, subject = finding["g"], finding["f"]
    assert isinstance(graph, NamedNode) and isinstance(subject, NamedNode)
    update = f'INSERT DATA {{ GRAPH {graph} {{ {subject} rdfs:comment "Checked at scale."@en }} }}'
    assert effect(store, update, (), ()) is not None
    outcome = Writer(store, validator).update(update)
    assert outcome.changed == (graph.value,) and outcome.created == ()
    assert store.ask(f'ASK {{ {subject} rdfs:comment "Checked at scale."@en }}')
