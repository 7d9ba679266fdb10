"""One command that measures lrkg at scale, on the same synthetic data in the same run, against
pyoxigraph used directly and rdflib, and on a remote engine (Virtuoso), and says which
performance targets hold.

    .venv/bin/python bench/run.py --size 1m                  # a few minutes on 2 cores
    .venv/bin/python bench/run.py --size 10k --requests 8    # the smoke run the tests do

Steps: generate the corpus (bench/generate.py, under bench/out/); load it with `lrkg load`,
with pyoxigraph's own bulk load and with rdflib's parser, each in a process of its own (time
and peak memory); start a real `lrkg serve` on the loaded store (start time); run each named
question through the Python API, over HTTP with 1 and 8 concurrent clients (p50, p95,
throughput), as the same SPARQL on pyoxigraph directly and on rdflib's in-memory store; load
the corpus with `lrkg load` into a throw-away Virtuoso (tests/virtuoso.py; `--skip virtuoso`
leaves it out) and run each question through the Python API on it; build graph views of 200,
2,000 and 20,000 nodes; read the server's memory. The SPARQL of a question is what the Python
API sent to the store while answering it, recorded, so "raw" is the same work without lrkg's
Python around it. Times are medians unless named p95.
"""

from __future__ import annotations

import argparse
import gc
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(ROOT), str(BENCH)]

import generate  # noqa: E402
from pyoxigraph import Store  # noqa: E402

from graph.answers.actor_profile import actor_details  # noqa: E402
from graph.answers.questions import finding_page, recommendation_page  # noqa: E402
from graph.answers.review_profile import review  # noqa: E402
from graph.answers.search import SearchIndex  # noqa: E402
from graph.answers.theme_tree import theme_details  # noqa: E402
from graph.store.config import Settings  # noqa: E402
from graph.store.errors import LrkgError  # noqa: E402
from graph.store.knowledge_store import KnowledgeStore, OxigraphStore  # noqa: E402
from graph.store.paging import Window  # noqa: E402
from graph.store.remote_store import RemoteStore  # noqa: E402
from graph.vocabulary.namespaces import PREFIXES  # noqa: E402
from tests.servers import Server  # noqa: E402
from tests.virtuoso import running_virtuoso, virtuoso_installed  # noqa: E402

OUT = BENCH / "out"
PAGE = 20  # items on an actor, theme or search page (api.routes.pages.ITEMS_PER_PAGE)
HEADLINE_PAGE = 50  # the REST list's first page (LRKG_PAGE_SIZE)
THEME = "communication"
ACTOR = "home-office"
SEARCH = "referral police"
THEME_BY_YEAR = (BENCH / "queries" / "theme_by_year.rq").read_text()
SEARCH_LABELS = (BENCH / "queries" / "search_labels.rq").read_text()
VIRTUOSO_ROWS = 10_000
"""The benchmark Virtuoso's row cap: Virtuoso's own default (ResultSetMaxRows), which lrkg pages past."""
VIRTUOSO_LOAD = "lrkg load into Virtuoso"


# ------------------------------------------------------------------ processes, time and memory


@dataclass
class Measured:
    seconds: float
    peak_mb: float
    lines: list[dict[str, Any]] = field(default_factory=list)


def run_measured(command: Sequence[str], timeout: float | None = None, *,
                 environment: dict[str, str] | None = None, log: Path | None = None) -> Measured:
    """Run a command to its end: wall time, peak memory (the largest RSS of it and the children it
    waited for) and the JSON lines it printed. Past `timeout` it is killed, keeping what it said.
    `environment`: variables set for it on top of this process's own; `log`: where its errors go
    (nowhere otherwise), its last line the reason given if it fails."""
    start = time.perf_counter()
    with log.open("w") if log else open(os.devnull, "w") as errors:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, cwd=ROOT, text=True,
                                   env={**os.environ, **(environment or {})})
    lines: list[dict[str, Any]] = []
    timer = threading.Timer(timeout, process.kill) if timeout else None
    if timer:
        timer.start()
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("{"):
            lines.append(json.loads(line))
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if timer:
        timer.cancel()
    if process.returncode not in (0, -9):
        said = log.read_text(errors="replace").strip().splitlines()[-1:] if log else []
        raise RuntimeError(f"{' '.join(command)} failed with exit code {process.returncode}"
                           + "".join(f": {line}" for line in said))
    return Measured(time.perf_counter() - start, usage.ru_maxrss / 1024, lines)


