"""Proposed and decided links between findings as flat rows, for a spreadsheet (CSV), a terminal
table or JSON: each finding's IRI, id, label, review and (for a proposal) quote, side by side.
The REST routes and the `lrkg analytics` commands both answer with these rows."""

from __future__ import annotations

from typing import Any

from graph.analytics.finding_links import FindingLink, LinkedFinding
from graph.analytics.similar_findings import FindingText, Proposal

Row = dict[str, Any]

PROPOSAL_COLUMNS = (
    "score",
    "finding", "finding_id", "finding_label", "finding_review", "finding_review_label", "finding_quote",
    "other", "other_id", "other_label", "other_review", "other_review_label", "other_quote",
    "shared_words",
)
LINK_COLUMNS = (
    "link", "id", "decision", "score", "curator", "created",
    "finding", "finding_id", "finding_label", "finding_review", "finding_review_label",
    "other", "other_id", "other_label", "other_review", "other_review_label",
)


def _side(prefix: str, finding: FindingText | LinkedFinding) -> Row:
    review = finding.review
    row = {
        prefix: finding.iri,
        f"{prefix}_id": finding.id,
        f"{prefix}_label": finding.label,
        f"{prefix}_review": review.iri if review else None,
        f"{prefix}_review_label": review.label if review else None,
    }
    if isinstance(finding, FindingText):
        row[f"{prefix}_quote"] = finding.quote
    return row


def proposal_row(proposal: Proposal) -> Row:
    return {"score": proposal.score, **_side("finding", proposal.finding), **_side("other", proposal.other),
            "shared_words": proposal.shared_words}


def link_row(link: FindingLink) -> Row:
    return {"link": link.iri, "id": link.id, "decision": link.decision, "score": link.score, "curator": link.curator,
            "created": link.created, **_side("finding", link.finding), **_side("other", link.other)}
