"""How many of the questions analysts ask does /api/ask read as meant?

Measured on `tests/data/ask_phrasings.yaml`: phrasings of every kind of question (status and
progress, recurrence, who is responsible, comparisons, counts, years, themes, actors, reviews),
with typos and different word orders, each with the reading expected (intent and filters). A
phrasing is understood when the reader (`graph.answers.ask_reading.read_question`) gives exactly
that reading. The phrasings marked `held_out` were written after the reader was done and are
printed apart, by batch: the first batch's share at its first run is the honest figure for it
(its misreads were fixed afterwards), then a second batch was written blind. Run on the curated
data/.

    .venv/bin/python bench/eval_ask.py
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml

from graph.answers.ask_intents import reading_data
from graph.answers.ask_reading import read_question
from graph.ingestion.loading import open_store
from graph.store.config import Settings
from graph.store.errors import LrkgError
from graph.store.knowledge_store import KnowledgeStore

PHRASINGS = ROOT / "tests" / "data" / "ask_phrasings.yaml"


def phrasings() -> list[dict[str, Any]]:
    """Every phrasing with its expected reading (and its `group`, `q`, `held_out`)."""
    return list(yaml.safe_load(PHRASINGS.read_text(encoding="utf-8"))["phrasings"])


def expected(phrasing: dict[str, Any]) -> dict[str, Any]:
    """The reading a phrasing must get, as `reading_data` writes it."""
    wanted = {key: value for key, value in phrasing.items() if key not in ("q", "group", "held_out")}
    if "actors" in wanted:
        wanted["actors"] = sorted(wanted["actors"])
    return wanted


def reading(store: KnowledgeStore, question: str) -> dict[str, Any] | str:
    """The reading of `question`, or the error it gives."""
    try:
        kind, resolved = read_question(store, question, [])
    except LrkgError as error:
        return f"{type(error).__name__}: {error}"
    return reading_data(kind, resolved)


def main() -> None:
    store = open_store(Settings(memory=True, data_dir=ROOT / "data", ontology_dir=ROOT / "ontology"))
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    misread: list[tuple[str, dict[str, Any], dict[str, Any] | str]] = []
    for phrasing in phrasings():
        split = f"held-out {phrasing['held_out']}" if phrasing.get("held_out") else "tuned"
        got = reading(store, phrasing["q"])
        ok = got == expected(phrasing)
        for key in ((split, phrasing["group"]), (split, "all")):
            tally[key][0] += ok
            tally[key][1] += 1
        if not ok:
            misread.append((phrasing["q"], expected(phrasing), got))
    print(f"{'phrasings':<11} {'group':<16} {'understood':>10} {'of':>4} {'share':>7}")
    for (split, group), (ok, total) in sorted(tally.items(), key=lambda item: (item[0][0] != "tuned", item[0][0], item[0][1] == "all", item[0][1])):
        print(f"{split:<11} {group:<16} {ok:>10} {total:>4} {ok / total:>7.0%}")
    if misread:
        print("\nNot read as expected:")
        for question, wanted, got in misread:
            print(f"- {question!r}\n    expected {wanted}\n    got      {got}")


if __name__ == "__main__":
    main()