def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS of the process, proportional set size of it and all its descendants), in MB; shared
    pages are split between the processes that share them, so the total is not counted twice."""
    rss = _status_kb(pid, "VmRSS") / 1024
    total = 0.0
    for process in _with_descendants(pid):
        total += _pss_kb(process) / 1024
    return rss, total


def _status_kb(pid: int, name: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return float(line.split()[1])
    return 0.0


def _pss_kb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return float(line.split()[1])
    except OSError:
        pass
    return 0.0


def _with_descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            queue += [int(child) for child in task.read_text().split()]
    return found


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


MIN_ROUND = 3.0
"""Seconds a round of HTTP requests lasts at least, so that throughput is not read off a few
milliseconds of work."""
ROUND_BUDGET = 10.0
"""Seconds after which a round of runs or requests stops starting new ones (each question gets
at least one run, and each HTTP client one request), so that a slow question cannot hold up
the whole run."""


def median_seconds(call: Callable[[], object], runs: int) -> float:
    def timed() -> float:
        start = time.perf_counter()
        call()
        return time.perf_counter() - start

    return median_of(timed, runs)


def median_of(measure: Callable[[], float], runs: int) -> float:
    """The median of `runs` seconds that `measure` says a run took (fewer past ROUND_BUDGET)."""
    if (first := measure()) > ROUND_BUDGET:  # warm: the first run pays for caches and imports
        return first  # too slow to repeat within the budget: its one run is the figure
    times: list[float] = []
    deadline = time.perf_counter() + ROUND_BUDGET
    while len(times) < runs and (not times or time.perf_counter() < deadline):
        times.append(measure())
    return statistics.median(times)


# ------------------------------------------------------------------ the questions


class Recorder:
    """A pyoxigraph store that remembers every SPARQL text sent to it."""

    def __init__(self, inner: Store) -> None:
        self.inner = inner
        self.texts: list[str] = []

    def query(self, text: str, **options: Any) -> Any:
        self.texts.append(text)
        return self.inner.query(text, **options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@dataclass(frozen=True)
class Question:
    name: str
    api: Callable[[KnowledgeStore, SearchIndex], object]
    path: str
    sparql: str | None = None
    """For a question answered without SPARQL (search): the SPARQL a plain store would need."""
    post: bool = False
    resource_page: bool = False
    """A page about one resource, whose target is 20 ms."""


def questions(review_id: str) -> list[Question]:
    def actor_page(store: KnowledgeStore, _: SearchIndex) -> object:
        details = actor_details(store, ACTOR)
        return (details, finding_page(store, Window(PAGE), actor=details.iri),
                recommendation_page(store, Window(PAGE), owner=details.iri))

    def theme_page(store: KnowledgeStore, _: SearchIndex) -> object:
        details = theme_details(store, THEME)
        return (details, finding_page(store, Window(PAGE), theme=details.iri),
                recommendation_page(store, Window(PAGE), theme=details.iri))

    return [
        Question("headline: recommendations on communication, first page",
                 lambda store, _: recommendation_page(store, Window(HEADLINE_PAGE), theme=THEME),
                 "/api/recommendations?" + urlencode({"theme": THEME, "limit": HEADLINE_PAGE})),
        Question("review page", lambda store, _: review(store, review_id), f"/reviews/{review_id}",
                 resource_page=True),
        Question("actor page (Home Office)", actor_page, f"/actors/{ACTOR}", resource_page=True),
        Question("theme page (communication)", theme_page, f"/themes/{THEME}", resource_page=True),
        Question("search", lambda _, index: index.search(SEARCH, Window(PAGE)),
                 "/api/search?" + urlencode({"q": SEARCH, "limit": PAGE}), sparql=SEARCH_LABELS),
        Question("theme x year count (SPARQL)", lambda store, _: store.select(THEME_BY_YEAR),
                 "/sparql", post=True),
    ]


def recorded_sparql(inner: Store, store_folder: Path, index: SearchIndex, question: Question) -> list[str]:
    """The SPARQL texts the Python API sends while answering `question` (from a cold cache)."""
    if question.sparql:
        return [question.sparql]
    recorder = Recorder(inner)
    question.api(OxigraphStore(recorder, store_folder), index)  # type: ignore[arg-type]
    return recorder.texts


# ------------------------------------------------------------------ HTTP clients


def http_round(url: str, question: Question, clients: int, requests: int, server_pid: int) -> dict[str, float]:
    """One round of requests by `clients` threads, each on a kept-alive connection, until they
    have made `requests` between them and MIN_ROUND seconds have passed (or ROUND_BUDGET):
    p50 and p95 latency, throughput (requests a second), the server's CPU time per request
    (its process and its query workers: steadier than throughput on a shared machine), the
    latency of the request before the round (with 1 client, the first since the server
    started, from a cold cache), and how many requests were refused with 503 because every
    SPARQL worker was busy."""
    split = urlsplit(url)
    latencies: list[float] = []
    refused: list[float] = []
    lock = threading.Lock()
    failures: list[str] = []

    deadline = minimum_end = 0.0

    def client(count: int) -> None:
        connection = http.client.HTTPConnection(split.hostname, split.port, timeout=600)
        mine: list[float] = []
        while ((len(mine) < count or time.perf_counter() < minimum_end)
               and (not mine or time.perf_counter() < deadline) and len(refused) < 100):
            start = time.perf_counter()
            if question.post:
                connection.request("POST", question.path, body=THEME_BY_YEAR.encode(), headers={
                    "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
            else:
                connection.request("GET", question.path, headers={"Accept": "text/html,application/json"})
            response = connection.getresponse()
            body = response.read()
            if response.status == 503:  # every query worker busy: refused at once, by design
                with lock:
                    refused.append(time.perf_counter() - start)
                continue
            mine.append(time.perf_counter() - start)
            if response.status != 200:
                failures.append(f"{question.path}: {response.status} {body[:200]!r}")
        connection.close()
        with lock:
            latencies.extend(mine)

    warm = threading.Thread(target=client, args=(1,))
    warm.start()
    warm.join()
    cold = latencies.pop()
    threads = [threading.Thread(target=client, args=(max(1, requests // clients),)) for _ in range(clients)]
    cpu_before = cpu_seconds(server_pid)
    start = time.perf_counter()
    deadline, minimum_end = start + ROUND_BUDGET, start + MIN_ROUND
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    cpu = cpu_seconds(server_pid) - cpu_before
    if failures:
        raise RuntimeError("HTTP requests failed: " + "; ".join(failures[:3]))
    return {"p50": statistics.median(latencies), "p95": percentile(latencies, 0.95),
            "throughput": len(latencies) / elapsed, "cpu_per_request": cpu / len(latencies),
            "cold": cold, "refused": len(refused)}


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) used so far by a process and its descendants."""
    ticks = 0
    for process in _with_descendants(pid):
        try:
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime and stime, fields 14 and 15 of stat(5)
    return ticks / os.sysconf("SC_CLK_TCK")


