"""Accountability: for each actor, the failures that implicate it and the recommendations it owns,
with how far each recommendation has got.

A failure is a finding that records a shortcoming or has no polarity (`counts_as_failure`); asked
for all findings, good practice, improvements and observations count too. A recommendation's
latest status is the last of its responses in the order of `graph.answers.questions.StatusRecord.sort_key`
(read for every recommendation at once by `graph.answers.list_order.latest_statuses`, or for one actor's
with `graph.answers.questions.recommendation_answers`), grouped as decision, implementation or closure,
or "no response" when none is recorded. An organisation answers for its units and posts too (its
sub-organisations at any depth and the posts in it or in them): the Home Office's row counts what its
Homeland Security Group owns, and one actor's list says which items come through which unit (`via`).
Every answer comes from a handful of queries for all actors
at once (or for the one asked about), never from one query per actor.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from pyoxigraph import NamedNode

from graph.analytics.failure_graph import CentralNode, FailureGraph, counts_as_failure
from graph.answers.actors import resolve_actors
from graph.answers.questions import RecommendationAnswer, Ref, recommendation_answers, ref, resource_iri, row_ref, value
from graph.answers.list_order import LatestStatus, latest_statuses
from graph.answers.status_counts import NO_RESPONSE
from graph.store.errors import InvalidInput
from graph.store.knowledge_store import KnowledgeStore, Row
from graph.store.queries import bind_values, named_query


@dataclass(frozen=True)
class ActorAccountability:
    """One actor's row: the failures (or findings) implicating it, the reviews they come from,
    the recommendations it owns and how many of those have each group of latest status."""

    actor: Ref
    kind: str | None
    findings: int
    reviews: int
    recommendations: int
    decision: int
    implementation: int
    closure: int
    no_response: int


@dataclass(frozen=True)
class ImplicatingFinding:
    finding: Ref
    review: Ref
    polarity: Ref | None
    themes: list[Ref]
    via: list[Ref] = field(default_factory=list)
    """The units or posts it implicates, when it does not implicate the actor itself."""


@dataclass(frozen=True)
class OwnedRecommendation:
    """A recommendation the actor owns, with its latest status and that status's group
    (decision, implementation, closure, or no-response when none is recorded)."""

    recommendation: Ref
    notation: str | None
    review: Ref
    latest_status: Ref | None
    status_group: str
    via: list[Ref] = field(default_factory=list)
    """The units or posts that own it, when the actor itself does not."""


@dataclass(frozen=True)
class AccountabilityDetail:
    """One actor in full: its row, the findings behind it, the recommendations it owns, and where
    it stands in the graph of failures (None when nothing there points to it)."""

    summary: ActorAccountability
    failures_only: bool
    findings: list[ImplicatingFinding]
    recommendations: list[OwnedRecommendation]
    standing: CentralNode | None


def accountability(store: KnowledgeStore, *, failures_only: bool = True) -> list[ActorAccountability]:
    """Every actor, the most implicated first (then the most recommendations owned, then by name)."""
    findings: dict[str, list[Row]] = defaultdict(list)
    for row in _select(store, "implicated_actors", {}):
        if _counted(row, failures_only):
            findings[row["actor"].value].append(row)
    owned: dict[str, list[str]] = defaultdict(list)
    for row in _select(store, "owned_recommendations", {}):
        owned[row["actor"].value].append(row["recommendation"].value)
    latest = latest_statuses(store) if owned else {}
    rows = [
        _summary(ref(iri, label), kind, findings[iri], [_group(latest.get(r)) for r in owned[iri]])
        for iri, (label, kind) in _actors(store, {}).items()
    ]
    return sorted(rows, key=lambda r: (-r.findings, -r.recommendations, r.actor.label.lower(), r.actor.iri))


def actor_accountability(
    store: KnowledgeStore, actor: str, *, failures_only: bool = True, failure_graph: FailureGraph | None = None
) -> AccountabilityDetail:
    """One actor, named by its IRI, its id or its name (see `accountable_actor`), in full."""
    iri = accountable_actor(store, actor)
    bound = {"actor": [iri]}
    label, kind = _actors(store, bound)[iri.value]
    finding_rows, finding_via = _through_units(
        store, iri, [r for r in _select(store, "accountability_findings", bound) if _counted(r, failures_only)], "finding")
    themes: dict[str, list[Ref]] = defaultdict(list)
    if finding_rows:
        query = bind_values(named_query("finding_themes").text, {"finding": [r["finding"] for r in finding_rows]})
        for row in store.select(query):
            themes[row["finding"].value].append(row_ref(row, "theme", "themeLabel"))
    owned, owned_via = _through_units(store, iri, _select(store, "accountability_recommendations", bound), "recommendation")
    answers = {a.iri: a for a in recommendation_answers(store, [row["recommendation"] for row in owned])}
    recommendations = [
        _owned(row, answers[row["recommendation"].value], owned_via[row["recommendation"].value]) for row in owned
    ]
    return AccountabilityDetail(
        summary=_summary(ref(iri.value, label), kind, finding_rows, [r.status_group for r in recommendations]),
        failures_only=failures_only,
        findings=[
            ImplicatingFinding(
                finding=row_ref(row, "finding", "label"),
                review=row_ref(row, "review", "reviewLabel"),
                polarity=row_ref(row, "polarity", "polarityLabel") if "polarity" in row else None,
                themes=themes[row["finding"].value],
                via=finding_via[row["finding"].value],
            )
            for row in finding_rows
        ],
        recommendations=recommendations,
        standing=failure_graph.standing(iri.value) if failure_graph else None,
    )


def accountable_actor(store: KnowledgeStore, text: str) -> NamedNode:
    """The one actor `text` names (an IRI, an id, a name or words of a name); UnknownActor when
    none does, InvalidInput listing them when several do. An id or IRI is looked up directly,
    without reading every actor's names."""
    try:
        iri: NamedNode | None = resource_iri("actor", text)
    except InvalidInput:  # not an id or an IRI: a name
        iri = None
    if iri is not None and _actors(store, {"actor": [iri]}):
        return iri
    found = resolve_actors(store, text)
    if len(found) > 1:
        names = "; ".join(f"{a.label} ({a.id})" for a in found)
        raise InvalidInput(f"{text!r} names {len(found)} actors: {names}. Give one of their ids.")
    return NamedNode(found[0].iri)


