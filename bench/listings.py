"""How long the list pages' answers take (graph.answers.listing: the filtered list, its facet
counts, a sort and a page of items in full) on a synthetic corpus, the first time after a load
and again (a list and its facets are kept until the next write).

Generates the corpus with bench/generate.py (once per size and seed), loads it with
`lrkg load` into a store under --work, then asks each list in-process and prints a table.

    .venv/bin/python bench/listings.py --size 100k
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

import generate

from graph.answers.listing import (
    Filters,
    actor_listing,
    finding_listing,
    recommendation_listing,
    review_listing,
)
from graph.store.knowledge_store import KnowledgeStore
from graph.store.paging import Window

PAGE = Window(20)
ASKED: list[tuple[str, Callable[..., object], Filters, str | None]] = [
    ("findings", finding_listing, Filters(), None),
    ("findings, theme communication", finding_listing, Filters(theme="communication"), None),
    ("findings, theme + polarity, by year", finding_listing, Filters(theme="communication", polarity="shortcoming"),
     "year"),
    ("recommendations", recommendation_listing, Filters(), None),
    ("recommendations, theme communication", recommendation_listing, Filters(theme="communication"), None),
    ("recommendations, theme + status group, by status", recommendation_listing,
     Filters(theme="communication", status_group="implementation"), "status"),
    ("reviews", review_listing, Filters(), None),
    ("actors", actor_listing, Filters(), None),
]


def seconds(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k", choices=sorted(generate.SIZES))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=BENCH / "out")
    arguments = parser.parse_args()
    corpus = arguments.work / f"corpus-{arguments.size}-seed{arguments.seed}"
    if not corpus.exists():
        generate.generate(generate.size_of(arguments.size), corpus, arguments.seed)
    store_path = arguments.work / f"listings-{arguments.size}-seed{arguments.seed}" / "store"
    if not store_path.exists():
        subprocess.run([sys.executable, "-m", "api", "load", str(corpus), "--store", str(store_path)], check=True,
                       stdout=subprocess.DEVNULL)
    store = KnowledgeStore.open(store_path)
    print(f"| list ({arguments.size} triples) | items | first (ms) | again (ms) | next page (ms) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, listing, filters, sort in ASKED:
        first = seconds(lambda: listing(store, filters, PAGE, sort))  # noqa: B023 - called at once
        again = seconds(lambda: listing(store, filters, PAGE, sort))  # noqa: B023
        following = seconds(lambda: listing(store, filters, Window(20, 20), sort))  # noqa: B023
        total = listing(store, filters, PAGE, sort).page.total  # type: ignore[attr-defined]
        print(f"| {name} | {total:,} | {first * 1000:,.0f} | {again * 1000:,.0f} | {following * 1000:,.0f} |")


if __name__ == "__main__":
    main()
