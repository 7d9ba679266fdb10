"""A mixed, uncached workload: the requests a person exploring the graph makes, each new.

The named questions of bench/run.py are each asked again and again, so after the first time
lrkg answers them from its caches. A person rarely repeats a request: every theme, page,
review, actor or word is new. This script makes a seeded stream of distinct requests over a
loaded store (the headline list for many themes, broad and narrow, pages 1-5 of each; review,
actor, theme, finding and recommendation pages across the corpus; searches with different
words; plain-English questions; analytics with filters), then:

1. sends the stream to a real `lrkg serve` (uvicorn on 127.0.0.1) with 1 client, then to a
   freshly started server with 8 clients (so each round starts from empty caches and no
   request is repeated within a server's life): p50, p95, p99 and throughput, by kind and in all;
2. answers the same stream in-process (the FastAPI app, no HTTP) recording the SPARQL each
   request sent to the store, and runs each request's SPARQL on pyoxigraph directly ("raw",
   no lrkg around it and no cache): the same work without lrkg's Python.

    .venv/bin/python bench/workload.py --size 100k                      # about a minute
    .venv/bin/python bench/workload.py --size 1m --requests 150          # several minutes
    .venv/bin/python bench/workload.py --store /tmp/store-1m             # an already loaded store

The corpus and the store are generated and loaded under --work (bench/out/ by default, never
committed) unless --store names one. Times are never asserted in tests.
"""

from __future__ import annotations

import argparse
import http.client
import json
import queue
import random
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

import generate  # noqa: E402
import run  # noqa: E402
from pyoxigraph import Store  # noqa: E402

from graph.vocabulary.namespaces import PREFIXES  # noqa: E402
from tests.servers import Server  # noqa: E402

ID = "https://w3id.org/lrkg/id/"
SAMPLES = {
    "theme": "SELECT ?x (COUNT(*) AS ?n) WHERE { ?item lrkg:theme ?x } GROUP BY ?x",
    "broader": "SELECT DISTINCT ?x WHERE { ?narrower skos:broader ?x FILTER(STRSTARTS(STR(?x), STR(theme:))) }",
    "review": "SELECT ?x WHERE { ?x a lrkg:Review }",
    "actor": "SELECT DISTINCT ?x WHERE { ?item lrkg:owner|lrkg:implicates ?x }",
    "finding": "SELECT ?x WHERE { ?x a lrkg:Finding }",
    "recommendation": "SELECT ?x WHERE { ?x a lrkg:Recommendation }",
    "kind": "SELECT DISTINCT ?x WHERE { ?review lrkg:reviewKind ?x }",
}
"""What the stream is drawn from, read from the store itself (each ?x an IRI under ID)."""
LABELS = {
    "theme": "SELECT ?x (SAMPLE(?label) AS ?l) WHERE { ?x skos:prefLabel ?label } GROUP BY ?x",
    "actor": "SELECT DISTINCT ?x ?l WHERE { ?x rdfs:label ?l FILTER(STRSTARTS(STR(?x), STR(actor:))) }",
    "words": "SELECT ?l WHERE { ?x a lrkg:Finding ; rdfs:label ?l } LIMIT 20000",
}
STATUSES = ("implementation", "decision", "closure", "reported-implemented", "accepted")
PAGE = 20  # items on an actor or theme page (api.routes.pages.ITEMS_PER_PAGE)
HEADLINE_PAGE = 50  # the REST list's page (LRKG_PAGE_SIZE)
SHARES = {  # kind of request: its share of the stream
    "headline": 20, "theme page": 10, "review page": 12, "actor page": 10, "finding page": 10,
    "recommendation page": 6, "search": 10, "ask": 8, "filtered list": 6, "analytics": 8,
}


@dataclass(frozen=True)
class Request:
    kind: str
    path: str


# ------------------------------------------------------------------ the stream


class Corpus:
    """The ids, labels and words the stream is drawn from."""

    def __init__(self, store_path: Path) -> None:
        store = Store.read_only(str(store_path))

        def ask(text: str) -> list[Any]:
            return list(store.query(text, use_default_graph_as_union=True, prefixes=PREFIXES))

        def local(term: Any) -> str:
            return term.value.rsplit("/", 1)[1]

        self.ids = {name: sorted(local(row["x"]) for row in ask(text) if row["x"].value.startswith(ID))
                    for name, text in SAMPLES.items()}
        counts = {local(row["x"]): int(row["n"].value) for row in ask(SAMPLES["theme"])}
        self.busy_themes = sorted(counts, key=lambda theme: -counts[theme])[:10]
        """The themes most items have: a person asks about these most."""
        self.labels = {name: {local(row["x"]): row["l"].value for row in ask(LABELS[name])}
                       for name in ("theme", "actor")}
        self.labels["actor"] = {actor: label for actor, label in self.labels["actor"].items()
                                if actor in set(self.ids["actor"])}
        words = {word.strip(",.'").lower() for row in ask(LABELS["words"]) for word in row["l"].value.split()}
        self.words = sorted(word for word in words if len(word) >= 5 and word.isalpha())


