"""Accountability and centrality as flat rows, for a spreadsheet (CSV), a terminal table or JSON.

Each row holds plain values or lists of them (a CSV cell joins a list with "; "), labels beside
IRIs so that a row reads on its own. The REST routes and the `lrkg analytics` commands both
answer with these rows.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from graph.analytics.accountability import AccountabilityDetail, ActorAccountability
from graph.analytics.failure_graph import CentralNode

Row = dict[str, Any]

ACCOUNTABILITY_COLUMNS = (
    "actor", "id", "label", "kind", "findings", "reviews", "recommendations",
    "decision", "implementation", "closure", "no_response",
)
DETAIL_COLUMNS = (
    "item", "iri", "id", "label", "review", "review_label", "polarity", "themes",
    "notation", "latest_status", "status_group", "via",
)
CENTRALITY_COLUMNS = ("kind", "rank", "iri", "id", "label", "score", "degree", "findings", "reviews", "recommendations")


def accountability_row(row: ActorAccountability) -> Row:
    """One actor's counts, with its IRI, id and label first."""
    counts = asdict(row)
    del counts["actor"]
    return {"actor": row.actor.iri, "id": row.actor.id, "label": row.actor.label, **counts}


def detail_rows(detail: AccountabilityDetail) -> list[Row]:
    """The findings and recommendations of one actor as one table, told apart by `item`."""
    findings = [
        {"item": "finding", "iri": f.finding.iri, "id": f.finding.id, "label": f.finding.label,
         "review": f.review.iri, "review_label": f.review.label,
         "polarity": f.polarity.label if f.polarity else None, "themes": [t.label for t in f.themes],
         "via": [v.label for v in f.via]}
        for f in detail.findings
    ]
    recommendations = [
        {"item": "recommendation", "iri": r.recommendation.iri, "id": r.recommendation.id,
         "label": r.recommendation.label, "review": r.review.iri, "review_label": r.review.label,
         "notation": r.notation, "latest_status": r.latest_status.label if r.latest_status else None,
         "status_group": r.status_group, "via": [v.label for v in r.via]}
        for r in detail.recommendations
    ]
    return findings + recommendations


def central_row(node: CentralNode) -> Row:
    """An actor or theme of the centrality ranking, its score to six decimals."""
    return {**asdict(node), "score": round(node.score, 6)}