def _actors(store: KnowledgeStore, bound: dict[str, list[NamedNode]]) -> dict[str, tuple[str, str | None]]:
    """Each actor's label (the first, in text order) and kind."""
    facts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in _select(store, "accountability_actors", bound):
        facts[row["actor"].value][row["fact"].value].append(row["value"].value)
    return {
        iri: (min(found["label"]) if found["label"] else iri, min(found["kind"]) if found["kind"] else None)
        for iri, found in facts.items()
    }


def _summary(actor: Ref, kind: str | None, findings: list[Row], groups: list[str]) -> ActorAccountability:
    """An actor's row from the findings counted against it and its recommendations' status groups."""
    return ActorAccountability(
        actor=actor,
        kind=kind,
        findings=len({row["finding"].value for row in findings}),
        reviews=len({row["review"].value for row in findings}),
        recommendations=len(groups),
        decision=groups.count("decision"),
        implementation=groups.count("implementation"),
        closure=groups.count("closure"),
        no_response=groups.count(NO_RESPONSE),
    )


def _group(latest: LatestStatus | None) -> str:
    return latest.group if latest else NO_RESPONSE


def _through_units(
    store: KnowledgeStore, actor: NamedNode, rows: list[Row], column: str
) -> tuple[list[Row], dict[str, list[Ref]]]:
    """`rows` once per item in `column` (an item held by several of the actor's units comes in a
    row for each), and for each item the units or posts it comes through, by label; none when the
    actor itself holds it."""
    holders: dict[str, set[str]] = defaultdict(set)
    first: dict[str, Row] = {}
    for row in rows:
        holders[row[column].value].add(row["holder"].value)
        first.setdefault(row[column].value, row)
    units = {h for held in holders.values() if actor.value not in held for h in held}
    labels = _actors(store, {"actor": [NamedNode(u) for u in sorted(units)]}) if units else {}
    via = {
        item: [] if actor.value in held else sorted((ref(h, labels[h][0] if h in labels else None) for h in held),
                                                   key=lambda r: (r.label, r.iri))
        for item, held in holders.items()
    }
    return list(first.values()), via


def _owned(row: Row, answer: RecommendationAnswer, via: list[Ref]) -> OwnedRecommendation:
    latest = answer.status_history[-1] if answer.status_history else None  # the history is in sort_key order
    return OwnedRecommendation(
        recommendation=row_ref(row, "recommendation", "label"),
        notation=value(row, "notation"),
        review=row_ref(row, "review", "reviewLabel"),
        latest_status=latest.status if latest else None,
        status_group=latest.stage if latest else NO_RESPONSE,
        via=via,
    )


def _counted(row: Row, failures_only: bool) -> bool:
    return not failures_only or counts_as_failure(value(row, "polarity"))


def _select(store: KnowledgeStore, query: str, bound: dict[str, list[NamedNode]]) -> list[Row]:
    text = named_query(query).text
    return store.select(bind_values(text, bound) if bound else text)
