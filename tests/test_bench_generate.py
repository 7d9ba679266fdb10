"""The synthetic corpus of bench/generate.py: shaped like the real data, valid, and the same
bytes for the same seed."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest
from pyoxigraph import NamedNode

from graph.ingestion.loading import Loader
from graph.store.knowledge_store import KnowledgeStore
from graph.store.validation import ShapesValidator
from tests.conftest import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "bench"))
import generate  # noqa: E402

SIZE = 10_000


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    generate.generate(SIZE, folder, seed=7)
    return folder


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_bytes(corpus: Path, tmp_path: Path) -> None:
    generate.generate(SIZE, tmp_path / "again", seed=7)
    generate.generate(SIZE, tmp_path / "other", seed=8)
    files = sorted(p.name for p in corpus.iterdir())
    assert files == sorted(p.name for p in (tmp_path / "again").iterdir())
    assert all((corpus / name).read_bytes() == (tmp_path / "again" / name).read_bytes() for name in files)
    assert any(
        not (tmp_path / "other" / name).exists() or (corpus / name).read_bytes() != (tmp_path / "other" / name).read_bytes()
        for name in files
    )


def test_the_corpus_validates_and_loads_at_about_the_size_asked(corpus: Path, validator: ShapesValidator,
                                                                tmp_path: Path) -> None:
    store = KnowledgeStore.open(tmp_path / "store")
    results = Loader(store, validator).load([corpus])  # raises BatchRejected, listing violations, if any breaks a shape
    review_files = [r for r in results if r.path.parent == corpus]
    assert len(review_files) == len(list(corpus.glob("*.ttl")))
    assert SIZE <= sum(r.triples for r in review_files) < SIZE * 1.1
    assert all(r.graphs == (f"https://w3id.org/lrkg/id/review/{r.path.stem}",) for r in review_files)


def test_the_corpus_is_shaped_like_real_reviews(corpus: Path, validator: ShapesValidator) -> None:
    store = KnowledgeStore.in_memory()
    Loader(store, validator).load([corpus])
    kinds = {row["kind"].value.rsplit("/", 1)[1] for row in store.select("SELECT ?kind WHERE { ?r lrkg:reviewKind ?kind }")}
    assert len(kinds) >= 5 and "prevention-of-future-deaths-report" in kinds
    themes = Counter(row["t"].value for row in store.select("SELECT ?f ?t WHERE { ?f a lrkg:Finding ; lrkg:theme ?t }"))
    counts = sorted(themes.values(), reverse=True)
    assert counts[0] >= 5 * counts[len(counts) // 2]  # skewed: a few themes are everywhere, most are rare
    shared = store.select(
        "SELECT ?a (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?a a lrkg:Actor } } GROUP BY ?a HAVING (COUNT(DISTINCT ?g) > 3)"
    )
    assert shared, "actors are reused across reviews"
    histories = store.select(
        "SELECT ?r (COUNT(?response) AS ?n) WHERE { ?response lrkg:respondsTo ?r } GROUP BY ?r HAVING (COUNT(?response) > 1)"
    )
    assert histories, "some recommendations have a history of responses"
    assert store.ask("ASK { ?e a lrkg:Event ; dcterms:date ?d }")
    assert store.ask("ASK { ?x oa:exact ?words }") and store.ask("ASK { ?x lrkg:paraphrase ?words }")
    assert store.has_graph(NamedNode(generate.PREFIXES["review"] + sorted(corpus.glob("*.ttl"))[0].stem))


def test_sizes_read_as_triple_counts() -> None:
    assert [generate.size_of(text) for text in ("10k", "100k", "1m", "5M", "2500")] == [
        10_000, 100_000, 1_000_000, 5_000_000, 2_500]