# ------------------------------------------------------------------ the run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1m", help="10k, 100k, 1m, 5m or a number of triples")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="also write the table here (Markdown; JSON beside it)")
    parser.add_argument("--work", type=Path, default=OUT, help="folder for the corpus, stores and logs")
    parser.add_argument("--requests", type=int, default=40,
                        help="least HTTP requests per question and client count (a round also lasts 3 s at least)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each question in-process (median taken)")
    parser.add_argument("--view-sizes", type=int, nargs="*", default=[200, 2000, 20000])
    parser.add_argument("--rdflib-budget", type=float, default=20, help="seconds rdflib may spend on each question")
    parser.add_argument("--skip", nargs="*", default=[], choices=["rdflib", "http", "views", "virtuoso"])
    parser.add_argument("--virtuoso-buffers", type=int, default=170_000,
                        help="Virtuoso's page cache in 8 KB pages (170,000: about 1.4 GB, enough for 1m)")
    arguments = parser.parse_args()
    results = run(arguments)
    text = render(results)
    print(text)
    if arguments.out:
        arguments.out.write_text(text + "\n")
        arguments.out.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n")


def run(arguments: argparse.Namespace) -> dict[str, Any]:  # noqa: PLR0915 - the steps, in order
    triples = generate.size_of(arguments.size)
    work = arguments.work / f"run-{arguments.size}"
    corpus = arguments.work / f"corpus-{arguments.size}-seed{arguments.seed}"
    if not corpus.exists():
        generate.generate(triples, corpus, arguments.seed)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    results: dict[str, Any] = {"size": arguments.size, "files": len(list(corpus.glob("*.ttl"))),
                               "machine": machine(), "load": {}, "questions": {}, "views": {}}
    step("loading with lrkg load")
    lrkg = run_measured([sys.executable, "-m", "api", "load", str(corpus), "--store", str(work / "store")])
    results["load"]["lrkg load"] = {"seconds": lrkg.seconds, "peak_mb": lrkg.peak_mb}
    step("loading with pyoxigraph's bulk load")
    bulk = run_measured([sys.executable, str(BENCH / "baselines.py"), "bulk-load", str(work / "bulk"), str(corpus)])
    results["load"]["pyoxigraph bulk load"] = {"seconds": bulk.lines[0]["seconds"], "peak_mb": bulk.peak_mb}
    quads = sum(1 for _ in Store.read_only(str(work / "store")).quads_for_pattern(None, None, None, None))
    results["quads"] = quads

    step("asking in-process (Python API, and the same SPARQL on pyoxigraph directly)")
    sparql, answers = ask_in_process(work, arguments.runs, results)
    gc.collect()  # the store is closed once nothing holds it: the server opens it next

    step("starting lrkg serve")
    start = time.perf_counter()
    server = Server.start(work, store=work / "store", query_workers="2")
    try:
        server.wait(timeout=1800)
        wait_for_answer(server.url)
        results["server_start_seconds"] = time.perf_counter() - start
        for question in questions(results["review_id"]):
            if "http" in arguments.skip:
                break
            step(f"asking over HTTP: {question.name}")
            row = results["questions"][question.name]
            for clients in (1, 8):
                row[f"http{clients}"] = http_round(server.url, question, clients, arguments.requests,
                                                   server.process.pid)
        rss, total = memory_mb(server.process.pid)
        results["server_memory_mb"] = {"main_rss": rss, "with_workers_pss": total}
    finally:
        server.stop()

    if "rdflib" not in arguments.skip:
        step("loading and asking with rdflib")
        queries_file = work / "queries.json"
        queries_file.write_text(json.dumps([[name, texts] for name, texts in sparql.items()]))
        measured = run_measured([sys.executable, str(BENCH / "baselines.py"), "rdflib", str(corpus),
                                 str(queries_file), str(arguments.rdflib_budget)],
                                timeout=(len(sparql) + 1) * arguments.rdflib_budget + triples / 2000)
        by_step = {line["step"]: line for line in measured.lines}
        if "load" in by_step:
            results["load"]["rdflib parser (in memory)"] = {"seconds": by_step["load"]["seconds"],
                                                            "peak_mb": measured.peak_mb}
        for name, row in results["questions"].items():
            row["rdflib"] = by_step.get(name, {}).get("seconds")  # None: past its budget, or not reached
            row["rdflib_at_least"] = by_step.get(name, {}).get("at_least")
        results["rdflib_budget"] = arguments.rdflib_budget

    if "virtuoso" in arguments.skip:
        results["virtuoso"] = {"status": "skipped"}
    elif not virtuoso_installed():
        results["virtuoso"] = {"status": "not installed"}
    else:
        on_virtuoso(corpus, work, arguments, results, answers)
    if "views" not in arguments.skip:
        results["views"] = view_times(arguments.view_sizes)
    return results


