"""A curator's decisions on the themes of findings and recommendations: confirm a proposed theme, or reject it.

Each decision is a W3C Web Annotation (`oa:Annotation`, motivated by `oa:assessing`) in a named
graph of its own, whose IRI is the decision's: `https://w3id.org/lrkg/id/theme-decision/<hash of
finding and theme>`, so a finding's theme has one decision at a time. It names the finding
(`oa:hasTarget`), the theme (`dcterms:subject`), the verdict (`oa:bodyValue`, confirmed or
rejected), the machine assignment it judged (`prov:wasDerivedFrom`, with its method and score
in `rdfs:comment`), the curator (`prov:wasAttributedTo`, a `prov:Agent` with a `foaf:name`) and
when (`dcterms:created`).

* Confirming keeps the theme and marks it curator-confirmed: answers can show it as such.
* Rejecting also takes the theme, and the machine assignment that gave it, off the finding, in
  the same validated update; a finding left with no theme gets "Not yet classified", as the
  importer gives one. Only machine-given themes can be rejected: curated ones are changed in
  their review's source.

Everything is written through the validated writer (graph.store.writes.Writer): all or nothing.
Confirmed decisions are training examples for the learned tagger (`confirmed_examples`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime

from pyoxigraph import Literal, NamedNode, Quad

from graph.ingestion.curator_decisions import (
    ATTRIBUTED_TO,
    CREATED,
    DERIVED_FROM,
    FOAF_NAME,
    OA,
    PROV_AGENT,
    RDF_TYPE,
    RDFS_COMMENT,
    XSD_DATETIME,
    curator_name,
    curator_slug,
    quad_data,
    resource_id,
    resource_iri,
)
from graph.ingestion.tagging import ThemeProposal, assignment_quads
from graph.ingestion.theme_examples import Example
from graph.store.errors import InvalidInput, NotFound
from graph.store.knowledge_store import KnowledgeStore, Row
from graph.store.queries import bind_values, named_query
from graph.store.writes import Writer
from graph.vocabulary.namespaces import ID_BASE, LRKG, minted_id, minted_iri

CONFIRMED = "confirmed"
REJECTED = "rejected"
DECISIONS = (CONFIRMED, REJECTED)
DECISION_BASE = ID_BASE + "theme-decision/"
FALLBACK_METHOD = "fallback-v1"
UNCLASSIFIED = "unclassified"

_SUBJECT = NamedNode("http://purl.org/dc/terms/subject")
_IN_SCHEME = "ASK { ?theme <http://www.w3.org/2004/02/skos/core#inScheme> <https://w3id.org/lrkg/ns#Themes> }"


class AlreadyDecided(InvalidInput):
    """The theme was already decided the same way; carries the earlier decision."""

    def __init__(self, decision: ThemeDecision) -> None:
        self.decision = decision
        super().__init__(
            f"The theme {decision.theme_id} of {decision.finding_id} was already {decision.verdict} by "
            f"{decision.curator} on {decision.created}."
        )


@dataclass(frozen=True)
class ThemeDecision:
    """A curator's verdict on one theme of one finding."""

    iri: str
    verdict: str
    finding: str
    theme: str
    curator: str
    created: str
    proposal: str | None
    note: str | None
    words: str

    @property
    def finding_id(self) -> str:
        return resource_id(self.finding)

    @property
    def theme_id(self) -> str:
        return resource_id(self.theme)


def decision_iri(finding: str, theme: str) -> NamedNode:
    """The IRI of the decision on `theme` of `finding` (and of its graph)."""
    return NamedNode(DECISION_BASE + hashlib.sha256(f"{finding}\n{theme}".encode()).hexdigest()[:24])


def decided_item(given: str) -> NamedNode:
    """The finding (by id or IRI) or recommendation (by IRI) a decision is about: both carry
    themes the tagger gives, so both can be decided on."""
    minted = minted_id(given.strip()) if given.strip().startswith(("http://", "https://")) else None
    if minted is not None and minted[0] == "recommendation":
        return resource_iri("recommendation", given)
    return resource_iri("finding", given)


def theme_decisions(
    store: KnowledgeStore, *, verdict: str | None = None, finding: str | None = None
) -> list[ThemeDecision]:
    """Every decision (about `finding`, an id or IRI, when given), the latest first; only those `verdict`."""
    if verdict is not None and verdict not in DECISIONS:
        raise InvalidInput(f"Unknown decision {verdict!r}; a theme is {' or '.join(DECISIONS)}.")
    text = named_query("theme_decisions").text
    if finding is not None:
        text = bind_values(text, {"finding": [decided_item(finding)]})
    decisions = [_decision(row) for row in store.select(text)]
    return [d for d in decisions if verdict is None or d.verdict == verdict]


def confirmed_themes(store: KnowledgeStore) -> set[tuple[str, str]]:
    """(finding IRI, theme IRI) for every theme a curator confirmed."""
    return {(d.finding, d.theme) for d in theme_decisions(store, verdict=CONFIRMED)}


