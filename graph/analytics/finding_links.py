"""A curator's decisions on proposed links between findings of different reviews.

Each decision is an `lrkg:FindingLink` in a named graph of its own, whose IRI is the link's:
`https://w3id.org/lrkg/id/finding-link/<finding id>--<other finding id>` (the two ids in IRI
order, so a pair has one link whichever way it is named). The link names the two findings
(`lrkg:linksFinding`), the decision (`lrkg:linkDecision`, confirmed or rejected), the similarity
score when it was decided (`lrkg:similarityScore`), the curator (`prov:wasAttributedTo`, a
`prov:Agent` with a `foaf:name`) and when (`dcterms:created`). A confirmed link also states
`dcterms:relation` between the findings, both ways, so a query sees the link with one pattern.

A decision is written through the validated writer (graph.store.writes.Writer): the link's graph is
checked against the shapes and stored in one transaction, or not at all. Deciding a pair the
same way again is refused (AlreadyDecided, naming who decided and when); deciding it the other
way replaces the earlier decision, so a curator can take back a rejection.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad

from graph.answers.questions import Ref, ref, resource_iri, value
from graph.ingestion.curator_decisions import curator_name
from graph.store.catalog import curator_iri
from graph.store.errors import InvalidInput, NotFound
from graph.store.knowledge_store import KnowledgeStore, Row
from graph.store.queries import bind_values, named_query
from graph.store.writes import Writer
from graph.vocabulary.namespaces import ID_BASE, LRKG, minted_id

CONFIRMED = "confirmed"
REJECTED = "rejected"
DECISIONS = (CONFIRMED, REJECTED)
LINK_BASE = ID_BASE + "finding-link/"

_RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_PROV_AGENT = NamedNode("http://www.w3.org/ns/prov#Agent")
_ATTRIBUTED_TO = NamedNode("http://www.w3.org/ns/prov#wasAttributedTo")
_FOAF_NAME = NamedNode("http://xmlns.com/foaf/0.1/name")
_CREATED = NamedNode("http://purl.org/dc/terms/created")
_RELATION = NamedNode("http://purl.org/dc/terms/relation")
_XSD_DECIMAL = NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
_XSD_DATETIME = NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")


class UnlinkablePair(InvalidInput):
    """Two findings that cannot be linked: the same finding, or two findings of one review."""


class AlreadyDecided(InvalidInput):
    """The pair was already decided the same way; carries the earlier decision."""

    def __init__(self, link: FindingLink) -> None:
        self.link = link
        super().__init__(
            f"{link.finding.id} and {link.other.id} were already {link.decision} by {link.curator} on "
            f"{link.created}. To change the decision, {'reject' if link.decision == CONFIRMED else 'confirm'} the pair."
        )


@dataclass(frozen=True)
class LinkedFinding:
    """One of a link's findings; its label and review are None when the graph no longer holds it."""

    iri: str
    id: str
    label: str | None
    review: Ref | None


@dataclass(frozen=True)
class FindingLink:
    iri: str
    id: str
    decision: str
    finding: LinkedFinding
    other: LinkedFinding
    score: float
    curator: str
    created: str


def is_link_graph(graph: NamedNode | DefaultGraph) -> bool:
    """Whether a named graph holds a finding link (and nothing else)."""
    return isinstance(graph, NamedNode) and graph.value.startswith(LINK_BASE)


def link_iri(finding: str, other: str) -> NamedNode:
    """The IRI of the link between two findings (and of its graph), the same either way round."""
    first, second = sorted((finding, other))
    slugs = [kind_slug[1] for kind_slug in map(minted_id, (first, second)) if kind_slug and kind_slug[0] == "finding"]
    slug = "--".join(slugs) if len(slugs) == 2 else hashlib.sha256(f"{first} {second}".encode()).hexdigest()[:24]
    return NamedNode(LINK_BASE + slug)


def finding_links(
    store: KnowledgeStore, *, decision: str | None = None, link: NamedNode | None = None
) -> list[FindingLink]:
    """Every decided link (or the one `link`), the latest first; only those decided `decision`."""
    if decision is not None and decision not in DECISIONS:
        raise InvalidInput(f"Unknown decision {decision!r}; a link is {' or '.join(DECISIONS)}.")
    text = named_query("finding_links").text
    rows = store.select(bind_values(text, {"link": [link]}) if link else text)
    by_link: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_link[row["link"].value].append(row)
    links = [_link(iri, found) for iri, found in by_link.items() if len(found) == 2]
    return [found for found in links if decision is None or found.decision == decision]