def stream(corpus: Corpus, count: int, seed: int, leave_out: Sequence[str] = ()) -> list[Request]:
    """`count` distinct requests, in the order a person might make them (a list is paged
    through from its first page), the kinds in the proportions of SHARES (but `leave_out`)."""
    chance = random.Random(seed)
    made: list[Request] = []
    seen: set[str] = set()
    kinds, weights = zip(*((kind, share) for kind, share in SHARES.items() if kind not in leave_out))
    attempts = 0
    while len(made) < count and attempts < 50 * count:
        attempts += 1
        kind = chance.choices(kinds, weights)[0]
        for path in _paths(kind, corpus, chance):
            if path not in seen and len(made) < count:
                seen.add(path)
                made.append(Request(kind, path))
    return made


def _theme(corpus: Corpus, chance: random.Random) -> str:
    """A busy theme half the time, a broader one sometimes, any theme otherwise."""
    pick = chance.random()
    if pick < 0.4:
        return chance.choice(corpus.busy_themes)
    if pick < 0.55 and corpus.ids["broader"]:
        return chance.choice(corpus.ids["broader"])
    return chance.choice(corpus.ids["theme"])


def _paths(kind: str, corpus: Corpus, chance: random.Random) -> list[str]:  # noqa: PLR0911 - one per kind
    """The requests of one step: one, or pages 1-5 of one list."""
    ids = corpus.ids
    pages = range(chance.randint(1, 5))
    if kind == "headline":
        theme = _theme(corpus, chance)
        return ["/api/recommendations?" + urlencode({"theme": theme, "limit": HEADLINE_PAGE,
                                                      "offset": page * HEADLINE_PAGE}) for page in pages]
    if kind == "theme page":
        theme, which = _theme(corpus, chance), chance.choice(("findings_offset", "recommendations_offset"))
        return [f"/themes/{theme}" + (f"?{which}={page * PAGE}" if page else "") for page in pages]
    if kind == "actor page":
        actor, which = chance.choice(ids["actor"]), chance.choice(("findings_offset", "recommendations_offset"))
        return [f"/actors/{actor}" + (f"?{which}={page * PAGE}" if page else "") for page in pages]
    if kind in ("review page", "finding page", "recommendation page"):
        noun = kind.split()[0]
        return [f"/{noun}s/{chance.choice(ids[noun])}"]
    if kind == "search":
        words = " ".join(chance.sample(corpus.words, chance.choice((1, 1, 2))))
        where = chance.choice(("/api/search?", "/search?"))
        return [where + urlencode({"q": words})]
    if kind == "ask":
        return ["/api/ask?" + urlencode({"q": _question(corpus, chance)})]
    if kind == "filtered list":
        return [_filtered(corpus, chance)]
    return [_analytics(corpus, chance)]


def _question(corpus: Corpus, chance: random.Random) -> str:
    theme = corpus.labels["theme"][_theme(corpus, chance)] if corpus.labels["theme"] else "communication"
    actor = chance.choice(sorted(corpus.labels["actor"].values()))
    return chance.choice((f"Which recommendations address {theme}?", f"Show findings about {theme}",
                          f"Which recommendations are owned by {actor}?", f"Which findings implicate {actor}?"))


def _filtered(corpus: Corpus, chance: random.Random) -> str:
    ids = corpus.ids
    if chance.random() < 0.5:
        return "/api/findings?" + urlencode({"theme": _theme(corpus, chance), "actor": chance.choice(ids["actor"])})
    return "/api/recommendations?" + urlencode({"owner": chance.choice(ids["actor"]),
                                                "status": chance.choice(STATUSES)})


def _analytics(corpus: Corpus, chance: random.Random) -> str:
    ids, theme = corpus.ids, _theme(corpus, chance)
    choices = (
        "/api/analytics/theme-years?" + urlencode({"theme": theme, "kind": chance.choice(ids["kind"])}),
        "/api/analytics/recurrence?" + urlencode({"min_reviews": chance.randint(2, 40)}),
        "/api/analytics/lessons?" + urlencode({"theme": theme}),
        "/api/analytics/status-by-actor?" + urlencode({"theme": theme}),
        "/api/analytics/status-by-review?" + urlencode({"theme": theme, "kind": chance.choice(ids["kind"])}),
    )
    return chance.choice(choices)


# ------------------------------------------------------------------ HTTP


