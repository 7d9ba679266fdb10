"""A smoke run of bench/run.py at 10,000 triples, so that the benchmark cannot rot: every step
runs for real (lrkg load, pyoxigraph's bulk load, rdflib, a real `lrkg serve` driven by 1 and 8
clients, a view; Virtuoso in a run of its own) and the table has every row and column. Its
figures are not checked: speed is measured in bench/, never asserted in tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT, SMALL_REVIEW

COLUMNS = ["question", "queries", "API cold", "API warm", "HTTP cold", "HTTP 1 client", "HTTP 8 clients",
           "server CPU per request", "raw pyoxigraph", "rdflib", "HTTP ÷ raw", "HTTP cold ÷ raw", "rdflib ÷ HTTP",
           "throughput 8 ÷ 1", "Virtuoso cold", "Virtuoso", "Virtuoso ÷ API cold"]
QUESTIONS = ["headline: recommendations on communication, first page", "review page", "actor page (Home Office)",
             "theme page (communication)", "search", "theme x year count (SPARQL)"]
LOADERS = ["lrkg load", "pyoxigraph bulk load", "rdflib parser (in memory)"]
BENCH = [sys.executable, str(PROJECT_ROOT / "bench" / "run.py"), "--size", "10k", "--runs", "1"]


def bench_table(folder: Path, *options: str) -> str:
    """The table a run of the benchmark at 10,000 triples prints, checked to be the one it writes."""
    out = folder / "bench.md"
    finished = subprocess.run([*BENCH, "--out", str(out), "--work", str(folder), *options],
                              capture_output=True, text=True, timeout=600, cwd=PROJECT_ROOT)
    assert finished.returncode == 0, finished.stderr[-3000:]
    assert out.read_text() == finished.stdout
    return finished.stdout


def table_rows(text: str, first_cell: str) -> list[list[str]]:
    """The rows of the Markdown table whose header starts with `first_cell`."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_cell} |"))
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return [rows[0], *rows[2:]]


def test_a_small_run_prints_every_row_and_column(tmp_path: Path) -> None:
    text = bench_table(tmp_path, "--requests", "2", "--view-sizes", "200", "--rdflib-budget", "5",
                       "--skip", "virtuoso")

    loads = table_rows(text, "loader")
    assert loads[0] == ["loader", "time", "peak memory", "× pyoxigraph bulk load"]
    assert [row[0] for row in loads[1:]] == [*LOADERS, "lrkg load into Virtuoso"]
    assert all(row[1].endswith(" s") and row[2].endswith(" MB") and row[3].endswith("×") for row in loads[1:-1])
    assert loads[-1][1:] == ["skipped", "—", "—"]

    asked = table_rows(text, "question")
    assert asked[0] == COLUMNS
    assert [row[0] for row in asked[1:]] == QUESTIONS
    for row in asked[1:]:
        assert len(row) == len(COLUMNS)
        assert all(cell != "—" for cell in row[:9]), row  # every door answered every question
        assert all(cell.endswith("×") for cell in row[10:14] if cell != "—"), row
        assert row[14:] == ["skipped", "skipped", "—"]

    assert "Search index built" in text and "MB with its query workers" in text
    assert table_rows(text, "nodes")[1][1].endswith("ms")
    targets = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(targets) == 13 and all(line.split(":")[0] in ("- met", "- MISSED", "- not measured") for line in targets)

    figures = json.loads((tmp_path / "bench.json").read_text())
    assert list(figures["questions"]) == QUESTIONS
    assert figures["quads"] > 10_000 and figures["server_memory_mb"]["with_workers_pss"] > 0


@pytest.mark.virtuoso
def test_a_small_run_on_virtuoso_fills_its_columns(tmp_path: Path) -> None:
    """lrkg's load into a throw-away Virtuoso gets its row in the load table, and each question a
    time on it, or the reason it failed (a question Virtuoso cannot answer does not stop the run)."""
    text = bench_table(tmp_path, "--skip", "rdflib", "http", "views")

    load = table_rows(text, "loader")[-1]
    assert load[0] == "lrkg load into Virtuoso" and load[1].endswith(" s") and load[2].endswith(" MB"), load
    assert "the time of lrkg load on the embedded store" in text
    for row in table_rows(text, "question")[1:]:
        cold, median, compared = row[14:]
        if cold.startswith("failed: "):
            assert (median, compared) == ("—", "—"), row
        else:
            assert cold.endswith("ms") or cold.endswith(" s"), row
            assert compared.endswith("×"), row
    assert "Virtuoso's server:" in text


