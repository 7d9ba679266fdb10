"""The `lrkg` command, run as a user runs it: a real process on a real store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import SMALL_REVIEW

ORPHAN = (
    "@prefix lrkg: <https://w3id.org/lrkg/ns#> .\n"
    "<https://w3id.org/lrkg/id/finding/orphan> a lrkg:Finding ;"
    ' <http://www.w3.org/2000/01/rdf-schema#label> "orphan"@en .\n'
)


def lrkg(*args: str | Path, check: bool = True, **settings: str) -> subprocess.CompletedProcess[str]:
    """Run `lrkg`; `settings` are LRKG_* variables."""
    command = [sys.executable, "-m", "api", *map(str, args)]
    environment = {**os.environ, **{f"LRKG_{name.upper()}": value for name, value in settings.items()}}
    return subprocess.run(command, capture_output=True, text=True, check=check, timeout=120, env=environment)


def test_load_query_and_headline_question(tmp_path: Path) -> None:
    store = tmp_path / "store"
    loaded = lrkg("load", SMALL_REVIEW, "--store", store)
    assert "4 loaded, 0 replaced, 0 unchanged" in loaded.stdout
    again = lrkg("load", SMALL_REVIEW, "--store", store)
    assert "0 loaded, 0 replaced, 4 unchanged" in again.stdout

    table = lrkg("recommendations", "--theme", "communication", "--store", store).stdout
    assert "Tell referrers what happened" in table and "Hold joint case meetings" in table
    assert "Record the reasons for decisions" not in table
    assert "(2 rows)" in table

    answer = json.loads(lrkg("recommendations", "--theme", "COM.REF", "--format", "json", "--store", store).stdout)
    assert answer["theme"]["id"] == "communication-with-referrer"
    assert [r["id"] for r in answer["recommendations"]] == ["test-review-r1"]
    assert answer["recommendations"][0]["findings"][0]["evidence"][0]["verbatim"] is True

    query = "SELECT ?label WHERE { ?r a <https://w3id.org/lrkg/ns#Recommendation> ; rdfs:label ?label } ORDER BY ?label"
    csv_rows = lrkg("query", query, "--format", "csv", "--store", store).stdout.splitlines()
    assert csv_rows == ["label", "Hold joint case meetings", "Record the reasons for decisions", "Tell referrers what happened"]
    results = json.loads(lrkg("query", query, "--format", "json", "--store", store).stdout)
    assert len(results["results"]["bindings"]) == 3


def test_load_without_paths_loads_the_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / SMALL_REVIEW.name).write_bytes(SMALL_REVIEW.read_bytes())
    loaded = lrkg("load", "--store", tmp_path / "store", data_dir=str(data))
    assert f"loaded     {SMALL_REVIEW.name}" in loaded.stdout
    assert "4 loaded, 0 replaced, 0 unchanged" in loaded.stdout

    missing = lrkg("load", "--store", tmp_path / "store", check=False, data_dir=str(tmp_path / "missing"))
    assert missing.returncode == 1
    assert f"{tmp_path / 'missing'}: no such file or folder" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_query_from_a_file_and_as_turtle(tmp_path: Path) -> None:
    store = tmp_path / "store"
    lrkg("load", SMALL_REVIEW, "--store", store)
    rq = tmp_path / "labels.rq"
    rq.write_text("CONSTRUCT { ?r <http://www.w3.org/2000/01/rdf-schema#label> ?l } WHERE { "
                  "?r a <https://w3id.org/lrkg/ns#Review> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    turtle = lrkg("query", rq, "--format", "turtle", "--store", store).stdout
    assert "<https://w3id.org/lrkg/id/review/test-review>" in turtle and '"Test safeguarding review"@en' in turtle


def test_invalid_file_is_rejected_with_the_node_named(tmp_path: Path) -> None:
    bad = tmp_path / "orphan.ttl"
    bad.write_text(ORPHAN, encoding="utf-8")
    checked = lrkg("validate", bad, check=False)
    assert checked.returncode == 1
    assert "https://w3id.org/lrkg/id/finding/orphan" in checked.stderr
    assert "exactly one review" in checked.stderr
    store = tmp_path / "store"
    loaded = lrkg("load", bad, "--store", store, check=False)
    assert loaded.returncode == 1 and "nothing was stored" in loaded.stderr
    count = lrkg("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv", "--store", store)
    assert count.stdout.splitlines()[1] == "0"
    assert lrkg("validate", SMALL_REVIEW).stdout.strip() == "1 file(s) conform to the lrkg shapes."


def test_unknown_theme_and_bad_query_give_clear_errors(tmp_path: Path) -> None:
    store = tmp_path / "store"
    lrkg("load", SMALL_REVIEW, "--store", store)
    unknown = lrkg("recommendations", "--theme", "comunication", "--store", store, check=False)
    assert unknown.returncode == 1 and "Did you mean: Communication" in unknown.stderr
    bad = lrkg("query", "SELECT ?x WHERE {", "--store", store, check=False)
    assert bad.returncode == 1 and "SPARQL syntax error" in bad.stderr
    assert "Traceback" not in unknown.stderr + bad.stderr


def test_every_command_has_help() -> None:
    for command in ("load", "validate", "query", "recommendations", "serve"):
        helped = lrkg(command, "--help")
        assert "Usage:" in helped.stdout and len(helped.stdout.splitlines()) > 5, command


def test_query_from_names_one_graph_and_refuses_unknown_ones(tmp_path: Path) -> None:
    store = tmp_path / "store"
    lrkg("load", SMALL_REVIEW, "--store", store)
    count = "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/lrkg/graph/statuses> WHERE { ?s a lrkg:Review }"
    assert lrkg("query", count, "--format", "csv", "--store", store).stdout.splitlines()[1] == "0"
    union = "SELECT (COUNT(*) AS ?n) WHERE { ?s a lrkg:Review }"
    assert lrkg("query", union, "--format", "csv", "--store", store).stdout.splitlines()[1] == "1"
    unknown = lrkg("query", "SELECT * FROM <https://example.org/nowhere> WHERE { ?s ?p ?o }", "--store", store,
                   check=False)
    assert unknown.returncode == 1 and "holds no graph named" in unknown.stderr
