"""Refuses SPARQL that would make the server fetch from the network (SERVICE, LOAD).

Oxigraph evaluates SERVICE and LOAD by fetching the URL; a public endpoint must never do
that for an untrusted query. Keywords are looked for outside strings, IRIs and comments,
and not as parts of variable or prefixed names, so `?service` or `ex:load` pass.
"""

from __future__ import annotations

import re

from graph.errors import InvalidInput

_STRINGS_IRIS_COMMENTS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*",
    re.DOTALL,
)
_REMOTE_KEYWORD = re.compile(r"(?<![\w?$:-])(SERVICE|LOAD)(?![\w:-])", re.IGNORECASE)


def remote_keywords(sparql: str) -> set[str]:
    """The network-reaching keywords a query or update uses, upper-cased."""
    code = _STRINGS_IRIS_COMMENTS.sub(" ", sparql)
    return {match.upper() for match in _REMOTE_KEYWORD.findall(code)}


def refuse_remote_access(sparql: str) -> None:
    found = remote_keywords(sparql)
    if found:
        raise InvalidInput(
            f"{' and '.join(sorted(found))} is not allowed here: this server never fetches data from the network. "
            "Query the graphs it holds instead."
        )