def ask_in_process(work: Path, runs: int, results: dict[str, Any]) -> tuple[dict[str, list[str]], dict[str, object]]:
    """Time each question through the Python API on the store as the server opens it, and the
    SPARQL it sent on pyoxigraph directly; build the search index on the way (the server's
    first start would). Returns each question's SPARQL, for rdflib, and its answer, which
    another store must give too."""
    store = KnowledgeStore.open(work / "store")
    start = time.perf_counter()
    with SearchIndex.open(work / "search.sqlite") as index:
        index.sync(store)
        results["search_index_build_seconds"] = time.perf_counter() - start
        review_id = store.select("SELECT ?r WHERE { ?r a lrkg:Review } ORDER BY ?r LIMIT 1")[0]["r"].value
        results["review_id"] = review_id.rsplit("/", 1)[1]
        asked = questions(results["review_id"])
        raw = store._inner  # noqa: SLF001 - the very pyoxigraph store, without lrkg around it
        sparql = {q.name: recorded_sparql(raw, work / "store", index, q) for q in asked}
        answers = {}
        for question in asked:
            step(f"asking in-process: {question.name}")
            fresh = OxigraphStore(raw, work / "store")  # a new answer cache: the first call is cold
            start = time.perf_counter()
            answers[question.name] = question.api(fresh, index)
            cold = time.perf_counter() - start
            results["questions"][question.name] = {
                "api_cold": cold,
                "api": median_seconds(lambda q=question, f=fresh: q.api(f, index), runs),
                "raw": median_seconds(lambda q=question: [list(raw.query(t, use_default_graph_as_union=True,
                                                                         prefixes=PREFIXES)) for t in sparql[q.name]],
                                      runs),
                "queries": len(sparql[question.name]),
            }
    return sparql, answers


