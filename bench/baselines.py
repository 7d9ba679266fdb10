"""What the same work costs without lrkg, run by bench/run.py in a process of its own (so that its
time and peak memory are its own):

    bulk-load STORE DIR      pyoxigraph's own bulk load of every file of DIR into a new store on
                             disk, each review in its named graph, as `lrkg load` stores them;
    rdflib DIR QUERIES.json BUDGET
                             rdflib's parser into an in-memory Dataset (a graph per review, the
                             union as default graph), then each question of QUERIES.json (a list
                             of [name, [SPARQL text, ...]]) once, each given BUDGET seconds.

Each prints one JSON object per line: {"step": ..., "seconds": ...}. Each question runs in a
fork of the loaded process, killed at its budget and reported as {"step": ..., "seconds": null,
"at_least": BUDGET} (rdflib's queries cannot be stopped from inside).
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VOCABULARY = [ROOT / "ontology" / name for name in ("lrkg.ttl", "themes.ttl", "statuses.ttl")]
REVIEW_BASE = "https://w3id.org/lrkg/id/review/"
GRAPH_BASE = "https://w3id.org/lrkg/graph/"
BUDGET = float(sys.argv[4]) if len(sys.argv) > 4 else 20.0


def graphs(folder: Path) -> Iterator[tuple[Path, str]]:
    """Each file and the graph lrkg puts it in (bench/generate.py names a file after its review)."""
    for path in VOCABULARY:
        yield path, GRAPH_BASE + path.stem
    for path in sorted(folder.glob("*.ttl")):
        yield path, REVIEW_BASE + path.stem


def report(step: str, seconds: float | None, **more: float) -> None:
    print(json.dumps({"step": step, "seconds": seconds, **more}), flush=True)


def bulk_load(store_folder: Path, folder: Path) -> None:
    from pyoxigraph import NamedNode, Quad, RdfFormat, Store, parse

    def quads() -> Iterator[Quad]:
        for path, graph in graphs(folder):
            target = NamedNode(graph)
            for triple in parse(path=str(path), format=RdfFormat.TURTLE):
                yield Quad(triple.subject, triple.predicate, triple.object, target)

    start = time.perf_counter()
    store = Store(str(store_folder))
    store.bulk_extend(quads())
    store.flush()
    report("load", time.perf_counter() - start)


def rdflib_run(folder: Path, queries_file: Path) -> None:
    import rdflib

    from graph.vocabulary.namespaces import PREFIXES

    start = time.perf_counter()
    dataset = rdflib.Dataset(default_union=True)
    for path, graph in graphs(folder):
        dataset.graph(rdflib.URIRef(graph)).parse(path, format="turtle")
    report("load", time.perf_counter() - start)
    prologue = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
    dataset.query(prologue + "ASK { ?s ?p ?o }")  # the first query pays for building the parser
    for name, texts in json.loads(queries_file.read_text()):
        child = os.fork()  # each question in a copy of this process, stopped at its budget
        if child == 0:
            start = time.perf_counter()
            for text in texts:
                list(dataset.query(prologue + text))  # declaring a prefix twice is allowed
            report(name, time.perf_counter() - start)
            os._exit(0)
        if not _ended_within(child, BUDGET):
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
            report(name, None, at_least=BUDGET)


def _ended_within(child: int, seconds: float) -> bool:
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        if os.waitpid(child, os.WNOHANG)[0]:
            return True
        time.sleep(0.01)
    return False


if __name__ == "__main__":
    mode, first, second = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    if mode == "bulk-load":
        bulk_load(first, second)
    else:
        rdflib_run(first, second)
