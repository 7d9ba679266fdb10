"""What the SPARQL page adds to a request, at scale: the editor's vocabulary (classes and properties
in use, counted over the whole store), the labels beside an answer's IRIs, and each example question.

A synthetic corpus (bench/generate.py) is loaded with `lrkg load` into a store of its own under
`--work`, then each step is timed in-process on that store: the vocabulary's first computation
(kept until the next write) and its recall, labels for 20, 200 and 2,000 IRIs (the most an answer
gets), and every example of graph/queries/examples (median of `--runs`). Prints a table.

    .venv/bin/python bench/sparql_editor.py --size 100k
    .venv/bin/python bench/sparql_editor.py --size 1m --runs 3
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import generate

from graph.answers.display_labels import MAX_LABELLED, display_labels
from graph.answers.sparql_examples import example_groups
from graph.answers.sparql_vocabulary import sparql_vocabulary
from graph.store.knowledge_store import KnowledgeStore, OxigraphStore


def timed(call: Callable[[], object]) -> tuple[float, object]:
    """Milliseconds `call` took, and what it returned."""
    start = time.perf_counter()
    result = call()
    return (time.perf_counter() - start) * 1000, result


def median_ms(store: KnowledgeStore, call: Callable[[KnowledgeStore], object], runs: int) -> tuple[float, object]:
    """The median time of `call` on a fresh answer cache each run (the store keeps answers until
    its next write, so a second run on the same one measures a dictionary look-up)."""
    times, result = [], None
    for _ in range(runs):
        fresh = OxigraphStore(store._inner, store.path)  # type: ignore[attr-defined]
        elapsed, result = timed(partial(call, fresh))
        times.append(elapsed)
    return statistics.median(times), result


def _labels(iris: list[str], store: KnowledgeStore) -> object:
    return display_labels(store, iris)


def _select(text: str, store: KnowledgeStore) -> object:
    return store.select(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k", help="10k, 100k, 1m or a number of triples")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "sparql-editor")
    arguments = parser.parse_args()
    corpus, store_path = arguments.work / f"corpus-{arguments.size}", arguments.work / f"store-{arguments.size}"
    if not corpus.exists():
        generate.generate(generate.size_of(arguments.size), corpus, arguments.seed)
    if not store_path.exists():
        subprocess.run([sys.executable, "-m", "api", "load", str(corpus), "--store", str(store_path)], check=True)
    store = KnowledgeStore.open(store_path)
    rows: list[tuple[str, float, str]] = []

    elapsed, vocabulary = timed(lambda: sparql_vocabulary(store))
    classes, properties = len(vocabulary.classes), len(vocabulary.properties)  # type: ignore[attr-defined]
    rows.append(("vocabulary, first (counts every statement)", elapsed, f"{classes} classes, {properties} properties"))
    elapsed, _ = timed(lambda: sparql_vocabulary(store))
    rows.append(("vocabulary, kept (until the next write)", elapsed, ""))

    iris = [row["s"].value for row in store.select(f"SELECT DISTINCT ?s WHERE {{ ?s rdfs:label ?l }} LIMIT {MAX_LABELLED}")]
    for count in (20, 200, MAX_LABELLED):
        elapsed, labels = median_ms(store, partial(_labels, iris[:count]), arguments.runs)
        rows.append((f"labels of {count:,} IRIs", elapsed, f"{len(labels):,} found"))  # type: ignore[arg-type]

    for group in example_groups():
        for example in group.examples:
            elapsed, answer = median_ms(store, partial(_select, example.text), arguments.runs)
            rows.append((f"example {example.name}", elapsed, f"{len(answer):,} rows"))  # type: ignore[arg-type]

    print(f"\nSPARQL page at {arguments.size} ({len(store):,} quads), median of {arguments.runs} runs\n")
    print(f"| {'step':<58} | {'ms':>9} | note")
    print(f"| {'-' * 58} | {'-' * 9} | ----")
    for name, milliseconds, note in rows:
        print(f"| {name:<58} | {milliseconds:>9.1f} | {note}")


if __name__ == "__main__":
    main()