def http_round(url: str, requests: Sequence[Request], clients: int, timeout: float) -> dict[str, Any]:
    """Send every request once, `clients` at a time, each client on a kept-alive connection
    taking the next request from the stream: each request's latency and status, and throughput."""
    split = urlsplit(url)
    todo: queue.Queue[Request] = queue.Queue()
    for request in requests:
        todo.put(request)
    done: list[tuple[Request, float, int]] = []
    lock = threading.Lock()

    def client() -> None:
        connection = http.client.HTTPConnection(split.hostname, split.port, timeout=timeout)
        while True:
            try:
                request = todo.get_nowait()
            except queue.Empty:
                break
            start = time.perf_counter()
            try:
                connection.request("GET", request.path, headers={"Accept": "text/html,application/json"})
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(split.hostname, split.port, timeout=timeout)
                status = 0
            with lock:
                done.append((request, time.perf_counter() - start, status))
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    return {"latency": {r.path: seconds for r, seconds, _ in done},
            "failed": {r.path: status for r, _, status in done if status != 200},
            "throughput": len(done) / elapsed, "seconds": elapsed}


def serve_round(work: Path, store: Path, requests: Sequence[Request], clients: int, timeout: float,
                settings: dict[str, str]) -> dict[str, Any]:
    """A round on a newly started server (empty caches), stopped afterwards."""
    server = Server.start(work, store=store, query_workers="2", **settings)
    try:
        server.wait(timeout=1800)
        run.wait_for_answer(server.url)
        run.step(f"{len(requests)} requests, {clients} client(s)")
        found = http_round(server.url, requests, clients, timeout)
        found["server_mb"] = run.memory_mb(server.process.pid)[1]
        return found
    finally:
        server.stop()


# ------------------------------------------------------------------ in process, and raw


def in_process(work: Path, store: Path, requests: Sequence[Request]) -> dict[str, Any]:
    """Each request through the app in this process (no HTTP), with the SPARQL it sent recorded,
    then that SPARQL on pyoxigraph directly: the seconds of each, by path."""
    from fastapi.testclient import TestClient

    from api.app import create_app
    from graph.store.config import Settings

    settings = Settings(store=store, search_index=work / "search.sqlite", data_dir=work)
    api_seconds: dict[str, float] = {}
    texts: dict[str, list[str]] = {}
    with TestClient(create_app(settings)) as client:
        knowledge = client.app.state.store  # type: ignore[attr-defined]
        recorder = run.Recorder(knowledge._inner)  # noqa: SLF001 - the pyoxigraph store it asks
        knowledge._inner = recorder  # noqa: SLF001
        for request in requests:
            recorder.texts = []
            start = time.perf_counter()
            client.get(request.path, headers={"Accept": "text/html,application/json"})
            api_seconds[request.path] = time.perf_counter() - start
            texts[request.path] = recorder.texts
        knowledge._inner = recorder.inner  # noqa: SLF001
    raw = Store.read_only(str(store))
    raw_seconds = {}
    for request in requests:
        if not texts[request.path]:
            continue  # answered without SPARQL (a search): no raw figure
        start = time.perf_counter()
        for text in texts[request.path]:
            list(raw.query(text, use_default_graph_as_union=True, prefixes=PREFIXES))
        raw_seconds[request.path] = time.perf_counter() - start
    return {"api": api_seconds, "raw": raw_seconds, "queries": {path: len(t) for path, t in texts.items()}}


# ------------------------------------------------------------------ the run and its table


def prepare(arguments: argparse.Namespace) -> Path:
    """The store to measure: --store, or the corpus of --size generated and loaded under --work."""
    if arguments.store:
        return arguments.store
    corpus = arguments.work / f"corpus-{arguments.size}-seed{arguments.seed}"
    store = arguments.work / f"workload-{arguments.size}-seed{arguments.seed}" / "store"
    if not corpus.exists():
        run.step(f"generating {arguments.size}")
        generate.generate(generate.size_of(arguments.size), corpus, arguments.seed)
    if not store.exists():
        run.step("loading with lrkg load")
        run.run_measured([sys.executable, "-m", "api", "load", str(corpus), "--store", str(store)])
    return store


def measure(arguments: argparse.Namespace) -> dict[str, Any]:
    store = prepare(arguments)
    work = store.parent / "workload"
    work.mkdir(parents=True, exist_ok=True)
    run.step("drawing the stream")
    requests = stream(Corpus(store), arguments.requests, arguments.seed, arguments.leave_out)
    results: dict[str, Any] = {"machine": run.machine(), "requests": [[r.kind, r.path] for r in requests],
                               "rounds": {}}
    settings = {name: value for name, value in (pair.split("=", 1) for pair in arguments.setting)}
    for clients in arguments.clients:
        results["rounds"][str(clients)] = serve_round(work, store, requests, clients, arguments.timeout, settings)
    if "raw" not in arguments.skip:
        run.step("in process, and the same SPARQL on pyoxigraph directly")
        results["in_process"] = in_process(work, store, requests)
    results["machine"]["load_average"] = run.machine()["load_average"]
    return results


