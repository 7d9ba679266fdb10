"""The training examples a store holds, written where the learned tagger reads them.

Two kinds of theme in a store are a person's judgement, so the tagger can learn from them:

* themes a curator confirmed (graph.ingestion.theme_decisions): the finding's words (its quoted
  evidence) labelled with its confirmed themes, attributed to the curators;
* themes the curators of a curated review gave its findings and recommendations (a theme no
  machine assignment gave): the item's description (or label) labelled with them, attributed
  to the review's curators.

`write_store_examples` writes them as `confirmed.jsonl` and `curated.jsonl` in the training
folder (graph.ingestion.theme_examples), replacing the earlier ones; the tagger trains on every
file there when it is next built, so writing them and restarting is retraining.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from graph.ingestion.curator_decisions import resource_id
from graph.ingestion.theme_decisions import UNCLASSIFIED, confirmed_examples
from graph.ingestion.theme_examples import TRAINING_DIR, Example, write_examples
from graph.store.knowledge_store import KnowledgeStore
from graph.store.queries import named_query

CONFIRMED_FILE = "confirmed.jsonl"
CURATED_FILE = "curated.jsonl"
CURATED_BY = "the curated review's curators"


@dataclass(frozen=True)
class Written:
    """How many examples of each kind were written, and where."""

    confirmed: int
    curated: int
    directory: Path


def curated_examples(store: KnowledgeStore) -> list[Example]:
    """Every finding and recommendation with curator-given themes: its words and those themes."""
    by_item: dict[str, tuple[str, set[str]]] = {}
    for row in store.select(named_query("curated_theme_examples").text):
        theme = resource_id(row["theme"].value)
        described = row.get("description") or row.get("label")
        if theme == UNCLASSIFIED or described is None or not described.value.strip():
            continue
        by_item.setdefault(row["item"].value, (described.value, set()))[1].add(theme)
    return [Example(words, frozenset(themes), item, CURATED_BY) for item, (words, themes) in sorted(by_item.items())]


def write_store_examples(store: KnowledgeStore, directory: Path = TRAINING_DIR) -> Written:
    """Write the store's confirmed and curated themes as training files in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    confirmed = write_examples(directory / CONFIRMED_FILE, confirmed_examples(store))
    curated = write_examples(directory / CURATED_FILE, curated_examples(store))
    return Written(confirmed, curated, directory)
