"""The named SPARQL queries in `graph/queries/*.rq`, read once, and how values are bound.

Each file starts with comment lines that say what it answers; a `# Parameters:` line
names the variables a caller binds. Values are bound with a VALUES clause at the start of
the query's WHERE block, each term written in its escaped N-Triples form by pyoxigraph —
never pasted as text. (Oxigraph's own `substitutions` filter after evaluating the whole
query, which made bound lookups 40 to 90 times slower.) A filter parameter bound to `ANY`
does not filter.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Union

from pyoxigraph import BlankNode, Literal, NamedNode

from graph.store.errors import InvalidInput, NotFound
from graph.store.sparql_guard import masked

Term = Union[NamedNode, BlankNode, Literal]
_GROUP_START = re.compile(r"\b(?:WHERE|ASK)\s*\{", re.IGNORECASE)

QUERY_DIR = Path(str(files("graph") / "queries"))

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


def bind_values(sparql: str, values: Mapping[str, Sequence[Term]]) -> str:
    """`sparql` with a VALUES clause binding each name to its values (one row per combination)
    at the start of its first WHERE (or ASK) block, where every pattern and filter sees it."""
    if not values:
        return sparql
    return bind_rows(sparql, list(values), itertools.product(*values.values()))


def bind_rows(sparql: str, names: Sequence[str], rows: Iterable[Sequence[Term | None]]) -> str:
    """`sparql` with a VALUES clause of whole rows (None where a name is unbound in a row) at the
    start of its first WHERE (or ASK) block. Each term is written in its escaped N-Triples form."""
    block = _GROUP_START.search(masked(sparql))
    if block is None:
        raise InvalidInput("Values can only be bound in a query with a WHERE block.")
    written = []
    for row in rows:
        if any(isinstance(term, BlankNode) for term in row):
            raise InvalidInput("A blank node cannot be bound as a value.")
        written.append("(" + " ".join("UNDEF" if term is None else str(term) for term in row) + ")")
    clause = f"\n  VALUES ({' '.join(f'?{name}' for name in names)}) {{ {' '.join(written)} }}"
    return sparql[: block.end()] + clause + sparql[block.end() :]
