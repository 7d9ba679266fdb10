"""Content negotiation: which media type answers a request, from its `Accept` header or from a
`format` parameter (for browsers, which cannot set `Accept` from a link or a form).

Every route that answers in more than one format asks this module, so that q-values,
wildcards and the `format` names work the same everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fastapi import HTTPException

from graph.store.errors import InvalidInput

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
N_TRIPLES = "application/n-triples"
JSON_LD = "application/ld+json"
RDF_XML = "application/rdf+xml"
HTML = "text/html"

FORMAT_NAMES: dict[str, tuple[str, ...]] = {
    "json": (SPARQL_JSON, JSON_LD),
    "xml": (SPARQL_XML, RDF_XML),
    "csv": (CSV,),
    "tsv": (TSV,),
    "turtle": (TURTLE,),
    "ntriples": (N_TRIPLES,),
    "jsonld": (JSON_LD,),
    "rdfxml": (RDF_XML,),
    "html": (HTML,),
}
"""The `format` parameter's values. `json` and `xml` name a results format for SELECT/ASK and an
RDF format for CONSTRUCT/DESCRIBE, so one link works for any query."""

ALIASES: dict[str, tuple[str, ...]] = {
    SPARQL_JSON: ("application/json",),
    JSON_LD: ("application/json",),
    SPARQL_XML: ("application/xml", "text/xml"),
    RDF_XML: ("application/xml", "text/xml"),
}
"""Generic media types that clients commonly send for the specific ones we serve."""

@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header, such as `text/*;q=0.5`."""

    type: str
    subtype: str
    q: float

    def matches(self, media_type: str) -> bool:
        kind, _, sub = media_type.partition("/")
        return self.type in ("*", kind) and self.subtype in ("*", sub)

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an Accept header; malformed entries are ignored, as HTTP allows."""
    ranges = []
    for entry in header.split(","):
        media_type, *parameters = (part.strip() for part in entry.split(";"))
        kind, slash, sub = media_type.lower().partition("/")
        if not slash or not kind or not sub:
            continue
        q = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(kind, sub, q))
    return ranges


def _quality(media_type: str, ranges: list[MediaRange]) -> float:
    """The q-value the client gives `media_type`: that of the most specific range matching it.

    A range naming one of the type's aliases in full counts as less specific than one naming
    the type itself and more than any wildcard (`text/*` does not reach `text/xml` as an alias).
    """
    best: tuple[int, float] | None = None
    for media_range in ranges:
        if media_range.matches(media_type):
            rank = 2 * media_range.specificity + 1
        elif media_range.specificity == 2 and any(media_range.matches(a) for a in ALIASES.get(media_type, ())):
            rank = 4
        else:
            continue
        if best is None or rank > best[0]:
            best = (rank, media_range.q)
    return best[1] if best else 0.0


def ranked(offered: Sequence[str], accept: str | None) -> list[str]:
    """The offered media types the client accepts, best first; ties keep the server's order,
    so the first offered type is the default. No Accept header accepts everything."""
    if not accept or not accept.strip():
        return list(offered)
    ranges = parse_accept(accept)
    if not ranges:
        return list(offered)
    scored = [(_quality(media_type, ranges), index, media_type) for index, media_type in enumerate(offered)]
    return [media_type for q, _, media_type in sorted(scored, key=lambda s: (-s[0], s[1])) if q > 0]


def acceptable(offered: Sequence[str], accept: str | None, format_name: str | None = None) -> list[str]:
    """The media types to answer in, best first: those a `format` parameter names, else those
    the Accept header allows. Raises 406 when the client accepts none of `offered`."""
    if format_name:
        try:
            named = FORMAT_NAMES[format_name.strip().lower()]
        except KeyError:
            raise InvalidInput(f"Unknown format {format_name!r}; use one of {', '.join(FORMAT_NAMES)}.") from None
        choices = [media_type for media_type in named if media_type in offered]
        if not choices:
            raise InvalidInput(f"This answer cannot be given as {format_name!r}; use one of {', '.join(offered)}.")
        return choices
    choices = ranked(offered, accept)
    if not choices:
        raise HTTPException(
            406, f"None of the accepted media types can be given here; available: {', '.join(offered)}."
        )
    return choices


def best(offered: Sequence[str], accept: str | None, format_name: str | None = None) -> str:
    """The one media type to answer in (see `acceptable`)."""
    return acceptable(offered, accept, format_name)[0]
