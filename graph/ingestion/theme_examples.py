"""Labelled examples that the learned theme tagger is trained on, and where each came from.

Examples live in `graph/ingestion/training/*.jsonl`, one JSON object a line: `text`, `themes`
(theme ids, the narrowest that fit), `source` (where the text comes from) and `labelled_by`
(who gave the themes). They are shipped with the package so that tagging needs no network
and gives the same answer everywhere:

* `pfd_screening.jsonl`: the training part of coroners' reports screened by the PFD-toolkit
  project, its columns mapped to our themes (`bench/pfd_labels.py`, which also keeps the
  held-out part out of it);
* `written.jsonl`: short examples written for this project, for themes no screening covers;
* `confirmed.jsonl` and `curated.jsonl`, when present: themes curators confirmed, and the themes
  the curated reviews' own curators gave, written from a store by `lrkg training-examples`
  (graph.ingestion.store_examples).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from graph.store.errors import InvalidInput

TRAINING_DIR = Path(__file__).resolve().parent / "training"


@dataclass(frozen=True)
class Example:
    """A text and the themes (ids) it was labelled with."""

    text: str
    themes: frozenset[str]
    source: str
    labelled_by: str


def read_examples(path: Path) -> list[Example]:
    """The examples of one JSON-lines file; a malformed line is an error naming the line."""
    examples = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                examples.append(Example(str(record["text"]), frozenset(record["themes"]), str(record["source"]),
                                        str(record["labelled_by"])))
            except (ValueError, KeyError, TypeError) as error:
                raise InvalidInput(f"{path.name} line {number}: not a labelled example ({error})") from error
    return examples


def write_examples(path: Path, examples: Iterable[Example]) -> int:
    """Write `examples` to `path` in the format `read_examples` reads; return how many."""
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for example in examples:
            handle.write(json.dumps({"text": example.text, "themes": sorted(example.themes), "source": example.source,
                                     "labelled_by": example.labelled_by}, ensure_ascii=False) + "\n")
            count += 1
    return count


def training_examples(directory: Path = TRAINING_DIR, exclude: Iterable[str] = ()) -> list[Example]:
    """Every example of every `*.jsonl` file in `directory`, except the files named in `exclude`."""
    skipped = set(exclude)
    return [e for path in sorted(directory.glob("*.jsonl")) if path.name not in skipped for e in read_examples(path)]