def decided_pairs(store: KnowledgeStore) -> set[frozenset[str]]:
    """The pairs of finding IRIs a curator has confirmed or rejected."""
    return {frozenset((link.finding.iri, link.other.iri)) for link in finding_links(store)}


def decide_link(
    store: KnowledgeStore,
    writer: Writer,
    finding: str,
    other: str,
    *,
    curator: str,
    decision: str,
    score_of: Callable[[str, str], float],
) -> FindingLink:
    """Store a curator's decision on linking two findings (ids or IRIs) of different reviews, with
    the score `score_of` gives the pair now, and return the link as stored.

    NotFound when either is not a finding; UnlinkablePair when they are one finding or of one
    review; AlreadyDecided when the pair was decided the same way before; InvalidInput for an
    unknown decision or an empty curator name."""
    if decision not in DECISIONS:
        raise InvalidInput(f"Unknown decision {decision!r}; a link is {' or '.join(DECISIONS)}.")
    name = curator_name(curator)
    first, second = resource_iri("finding", finding), resource_iri("finding", other)
    if first == second:
        raise UnlinkablePair(
            f"{finding!r} and {other!r} are the same finding: a link joins two findings of different reviews."
        )
    reviews = _reviews(store, [first, second])
    for iri in (first, second):
        if iri.value not in reviews:
            raise NotFound(f"No finding {iri.value} in the graph.")
    if reviews[first.value].iri == reviews[second.value].iri:
        review = reviews[first.value]
        raise UnlinkablePair(
            f"{ref(first.value).id} and {ref(second.value).id} are both findings of {review.label} ({review.id}): "
            "only findings of different reviews are linked."
        )
    iri = link_iri(first.value, second.value)
    earlier = finding_links(store, link=iri)
    if earlier and earlier[0].decision == decision:
        raise AlreadyDecided(earlier[0])
    score = score_of(first.value, second.value)
    writer.replace_graph(iri, frozenset(_quads(iri, first, second, decision, score, name)))
    return finding_links(store, link=iri)[0]


def _reviews(store: KnowledgeStore, findings: list[NamedNode]) -> dict[str, Ref]:
    query = bind_values(named_query("finding_reviews").text, {"finding": findings})
    return {row["finding"].value: ref(row["review"].value, value(row, "reviewLabel")) for row in store.select(query)}


def _quads(
    link: NamedNode, first: NamedNode, second: NamedNode, decision: str, score: float, curator: str
) -> list[Quad]:
    agent = curator_iri(curator)
    created = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    triples = [
        (link, _RDF_TYPE, NamedNode(str(LRKG.FindingLink))),
        (link, NamedNode(str(LRKG.linksFinding)), first),
        (link, NamedNode(str(LRKG.linksFinding)), second),
        (link, NamedNode(str(LRKG.linkDecision)), Literal(decision)),
        (link, NamedNode(str(LRKG.similarityScore)), Literal(f"{score:.4f}", datatype=_XSD_DECIMAL)),
        (link, _ATTRIBUTED_TO, agent),
        (link, _CREATED, Literal(created, datatype=_XSD_DATETIME)),
        (agent, _RDF_TYPE, _PROV_AGENT),
        (agent, _FOAF_NAME, Literal(curator)),
    ]
    if decision == CONFIRMED:
        triples += [(first, _RELATION, second), (second, _RELATION, first)]
    return [Quad(s, p, o, link) for s, p, o in triples]


def _link(iri: str, rows: list[Row]) -> FindingLink:
    first, second = sorted(rows, key=lambda r: r["finding"].value)
    return FindingLink(
        iri=iri,
        id=ref(iri).id,
        decision=first["decision"].value,
        finding=_linked(first),
        other=_linked(second),
        score=float(first["score"].value),
        curator=first["curatorName"].value,
        created=first["created"].value,
    )


def _linked(row: Row) -> LinkedFinding:
    iri = row["finding"].value
    review = ref(row["review"].value, value(row, "reviewLabel")) if "review" in row else None
    return LinkedFinding(iri=iri, id=ref(iri).id, label=value(row, "label"), review=review)
