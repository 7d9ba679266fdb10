"""The dataset a SPARQL update's WHERE clause reads, set outside the update text.

The SPARQL 1.1 Protocol lets a request name that dataset with `using-graph-uri` and
`using-named-graph-uri`, which act as USING and USING NAMED on every DELETE/INSERT operation
and must be refused when the update names its own dataset (USING or WITH). lrkg also reads
an update's WHERE over the union of the named graphs, as its queries do, unless the request
or the update names a dataset. pyoxigraph takes neither setting, so this module writes them
into the update text as USING clauses.

The text is split lexically (strings, IRIs and comments masked, braces counted), which is
enough because the clauses go at the top level of an operation, where the grammar is small.
Graph IRIs are written by pyoxigraph (`str(NamedNode(...))`), never pasted raw.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pyoxigraph import NamedNode

from graph.store.errors import InvalidInput

_MASKED = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*",
    re.DOTALL,
)
_TOKEN = re.compile(r"(?P<open>\{)|(?P<close>\})|(?P<semicolon>;)|(?<![\w?$:.-])(?P<word>[A-Za-z]+)(?![\w:-])")
_PROLOGUE = {"PREFIX", "BASE"}


@dataclass(frozen=True)
class _Word:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Operation:
    """One operation of an update request, with the PREFIX and BASE declarations it can see."""

    prologue: str
    body: str
    words: tuple[_Word, ...]  # its top-level keywords, positions relative to `body`

    @property
    def kind(self) -> str:
        """MODIFY (DELETE/INSERT … WHERE), DELETE WHERE, INSERT DATA, DELETE DATA, or the keyword
        of a graph management operation (CLEAR, DROP, CREATE, ADD, MOVE, COPY, LOAD)."""
        first = self.words[0].text.upper()
        second = self.words[1].text.upper() if len(self.words) > 1 else ""
        adjacent = len(self.words) > 1 and not masked(self.body[self.words[0].end : self.words[1].start]).strip()
        if first in ("INSERT", "DELETE") and adjacent and second == "DATA":
            return f"{first} DATA"
        if first == "DELETE" and adjacent and second == "WHERE":
            return "DELETE WHERE"
        if first in ("INSERT", "DELETE", "WITH"):
            return "MODIFY"
        return first

    @property
    def names_dataset(self) -> bool:
        """Whether the operation has its own USING or WITH clause."""
        return self.kind == "MODIFY" and any(w.text.upper() in ("USING", "WITH") for w in self.words)

    @property
    def text(self) -> str:
        return self.prologue + self.body

    def reading(self, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> str:
        """The operation's text with its WHERE clause reading the given dataset (as USING and
        USING NAMED clauses); operations without a WHERE clause are returned unchanged."""
        clauses = " ".join(
            [f"USING {NamedNode(iri)}" for iri in default_graphs]
            + [f"USING NAMED {NamedNode(iri)}" for iri in named_graphs]
        )
        if self.kind == "MODIFY":
            where = next((w for w in self.words if w.text.upper() == "WHERE"), None)
            if where is None:  # not a valid update; leave it to the parser to say so
                return self.text
            return f"{self.prologue}{self.body[: where.start]}{clauses} {self.body[where.start :]}"
        if self.kind == "DELETE WHERE":
            pattern = self.body[self.words[1].end :].strip()
            # DELETE WHERE { P } is DELETE { P } WHERE { P }; the long form takes USING clauses
            return self.prologue + " ".join(("DELETE", pattern, clauses, "WHERE", pattern))
        return self.text


def operations(update: str) -> list[Operation]:
    """The operations of an update request, in order; each carries the declarations before it."""
    found = []
    prologue = ""
    for segment in _top_level_segments(update):
        words = _top_level_words(segment)
        first = next((i for i, w in enumerate(words) if w.text.upper() not in _PROLOGUE), None)
        if first is None:  # only declarations (or nothing) after the last semicolon
            prologue += segment
            continue
        op_start = words[first].start
        prologue += segment[:op_start]
        shifted = tuple(_Word(w.text, w.start - op_start, w.end - op_start) for w in words[first:])
        found.append(Operation(prologue, segment[op_start:], shifted))
        prologue += "\n"
    return found


def refuse_dataset_conflict(update: str) -> None:
    """Refuse `using-graph-uri`/`using-named-graph-uri` for an update that names its own dataset."""
    if any(op.names_dataset for op in operations(update)):
        raise InvalidInput(
            "using-graph-uri and using-named-graph-uri cannot be combined with an update that has its own "
            "USING or WITH clause; use one or the other."
        )


def masked(text: str) -> str:
    """`text` with strings, IRIs and comments blanked out (same length), so that braces,
    semicolons and words inside them are not taken for syntax."""
    return _MASKED.sub(lambda m: " " * len(m.group()), text)


def _top_level_tokens(text: str) -> Iterator[re.Match[str]]:
    """The semicolons and words of `text` outside any braces."""
    depth = 0
    for match in _TOKEN.finditer(masked(text)):
        if match.lastgroup == "open":
            depth += 1
        elif match.lastgroup == "close":
            depth = max(depth - 1, 0)
        elif depth == 0:
            yield match


def _top_level_segments(update: str) -> list[str]:
    """The pieces of `update` between top-level semicolons (which separate operations)."""
    cuts = [m.start() for m in _top_level_tokens(update) if m.lastgroup == "semicolon"]
    return [update[start:end] for start, end in zip([0] + [c + 1 for c in cuts], cuts + [len(update)])]


def _top_level_words(segment: str) -> list[_Word]:
    return [_Word(m.group(), m.start(), m.end()) for m in _top_level_tokens(segment) if m.lastgroup == "word"]
