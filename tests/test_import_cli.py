"""Importing reviews written in YAML and exporting reviews: through the Loader on real stores,
and through the real `lrkg` command on real files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from pyoxigraph import NamedNode
from rdflib.compare import isomorphic

from graph.ingestion.loading import BatchRejected, Loader, Outcome, review_yaml_reader
from graph.ingestion.review_yaml import InvalidReviewFile, Problem
from graph.store.catalog import CATALOG
from graph.store.knowledge_store import KnowledgeStore
from graph.vocabulary.schemes import Schemes
from tests.conftest import DATA_DIR, ONTOLOGY_DIR
from tests.test_review_rdf import as_graph
from tests.test_review_yaml import EXAMPLE, MINIMAL

CHILD_M = NamedNode("https://w3id.org/lrkg/id/review/eastmoor-cspr-child-m")


def lrkg(*args: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "api", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, check=check, timeout=120)


def copy_of_example(folder: Path, name: str = "review.yaml") -> Path:
    copy = folder / name
    copy.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    return copy


def review_graphs(store: KnowledgeStore) -> list[str]:
    return [g.value for g in store.named_graphs() if "/id/review/" in g.value]


# ------------------------------------------------------------ through the Loader


def test_import_is_loading_by_the_same_rules(store: KnowledgeStore, loader: Loader, tmp_path: Path) -> None:
    reader = review_yaml_reader(Schemes(ONTOLOGY_DIR))
    review = copy_of_example(tmp_path)
    first = loader.load_read_by([review], reader)
    assert [r.outcome for r in first] == [Outcome.LOADED] * 4  # the vocabulary, then the review
    assert first[-1].graphs == (CHILD_M.value,)
    catalogued = {q.predicate.value: str(q.object) for q in store.quads(CATALOG) if q.subject == CHILD_M}
    assert catalogued["https://w3id.org/lrkg/ns#loadedFrom"] == '"review.yaml"'
    size = len(store)

    assert [r.outcome for r in loader.load_read_by([review], reader)] == [Outcome.UNCHANGED] * 4
    assert len(store) == size

    review.write_text(review.read_text(encoding="utf-8").replace("Review published", "Review made public"), "utf-8")
    assert loader.load_read_by([review], reader)[-1].outcome is Outcome.REPLACED
    labels = {str(q.object) for q in store.quads(CHILD_M) if q.predicate.value.endswith("#label")}
    assert '"Review made public"@en' in labels and '"Review published"@en' not in labels


def test_a_batch_with_one_bad_review_stores_nothing(store: KnowledgeStore, loader: Loader, tmp_path: Path) -> None:
    good = copy_of_example(tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text(MINIMAL.replace("themes: [communication]", "themes: [comunication]"), encoding="utf-8")
    with pytest.raises(BatchRejected) as rejected:
        loader.load_read_by([good, bad], review_yaml_reader(Schemes(ONTOLOGY_DIR)))
    (problem,) = rejected.value.problems
    assert isinstance(problem, InvalidReviewFile) and problem.file == str(bad.resolve())
    assert len(store) == 0


def test_warnings_are_passed_on_and_are_errors_when_strict(
    store: KnowledgeStore, loader: Loader, tmp_path: Path
) -> None:
    review = tmp_path / "review.yaml"
    review.write_text(MINIMAL.replace("actors:\n", "actors:\n  - id: nobody\n    label: Nobody\n    type: person\n"),
                      encoding="utf-8")
    with pytest.raises(BatchRejected):
        loader.load_read_by([review], review_yaml_reader(Schemes(ONTOLOGY_DIR), strict=True))
    warnings: list[Problem] = []
    loader.load_read_by([review], review_yaml_reader(Schemes(ONTOLOGY_DIR), on_warning=warnings.append))
    assert [w.message for w in warnings] == ["actor 'nobody' is described but nothing refers to it"]
    assert review_graphs(store) == ["https://w3id.org/lrkg/id/review/r"]


# ------------------------------------------------------------------ the command


def test_import_and_export_end_to_end(tmp_path: Path) -> None:
    store = tmp_path / "store"
    review = copy_of_example(tmp_path)
    imported = lrkg("import", review, "--store", store)
    assert imported.stdout.splitlines() == [
        f"imported   review.yaml: 282 triples into {CHILD_M.value}",
        "1 imported, 0 updated, 0 unchanged, 0 rejected.",
    ]
    again = lrkg("import", review, "--store", store)
    assert again.stdout.splitlines() == ["unchanged  review.yaml", "0 imported, 0 updated, 1 unchanged, 0 rejected."]

    answer = lrkg("recommendations", "--theme", "COM.REF", "--store", store).stdout
    assert "Tell referrers the outcome of their referral" in answer and "In progress" in answer

    exported = tmp_path / "exported.yaml"
    lrkg("export", "eastmoor-cspr-child-m", "--output", exported, "--store", store)
    assert exported.read_text(encoding="utf-8").startswith(f"# Review {CHILD_M.value}, exported from the lrkg store.")
    fresh = tmp_path / "fresh"
    assert "1 imported" in lrkg("import", exported, "--store", fresh).stdout

    original = lrkg("export", CHILD_M.value, "--format", "turtle", "--store", store).stdout
    reimported = lrkg("export", CHILD_M.value, "--format", "turtle", "--store", fresh).stdout
    original_graph = rdflib.Graph().parse(data=original, format="turtle")
    assert len(original_graph) == 282
    assert isomorphic(original_graph, rdflib.Graph().parse(data=reimported, format="turtle"))


def test_a_bad_review_is_rejected_with_every_problem_located(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("    themes: [decision-rationale]\n", "    themse: [decision-rationale]\n", 1)
    text = text.replace("implicates: [northgate-primary-school]", "implicates: [northgate-primary]", 1)
    text = text.replace("themes: [multi-agency working]", "themes: [multi-agency wrking]", 1)
    text = text.replace("    date: 2021-11-02\n", "    date: 2021-11-31\n", 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    good = copy_of_example(tmp_path, "good.yaml")
    store = tmp_path / "store"
    result = lrkg("import", good, bad, "--store", store, check=False)
    assert result.returncode == 1
    located = [line.strip().split(": ", 2)[:2] for line in result.stderr.splitlines() if line.startswith("  ")]
    assert located == [
        [f"{bad.resolve()}:{number}", field]
        for number, field in [
            (text[: text.index("themse:")].count("\n") + 1, "findings[2].themse"),
            (text[: text.index("northgate-primary]")].count("\n") + 1, "findings[3].implicates[0]"),
            (text[: text.index("multi-agency wrking")].count("\n") + 1, "findings[4].themes[0]"),
            (text[: text.index("2021-11-31")].count("\n") + 1, "events[2].date"),
        ]
    ]
    assert "Error: 1 of 2 file(s) rejected; nothing was stored." in result.stderr
    assert "Traceback" not in result.stderr
    count = lrkg("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv", "--store", store)
    assert count.stdout.splitlines()[1] == "0"


def test_a_curated_review_exported_and_imported_is_the_same_graph(
    tmp_path: Path, curated_store: KnowledgeStore
) -> None:
    exported = tmp_path / "amess.yaml"
    result = lrkg("export", "amess-prevent-learning-review", "--memory", "--output", exported)
    assert result.stderr.strip() == f"wrote {exported}"  # no warning: nothing is left out
    store = tmp_path / "store"
    lrkg("import", exported, "--store", store)
    graph = "https://w3id.org/lrkg/id/review/amess-prevent-learning-review"
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    reimported = lrkg("query", query, "--format", "turtle", "--store", store).stdout
    loaded = as_graph(curated_store.quads(NamedNode(graph)))  # the Turtle file, as the store holds it
    assert len(loaded) == 720 and isomorphic(loaded, rdflib.Graph().parse(data=reimported, format="turtle"))


def test_export_of_an_unknown_review_names_the_reviews(tmp_path: Path) -> None:
    store = tmp_path / "store"
    lrkg("import", copy_of_example(tmp_path), "--store", store)
    result = lrkg("export", "no-such-review", "--store", store, check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "No review 'no-such-review' in the store. Reviews: eastmoor-cspr-child-m." in result.stderr


def test_import_refuses_a_file_that_is_not_yaml(tmp_path: Path) -> None:
    result = lrkg("import", DATA_DIR / "lessons-for-prevent.ttl", "--memory", check=False)
    assert result.returncode == 1 and "use `lrkg load` for RDF" in result.stderr


def test_import_and_export_have_help() -> None:
    for command in ("import", "export"):
        helped = lrkg(command, "--help")
        assert "Usage:" in helped.stdout and len(helped.stdout.splitlines()) > 5, command
