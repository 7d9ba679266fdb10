"""A status software read from a reply is said to be proposed wherever a status appears: the
REST answers (`proposed`, with the method and score), the recommendation and review pages and
the `lrkg recommendations` table ("(proposed)"), while a status the tracker stated is not.
The tracker tests/data/trackers/safety_tracker.csv has replies with no status and one stated."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from pyoxigraph import NamedNode

from api.app import create_app
from api.cli import main
from graph.answers.list_order import latest_statuses
from graph.store.config import Settings
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import ANY, bind_values, named_query
from graph.vocabulary.namespaces import minted_iri
from tests.conftest import ONTOLOGY_DIR, PROJECT_ROOT, TEST_DATA

TRACKERS = TEST_DATA / "trackers"
PROPOSED = "raib-04-2024-2024-1"  # "Network Rail has installed ...": no status, reported implemented read from it
STATED = "maib-12-2023-2023-102"  # one reply stated (rejected), a later one proposed (under consideration)


def imported_store(store: Path) -> Path:
    """The tracker imported into a new store at `store`."""
    imported = CliRunner().invoke(main, ["import-csv", str(TRACKERS / "safety_tracker.csv"),
                                         "--mapping", str(TRACKERS / "safety_tracker.yaml"), "--store", str(store)])
    assert imported.exit_code == 0, imported.output
    return store


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = imported_store(tmp_path_factory.mktemp("proposed") / "store")
    settings = Settings(store=store, ontology_dir=ONTOLOGY_DIR, query_workers=1)
    with TestClient(create_app(settings)) as client:
        yield client


def test_rest_marks_a_proposed_status_with_its_method_and_score(client: TestClient) -> None:
    answer = client.get(f"/api/recommendations/{PROPOSED}").json()
    assert answer["latest_status"] == {
        "iri": "https://w3id.org/lrkg/id/status/reported-implemented", "id": "reported-implemented",
        "label": answer["latest_status"]["label"], "proposed": True, "method": "status-rules-v1", "score": 0.9}
    assert [(r["status"]["id"], r["status"]["proposed"]) for r in answer["status_history"]] == [
        ("reported-implemented", True)]


def test_rest_a_stated_status_is_not_proposed(client: TestClient) -> None:
    answer = client.get(f"/api/recommendations/{STATED}").json()
    history = [(r["status"]["id"], r["status"]["proposed"], r["status"]["method"]) for r in answer["status_history"]]
    assert history == [("rejected", False, None), ("under-consideration", True, "status-rules-v1")]
    assert (answer["latest_status"]["id"], answer["latest_status"]["proposed"]) == ("under-consideration", True)
    listed = {item["id"]: [r["status"]["proposed"] for r in item["status_history"]]
              for item in client.get("/api/recommendations", params={"review": "maib-12-2023"}).json()["items"]}
    assert listed == {"maib-12-2023-2023-101": [True], STATED: [False, True]}


def test_pages_say_proposed_beside_a_proposed_status_only(client: TestClient) -> None:
    page = client.get(f"/id/recommendation/{PROPOSED}").text
    assert page.count("(proposed)") == 2  # the latest status and its one response
    assert "status-rules-v1, score 0.9" in page
    stated = client.get(f"/id/recommendation/{STATED}").text
    assert stated.count("(proposed)") == 2  # the latest and the later reply; not the stated "Rejected"
    assert '<td>Rejected <span class="muted">(decision)</span></td>' in stated  # stated: nothing beside it
    review = client.get("/id/review/maib-12-2023").text
    assert review.count("(proposed)") == 4  # each recommendation's latest status and its proposed reply


def test_the_recommendations_table_says_proposed(tmp_path: Path) -> None:
    store = imported_store(tmp_path / "store")  # its own: the server above holds the other's lock
    table = CliRunner().invoke(main, ["recommendations", "--theme", "communication", "--store", str(store)])
    assert table.exit_code == 0, table.output
    row = next(line for line in table.stdout.splitlines() if line.startswith("Bridge watchkeeping"))
    assert row.split("  ")[-1].strip() == "(tagged directly)" and "Reported implemented (proposed)" in row


# ------------------------------------------------------------------ a curator confirms or corrects

TOKEN = "status-curator-token"
REPLY = "raib-04-2024-2024-1-reply-undated"  # Network Rail's reply, proposed reported-implemented


def latest(client: TestClient, recommendation: str) -> tuple[str, bool]:
    status = client.get(f"/api/recommendations/{recommendation}").json()["latest_status"]
    return status["id"], status["proposed"]


def test_a_curator_confirms_then_corrects_a_proposed_status(tmp_path: Path) -> None:
    store = imported_store(tmp_path / "store")
    settings = Settings(store=store, ontology_dir=ONTOLOGY_DIR, query_workers=1, write_token=TOKEN,
                        write_token_name="E. Curator")
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    with TestClient(create_app(settings)) as client:
        assert latest(client, PROPOSED) == ("reported-implemented", True)
        body = {"response": REPLY, "curator": "Someone Else"}  # the name comes from the token, not the body
        assert client.post("/api/status-decisions", json=body).status_code == 401
        confirmed = client.post("/api/status-decisions", json=body, headers=bearer)
        assert confirmed.status_code == 201, confirmed.text
        decision = confirmed.json()["decision"]
        assert (decision["verdict"], decision["response"], decision["status"], decision["proposed_status"],
                decision["curator"]) == ("confirmed", REPLY, "reported-implemented", "reported-implemented", "E. Curator")
        assert decision["note"] == "proposed reported-implemented by status-rules-v1 with score 0.9"
        assert latest(client, PROPOSED) == ("reported-implemented", False)
        again = client.post("/api/status-decisions", json=body, headers=bearer)
        assert again.status_code == 409 and "already confirmed as reported-implemented by E. Curator" in again.text
        corrected = client.post("/api/status-decisions", json={"response": REPLY, "status": "In progress"},
                                headers=bearer)
        assert corrected.status_code == 201 and corrected.json()["decision"]["verdict"] == "corrected"
        assert latest(client, PROPOSED) == ("in-progress", False)
        listed = client.get("/api/recommendations", params={"status": "in-progress"}).json()["items"]
        assert [item["id"] for item in listed] == [PROPOSED]  # the status filter reads the decision too
        stated_reply = "maib-12-2023-2023-102-rejected-2023-08-20-british-ports-association"
        stated = client.post("/api/status-decisions", json={"response": stated_reply}, headers=bearer)
        assert stated.status_code == 404 and "not a response with a proposed status" in stated.json()["error"]
        group = client.post("/api/status-decisions", json={"response": REPLY, "status": "decision"}, headers=bearer)
        assert group.status_code == 400 and "not a status of the lrkg status scheme" in group.json()["error"]
        assert [(r["verdict"], r["status"]) for r in client.get("/api/status-decisions").json()["items"]] == [
            ("corrected", "in-progress")]


def lrkg(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The command line in a process of its own, as a curator runs it (each command opens the store and lets it go)."""
    return subprocess.run([sys.executable, "-m", "api", *map(str, args)], capture_output=True, text=True,
                          check=False, timeout=300, cwd=PROJECT_ROOT)