def test_rdflib_is_stopped_at_its_budget_and_shown_as_a_lower_bound(tmp_path: Path) -> None:
    """A question rdflib has not answered within its budget is killed and reported as taking at
    least the budget, and the next question still gets its own budget."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "test-review.ttl").write_bytes(SMALL_REVIEW.read_bytes())
    queries = tmp_path / "queries.json"
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # about 10^9 rows
    queries.write_text(json.dumps([["slow", [slow]], ["quick", ["SELECT ?s WHERE { ?s a lrkg:Review }"]]]))
    finished = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "bench" / "baselines.py"), "rdflib", str(corpus), str(queries), "3"],
        capture_output=True, text=True, timeout=120, cwd=PROJECT_ROOT,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    lines = {line["step"]: line for line in map(json.loads, finished.stdout.splitlines())}
    assert lines["slow"] == {"step": "slow", "seconds": None, "at_least": 3.0}
    assert lines["quick"]["seconds"] is not None and lines["quick"].get("at_least") is None  # answered, not stopped

    sys.path.insert(0, str(PROJECT_ROOT / "bench"))
    import run as bench_run

    row = {"rdflib": None, "rdflib_at_least": 3.0}
    assert bench_run.rdflib_time(row) == "> 3,000.0 ms"
    assert bench_run.rdflib_ratio(row, 0.1) == "≥ 30.00×"


def test_the_virtuoso_cells_say_why_there_is_no_time() -> None:
    sys.path.insert(0, str(PROJECT_ROOT / "bench"))
    import run as bench_run

    row = {"api_cold": 0.1, "virtuoso": {"cold": 0.5, "p50": 0.2, "same_answer": False}}
    assert bench_run.virtuoso_cells({"status": "ran"}, row) == ["500.0 ms", "200.0 ms (answer differs)", "2.00×"]
    failed = {"api_cold": 0.1, "virtuoso": {"failed": "The SPARQL engine refused the query"}}
    assert bench_run.virtuoso_cells({"status": "ran"}, failed)[0] == "failed: The SPARQL engine refused the query"
    assert bench_run.virtuoso_cells({"status": "not installed"}, {}) == ["not installed", "not installed", "—"]
    assert bench_run.reason(RuntimeError("a | b\nmore")) == "a / b"


def test_the_mixed_workload_sends_each_request_once_and_prints_every_kind(tmp_path: Path) -> None:
    out = tmp_path / "workload.md"
    finished = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "bench" / "workload.py"), "--size", "10k", "--requests", "40",
         "--work", str(tmp_path), "--out", str(out)],
        capture_output=True, text=True, timeout=600, cwd=PROJECT_ROOT,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    assert out.read_text() == finished.stdout
    results = json.loads(out.with_suffix(".json").read_text())
    paths = [path for _, path in results["requests"]]
    assert len(paths) == 40 and len(set(paths)) == 40  # no request repeated
    for clients in ("1", "8"):
        assert set(results["rounds"][clients]["latency"]) == set(paths)  # each sent once, each answered
        assert results["rounds"][clients]["failed"] == {}
    assert set(results["in_process"]["api"]) == set(paths)
    rows = table_rows(finished.stdout, "kind")
    assert rows[0] == ["kind", "requests", "HTTP 1 client", "HTTP 8 clients", "in process", "raw pyoxigraph",
                       "HTTP 1 ÷ raw", "failed"]
    assert rows[-1][:2] == ["all", "40"]
    assert all(cell.count(" / ") == 2 for cell in rows[-1][2:6])  # p50 / p95 / p99
    assert "Throughput 8 ÷ 1:" in finished.stdout
