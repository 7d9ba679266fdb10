"""The cross-review analyses as flat rows, for a spreadsheet (CSV), a terminal table or JSON.

Each row holds plain values or lists of plain values (a CSV cell joins a list with "; "), labels
beside IRIs so that a row reads on its own. Evidence is given as its text, a paraphrase marked
as such so that nobody quotes it as the source's own words, with the source titles and pages
beside it. The REST routes and the `lrkg analytics` commands both answer with these rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from graph.analytics.coverage import Coverage
from graph.analytics.lessons import ChainFinding, Lessons
from graph.analytics.recurrence import FindingBehind, Recurrence, RecurringTheme, ThemeRecurrence
from graph.answers.questions import Evidence

Row = dict[str, Any]

RECURRENCE_COLUMNS = (
    "theme", "notation", "theme_iri", "finding_count", "review_count", "kind_count", "years", "kinds",
    "review_labels", "review_iris",
)
THEME_FINDING_COLUMNS = (
    "finding", "finding_iri", "review", "review_iri", "year", "tagged_themes", "evidence", "sources", "source_pages",
)
LESSON_COLUMNS = (
    "later_finding", "later_finding_iri", "later_review", "later_review_iri", "later_evidence", "later_sources",
    "later_source_pages", "later_date", "later_date_basis", "later_event", "theme", "theme_notation", "theme_iri",
    "recommendation", "recommendation_notation", "recommendation_iri", "earlier_review", "earlier_review_iri",
    "earlier_findings", "earlier_finding_iris", "earlier_evidence", "earlier_sources", "earlier_source_pages",
    "response_iri", "response_status", "response_date", "response_source", "response_source_page",
)
COVERAGE_COLUMNS = (
    "gap", "review", "review_iri", "item_kind", "item", "item_iri", "notation", "themes", "detail", "due",
    "days_overdue",
)


def evidence_text(evidence: Evidence) -> str:
    """The words of a passage; a paraphrase says that it is one."""
    return evidence.text if evidence.verbatim else f"Paraphrase: {evidence.text}"


def _evidence(prefix: str, passages: Sequence[Evidence]) -> Row:
    """Passages as three lists, side by side: their words, their sources' titles and pages."""
    return {
        f"{prefix}evidence": [evidence_text(e) for e in passages],
        f"{prefix}sources": [e.source.label for e in passages],
        f"{prefix}source_pages": [e.source_page or "" for e in passages],
    }


def recurrence_row(theme: RecurringTheme) -> Row:
    """One theme: its counts and years, each review as a nested object (JSON) and as lists of
    labels and IRIs (CSV)."""
    return {
        "theme": theme.theme.label,
        "notation": theme.theme.notation,
        "theme_id": theme.theme.id,
        "theme_iri": theme.theme.iri,
        "finding_count": theme.finding_count,
        "review_count": theme.review_count,
        "kind_count": theme.kind_count,
        "years": theme.years,
        "kinds": list(dict.fromkeys(r.kind.label for r in theme.reviews)),
        "review_labels": [r.review.label for r in theme.reviews],
        "review_iris": [r.review.iri for r in theme.reviews],
        "reviews": [
            {"iri": r.review.iri, "id": r.review.id, "label": r.review.label, "kind": r.kind.iri,
             "kind_label": r.kind.label, "issued": r.issued, "year": r.year, "finding_count": r.finding_count}
            for r in theme.reviews
        ],
    }


def recurrence_rows(answer: Recurrence) -> list[Row]:
    return [recurrence_row(theme) for theme in answer.themes]


def finding_behind_row(finding: FindingBehind) -> Row:
    return {
        "finding": finding.finding.label,
        "finding_id": finding.finding.id,
        "finding_iri": finding.finding.iri,
        "review": finding.review.label,
        "review_iri": finding.review.iri,
        "year": finding.year,
        "tagged_themes": [t.label for t in finding.tagged],
        **_evidence("", finding.evidence),
    }


def theme_finding_rows(answer: ThemeRecurrence) -> list[Row]:
    return [finding_behind_row(finding) for finding in answer.findings]


def _chain_findings(prefix: str, findings: Sequence[ChainFinding]) -> Row:
    return _evidence(prefix, [e for f in findings for e in f.evidence])


def lesson_rows(answer: Lessons) -> list[Row]:
    """Each lesson not learned as one row: the later finding, the date it is judged against,
    the shared theme, the recommendation, the earlier findings and the response."""
    return [
        {
            "later_finding": lesson.later_finding.finding.label,
            "later_finding_iri": lesson.later_finding.finding.iri,
            "later_review": lesson.later_finding.review.label,
            "later_review_iri": lesson.later_finding.review.iri,
            **_chain_findings("later_", [lesson.later_finding]),
            "later_date": lesson.later_date.date,
            "later_date_basis": lesson.later_date.basis,
            "later_event": lesson.later_date.event.label if lesson.later_date.event else None,
            "later_event_iri": lesson.later_date.event.iri if lesson.later_date.event else None,
            "theme": lesson.theme.label,
            "theme_notation": lesson.theme.notation,
            "theme_iri": lesson.theme.iri,
            "recommendation": lesson.recommendation.label,
            "recommendation_notation": lesson.recommendation_notation,
            "recommendation_iri": lesson.recommendation.iri,
            "earlier_review": lesson.earlier_review.label,
            "earlier_review_iri": lesson.earlier_review.iri,
            "earlier_findings": [f.finding.label for f in lesson.earlier_findings],
            "earlier_finding_iris": [f.finding.iri for f in lesson.earlier_findings],
            **_chain_findings("earlier_", lesson.earlier_findings),
            "response_iri": lesson.response.response,
            "response_status": lesson.response.status.label,
            "response_date": lesson.response.date,
            "response_source": lesson.response.source.label if lesson.response.source else None,
            "response_source_page": lesson.response.source_page,
        }
        for lesson in answer.lessons
    ]


def coverage_rows(answer: Coverage) -> list[Row]:
    return [
        {
            "gap": gap.gap,
            "review": gap.review.label,
            "review_iri": gap.review.iri,
            "item_kind": gap.item_kind,
            "item": gap.item.label,
            "item_id": gap.item.id,
            "item_iri": gap.item.iri,
            "notation": gap.notation,
            "themes": [t.label for t in gap.themes],
            "detail": gap.detail,
            "due": gap.due,
            "days_overdue": gap.days_overdue,
        }
        for gap in answer.gaps
    ]