def test_the_command_line_corrects_a_proposed_status_and_a_reimport_keeps_the_decision(tmp_path: Path) -> None:
    store = tmp_path / "store"
    importing = ("import-csv", TRACKERS / "safety_tracker.csv", "--mapping", TRACKERS / "safety_tracker.yaml",
                 "--store", store)
    assert lrkg(*importing).returncode == 0
    reply = "maib-12-2023-2023-101-reply-2023-07-01"
    decided = lrkg("decide-status", reply, "--status", "in progress", "--curator", "A. Curator", "--store", store)
    assert decided.returncode == 0, decided.stderr
    assert decided.stdout.startswith(f"Corrected: {reply} is in-progress, by A. Curator")
    again = lrkg(*importing)  # the tracker again: its review graph is replaced, the decision is not
    assert again.returncode == 0, again.stderr
    table = lrkg("recommendations", "--theme", "communication", "--store", store)
    row = next(line for line in table.stdout.splitlines() if line.startswith("Bridge watchkeeping"))
    assert "In progress" in row and "(proposed)" not in row and "Reported implemented" not in row
    listed = lrkg("status-decisions", "--store", store)
    assert f"corrected  {reply}  in-progress  reported-implemented  A. Curator" in listed.stdout
    unknown = lrkg("decide-status", reply, "--status", "perhaps", "--curator", "A. Curator", "--store", store)
    assert unknown.returncode != 0 and "perhaps" in unknown.stderr
    opened = KnowledgeStore.open(store)
    assert latest_statuses(opened)[minted_iri("recommendation", "maib-12-2023-2023-101")].status == minted_iri(
        "status", "in-progress")
    in_progress = {"theme": [ANY], "review": [ANY], "owner": [ANY], "exactly": [ANY],
                   "status": [NamedNode(minted_iri("status", "in-progress"))]}
    rows = opened.select(bind_values(named_query("recommendations").text, in_progress))
    assert {row["recommendation"].value for row in rows} == {minted_iri("recommendation", "maib-12-2023-2023-101")}
