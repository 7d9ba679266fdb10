"""The named SPARQL queries in `graph/queries/*.rq`, read once.

Each file starts with comment lines that say what it answers; a `# Parameters:` line
names the variables a caller binds (through Oxigraph's substitutions, never by pasting
values into the text). A filter parameter bound to `ANY` does not filter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pyoxigraph import NamedNode

from graph.errors import NotFound

QUERY_DIR = Path(__file__).parent / "queries"

ANY = NamedNode("urn:lrkg:any")
"""Bound to an optional filter parameter, it matches everything (see findings.rq)."""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    description: str
    parameters: tuple[str, ...]


def _read(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line.lstrip("# ").rstrip())
    parameters: tuple[str, ...] = ()
    description = []
    for line in header:
        if line.lower().startswith("parameters:"):
            parameters = tuple(re.findall(r"\?(\w+)", line))
        else:
            description.append(line)
    return NamedQuery(path.stem, text, " ".join(description).strip(), parameters)


@cache
def named_queries() -> dict[str, NamedQuery]:
    return {path.stem: _read(path) for path in sorted(QUERY_DIR.glob("*.rq"))}


def named_query(name: str) -> NamedQuery:
    try:
        return named_queries()[name]
    except KeyError:
        raise NotFound(f"No named query {name!r}; known: {', '.join(named_queries())}") from None