def spread(values: Sequence[float]) -> str:
    if not values:
        return "—"
    return " / ".join(run.ms(run.percentile(values, share)) for share in (0.5, 0.95, 0.99))


def render(results: dict[str, Any]) -> str:
    m = results["machine"]
    requests = [Request(kind, path) for kind, path in results["requests"]]
    rounds = results["rounds"]
    measured = results.get("in_process", {"api": {}, "raw": {}, "queries": {}})
    lines = [(f"lrkg mixed workload: {len(requests)} distinct requests; {m['cores']} cores ({m['cpu']}), "
              f"Python {m['python']}, pyoxigraph {m['pyoxigraph']}; load average at the end {m['load_average']}"), "",
             ("Latency p50 / p95 / p99 over HTTP (each round on a newly started server: every request is its "
              "first). In process: the app without HTTP, in stream order. Raw pyoxigraph: the SPARQL each request "
              "sent, on pyoxigraph directly (no cache); HTTP ÷ raw: summed over the requests that sent SPARQL."), "",
             "| kind | requests | " + " | ".join(f"HTTP {c} client{'s' if c != '1' else ''}" for c in rounds)
             + " | in process | raw pyoxigraph | HTTP 1 ÷ raw | failed |",
             "|---|---|" + "---|" * len(rounds) + "---|---|---|---|"]
    kinds = list(dict.fromkeys(request.kind for request in requests))
    for kind in [*kinds, "all"]:
        paths = [r.path for r in requests if kind in ("all", r.kind)]
        cells = [spread([found["latency"][p] for p in paths if p in found["latency"]]) for found in rounds.values()]
        with_raw = [p for p in paths if p in measured["raw"]]
        first = next(iter(rounds.values()), {"latency": {}})
        http_sum = sum(first["latency"].get(p, 0) for p in with_raw)
        raw_sum = sum(measured["raw"][p] for p in with_raw)
        failed = sum(1 for found in rounds.values() for p in paths if p in found["failed"])
        lines.append(f"| {kind} | {len(paths)} | " + " | ".join(cells)
                     + f" | {spread([measured['api'][p] for p in paths if p in measured['api']])}"
                     + f" | {spread([measured['raw'][p] for p in with_raw])}"
                     + f" | {run.ratio(http_sum, raw_sum) if with_raw else '—'} | {failed} |")
    lines += ["", "| clients | throughput | round | server with workers (PSS) |", "|---|---|---|---|"]
    for clients, found in rounds.items():
        lines.append(f"| {clients} | {found['throughput']:.2f} requests/s | {found['seconds']:.1f} s "
                     f"| {found['server_mb']:,.0f} MB |")
    if len(rounds) > 1:
        one, *_, most = rounds.values()
        lines += ["", f"Throughput {list(rounds)[-1]} ÷ 1: {most['throughput'] / one['throughput']:.2f}×"]
    failures = sorted({f"{path} ({status})" for found in rounds.values() for path, status in found["failed"].items()})
    if failures:
        lines += ["", "Failed requests (with their status; 0: no answer within --timeout):", ""]
        lines += [f"- {failure}" for failure in failures[:20]]
    slowest = sorted(first["latency"].items(), key=lambda item: -item[1])[:10] if rounds else []
    lines += ["", "Slowest requests with 1 client:", ""] + [f"- {run.ms(s)} {p}" for p, s in slowest]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k", help="10k, 100k, 1m, 5m or a number of triples")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--store", type=Path, help="a loaded store to measure (instead of --size)")
    parser.add_argument("--work", type=Path, default=run.OUT, help="folder for the corpus and the store")
    parser.add_argument("--requests", type=int, default=150, help="distinct requests in the stream")
    parser.add_argument("--clients", type=int, nargs="*", default=[1, 8])
    parser.add_argument("--timeout", type=float, default=300, help="seconds a request may take")
    parser.add_argument("--setting", nargs="*", default=[], help="LRKG_ settings for the server, as name=value")
    parser.add_argument("--skip", nargs="*", default=[], choices=["raw"])
    parser.add_argument("--leave-out", nargs="*", default=[], choices=list(SHARES),
                        help="kinds of request left out of the stream")
    parser.add_argument("--out", type=Path, help="also write the table here (Markdown; JSON beside it)")
    arguments = parser.parse_args()
    results = measure(arguments)
    text = render(results)
    print(text)
    if arguments.out:
        arguments.out.write_text(text + "\n")
        arguments.out.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
