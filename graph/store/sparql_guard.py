"""Lexical checks on SPARQL text, made before a query runs, in one linear pass.

Refuses SPARQL that would make the server fetch from the network (SERVICE, LOAD): Oxigraph
evaluates both by fetching the URL, and a public endpoint must never do that for an untrusted
query. Finds the graphs a query's FROM and FROM NAMED clauses name, so that a query over a
graph the store does not hold is refused with a clear message instead of answering nothing.
Measures what `graph.store.parser_limits` bounds (nesting, operators, the longest string).

Keywords are looked for outside strings, IRIs and comments, and not as parts of variable or
prefixed names, so `?service`, `ex:load` or `?from` pass. Everything is read in one scan of the
text (`read_sparql`): a regular expression whose repetitions are all possessive, and whose
strings may run unclosed to the end of the text (or line), so that no character is read more
than a few times: a 10 MB query with an unclosed `\"\"\"` costs one pass, not one per quote. The
scan is a series of short `finditer` steps, so other threads get the GIL between tokens.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin

from pyoxigraph import NamedNode

from graph.store.errors import InvalidInput
from graph.vocabulary.namespaces import PREFIXES

_IRI = r"<[^<>\"{}|^`\\\s]*+>"
_STRING = (
    r'"""(?:[^"\\]++|\\(?s:.)|"(?!""))*+(?:"""|\Z)'  # an unclosed long string runs to the end
    r"|'''(?:[^'\\]++|\\(?s:.)|'(?!''))*+(?:'''|\Z)"
    r'|"(?:[^"\\\n]++|\\(?s:.))*+"?'  # an unclosed short string runs to the end of its line
    r"|'(?:[^'\\\n]++|\\(?s:.))*+'?"
)
_COMMENT = r"\#[^\n]*+"
_STRINGS_IRIS_COMMENTS = re.compile(f"{_STRING}|{_IRI}|{_COMMENT}")
_TOKEN = re.compile(
    rf"(?P<string>{_STRING})"
    rf"|(?P<iri>{_IRI})"
    rf"|(?P<comment>{_COMMENT})"
    r"|(?P<variable>[?$]\w++)"
    r"|(?P<prefixed>(?P<prefix>[A-Za-z][\w.-]*+)?+:(?P<local>(?:[\w:%-]++|\\\S|\.(?=[\w.:%\\-]))*+))"
    r"|(?P<number>\d++(?:\.\d++)?+(?:[eE][+-]?+\d++)?+)"
    r"|(?P<word>[A-Za-z_]\w*+)"
    r"|(?P<operator>&&|\|\||!=|<=|>=|\^\^|\S)"
)

_QUERY_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
_REMOTE_KEYWORDS = frozenset({"SERVICE", "LOAD"})
_OPERATORS = frozenset([".", ";", ",", "|", "/", "^", "!", "&&", "||", "=", "!=", "<", ">", "<=", ">=", "+", "-", "*"])
_COMBINING_KEYWORDS = frozenset({"UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "GRAPH", "EXISTS", "SERVICE"})
_DATA_OPENERS = frozenset({"DATA", "VALUES", "IN"})
"""Keywords after which the next bracket opens data (triples, rows, a list), not structure."""
_OPENING, _CLOSING = frozenset("({["), frozenset(")}]")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_LOCAL_ESCAPE = re.compile(r"\\(.)")


@dataclass(frozen=True)
class SparqlText:
    """What one lexical pass found in a SPARQL query or update."""

    remote_keywords: frozenset[str]
    """SERVICE and LOAD, where used as keywords."""
    form: str | None
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first form keyword; None if none (an update)."""
    dataset_iris: tuple[str, ...]
    """The absolute graph IRIs of FROM and FROM NAMED, resolved as the parser does."""
    depth: int
    """Most levels of nested brackets ((), {}, [])."""
    operators: int
    """Operators, separators and combining keywords, outside data blocks."""
    longest_literal: int
    """Characters of the longest string, IRI or comment."""


def read_sparql(sparql: str, *, base_iri: str | None = None, prefixes: Mapping[str, str] = PREFIXES) -> SparqlText:
    """Read `sparql` once (see the module's docstring).

    Dataset IRIs: relative ones are resolved against the query's BASE (or `base_iri`), prefixed
    names with the query's PREFIX declarations, then `prefixes`. A name that cannot be resolved
    is left out: the parser rejects such a query anyway, with a better message.
    """
    remote: set[str] = set()
    form: str | None = None
    base = base_iri
    declared: dict[str, str] = {}
    graphs: list[str] = []
    depth = deepest = operators = longest = 0
    data_depth: int | None = None  # the depth at which the data block being read was opened
    data_next = False
    expecting = ""  # what the keywords just read announce: base, prefix, namespace, from or named
    prefix_name = ""
    for token in _tokens(sparql):
        kind, text = token.lastgroup, token.group()
        if kind in ("string", "iri", "comment"):
            longest = max(longest, len(text))
            if kind == "iri":
                iri = _resolve(text[1:-1], base)
                if expecting == "base":
                    base = iri or base
                elif expecting == "namespace" and iri is not None:
                    declared[prefix_name] = iri
                elif expecting in ("from", "named") and iri is not None:
                    graphs.append(iri)
            if kind != "comment":
                expecting = ""
            continue
        upper = text.upper() if kind == "word" else text
        if kind == "prefixed":
            if expecting == "prefix" and not token["local"]:
                prefix_name, expecting = token["prefix"] or "", "namespace"
                continue
            if expecting in ("from", "named"):
                namespace = declared.get(token["prefix"] or "", prefixes.get(token["prefix"] or ""))
                if namespace is not None:
                    graphs.append(namespace + _LOCAL_ESCAPE.sub(r"\1", token["local"]))
        elif kind == "word":
            if upper in _REMOTE_KEYWORDS:
                remote.add(upper)
            elif upper in _QUERY_FORMS and form is None:
                form = upper
            if upper in ("BASE", "PREFIX", "FROM") or (upper == "NAMED" and expecting == "from"):
                expecting = "named" if upper == "NAMED" else upper.lower()
                continue
        expecting = ""
        if text in _OPENING:
            depth += 1
            deepest = max(deepest, depth)
            if data_next and data_depth is None:
                data_depth = depth
            data_next = False
        elif text in _CLOSING:
            if data_depth is not None and depth == data_depth:
                data_depth = None
            depth -= 1
        elif data_depth is None:
            data_next = data_next or upper in _DATA_OPENERS
            if text in _OPERATORS or upper in _COMBINING_KEYWORDS:
                operators += 1
    iris = tuple(iri for iri in graphs if _is_iri(iri))
    return SparqlText(frozenset(remote), form, iris, deepest, operators, longest)


def _tokens(sparql: str) -> Iterator[re.Match[str]]:
    """The tokens of `sparql`, each a match whose `lastgroup` names its kind (white space skipped)."""
    return _TOKEN.finditer(sparql)


def masked(sparql: str) -> str:
    """The query with strings, IRIs and comments replaced by spaces of the same length, so
    that positions found in the result are positions in the query."""
    return _STRINGS_IRIS_COMMENTS.sub(lambda match: " " * len(match.group()), sparql)


def remote_keywords(sparql: str) -> set[str]:
    """The network-reaching keywords a query or update uses, upper-cased."""
    return set(read_sparql(sparql).remote_keywords)


def refuse_remote_access(sparql: str | SparqlText) -> None:
    """Refuse SERVICE and LOAD; `sparql` is the text, or what `read_sparql` found in it."""
    found = read_sparql(sparql).remote_keywords if isinstance(sparql, str) else sparql.remote_keywords
    if found:
        raise InvalidInput(
            f"{' and '.join(sorted(found))} is not allowed here: this server never fetches data from the network. "
            "Query the graphs it holds instead."
        )


def query_form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first form keyword of a query; None if none."""
    return read_sparql(sparql).form


def dataset_iris(sparql: str, *, base_iri: str | None = None, prefixes: Mapping[str, str] = PREFIXES) -> list[str]:
    """The graph IRIs a query's FROM and FROM NAMED clauses name, resolved as the parser does
    (see `read_sparql`)."""
    return list(read_sparql(sparql, base_iri=base_iri, prefixes=prefixes).dataset_iris)


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