QUESTION_FAILURES = (LrkgError, LookupError, TypeError, ValueError)
"""What a question failing on another engine raises: lrkg's own errors (a query the engine
refused, a timeout), or an answer of a shape lrkg's Python did not expect."""


def on_virtuoso(corpus: Path, work: Path, arguments: argparse.Namespace, results: dict[str, Any],
                answers: dict[str, object]) -> None:
    """lrkg on a new Virtuoso: the corpus loaded by `lrkg load` (in a process of its own, as the
    embedded load), then the questions (`ask_virtuoso`)."""
    found: dict[str, Any] = {"status": "ran", "buffers": arguments.virtuoso_buffers, "row_cap": VIRTUOSO_ROWS}
    results["virtuoso"] = found
    try:
        with running_virtuoso(work / "virtuoso", max_rows=VIRTUOSO_ROWS,
                              buffers=arguments.virtuoso_buffers) as server:
            step("loading into Virtuoso with lrkg load")
            try:
                load = run_measured([sys.executable, "-m", "api", "load", str(corpus)],
                                    environment=server.environment(), log=work / "virtuoso-load.log")
            except RuntimeError as error:
                found["status"] = f"load failed: {reason(error)}"
                return
            results["load"][VIRTUOSO_LOAD] = {"seconds": load.seconds, "peak_mb": load.peak_mb}
            found["server_mb_after_load"] = virtuoso_memory_mb()
            ask_virtuoso(server.settings(), work, arguments.runs, results, answers)
            found["server_mb"] = virtuoso_memory_mb()
    except RuntimeError as error:  # raised by running_virtuoso alone: the load's own is caught above
        found["status"] = f"failed to start: {reason(error)}"


def ask_virtuoso(settings: Settings, work: Path, runs: int, results: dict[str, Any],
                 answers: dict[str, object]) -> None:
    """Count Virtuoso's quads, build the search index from it (as a server's first start would),
    then time each question through the Python API on a RemoteStore. Each run gets a new
    RemoteStore, whose answer cache is empty, so that every run asks Virtuoso: the figure is
    Virtuoso's work and the HTTP to it, comparable with the embedded store's cold run, not with
    its cached one."""
    found = results["virtuoso"]
    store = RemoteStore(settings)
    try:
        found["quads"] = len(store)
        step("building the search index from Virtuoso")
        with SearchIndex.open(work / "search-virtuoso.sqlite") as index:
            start = time.perf_counter()
            index.sync(store)
            found["search_index_build_seconds"] = time.perf_counter() - start
    except QUESTION_FAILURES as error:
        found["search_index_failed"] = reason(error)
    finally:
        store.close()
    with SearchIndex.open(work / "search-virtuoso.sqlite") as index:
        for question in questions(results["review_id"]):
            step(f"asking lrkg on Virtuoso: {question.name}")
            row = results["questions"][question.name]
            if question.sparql and "search_index_failed" in found:  # answered from the index alone
                row["virtuoso"] = {"failed": "no search index: " + found["search_index_failed"]}
            else:
                row["virtuoso"] = remote_timing(settings, question, index, runs, answers[question.name])


def remote_timing(settings: Settings, question: Question, index: SearchIndex, runs: int,
                  expected: object) -> dict[str, Any]:
    """The first and the median time lrkg takes to answer `question` on the engine `settings`
    name, each run with empty caches, and whether its answer is the embedded store's; or why it
    failed. A run is timed from a new RemoteStore on (making its HTTP client takes longer than
    some questions)."""
    answers = []

    def seconds() -> float:
        store = RemoteStore(settings)
        try:
            start = time.perf_counter()
            answers.append(question.api(store, index))
            return time.perf_counter() - start
        finally:
            store.close()

    try:
        cold = seconds()
        p50 = cold if cold > ROUND_BUDGET else median_of(seconds, runs)  # too slow to repeat: as median_of
    except QUESTION_FAILURES as error:
        return {"failed": reason(error)}
    return {"cold": cold, "p50": p50, "same_answer": answers[0] == expected}


