"""How each kind of resource looks in a graph view: its colour, shape and size, and the name
the legend gives it. One table, so that every view and its legend agree.

A resource's kind comes from its rdf:type (and a finding's polarity, which picks the shade of
red or green); a resource whose types are not known is placed by the kind its IRI names
(`…/id/finding/…`), so that a CONSTRUCT that leaves out `a lrkg:Finding` still draws findings.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from graph.vocabulary.namespaces import PREFIXES, minted_id, minted_iri

LRKG = PREFIXES["lrkg"]
ORG = PREFIXES["org"]
FOAF = PREFIXES["foaf"]
POLARITY = minted_iri("polarity", "")


@dataclass(frozen=True)
class Kind:
    """A kind of node: `key` names it in the page's data, `label` in the legend; `shape` is a
    vis-network shape and `symbol` the character that shows it in the legend. Kinds with a
    lower `rank` are kept first when a view has more nodes than it may draw. Every colour stands
    out from the white canvas by at least 3:1 (WCAG's minimum for graphics); kinds that share a
    colour family (the actors) differ by shape, so that colour is never the only clue."""

    key: str
    label: str
    colour: str
    shape: str
    size: int
    rank: int

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.shape]


CANVAS = "#ffffff"
"""The background the views draw on (api/static/views.css): every kind's colour is measured against it."""

SYMBOLS = {"star": "★", "dot": "●", "square": "■", "diamond": "◆", "triangle": "▲", "triangleDown": "▼", "hexagon": "⬢"}

KINDS: tuple[Kind, ...] = (
    Kind("review", "Review", "#1f3a93", "star", 30, 0),
    Kind("theme", "Theme", "#2874a6", "diamond", 18, 1),
    Kind("finding-shortcoming", "Finding: shortcoming", "#c0392b", "dot", 14, 2),
    Kind("finding-good-practice", "Finding: good practice", "#1e8449", "dot", 14, 2),
    Kind("finding-improvement", "Finding: improvement made since", "#1a9a6c", "dot", 14, 2),
    Kind("finding-observation", "Finding: observation", "#b9770e", "dot", 14, 2),
    Kind("finding", "Finding", "#a93226", "dot", 14, 2),
    Kind("recommendation", "Recommendation", "#7d3c98", "square", 14, 3),
    Kind("organisation", "Actor: organisation", "#ca6f1e", "hexagon", 16, 4),
    Kind("post", "Actor: post", "#d35400", "triangle", 14, 4),
    Kind("person", "Actor: person", "#873600", "triangleDown", 14, 4),
    Kind("actor", "Actor", "#c0601a", "hexagon", 14, 4),
    Kind("response", "Response", "#9b59b6", "triangle", 12, 5),
    Kind("status", "Status", "#6c3483", "diamond", 12, 6),
    Kind("event", "Event", "#148f77", "triangleDown", 12, 7),
    Kind("case", "Case", "#34495e", "star", 14, 8),
    Kind("position", "Position", "#5d6d7e", "triangle", 12, 9),
    Kind("source", "Source document", "#566573", "square", 12, 10),
    Kind("excerpt", "Excerpt", "#717d7e", "dot", 9, 11),
    Kind("other", "Other", "#808b96", "dot", 9, 12),
)
BY_KEY = {kind.key: kind for kind in KINDS}

CLASS_KINDS: dict[str, str] = {
    LRKG + "Review": "review",
    LRKG + "Finding": "finding",
    LRKG + "Recommendation": "recommendation",
    LRKG + "Response": "response",
    LRKG + "Status": "status",
    LRKG + "Event": "event",
    LRKG + "Case": "case",
    LRKG + "Position": "position",
    LRKG + "SourceDocument": "source",
    LRKG + "Excerpt": "excerpt",
    ORG + "Organization": "organisation",
    ORG + "Post": "post",
    FOAF + "Person": "person",
    LRKG + "Actor": "actor",
}
"""Classes in order of precedence: an actor typed org:Post is a post, not just an actor."""

ID_KINDS: dict[str, str] = {
    "review": "review", "finding": "finding", "recommendation": "recommendation", "response": "response",
    "actor": "actor", "theme": "theme", "status": "status", "event": "event", "case": "case",
    "position": "position", "source": "source", "excerpt": "excerpt",
}
"""The kind an IRI minted by lrkg names, for resources whose types are not known."""


def kind_of(iri: str, types: Collection[str], polarity: str | None = None) -> Kind:
    """The kind of the resource `iri` with rdf:types `types` (and, for a finding, its polarity)."""
    key = next((CLASS_KINDS[cls] for cls in CLASS_KINDS if cls in types), None)
    minted = minted_id(iri)
    if key is None and minted is not None:
        key = ID_KINDS.get(minted[0])
    if key == "finding" and polarity and polarity.startswith(POLARITY):
        key = BY_KEY.get("finding-" + polarity[len(POLARITY):], BY_KEY["finding"]).key
    return BY_KEY[key or "other"]
