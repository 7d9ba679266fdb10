"""Loading: every format, validation before writing, unchanged files skipped, changes replaced."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from pyoxigraph import NamedNode, Quad, RdfFormat, parse, serialize

from graph.ingestion.loading import BULK_FROM, BatchRejected, Loader, Outcome, parse_file, rdf_files
from graph.store.errors import InvalidInput
from graph.store.knowledge_store import KnowledgeStore
from graph.store.validation import PARALLEL_FROM, ShapesValidator
from graph.vocabulary.namespaces import CATALOG_GRAPH, GRAPH_BASE
from tests.conftest import DATA_DIR, SMALL_REVIEW

REVIEW_GRAPH = "https://w3id.org/lrkg/id/review/test-review"
ORPHAN_FINDING = """
@prefix lrkg: <https://w3id.org/lrkg/ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/lrkg/id/finding/orphan> a lrkg:Finding ;
    rdfs:label "A finding that belongs to no review"@en ;
    lrkg:polarity <https://w3id.org/lrkg/id/polarity/shortcoming> ;
    lrkg:theme <https://w3id.org/lrkg/id/theme/communication> .
"""


def graph_triples(store: KnowledgeStore, graph: str) -> set[tuple[str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in store.quads(NamedNode(graph))}


def test_a_review_goes_into_its_own_named_graph(store: KnowledgeStore, loader: Loader) -> None:
    results = loader.load([SMALL_REVIEW])
    assert [r.outcome for r in results] == [Outcome.LOADED] * 4
    assert results[-1].graphs == (REVIEW_GRAPH,)
    graphs = {g.value for g in store.named_graphs()}
    assert {REVIEW_GRAPH, GRAPH_BASE + "lrkg", GRAPH_BASE + "themes", GRAPH_BASE + "statuses", CATALOG_GRAPH} == graphs
    expected = len(rdflib.Graph().parse(SMALL_REVIEW))
    assert len(graph_triples(store, REVIEW_GRAPH)) == expected


def test_all_curated_data_validates_and_loads(store: KnowledgeStore, loader: Loader) -> None:
    results = loader.load([DATA_DIR])
    data_files = rdf_files([DATA_DIR])
    assert len(data_files) >= 4
    review_graphs = [r for r in results if r.graphs and r.graphs[0].startswith("https://w3id.org/lrkg/id/review/")]
    assert len(review_graphs) == len(data_files)


@pytest.mark.parametrize("rdf_format", [RdfFormat.TRIG, RdfFormat.N_TRIPLES, RdfFormat.N_QUADS,
                                        RdfFormat.JSON_LD, RdfFormat.RDF_XML], ids=lambda f: f.name)
def test_every_format_loads_the_same_triples(
    store: KnowledgeStore, loader: Loader, tmp_path: Path, rdf_format: RdfFormat
) -> None:
    triples = [q.triple for q in parse(SMALL_REVIEW.read_bytes(), format=RdfFormat.TURTLE)]
    named = NamedNode(REVIEW_GRAPH)
    content = [Quad(t.subject, t.predicate, t.object, named) for t in triples] if rdf_format.supports_datasets else triples
    converted = tmp_path / f"review.{rdf_format.file_extension}"
    converted.write_bytes(serialize(content, format=rdf_format))
    results = loader.load([converted])
    assert results[-1].graphs == (REVIEW_GRAPH,)
    expected = {(str(t.subject), str(t.predicate), str(t.object)) for t in triples}
    assert graph_triples(store, REVIEW_GRAPH) == expected


def test_an_unchanged_file_is_skipped_and_a_changed_one_replaced(
    store: KnowledgeStore, loader: Loader, tmp_path: Path
) -> None:
    copy = tmp_path / "review.ttl"
    copy.write_text(SMALL_REVIEW.read_text(encoding="utf-8"), encoding="utf-8")
    loader.load([copy])
    before = len(store)
    assert [r.outcome for r in loader.load([copy])] == [Outcome.UNCHANGED] * 4
    assert len(store) == before

    copy.write_text(copy.read_text(encoding="utf-8").replace("Hold joint case meetings", "Meet jointly"), encoding="utf-8")
    results = loader.load([copy])
    assert results[-1].outcome is Outcome.REPLACED
    labels = {t[2] for t in graph_triples(store, REVIEW_GRAPH)}
    assert '"Meet jointly"@en' in labels and '"Hold joint case meetings"@en' not in labels
    assert len(store) == before
    hashes = store.select(
        "SELECT ?hash ?graph ?catalog WHERE { GRAPH ?catalog { ?graph <https://w3id.org/lrkg/ns#contentHash> ?hash } }",
        {"graph": NamedNode(REVIEW_GRAPH), "catalog": NamedNode(CATALOG_GRAPH)},
    )
    assert len(hashes) == 1


def test_a_finding_without_review_is_rejected_and_nothing_stored(
    store: KnowledgeStore, loader: Loader, tmp_path: Path
) -> None:
    loader.load([SMALL_REVIEW])
    before = len(store)
    bad = tmp_path / "orphan.ttl"
    bad.write_text(ORPHAN_FINDING, encoding="utf-8")
    good = tmp_path / "good.ttl"
    good.write_text(SMALL_REVIEW.read_text(encoding="utf-8").replace("test-review", "other-review"), encoding="utf-8")
    with pytest.raises(BatchRejected) as rejected:
        loader.load([good, bad])
    message = str(rejected.value)
    assert "https://w3id.org/lrkg/id/finding/orphan" in message
    assert "exactly one review" in message
    assert "orphan.ttl" in message
    assert len(store) == before
    assert not store.has_graph(NamedNode("https://w3id.org/lrkg/id/review/other-review"))


def test_a_syntax_error_names_the_file_and_line(loader: Loader, tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ex: <https://example.org/> .\nex:a ex:b \n", encoding="utf-8")
    with pytest.raises(BatchRejected, match=r"broken.ttl: cannot be parsed: .*line 2|broken.ttl: cannot be parsed"):
        loader.load([broken])


def test_unknown_file_types_and_missing_paths_are_refused(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    with pytest.raises(InvalidInput, match="unknown RDF file type"):
        rdf_files([text])
    with pytest.raises(InvalidInput, match="no such file"):
        rdf_files([tmp_path / "missing.ttl"])


def test_a_file_without_a_review_is_named_after_the_file(
    store: KnowledgeStore, loader: Loader, tmp_path: Path
) -> None:
    extra = tmp_path / "extra-actors.ttl"
    extra.write_text(
        "@prefix lrkg: <https://w3id.org/lrkg/ns#> . @prefix org: <http://www.w3.org/ns/org#> .\n"
        "<https://w3id.org/lrkg/id/actor/x> a lrkg:Actor , org:Organization ;"
        ' <http://www.w3.org/2000/01/rdf-schema#label> "X"@en .',
        encoding="utf-8",
    )
    results = loader.load([extra])
    assert results[-1].graphs == (GRAPH_BASE + "extra-actors",)


def test_a_large_batch_is_validated_in_worker_processes_and_still_all_or_nothing(
    store: KnowledgeStore, validator: ShapesValidator, tmp_path: Path
) -> None:
    """From PARALLEL_FROM files on, validation runs in worker processes: a bad file among them is
    still named with its violations, and nothing of the batch is stored."""
    folder = tmp_path / "reviews"
    folder.mkdir()
    body = SMALL_REVIEW.read_text(encoding="utf-8")
    for number in range(PARALLEL_FROM):
        (folder / f"review-{number:02d}.ttl").write_text(body.replace("test-review", f"test-review-{number}"))
    bad = folder / "review-17.ttl"
    bad.write_text("\n".join(line for line in bad.read_text().splitlines() if "lrkg:polarity" not in line))
    with pytest.raises(BatchRejected) as rejected:
        Loader(store, validator, processes=2).load([folder])
    assert [str(problem).split(" ")[0] for problem in rejected.value.problems] == [str(bad.resolve())]
    assert "lrkg:polarity" in str(rejected.value)
    assert not any("test-review" in g.value for g in store.named_graphs())

    bad.write_text(body.replace("test-review", "test-review-17"))
    results = Loader(store, validator, processes=2).load([folder])
    assert sum(r.outcome is Outcome.LOADED for r in results) == PARALLEL_FROM + 3
    assert len([g for g in store.named_graphs() if "test-review-" in g.value]) == PARALLEL_FROM


def test_a_large_new_batch_is_bulk_loaded_whole_and_an_interrupted_load_is_redone(
    store: KnowledgeStore, validator: ShapesValidator, tmp_path: Path
) -> None:
    """A group of files of BULK_FROM quads or more that replaces nothing goes through the bulk
    loader and is then recorded; a file whose quads were written but never recorded (a load
    stopped half-way) is written again whole by the next load."""
    folder = tmp_path / "reviews"
    folder.mkdir()
    body = SMALL_REVIEW.read_text(encoding="utf-8")
    count = BULK_FROM // len(parse_file(SMALL_REVIEW).quads) + 1
    for number in range(count):
        (folder / f"review-{number:03d}.ttl").write_text(body.replace("test-review", f"test-review-{number}"))
    results = Loader(store, validator, processes=2).load([folder])
    assert sum(r.outcome is Outcome.LOADED for r in results if r.path.parent == folder.resolve()) == count
    for number in (0, count - 1):
        graph = NamedNode(f"{REVIEW_GRAPH}-{number}")
        assert set(store.quads(graph)) == set(parse_file(folder / f"review-{number:03d}.ttl").quads)

    late = folder / "review-late.ttl"
    late.write_text(body.replace("test-review", "test-review-late"))
    store.add_new_graphs(parse_file(late).quads[:40])  # written, never recorded
    again = {r.path.name: r.outcome for r in Loader(store, validator, processes=2).load([folder])}
    assert again.pop(late.name) is Outcome.REPLACED
    assert set(again.values()) == {Outcome.UNCHANGED}
    assert set(store.quads(NamedNode(f"{REVIEW_GRAPH}-late"))) == set(parse_file(late).quads)