def reason(error: BaseException) -> str:
    """An error on one line that can go in a table cell: its first line."""
    return " ".join(str(error).split("\n", 1)[0].split()).replace("|", "/") or type(error).__name__


def clip(text: str, width: int = 140) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def virtuoso_memory_mb() -> dict[str, float] | None:
    """The RSS and peak RSS, in MB, of the Virtuoso server this process started."""
    for pid in _with_descendants(os.getpid()):
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip() == "virtuoso-t":
                return {"rss": _status_kb(pid, "VmRSS") / 1024, "peak": _status_kb(pid, "VmHWM") / 1024}
        except OSError:
            continue
    return None


def wait_for_answer(url: str) -> None:
    """The port opens before the lifespan ends; wait for a real answer."""
    split = urlsplit(url)
    deadline = time.monotonic() + 1800
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(split.hostname, split.port, timeout=600)
            connection.request("GET", "/api/themes")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("lrkg serve never answered")


def view_times(sizes: Sequence[int]) -> dict[str, float]:
    """Seconds to build a whole-graph view (queries, choice of nodes, layout, page) of each size."""
    import views as view_bench

    from graph.views.contents import whole_graph_view

    found = {}
    for size in sizes:
        step(f"building a view of about {size} nodes")
        store = view_bench.synthetic_store(size)
        view, seconds, _, _ = view_bench.build(lambda s=store, n=size: whole_graph_view(s, 2 * n), 1)
        found[str(len(view.nodes))] = seconds
    return found


def machine() -> dict[str, str]:
    import platform

    import pyoxigraph

    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), "unknown")
    memory = _status_meminfo("MemTotal")
    return {"cores": str(len(os.sched_getaffinity(0))), "cpu": model, "memory_gb": f"{memory / 1024 ** 2:.0f}",
            "python": platform.python_version(), "pyoxigraph": pyoxigraph.__version__,
            "load_average": " ".join(f"{x:.1f}" for x in os.getloadavg())}


def _status_meminfo(name: str) -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith(name + ":"):
            return float(line.split()[1])
    return 0.0


