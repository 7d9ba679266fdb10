"""What the curator's page and the theme filters cost over the PFD extracts (never a timed test).

Imports ../shared/data/pfd/suicide_reports_family_themes.csv (237 PFD reports) into a store
in memory with the rules tagger (every proposal kept from score 0.35, as the tests do, so there
is much to curate), then times, best of `--repeat` runs with the store's answer cache cleared
each time: the first page of /curate/themes' list (every theme, and communication's), recurrence
and theme × year unfiltered, with min_score 0.8 and with confirmed_only. Prints a table.

    .venv/bin/python bench/curation.py [--csv FILE] [--repeat 5]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from graph.analytics.recurrence import _all_recurring_themes
from graph.answers.given_themes import EVERY_THEME, ThemeTrust
from graph.answers.theme_proposals import theme_proposals
from graph.answers.theme_years import theme_years
from graph.ingestion.loading import Loader
from graph.ingestion.pfd import read_reports
from graph.ingestion.reconcile import known_actors
from graph.ingestion.review_batch import store_reviews
from graph.ingestion.tagging import RulesTagger
from graph.store.knowledge_store import KnowledgeStore
from graph.store.paging import Window
from graph.store.validation import ShapesValidator

ROOT = Path(__file__).resolve().parent.parent
PFD = ROOT.parent / "shared" / "data" / "pfd" / "suicide_reports_family_themes.csv"


def best_of(repeat: int, store: KnowledgeStore, work: Callable[[], object]) -> float:
    """The fastest of `repeat` runs, in ms, each with no answer kept from the last."""
    times = []
    for _ in range(repeat):
        store._answers.clear()  # type: ignore[attr-defined]  # a cold question each time
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=PFD)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    validator = ShapesValidator(ROOT / "ontology")
    store = KnowledgeStore.in_memory()
    Loader(store, validator).load([ROOT / "data"])
    started = time.perf_counter()
    result = read_reports(args.csv, known_actors(store), RulesTagger.from_ontology(ROOT / "ontology"),
                          min_score=0.35, max_themes=5)
    store_reviews(store, validator, result.reviews, args.csv.name, problems=result.problems)
    imported = time.perf_counter() - started
    waiting = theme_proposals(store, Window(1))[0].total
    print(f"{len(result.reviews)} reports imported in {imported:.0f} s; {len(store)} statements; "
          f"{waiting} proposals waiting for a curator\n")
    cases: list[tuple[str, Callable[[], object]]] = [
        ("curate page: first 25 proposals, every theme", lambda: theme_proposals(store, Window(25))),
        ("curate page: first 25 under communication",
         lambda: theme_proposals(store, Window(25), theme="communication")),
    ]
    for name, trust in (("unfiltered", EVERY_THEME), ("min_score 0.8", ThemeTrust(0.8)),
                        ("confirmed_only", ThemeTrust(None, True))):
        # the work behind all_recurring_themes, which the server keeps until the next write
        cases.append((f"recurrence, {name}", lambda t=trust: _all_recurring_themes(store, t)))
        cases.append((f"theme x year (communication), {name}",
                      lambda t=trust: theme_years(store, "communication", min_score=t.min_score,
                                                  confirmed_only=t.confirmed_only)))
    print(f"{'question':<52} {'best ms':>8}")
    for name, work in cases:
        print(f"{name:<52} {best_of(args.repeat, store, work):>8.1f}")


if __name__ == "__main__":
    main()
