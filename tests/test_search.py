"""Full-text search: ranking, snippets, hostile input, and an index that keeps in step with the store."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import Literal, NamedNode, Quad

from api.app import create_app
from graph.answers.search import SearchIndex, index_file, match_expression
from graph.ingestion.loading import Loader
from graph.ingestion.review_batch import store_reviews
from graph.ingestion.tracker import read_tracker
from graph.ingestion.tracker_mapping import ntsb_statuses, read_mapping
from graph.store.catalog import fingerprints
from graph.store.config import Settings
from graph.store.errors import InvalidInput
from graph.store.knowledge_store import KnowledgeStore
from graph.store.paging import Window
from graph.store.validation import ShapesValidator
from graph.vocabulary.schemes import Schemes
from tests.conftest import ONTOLOGY_DIR, SMALL_REVIEW, TEST_DATA

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
DESCRIPTION = NamedNode("http://purl.org/dc/terms/description")
FINDING = NamedNode("https://w3id.org/lrkg/ns#Finding")
SCRATCH = NamedNode("https://w3id.org/lrkg/graph/scratch")
TEST_REVIEW = "https://w3id.org/lrkg/id/review/test-review"
TOKEN = "search-test-token"
HOSTILE = ['"', 'NEAR(', '*', "') OR 1=1 --", 'school"', '"school', 'AND', 'OR NOT', 'school NEAR/2 police',
           '^school', 'label:school', '(((', '{}', '\\', '%', '-school', '"; DROP TABLE documents; --', '\u0000']


def finding(slug: str, label: str, text: str | None = None, graph: NamedNode = SCRATCH) -> list[Quad]:
    iri = NamedNode(f"https://w3id.org/lrkg/id/finding/{slug}")
    quads = [Quad(iri, RDF_TYPE, FINDING, graph), Quad(iri, LABEL, Literal(label, language="en"), graph)]
    if text:
        quads.append(Quad(iri, DESCRIPTION, Literal(text, language="en"), graph))
    return quads


def ids(index: SearchIndex, text: str, limit: int = 50) -> list[str]:
    return [hit.id for hit in index.search(text, Window(limit)).items]


@pytest.fixture
def curated_index(curated_store: KnowledgeStore) -> Iterator[SearchIndex]:
    with SearchIndex.open(None) as index:
        index.sync(curated_store)
        yield index


@pytest.fixture
def small_index(small_store: KnowledgeStore) -> Iterator[SearchIndex]:
    with SearchIndex.open(None) as index:
        index.sync(small_store)
        yield index


@pytest.fixture
def followed(loader: Loader, store: KnowledgeStore, tmp_path: Path) -> Iterator[SearchIndex]:
    """An index on disk that follows a store of each kind holding the small review."""
    loader.load([SMALL_REVIEW])
    with SearchIndex.open(tmp_path / "index" / "search.sqlite") as index:
        index.sync(store)
        index.follow(store)
        yield index


# ------------------------------------------------------------------ ranking and snippets


def test_a_match_in_the_label_ranks_above_one_in_the_text(store: KnowledgeStore) -> None:
    store.write(
        finding("in-text", "Meetings were missed", "Nobody checked whether information sharing happened at all.")
        + finding("in-label", "Poor information sharing")
    )
    with SearchIndex.open(None) as index:
        index.sync(store)
        assert ids(index, "information sharing") == ["in-label", "in-text"]
        best, second = index.search("information sharing", Window(2)).items
        assert best.score > second.score > 0


def test_curated_ranking_puts_the_theme_and_the_findings_named_for_it_first(curated_index: SearchIndex) -> None:
    found = ids(curated_index, "record keeping")
    assert found[0] == "record-keeping"
    assert "amess-prevent-learning-review-f2" in found  # "Ineffective record keeping; ..."
    assert "amess-prevent-learning-review-x4" not in found  # its excerpt: found as the finding, not again


def test_a_phrase_from_an_excerpt_finds_its_finding_and_not_the_excerpt_again(small_index: SearchIndex) -> None:
    page = small_index.search("not informed that the case had been closed", Window(10))
    by_id = {hit.id: hit for hit in page.items}
    assert "test-review-f1" in by_id and "test-review-x1" not in by_id  # each resource once, not its excerpt too
    hit = by_id["test-review-f1"]
    assert (hit.kind, hit.label) == ("finding", "The school was not told the outcome")
    assert hit.review is not None and (hit.review.id, hit.review.label) == ("test-review", "Test safeguarding review")
    assert hit.graph == TEST_REVIEW
    assert "informed" in [piece.text.lower() for piece in hit.highlighted if piece.match]
    assert hit.snippet == "".join(piece.text for piece in hit.highlighted)
    assert "\x02" not in hit.snippet and "\x03" not in hit.snippet


def test_kinds_reviews_and_words_that_are_stemmed(curated_index: SearchIndex, small_index: SearchIndex) -> None:
    actor = curated_index.search("CTP", Window(5)).items[0]
    assert (actor.kind, actor.id, actor.review) == ("actor", "counter-terrorism-policing", None)
    theme = curated_index.search("miscommunication", Window(5)).items[0]
    assert (theme.kind, theme.id) == ("theme", "communication")  # a synonym of the theme
    assert "test-review" in ids(small_index, "safeguarding practice review")  # the review's title
    assert "test-review-f2" in ids(small_index, "decision")  # "Decisions were recorded ..."
    policing = set(ids(curated_index, "policing"))
    assert {"metropolitan-police", "counter-terrorism-policing"} <= policing


def test_one_hit_per_resource_although_actors_repeat_across_graphs(curated_index: SearchIndex) -> None:
    found = ids(curated_index, "Counter Terrorism Policing", limit=200)
    assert found.count("counter-terrorism-policing") == 1
    assert curated_index.search("Counter Terrorism Policing", Window(200)).total == len(found)


def test_hits_of_equal_score_are_in_iri_order_on_every_page(store: KnowledgeStore) -> None:
    slugs = ["delta", "alpha", "echo", "charlie", "bravo"]  # written out of order: ties go by IRI
    store.write([q for slug in slugs for q in finding(slug, "Unlit crossing")] + finding("best", "Unlit"))
    with SearchIndex.open(None) as index:
        index.sync(store)
        assert ids(index, "unlit") == ["best", "alpha", "bravo", "charlie", "delta", "echo"]
        pages = [index.search("unlit", Window(2, offset)) for offset in (0, 2, 4)]
        assert [hit.id for page in pages for hit in page.items] == ids(index, "unlit")
        assert {page.total for page in pages} == {6}


def test_a_resource_in_several_graphs_is_one_hit_until_its_last_graph_goes(followed: SearchIndex,
                                                                             store: KnowledgeStore) -> None:
    other = NamedNode("https://w3id.org/lrkg/graph/other")
    store.write(finding("zebra", "Zebra crossings were unlit") + finding("zebra", "Zebra crossings", graph=other))
    page = followed.search("zebra", Window(10))
    assert ([hit.id for hit in page.items], page.total) == (["zebra"], 1)
    assert page.items[0].graph == other.value  # its best document: the shorter label
    store.write([], drop_graphs=[other])
    page = followed.search("zebra", Window(10))
    assert ([(hit.id, hit.graph) for hit in page.items], page.total) == ([("zebra", SCRATCH.value)], 1)
    store.write([], drop_graphs=[SCRATCH])
    assert followed.search("zebra", Window(10)).total == 0


def test_paging(small_index: SearchIndex) -> None:
    everything = ids(small_index, "school")
    assert len(everything) >= 3
    first = small_index.search("school", Window(2))
    second = small_index.search("school", Window(2, 2))
    assert [h.id for h in first.items + second.items] == everything[:4]
    assert first.total == second.total == len(everything)
    assert first.next_offset == 2
    assert small_index.search("school", Window()).items == small_index.search("school", Window(50)).items


@pytest.mark.parametrize(
    ("typed", "expression"),
    [
        ("record keeping", '"record" "keeping"'),
        ('"quoted" NEAR(x) *', '"quoted" "near" "x"'),
        ("failures of the police", '"failures" "police"'),
        ("the of", '"the" "of"'),
        ("') OR --", '"or"'),
        ("') --", None),
    ],
)
def test_typed_words_become_quoted_fts5_strings(typed: str, expression: str | None) -> None:
    assert match_expression(typed) == expression


# ------------------------------------------------------------------ over HTTP


@pytest.fixture
def client(small_settings: Settings) -> Iterator[TestClient]:
    settings = Settings(**{**small_settings.model_dump(), "write_token": TOKEN, "query_workers": 1})
    with TestClient(create_app(settings)) as client:
        yield client


def test_search_over_http(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "referral", "limit": 2})
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True and body["q"] == "referral"
    assert (body["limit"], body["offset"]) == (2, 0)
    assert body["total"] > 2
    following = client.get(body["next"]).json()
    assert (following["q"], following["limit"], following["offset"]) == ("referral", 2, 2)
    assert {item["iri"] for item in following["items"]}.isdisjoint(item["iri"] for item in body["items"])
    item = body["items"][0]
    assert set(item) >= {"iri", "id", "kind", "label", "snippet", "highlighted", "review", "score"}
    last = client.get("/api/search", params={"q": "referral", "limit": 2, "offset": body["total"] - 1}).json()
    assert len(last["items"]) == 1 and last["next"] is None


def test_hostile_queries_are_plain_words_and_change_nothing(client: TestClient) -> None:
    store: KnowledgeStore = client.app.state.store  # type: ignore[attr-defined]
    index: SearchIndex = client.app.state.search_index  # type: ignore[attr-defined]
    before = (len(store), index.fingerprints(), ids(index, "school"))
    for typed in HOSTILE:
        response = client.get("/api/search", params={"q": typed})
        assert response.status_code == 200, (typed, response.text)
        assert response.json()["ok"] is True
    assert client.get("/api/search", params={"q": "school NEAR police"}).json()["total"] == 0  # NEAR is a word
    assert (len(store), index.fingerprints(), ids(index, "school")) == before


def test_bad_search_requests_are_422(client: TestClient) -> None:
    cases: list[dict[str, str | int]] = [{"q": ""}, {"q": "   "}, {}, {"q": "school", "limit": 1001}]
    cases.append({"q": "x", "limit": 0})
    for params in cases:
        response = client.get("/api/search", params=params)
        assert response.status_code == 422, params
        body = response.json()
        assert body["ok"] is False and body["status"] == 422 and body["error"]


def test_the_index_follows_a_sparql_update(client: TestClient) -> None:
    update = f'INSERT DATA {{ GRAPH <{TEST_REVIEW}> {{ <{TEST_REVIEW}> dcterms:description "Zebra crossings"@en }} }}'
    written = client.post("/sparql", data={"update": update}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert written.status_code == 200, written.text
    found = client.get("/api/search", params={"q": "zebra"}).json()["items"]
    assert [(item["kind"], item["id"]) for item in found] == [("review", "test-review")]
    deleted = update.replace("INSERT DATA", "DELETE DATA")
    client.post("/sparql", data={"update": deleted}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert client.get("/api/search", params={"q": "zebra"}).json()["total"] == 0


# ------------------------------------------------------------------ in step with the store


def test_the_index_follows_every_write(followed: SearchIndex, store: KnowledgeStore) -> None:
    store.write(finding("zebra", "Zebra crossings were unlit"))
    assert ids(followed, "zebra") == ["zebra"]
    assert followed.fingerprints()[SCRATCH.value] is None  # written without a catalogue entry

    store.write(finding("lamps", "Lamp posts were unlit"), drop_graphs=[SCRATCH])
    assert ids(followed, "zebra") == []
    assert ids(followed, "lamp") == ["lamps"]
    assert ids(followed, "unlit") == ["lamps"]

    store.write([], drop_graphs=[SCRATCH])
    assert ids(followed, "lamp") == []
    assert SCRATCH.value not in followed.fingerprints()


def test_a_load_records_the_catalogue_fingerprint(
    followed: SearchIndex, store: KnowledgeStore, validator: ShapesValidator, tmp_path: Path
) -> None:
    changed = tmp_path / "small_review.ttl"
    changed.write_text(SMALL_REVIEW.read_text().replace("Hold joint case meetings", "Hold joint case conferences"))
    Loader(store, validator).load([changed])
    assert ids(followed, "conferences") == ["test-review-r3"]
    assert "test-review-r3" not in ids(followed, "meetings")
    assert followed.fingerprints() == fingerprints(store)


def test_sync_repairs_a_lost_or_corrupt_record(store: KnowledgeStore, loader: Loader, tmp_path: Path) -> None:
    loader.load([SMALL_REVIEW])
    path = tmp_path / "search.sqlite"
    with SearchIndex.open(path) as index:
        assert TEST_REVIEW in index.sync(store).reindexed
        expected = ids(index, "school")
        assert index.sync(store).reindexed == []

    themes = "https://w3id.org/lrkg/graph/themes"
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("DELETE FROM indexed_graphs WHERE graph = ?", (TEST_REVIEW,))
        connection.execute("UPDATE indexed_graphs SET fingerprint = 'corrupt' WHERE graph = ?", (themes,))
        connection.execute("INSERT INTO indexed_graphs (graph, fingerprint) VALUES ('https://example.org/gone', 'x')")
    connection.close()

    with SearchIndex.open(path) as index:
        report = index.sync(store)
        assert sorted(report.reindexed) == [themes, TEST_REVIEW]
        assert report.dropped == ["https://example.org/gone"]
        assert ids(index, "school") == expected  # indexed again, not twice
        assert index.sync(store).reindexed == []


def test_sync_catches_up_with_writes_made_while_it_was_not_following(
    store: KnowledgeStore, loader: Loader, tmp_path: Path
) -> None:
    loader.load([SMALL_REVIEW])
    path = tmp_path / "search.sqlite"
    with SearchIndex.open(path) as index:
        index.sync(store)
        index.follow(store)
    store.write(finding("zebra", "Zebra crossings were unlit"))  # as if the process died before indexing it
    with SearchIndex.open(path) as index:
        assert ids(index, "zebra") == []
        assert index.sync(store).reindexed == [SCRATCH.value]
        assert ids(index, "zebra") == ["zebra"]


def test_an_index_that_cannot_follow_a_write_never_fails_it(
    store: KnowledgeStore, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "search.sqlite"
    with SearchIndex.open(path) as index:
        index.follow(store)
        saboteur = sqlite3.connect(path)
        with saboteur:
            saboteur.execute(
                "CREATE TRIGGER refuse BEFORE INSERT ON indexed_graphs BEGIN SELECT RAISE(ABORT, 'disk full'); END"
            )
        store.write(finding("zebra", "Zebra crossings were unlit"))  # committed, and no error
        assert store.describes(NamedNode("https://w3id.org/lrkg/id/finding/zebra"))
        assert "could not follow a write" in caplog.text and "disk full" in caplog.text
        assert ids(index, "zebra") == []  # the failed re-index left nothing half done
        with saboteur:
            saboteur.execute("DROP TRIGGER refuse")
        saboteur.close()
        assert index.sync(store).reindexed == [SCRATCH.value]
        assert ids(index, "zebra") == ["zebra"]


def test_a_file_that_is_not_a_database_is_refused_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "search.sqlite"
    path.write_bytes(b"this is not a SQLite database" * 100)
    with pytest.raises(InvalidInput, match="not a SQLite database"):
        SearchIndex.open(path)
    assert path.read_bytes() == b"this is not a SQLite database" * 100


def test_an_empty_file_becomes_an_index(small_store: KnowledgeStore, tmp_path: Path) -> None:
    path = tmp_path / "search.sqlite"
    path.touch()
    with SearchIndex.open(path) as index:
        index.sync(small_store)
        assert "test-review-f3" in ids(index, "school")


def test_each_store_has_its_own_index_unless_one_is_named(tmp_path: Path) -> None:
    assert index_file(Settings(memory=True)) is None
    assert index_file(Settings()) == Path(".lrkg/search.sqlite")
    assert index_file(Settings(store=tmp_path / "store")) == tmp_path / "search.sqlite"
    named = tmp_path / "elsewhere" / "index.sqlite"
    assert index_file(Settings(store=tmp_path / "store", search_index=named)) == named


def test_reopening_an_on_disk_store_and_index_gives_the_same_results(
    tmp_path: Path, validator: ShapesValidator
) -> None:
    folder, path = tmp_path / "store", tmp_path / "search.sqlite"
    store = KnowledgeStore.open(folder)
    Loader(store, validator).load([SMALL_REVIEW])
    with SearchIndex.open(path) as index:
        index.sync(store)
        before = index.search("school referral", Window(20))
    del store

    reopened = KnowledgeStore.open(folder)
    with SearchIndex.open(path) as index:
        assert index.sync(reopened).reindexed == []
        assert index.search("school referral", Window(20)) == before
    del reopened

    environment = {k: v for k, v in os.environ.items() if k != "LRKG_SEARCH_INDEX"}  # the index beside the store
    command = [sys.executable, "-m", "api", "search", "school referral", "--store", str(folder), "--format", "json",
               "--limit", "20"]
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=120, env=environment)
    assert [hit["id"] for hit in json.loads(output.stdout)["items"]] == [hit.id for hit in before.items]
    text = subprocess.run(command[:-4], capture_output=True, text=True, check=True, timeout=120, env=environment)
    assert before.items[0].label in text.stdout and f"of {before.total} results" in text.stdout


def test_a_tracker_lists_each_recommendation_once_and_its_replies_are_found(validator: ShapesValidator) -> None:
    """Issue 16: a recommendation and the excerpt holding its words were two hits; a reply
    without a status (cited only by its response) is still found."""
    schemes = Schemes(ONTOLOGY_DIR)
    trackers = TEST_DATA / "trackers"
    imported = read_tracker(trackers / "safety_tracker.csv", read_mapping(trackers / "safety_tracker.yaml", schemes),
                            schemes, [], ntsb_statuses(ONTOLOGY_DIR))
    store = KnowledgeStore.in_memory()
    store_reviews(store, validator, imported.reviews, "safety_tracker.csv")
    with SearchIndex.open(None) as index:
        index.sync(store)
        hits = index.search("warning lights", Window(10)).items
        assert [(h.kind, h.id) for h in hits if "2024-1" in h.id and h.kind != "excerpt"] == [
            ("recommendation", "raib-04-2024-2024-1")]
        assert not any(h.id == "raib-04-2024-2024-1-x1" for h in hits)
        reply = index.search("considering how best to take this forward", Window(10)).items
        assert [h.kind for h in reply] == ["excerpt"]
