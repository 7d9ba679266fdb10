"""Validated SPARQL Updates on a generated store: how long a one-graph update takes, accepted or
refused, worked out on the store (graph.store.update_effect) and, for comparison, through the
scratch copy of the whole store that every update went through before (forced by a base IRI,
which the worked-out path does not take).

    .venv/bin/python bench/updates.py --size 100k
    .venv/bin/python bench/updates.py --size 1m --runs 3 --skip-copy   # the copy takes a minute at 1m

The corpus and the store go under --work (bench/out/updates-<size> by default) and are reused.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import generate

from graph.ingestion.loading import Loader
from graph.store.errors import ValidationFailed
from graph.store.knowledge_store import KnowledgeStore
from graph.store.validation import ShapesValidator
from graph.store.writes import Writer

ONTOLOGY = ROOT / "ontology"
COPY_BASE = "https://example.org/base/"


def updates(graph: str, finding: str, other_review: str) -> dict[str, tuple[str, bool]]:
    """Name: (update, whether it should be accepted); each touches one graph."""
    return {
        "INSERT DATA, one comment": (
            f'INSERT DATA {{ GRAPH <{graph}> {{ <{finding}> rdfs:comment "Checked {{run}}."@en }} }}', True),
        "DELETE/INSERT WHERE, relabel": (
            (
                f"DELETE {{ GRAPH ?g {{ <{finding}> rdfs:label ?l }} }} "
                f'INSERT {{ GRAPH ?g {{ <{finding}> rdfs:label "Relabelled {{run}}"@en }} }} '
                f"WHERE {{ GRAPH ?g {{ <{finding}> rdfs:label ?l }} }}"
            ),
            True,
        ),
        "DELETE WHERE breaking a shape (refused)": (
            f"DELETE WHERE {{ GRAPH ?g {{ <{finding}> lrkg:theme ?t }} }}", False),
        "cross-graph: a finding in a second review (refused)": (
            f"INSERT DATA {{ GRAPH <https://example.org/graph/notes> {{ <{finding}> lrkg:inReview <{other_review}> }} }}",
            False),
    }


def timed(writer: Writer, update: str, accepted: bool, base: str | None, run: int) -> float:
    """Seconds `writer` took over `update` (made distinct by the run's number, so that every
    accepted run changes the graph); exits if the verdict is not the one expected."""
    update = update.replace("{run}", str(run))
    start = time.perf_counter()
    try:
        writer.update(update, base_iri=base)
        ok = True
    except ValidationFailed:
        ok = False
    elapsed = time.perf_counter() - start
    if ok != accepted:
        raise SystemExit(f"unexpected verdict for: {update}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", default="100k", help="10k, 100k, 1m, 5m or a number of triples")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path)
    parser.add_argument("--skip-copy", action="store_true", help="do not time the scratch copy")
    arguments = parser.parse_args()
    work = arguments.work or ROOT / "bench" / "out" / f"updates-{arguments.size}"
    corpus = work / "corpus"
    if not corpus.exists():
        generate.generate(generate.size_of(arguments.size), corpus)
    validator = ShapesValidator(ONTOLOGY)
    store = KnowledgeStore.open(work / "store")
    start = time.perf_counter()
    Loader(store, validator).load([corpus])
    print(f"store ready in {time.perf_counter() - start:.1f} s: {len(store):,} quads")
    found = store.select("SELECT ?f ?g WHERE { GRAPH ?g { ?f a lrkg:Finding } } LIMIT 1")[0]
    other = next(row["r"] for row in store.select("SELECT ?r WHERE { ?r a lrkg:Review } LIMIT 2") if row["r"] != found["g"])
    writer = Writer(store, validator)
    print("| update | worked out on the store (median) | scratch copy of the store |")
    print("|---|---|---|")
    for name, (update, accepted) in updates(found["g"].value, found["f"].value, other.value).items():
        fast = statistics.median(timed(writer, update, accepted, None, run) for run in range(arguments.runs))
        copied = "skipped" if arguments.skip_copy else f"{timed(writer, update, accepted, COPY_BASE, -1):.2f} s"
        print(f"| {name} | {fast:.3f} s | {copied} |")
    print(f"peak memory {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