def decide_theme(
    store: KnowledgeStore, writer: Writer, finding: str, theme: str, *, curator: str, verdict: str
) -> ThemeDecision:
    """Store a curator's verdict on `theme` (id, or IRI) of `finding` (id or IRI), and return it.

    NotFound when the finding does not state that theme; AlreadyDecided when it was decided the
    same way before; InvalidInput for an unknown verdict, theme or an empty curator name, or when
    rejecting a curated theme (one no machine assignment gave)."""
    if verdict not in DECISIONS:
        raise InvalidInput(f"Unknown decision {verdict!r}; a theme is {' or '.join(DECISIONS)}.")
    name = curator_name(curator)
    finding_node, theme_node = decided_item(finding), resource_iri("theme", theme)
    if not store.ask(bind_values(_IN_SCHEME, {"theme": [theme_node]})):
        raise InvalidInput(f"{theme!r} is not a theme of the lrkg theme scheme.")
    rows = store.select(bind_values(named_query("theme_on_finding").text,
                                    {"finding": [finding_node], "theme": [theme_node]}))
    if not rows:
        raise NotFound(f"{resource_id(finding_node.value)} has no theme {resource_id(theme_node.value)}: only a theme a finding "
                       "states can be confirmed or rejected.")
    iri = decision_iri(finding_node.value, theme_node.value)
    earlier = [d for d in theme_decisions(store, finding=finding_node.value) if d.iri == iri.value]
    if earlier and earlier[0].verdict == verdict:
        raise AlreadyDecided(earlier[0])
    assigned = next((row for row in rows if row.get("assignment") is not None), None)
    if verdict == REJECTED and assigned is None:
        raise InvalidInput(f"The theme {resource_id(theme_node.value)} of {resource_id(finding_node.value)} was given by the review's "
                           "curators, not by the tagger: change it in the review's source instead.")
    record = _record(iri, finding_node, theme_node, verdict, name, assigned)
    inserted = " ".join(quad_data(q) for q in record)
    removed = "" if verdict == CONFIRMED or assigned is None else _removal(store, finding_node, theme_node, assigned)
    writer.update(f"DROP SILENT GRAPH {iri} ;\n{removed}INSERT DATA {{ {inserted} }}")
    return next(d for d in theme_decisions(store, finding=finding_node.value) if d.iri == iri.value)


def confirmed_examples(store: KnowledgeStore) -> list[Example]:
    """The words of every finding with a curator-confirmed theme, labelled with its confirmed
    themes: examples the learned tagger can be trained on (graph.ingestion.theme_examples)."""
    by_finding: dict[str, tuple[str, set[str], set[str]]] = {}
    for decision in theme_decisions(store, verdict=CONFIRMED):
        if decision.words.strip():
            _, themes, curators = by_finding.setdefault(decision.finding, (decision.words, set(), set()))
            themes.add(decision.theme_id)
            curators.add(decision.curator)
    return [
        Example(words, frozenset(themes), finding, "curator " + ", ".join(sorted(curators)))
        for finding, (words, themes, curators) in sorted(by_finding.items())
    ]


def _record(
    iri: NamedNode, finding: NamedNode, theme: NamedNode, verdict: str, curator: str, assigned: Row | None
) -> list[Quad]:
    agent = NamedNode(minted_iri("curator", curator_slug(curator)))
    created = datetime.now(UTC).replace(microsecond=0).isoformat()
    triples = [
        (iri, RDF_TYPE, NamedNode(OA + "Annotation")),
        (iri, NamedNode(OA + "motivatedBy"), NamedNode(OA + "assessing")),
        (iri, NamedNode(OA + "hasTarget"), finding),
        (iri, _SUBJECT, theme),
        (iri, NamedNode(OA + "bodyValue"), Literal(verdict)),
        (iri, ATTRIBUTED_TO, agent),
        (iri, CREATED, Literal(created, datatype=XSD_DATETIME)),
        (agent, RDF_TYPE, PROV_AGENT),
        (agent, FOAF_NAME, Literal(curator)),
    ]
    if assigned is not None:
        triples += [
            (iri, DERIVED_FROM, assigned["assignment"]),
            (iri, RDFS_COMMENT, Literal(f"proposed by {assigned['method'].value} with score {assigned['score'].value}")),
        ]
    return [Quad(s, p, o, iri) for s, p, o in triples]


def _removal(store: KnowledgeStore, finding: NamedNode, theme: NamedNode, assigned: Row) -> str:
    """DELETE DATA (and INSERT DATA of the fallback theme) that takes `theme` off `finding`."""
    graph, assignment = assigned["graph"], assigned["assignment"]
    quads = [q for q in store.quads(graph)
             if q.subject == assignment or (q.subject == finding and q.object in (theme, assignment))]
    text = f"DELETE DATA {{ {' '.join(quad_data(q) for q in quads)} }} ;\n"
    others = {q.object for q in store.quads(graph) if q.subject == finding and q.predicate.value == str(LRKG.theme)}
    if others <= {theme}:
        fallback = ThemeProposal(minted_iri("theme", UNCLASSIFIED), 0.0, "its only theme was rejected", 0.0)
        added = assignment_quads(finding.value, graph.value, [fallback], method=FALLBACK_METHOD, on=date.today())
        text += f"INSERT DATA {{ {' '.join(quad_data(q) for q in added)} }} ;\n"
    return text


def _decision(row: Row) -> ThemeDecision:
    def text(name: str) -> str | None:
        term = row.get(name)
        return term.value if term is not None else None

    words = text("words") or text("description") or text("label") or ""
    return ThemeDecision(row["decision"].value, row["verdict"].value, row["finding"].value, row["theme"].value,
                         text("curatorName") or row["curator"].value, row["created"].value, text("proposal"),
                         text("note"), words)
