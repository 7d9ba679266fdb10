"""How names typed by a person are compared, and a concept found by one.

One normal form for labels, synonyms and queries (`normalise`), and one rule for every
controlled vocabulary, wherever its names are read from (the Turtle of `ontology/` for
importers, which have no store; the store for the questions): a concept goes by its preferred
names (label, id, notation, IRI) and its synonyms, and a preferred name wins over a synonym that
another concept shares. An IRI is kept as it is, every other name in normal form, so that case,
punctuation and plurals do not matter.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import TypeVar


def normalise(text: str) -> str:
    """Lower case, words only, each word singular: 'Communication failures' -> 'communication failure'."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words)


C = TypeVar("C")

IRI_SCHEMES = ("http://", "https://", "urn:")


def index_names(named: Iterable[tuple[C, str, bool]]) -> dict[str, C]:
    """Each concept under every name it goes by: `named` holds each concept with a name and
    whether that name is preferred. The first concept to claim a name keeps it."""
    preferred: dict[str, C] = {}
    synonyms: dict[str, C] = {}
    for concept, name, is_preferred in named:
        if name:
            (preferred if is_preferred else synonyms).setdefault(_key(name), concept)
    return {**synonyms, **preferred}


def find(names: Mapping[str, C], text: str) -> C | None:
    """The concept `text` names: as typed (an IRI), else in normal form."""
    wanted = text.strip()
    return names.get(wanted) or names.get(normalise(wanted))


def closest(names: Mapping[str, C], text: str, limit: int, cutoff: float = 0.6) -> list[C]:
    """The concepts whose names look most like `text`, the closest first (a concept may repeat)."""
    return [names[name] for name in difflib.get_close_matches(normalise(text), list(names), n=limit, cutoff=cutoff)]


def _key(name: str) -> str:
    return name if name.startswith(IRI_SCHEMES) else normalise(name)
