"""A curator confirms or rejects the themes the tagger gave: validated, with who and when;
a rejected theme leaves the finding; confirmed ones become training examples."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.ingestion.learned_tagger import LearnedTagger
from graph.ingestion.loading import Loader
from graph.ingestion.pfd import read_reports
from graph.ingestion.reconcile import known_actors
from graph.ingestion.review_batch import store_reviews
from graph.ingestion.store_examples import CURATED_BY, write_store_examples
from graph.ingestion.tagging import RulesTagger, load_scheme
from graph.ingestion.theme_decisions import (
    CONFIRMED,
    REJECTED,
    AlreadyDecided,
    confirmed_examples,
    confirmed_themes,
    decide_theme,
    theme_decisions,
)
from graph.ingestion.theme_examples import training_examples
from graph.store.config import Settings
from graph.store.errors import InvalidInput, NotFound
from graph.store.knowledge_store import KnowledgeStore
from graph.store.validation import ShapesValidator
from graph.store.writes import Writer
from graph.vocabulary.namespaces import LRKG, minted_iri
from tests.conftest import ONTOLOGY_DIR, PROJECT_ROOT, SMALL_REVIEW, TEST_DATA

FINDING = "pfd-2025-0587-f1"


def themes_of(store: KnowledgeStore, finding: str) -> set[str]:
    node = minted_iri("finding", finding)
    return {q.object.value.rsplit("/", 1)[1] for q in store.quads() if q.subject.value == node
            and q.predicate.value == str(LRKG.theme)}


def methods_of(store: KnowledgeStore, finding: str) -> dict[str, str]:
    """theme id -> the method of the assignment that gave it."""
    node = minted_iri("finding", finding)
    assignments = {q.object for q in store.quads() if q.subject.value == node
                   and q.predicate.value == str(LRKG.themeAssignment)}
    found: dict[str, dict[str, str]] = {}
    for q in store.quads():
        if q.subject in assignments:
            found.setdefault(q.subject.value, {})[q.predicate.value] = q.object.value
    return {a[str(LRKG.assignedTheme)].rsplit("/", 1)[1]: a[str(LRKG.assignmentMethod)] for a in found.values()}


@pytest.fixture
def imported(validator: ShapesValidator) -> KnowledgeStore:
    """The PFD excerpt imported with the rules (the tagger does not matter here)."""
    store = KnowledgeStore.in_memory()
    Loader(store, validator).load([])
    tagger = RulesTagger.from_ontology(ONTOLOGY_DIR)
    result = read_reports(TEST_DATA / "pfd_excerpt.csv", known_actors(store), tagger, min_score=0.35, max_themes=5)
    store_reviews(store, validator, result.reviews, "pfd_excerpt.csv", problems=result.problems)
    return store


def test_a_confirmed_theme_stays_and_is_recorded_with_the_curator_and_the_time(
    imported: KnowledgeStore, validator: ShapesValidator
) -> None:
    theme = min(themes_of(imported, FINDING))
    decision = decide_theme(imported, Writer(imported, validator), FINDING, theme, curator="A. Curator",
                            verdict=CONFIRMED)
    assert (decision.verdict, decision.finding_id, decision.theme_id, decision.curator) == (
        CONFIRMED, FINDING, theme, "A. Curator")
    assert decision.created.startswith("20") and decision.proposal and "proposed by rules-v1" in (decision.note or "")
    assert theme in themes_of(imported, FINDING)
    assert confirmed_themes(imported) == {(minted_iri("finding", FINDING), minted_iri("theme", theme))}
    (example,) = confirmed_examples(imported)
    assert example.themes == {theme} and example.source == minted_iri("finding", FINDING)
    assert example.labelled_by == "curator A. Curator" and "Police did not pass" in example.text
    with pytest.raises(AlreadyDecided, match="already confirmed by A. Curator"):
        decide_theme(imported, Writer(imported, validator), FINDING, theme, curator="B. Other", verdict=CONFIRMED)


def test_confirmed_and_curated_themes_are_written_where_the_tagger_trains_and_it_learns_from_them(
    imported: KnowledgeStore, validator: ShapesValidator, tmp_path: Path
) -> None:
    Loader(imported, validator).load([SMALL_REVIEW])
    theme = min(themes_of(imported, FINDING))
    decide_theme(imported, Writer(imported, validator), FINDING, theme, curator="A. Curator", verdict=CONFIRMED)
    written = write_store_examples(imported, tmp_path)
    examples = {e.source: e for e in training_examples(tmp_path)}
    assert (written.confirmed, written.curated) == (1, 4)  # three findings, one recommendation
    confirmed = examples[minted_iri("finding", FINDING)]
    assert confirmed.themes == {theme} and "Police did not pass" in confirmed.text
    curated = examples[minted_iri("finding", "test-review-f1")]
    assert curated.themes == {"communication-with-referrer"} and curated.labelled_by == CURATED_BY
    assert curated.text == "The police closed the case without telling the school that referred it."
    joint = examples[minted_iri("recommendation", "test-review-r3")]  # no description: its label
    assert (joint.text, joint.themes) == ("Hold joint case meetings", {"communication-between-agencies"})
    # no machine-given theme is taken for a curator's: the imported findings' other themes are not examples
    assert {e.source for e in examples.values()} & {minted_iri("finding", "pfd-2025-0587-f2")} == set()
    # written again, they replace the earlier files rather than adding to them
    assert write_store_examples(imported, tmp_path) == written
    tagger = LearnedTagger(load_scheme(ONTOLOGY_DIR), training_examples(tmp_path))
    assert tagger.themes and len(training_examples(tmp_path)) == 5


def test_a_rejected_theme_and_its_assignment_leave_the_finding(imported: KnowledgeStore, validator: ShapesValidator) -> None:
    before = themes_of(imported, FINDING)
    assert len(before) >= 1
    writer = Writer(imported, validator)
    for theme in sorted(before):
        decide_theme(imported, writer, FINDING, theme, curator="A. Curator", verdict=REJECTED)
    # every theme rejected: the finding is kept, not yet classified, as the importer leaves one
    assert themes_of(imported, FINDING) == {"unclassified"}
    assert methods_of(imported, FINDING) == {"unclassified": "fallback-v1"}
    assert {d.theme_id for d in theme_decisions(imported, verdict=REJECTED)} == before
    assert confirmed_examples(imported) == []


def test_a_confirmed_theme_can_then_be_rejected(imported: KnowledgeStore, validator: ShapesValidator) -> None:
    theme = min(themes_of(imported, FINDING))
    writer = Writer(imported, validator)
    decide_theme(imported, writer, FINDING, theme, curator="A. Curator", verdict=CONFIRMED)
    decide_theme(imported, writer, FINDING, theme, curator="B. Curator", verdict=REJECTED)
    (decision,) = theme_decisions(imported, finding=FINDING)
    assert (decision.verdict, decision.curator) == (REJECTED, "B. Curator")
    assert theme not in themes_of(imported, FINDING)


@pytest.mark.parametrize(
    ("finding", "theme", "curator", "verdict", "error", "message"),
    [
        (FINDING, "record-keeping-nonsense", "A", CONFIRMED, InvalidInput, "not a theme of the lrkg theme scheme"),
        (FINDING, "data-retention", "A", CONFIRMED, NotFound, "has no theme data-retention"),
        ("no-such-finding", "communication", "A", CONFIRMED, NotFound, "no-such-finding has no theme"),
        (FINDING, "communication", "  ", CONFIRMED, InvalidInput, "curator's name is needed"),
        (FINDING, "communication", "A", "maybe", InvalidInput, "Unknown decision"),
        ("bad id!", "communication", "A", CONFIRMED, InvalidInput, "not a finding id"),
    ],
)
def test_bad_decisions_are_refused_with_a_clear_message(
    imported: KnowledgeStore, validator: ShapesValidator, finding: str, theme: str, curator: str, verdict: str,
    error: type[Exception], message: str,
) -> None:
    with pytest.raises(error, match=message):
        decide_theme(imported, Writer(imported, validator), finding, theme, curator=curator, verdict=verdict)
    assert theme_decisions(imported) == []


def test_a_curated_theme_cannot_be_rejected_only_confirmed(validator: ShapesValidator) -> None:
    store = KnowledgeStore.in_memory()
    Loader(store, validator).load([TEST_DATA / "small_review.ttl"])
    finding, theme = next(
        (q.subject.value.rsplit("/", 1)[1], q.object.value.rsplit("/", 1)[1])
        for q in store.quads() if q.predicate.value == str(LRKG.theme) and "/finding/" in q.subject.value
    )
    with pytest.raises(InvalidInput, match="given by the review's curators"):
        decide_theme(store, Writer(store, validator), finding, theme, curator="A", verdict=REJECTED)
    assert decide_theme(store, Writer(store, validator), finding, theme, curator="A", verdict=CONFIRMED).proposal is None


# ------------------------------------------------------------------ over HTTP and on the command line

TOKEN = "theme-curator-token"


def client_for(folder: Path, token: str | None = TOKEN) -> TestClient:
    """A server in memory holding the small test review, its one write token held by E. Curator."""
    data = folder / "data"
    data.mkdir(exist_ok=True)
    (data / "small_review.ttl").write_bytes((TEST_DATA / "small_review.ttl").read_bytes())
    settings = Settings(memory=True, data_dir=data, ontology_dir=ONTOLOGY_DIR, query_workers=1, write_token=token,
                        write_token_name="E. Curator")
    return TestClient(create_app(settings))


def test_rest_a_curator_confirms_a_theme_and_sees_the_decisions(tmp_path: Path) -> None:
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    body = {"finding": "test-review-f1", "theme": "communication-with-referrer"}
    with client_for(tmp_path) as client:
        assert client.post("/api/theme-decisions", json=body).status_code == 401
        assert client.get("/api/theme-decisions").json()["items"] == []
        created = client.post("/api/theme-decisions", json=body, headers=bearer)
        assert created.status_code == 201, created.text
        decision = created.json()["decision"]
        assert (decision["verdict"], decision["finding"], decision["theme"], decision["curator"]) == (
            "confirmed", "test-review-f1", "communication-with-referrer", "E. Curator")
        again = client.post("/api/theme-decisions", json=body, headers=bearer)
        assert again.status_code == 409 and "already confirmed by E. Curator" in again.json()["error"]
        curated = client.post("/api/theme-decisions", json={**body, "verdict": "rejected"}, headers=bearer)
        assert curated.status_code == 400 and "given by the review's curators" in curated.json()["error"]
        missing = client.post("/api/theme-decisions", json={**body, "theme": "data-retention"}, headers=bearer)
        assert missing.status_code == 404 and "has no theme data-retention" in missing.json()["error"]
        unknown = client.post("/api/theme-decisions", json={**body, "verdict": "perhaps"}, headers=bearer)
        assert unknown.status_code == 422
        listed = client.get("/api/theme-decisions", params={"verdict": "confirmed"}).json()["items"]
        assert [(row["finding"], row["theme"], row["curator"]) for row in listed] == [
            ("test-review-f1", "communication-with-referrer", "E. Curator")]
        as_csv = client.get("/api/theme-decisions", params={"format": "csv"})
        assert next(csv.DictReader(io.StringIO(as_csv.text)))["theme"] == "communication-with-referrer"


def lrkg(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "api", *map(str, args)], capture_output=True, text=True, check=False,
                          timeout=300, cwd=PROJECT_ROOT)


def test_the_command_line_rejects_a_machine_theme_and_writes_the_confirmed_examples(tmp_path: Path) -> None:
    store = tmp_path / "store"
    assert lrkg("import-pfd", TEST_DATA / "pfd_excerpt.csv", "--store", store).returncode == 0
    listed = lrkg("query", "SELECT ?t WHERE { <https://w3id.org/lrkg/id/finding/pfd-2025-0587-f1> "
                  "<https://w3id.org/lrkg/ns#theme> ?t }", "--format", "json", "--store", store)
    given = sorted(b["t"]["value"].rsplit("/", 1)[1] for b in json.loads(listed.stdout)["results"]["bindings"])
    assert given and "unclassified" not in given
    rejected = lrkg("decide-theme", "pfd-2025-0587-f1", given[0], "--curator", "A. Curator", "--reject", "--store", store)
    assert rejected.returncode == 0, rejected.stderr
    assert rejected.stdout.startswith(f"Rejected: {given[0]} of pfd-2025-0587-f1, by A. Curator")
    confirmed = lrkg("decide-theme", "test-review-f1", "communication-with-referrer", "--curator", "A. Curator",
                     "--store", store)
    assert confirmed.returncode == 1 and "has no theme" in confirmed.stderr  # the small review is not in this store
    if len(given) > 1:
        assert lrkg("decide-theme", "pfd-2025-0587-f1", given[1], "--curator", "B. Curator", "--store", store).returncode == 0
    examples = tmp_path / "confirmed.jsonl"
    table = lrkg("theme-decisions", "--examples", examples, "--store", store)
    assert table.returncode == 0 and "rejected" in table.stdout and given[0] in table.stdout
    written = [json.loads(line) for line in examples.read_text(encoding="utf-8").splitlines()]
    assert written == ([{"text": written[0]["text"], "themes": [given[1]], "source": minted_iri("finding", "pfd-2025-0587-f1"),
                         "labelled_by": "curator B. Curator"}] if len(given) > 1 else [])
    into = tmp_path / "training"
    retrain = lrkg("training-examples", "--into", into, "--store", store)
    assert retrain.returncode == 0, retrain.stderr
    assert retrain.stdout.startswith(f"{len(written)} confirmed example(s) written to {into / 'confirmed.jsonl'}")
    assert [e.text for e in training_examples(into)] == [w["text"] for w in written]
