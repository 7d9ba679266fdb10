"""Lexical checks on SPARQL text, made before a query runs.

Refuses SPARQL that would make the server fetch from the network (SERVICE, LOAD): Oxigraph
evaluates both by fetching the URL, and a public endpoint must never do that for an untrusted
query. Finds the graphs a query's FROM and FROM NAMED clauses name, so that a query over a
graph the store does not hold is refused with a clear message instead of answering nothing.

Keywords are looked for outside strings, IRIs and comments, and not as parts of variable or
prefixed names, so `?service`, `ex:load` or `?from` pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import urljoin

from pyoxigraph import NamedNode

from graph.store.errors import InvalidInput
from graph.vocabulary.namespaces import PREFIXES

_IRI = r"<[^<>\"{}|^`\\\s]*>"
_STRINGS_IRIS_COMMENTS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    rf"|{_IRI}"
    r"|#[^\n]*",
    re.DOTALL,
)
_KEYWORD_START = r"(?<![\w?$:-])"
_KEYWORD_END = r"(?![\w:-])"
_REMOTE_KEYWORD = re.compile(rf"{_KEYWORD_START}(SERVICE|LOAD){_KEYWORD_END}", re.IGNORECASE)
_QUERY_FORM = re.compile(rf"{_KEYWORD_START}(SELECT|ASK|CONSTRUCT|DESCRIBE){_KEYWORD_END}", re.IGNORECASE)

_PREFIX_NAME = r"[^\W\d_][\w.-]*"  # PN_PREFIX, loosely
_LOCAL_NAME = r"(?:[\w:%-]|\\\S|\.(?=[\w.:%\\-]))*"  # PN_LOCAL: escapes allowed, no final dot
_DECLARATION_OR_FROM = re.compile(
    rf"{_KEYWORD_START}(?:"
    rf"BASE\s*(?P<base>{_IRI})"
    rf"|PREFIX(?:\s+(?P<prefix>{_PREFIX_NAME}))?\s*:\s*(?P<namespace>{_IRI})"
    rf"|FROM(?:\s+NAMED{_KEYWORD_END})?"
    rf"(?:\s*(?P<graph>{_IRI})|\s+(?P<graph_prefix>{_PREFIX_NAME})?:(?P<graph_local>{_LOCAL_NAME}))"
    r")",
    re.IGNORECASE,
)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def masked(sparql: str) -> str:
    """The query with strings, IRIs and comments replaced by spaces of the same length, so
    that positions found in the result are positions in the query."""
    return _STRINGS_IRIS_COMMENTS.sub(lambda match: " " * len(match.group()), sparql)


def _code(sparql: str, *, keep_iris: bool = False) -> str:
    """The query with strings and comments (and IRIs, unless kept) blanked out."""

    def blank(match: re.Match[str]) -> str:
        return match.group() if keep_iris and match.group().startswith("<") else " "

    return _STRINGS_IRIS_COMMENTS.sub(blank, sparql)


def remote_keywords(sparql: str) -> set[str]:
    """The network-reaching keywords a query or update uses, upper-cased."""
    return {match.upper() for match in _REMOTE_KEYWORD.findall(_code(sparql))}


def refuse_remote_access(sparql: str) -> None:
    found = remote_keywords(sparql)
    if found:
        raise InvalidInput(
            f"{' and '.join(sorted(found))} is not allowed here: this server never fetches data from the network. "
            "Query the graphs it holds instead."
        )


def query_form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first form keyword of a query; None if none."""
    match = _QUERY_FORM.search(_code(sparql))
    return match.group(1).upper() if match else None


def dataset_iris(sparql: str, *, base_iri: str | None = None, prefixes: Mapping[str, str] = PREFIXES) -> list[str]:
    """The graph IRIs a query's FROM and FROM NAMED clauses name, resolved as the parser does.

    Relative IRIs are resolved against the query's BASE (or `base_iri`) and prefixed names
    with the query's PREFIX declarations, then `prefixes`. A name that cannot be resolved is
    left out: the parser rejects such a query anyway, with a better message.
    """
    base = base_iri
    declared: dict[str, str] = {}
    found: list[str] = []
    for match in _DECLARATION_OR_FROM.finditer(_code(sparql, keep_iris=True)):
        if match["base"]:
            base = _resolve(match["base"][1:-1], base) or base
        elif match["namespace"]:
            namespace = _resolve(match["namespace"][1:-1], base)
            if namespace is not None:
                declared[match["prefix"] or ""] = namespace
        elif match["graph"]:
            iri = _resolve(match["graph"][1:-1], base)
            if iri is not None:
                found.append(iri)
        else:
            namespace = declared.get(match["graph_prefix"] or "", prefixes.get(match["graph_prefix"] or ""))
            if namespace is not None:
                found.append(namespace + re.sub(r"\\(.)", r"\1", match["graph_local"]))
    return [iri for iri in found if _is_iri(iri)]


def require_graph_iris(iris: Iterable[str]) -> None:
    """Refuse a dataset parameter that is not an absolute IRI. A well-formed one naming a graph
    the store does not hold is an empty graph, as the SPARQL protocol expects: nothing is fetched."""
    for iri in iris:
        if not _is_iri(iri):
            raise InvalidInput(f"{iri!r} is not an absolute IRI, so it cannot name a graph.")


def refuse_unknown_graphs(iris: Iterable[str], holds: Callable[[NamedNode], bool]) -> None:
    """Refuse FROM / FROM NAMED naming a graph the store does not hold (`holds` is the store's
    `has_graph`): other engines would fetch it from the network, and here it would silently
    answer nothing."""
    unknown = []
    for iri in iris:
        if not _is_iri(iri):
            raise InvalidInput(f"{iri!r} is not an absolute IRI, so it cannot name a graph.")
        if not holds(NamedNode(iri)):
            unknown.append(f"<{iri}>")
    if unknown:
        raise InvalidInput(
            f"This store holds no graph named {', '.join(unknown)}. A query's FROM, FROM NAMED, "
            "default-graph-uri and named-graph-uri can only name graphs the store holds; "
            "leave them out to query the union of all graphs."
        )


def _resolve(iri: str, base: str | None) -> str | None:
    if _SCHEME.match(iri):
        return iri
    return urljoin(base, iri) if base else None


def _is_iri(text: str) -> bool:
    if not _SCHEME.match(text):
        return False
    try:
        NamedNode(text)
    except ValueError:
        return False
    return True