def step(text: str) -> None:
    print(f"... {text}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ the table


def ms(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.0f} s"


def ratio(a: float | None, b: float | None) -> str:
    return "—" if a is None or b is None or b == 0 else f"{a / b:.2f}×"


def rdflib_time(row: dict[str, Any]) -> str:
    return f"> {ms(row['rdflib_at_least'])}" if row.get("rdflib_at_least") else ms(row.get("rdflib"))


def rdflib_ratio(row: dict[str, Any], lrkg: float) -> str:
    """rdflib's time ÷ lrkg's; a lower bound ("≥") when rdflib was stopped at its budget."""
    if row.get("rdflib_at_least"):
        return "≥ " + ratio(row["rdflib_at_least"], lrkg)
    return ratio(row.get("rdflib"), lrkg)


def spread(timing: dict[str, float] | None) -> str:
    if not timing:
        return "—"
    refused = f" ({timing['refused']:.0f} refused: workers busy)" if timing.get("refused") else ""
    return f"{ms(timing['p50'])} / {ms(timing['p95'])}{refused}"


def render(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [f"lrkg bench: {results['size']} ({results['quads']:,} quads in {results['files']:,} files); "
             f"{m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB, Python {m['python']}, pyoxigraph "
             f"{m['pyoxigraph']}; load average at the end {m['load_average']}", "",
             "Load (each in a process of its own)", "",
             "| loader | time | peak memory | × pyoxigraph bulk load |", "|---|---|---|---|"]
    bulk = results["load"]["pyoxigraph bulk load"]["seconds"]
    for name, row in results["load"].items():
        lines.append(f"| {name} | {row['seconds']:.1f} s | {row['peak_mb']:,.0f} MB | {ratio(row['seconds'], bulk)} |")
    virtuoso = results.get("virtuoso", {"status": "not measured"})
    if VIRTUOSO_LOAD not in results["load"]:
        lines.append(f"| {VIRTUOSO_LOAD} | {clip(virtuoso['status'])} | — | — |")
    else:
        lines += ["", virtuoso_load_note(results)]
    budget = results.get("rdflib_budget")
    lines += ["", "Questions. Cold: the first time (an empty answer cache); warm: the median of repeats, "
                  "which lrkg answers from its cache of recent answers until the next write. HTTP: p50 / p95; server "
                  "CPU per request: the server's and its query workers' CPU time over the 1-client round. "
                  "Raw pyoxigraph: the SPARQL the Python API sent, on pyoxigraph directly (no cache). rdflib: "
                  f"the same SPARQL, one run, stopped at {budget or 0:.0f} s (then shown as more than that, and "
                  "its ratio as at least; — skipped). Virtuoso: the Python API on a RemoteStore, over HTTP to the "
                  "Virtuoso loaded above, each run with empty lrkg caches (so comparable with API cold, not API "
                  "warm): the first run and the median; \"answer differs\" where its answer is not the embedded "
                  "store's.", "",
              "| question | queries | API cold | API warm | HTTP cold | HTTP 1 client | HTTP 8 clients "
              "| server CPU per request | raw pyoxigraph | rdflib | HTTP ÷ raw | HTTP cold ÷ raw | rdflib ÷ HTTP "
              "| throughput 8 ÷ 1 | Virtuoso cold | Virtuoso | Virtuoso ÷ API cold |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, row in results["questions"].items():
        one, eight = row.get("http1"), row.get("http8")
        lines.append(" | ".join([
            f"| {name}", str(row["queries"]), ms(row["api_cold"]), ms(row["api"]), ms(one["cold"]) if one else "—",
            spread(one), spread(eight), ms(one.get("cpu_per_request")) if one else "—", ms(row["raw"]),
            rdflib_time(row),
            ratio(one["p50"], row["raw"]) if one else "—", ratio(one["cold"], row["raw"]) if one else "—",
            rdflib_ratio(row, one["p50"]) if one else "—",
            ratio(eight["throughput"], one["throughput"]) if one and eight else "—",
            *virtuoso_cells(virtuoso, row),
        ]) + " |")
    memory = results["server_memory_mb"]
    lines += ["", f"Search index built from the store in {results['search_index_build_seconds']:.1f} s (a server's "
                  f"first start does this). Server: answering {results['server_start_seconds']:.1f} s after start; "
                  f"memory {memory['main_rss']:,.0f} MB RSS in the main process, {memory['with_workers_pss']:,.0f} MB "
                  "with its query workers (PSS, after the questions above)."]
    if virtuoso["status"] == "ran":
        lines += ["", virtuoso_questions_note(virtuoso)]
    if results["views"]:
        lines += ["", "Views (whole-graph view: queries, layout, page)", "", "| nodes | build |", "|---|---|"]
        lines += [f"| {nodes} | {ms(seconds)} |" for nodes, seconds in results["views"].items()]
    lines += ["", "Targets", ""] + [f"- {line}" for line in targets(results)]
    return "\n".join(lines)


def virtuoso_load_note(results: dict[str, Any]) -> str:
    """What the Virtuoso load cost beside lrkg's own process, and whether all of it arrived."""
    virtuoso, load = results["virtuoso"], results["load"]
    memory = virtuoso.get("server_mb_after_load")
    own = f"{memory['rss']:,.0f} MB RSS after the load, peak {memory['peak']:,.0f} MB" if memory else "not found"
    held = f"{virtuoso['quads']:,}" if "quads" in virtuoso else "—"
    return (f"{VIRTUOSO_LOAD}: {ratio(load[VIRTUOSO_LOAD]['seconds'], load['lrkg load']['seconds'])} the time of "
            f"lrkg load on the embedded store (its peak memory is lrkg's process; Virtuoso's own: {own}; "
            f"{virtuoso['buffers']:,} buffers, row cap {virtuoso['row_cap']:,}). Virtuoso holds {held} quads, "
            f"the embedded store {results['quads']:,}.")


def virtuoso_questions_note(virtuoso: dict[str, Any]) -> str:
    """Where lrkg on Virtuoso found its search index, and Virtuoso's memory after the questions."""
    if "search_index_build_seconds" in virtuoso:
        index = f"Search index built from Virtuoso in {virtuoso['search_index_build_seconds']:.1f} s"
    else:
        index = f"Search index from Virtuoso failed: {virtuoso.get('search_index_failed', '—')}"
    memory = virtuoso.get("server_mb")
    own = f"{memory['rss']:,.0f} MB RSS after the questions above" if memory else "memory not found"
    return f"{index}. Virtuoso's server: {own}."


def virtuoso_cells(virtuoso: dict[str, Any], row: dict[str, Any]) -> list[str]:
    """The Virtuoso columns of a question: its first and median time and its ratio to lrkg's cold
    run on the embedded store; why it failed; or, in every cell, why Virtuoso did not run."""
    if virtuoso["status"] != "ran":
        said = virtuoso["status"].split(":", 1)[0]  # the reason is in the load table
        return [said, said, "—"]
    timing = row.get("virtuoso")
    if timing is None:
        return ["—", "—", "—"]
    if "failed" in timing:
        return [clip(f"failed: {timing['failed']}"), "—", "—"]
    differs = "" if timing["same_answer"] else " (answer differs)"
    return [ms(timing["cold"]), ms(timing["p50"]) + differs, ratio(timing["p50"], row["api_cold"])]


def targets(results: dict[str, Any]) -> list[str]:
    """Each target of issue 7, met or missed, with its figure."""
    found = []

    def say(met: bool | None, text: str) -> None:
        found.append(f"{'met' if met else 'not measured' if met is None else 'MISSED'}: {text}")

    load = results["load"]
    lrkg, bulk = load["lrkg load"]["seconds"], load["pyoxigraph bulk load"]["seconds"]
    say(lrkg <= 1.3 * bulk, f"lrkg load within 1.3× of pyoxigraph's bulk load ({ratio(lrkg, bulk)})")
    rdf = load.get("rdflib parser (in memory)", {}).get("seconds")
    say(None if rdf is None else rdf >= 4 * lrkg, f"lrkg load at least 4× faster than rdflib ({ratio(rdf, lrkg)})")
    questions_ = results["questions"]
    headline = next(row for name, row in questions_.items() if name.startswith("headline"))
    one = headline.get("http1")
    say(None if not one else one["p50"] <= 1.5 * headline["raw"],
        f"headline over HTTP within 1.5× of raw pyoxigraph (p50 {ratio(one and one['p50'], headline['raw'])}; "
        f"cold {ratio(one and one['cold'], headline['raw'])})")
    rdflib = headline.get("rdflib") or headline.get("rdflib_at_least")
    say(None if not one or rdflib is None else rdflib >= 20 * one["p50"],
        f"headline at least 20× faster than rdflib ({rdflib_ratio(headline, one['p50']) if one else '—'})")
    say(None if not one else one["p50"] < 0.1,
        f"headline under 100 ms p50 ({ms(one and one['p50'])}; cold {ms(one and one['cold'])})")
    pages = {question.name for question in questions(results["review_id"]) if question.resource_page}
    for name, row in questions_.items():
        if name in pages:
            p50, cold = row.get("http1", {}).get("p50"), row.get("http1", {}).get("cold")
            say(None if p50 is None else p50 < 0.02, f"{name} under 20 ms p50 ({ms(p50)}; cold {ms(cold)})")
    search = questions_["search"].get("http1", {}).get("p50")
    say(None if search is None else search < 0.05, f"search under 50 ms p50 ({ms(search)})")
    analytics = next(row for name, row in questions_.items() if name.startswith("theme x year"))
    p50 = analytics.get("http1", {}).get("p50", analytics["api"])
    say(p50 < 1, f"theme × year analytics under 1 s ({ms(p50)})")
    near_2000 = [s for n, s in results["views"].items() if 1000 <= int(n) <= 4000]
    say(None if not near_2000 else near_2000[0] < 1,
        f"a 2,000-node view built in under 1 s ({ms(near_2000[0]) if near_2000 else '—'})")
    gains = [row["http8"]["throughput"] / row["http1"]["throughput"] for row in questions_.values() if "http8" in row]
    say(None if not gains else min(gains) >= 1.6,
        f"8 clients get at least 1.6× the throughput of one (least {min(gains):.2f}×)" if gains else
        "8 clients get at least 1.6× the throughput of one")
    memory = results["server_memory_mb"]["with_workers_pss"]
    say(memory < 1024, f"server under 1 GB with its workers ({memory:,.0f} MB)")
    return found


if __name__ == "__main__":
    main()
