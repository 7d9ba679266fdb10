"""Lessons not learned: a failure found again after a recommendation on its theme was reported
implemented.

A later finding is flagged when all of these hold:

* it is a failure (polarity shortcoming, or none) of a review, the later review;
* a recommendation of another review addresses a theme (the theme of a finding it addresses, or
  its own theme) that the finding's theme equals or is narrower than;
* that recommendation has a response whose status is reported implemented or verified
  implemented (or narrower), with a `dcterms:date`;
* that date is surely before the later review's events began: strictly before the first day of
  its earliest dated event (a month or a year counts from its first day), or, when the review
  records no dated events, before the day it was issued.

Nothing uncertain is flagged: a response known only by `lrkg:notBefore` is not dated, and a
review with neither dated events nor an issued date cannot be ordered. Each flag carries the
whole chain, with the evidence of both findings and the source of the response.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from pyoxigraph import NamedNode

from graph.answers.lookups import ReviewFacts, evidence_by_claim, labels_of, review_facts
from graph.answers.questions import Evidence, Ref, ref, row_ref, value
from graph.answers.review_names import named_reviews
from graph.answers.themes import Theme, resolve_theme
from graph.store.knowledge_store import KnowledgeStore, Row
from graph.store.paging import EVERYTHING, Window
from graph.store.queries import ANY, Term, bind_values, named_query
from graph.vocabulary.namespaces import minted_iri
from graph.vocabulary.partial_dates import partial_date

DONE_STATUSES = (minted_iri("status", "reported-implemented"), minted_iri("status", "verified-implemented"))
"""Statuses that say a recommendation was carried out (and any narrower status): reported
implemented by its addressee, or verified implemented by someone independent."""

EARLIEST_EVENT = "earliest event"
REVIEW_ISSUED = "review issued"


@dataclass(frozen=True)
class ChainFinding:
    finding: Ref
    review: Ref
    evidence: list[Evidence]


@dataclass(frozen=True)
class ChainResponse:
    response: str
    status: Ref
    date: str
    source: Ref | None
    source_page: str | None


@dataclass(frozen=True)
class LaterDate:
    """The day the later review's events began, and what it comes from: the review's earliest
    dated event (named), or, when it records none, the day the review was issued."""

    date: str
    basis: str
    event: Ref | None


@dataclass(frozen=True)
class LessonNotLearned:
    """One flag and its evidence chain: the earlier findings the recommendation addresses with
    the shared theme (none when the theme is the recommendation's own), the recommendation, the
    first response reporting it implemented before the later date, and the later finding."""

    theme: Theme
    earlier_findings: list[ChainFinding]
    recommendation: Ref
    recommendation_notation: str | None
    earlier_review: Ref
    response: ChainResponse
    later_finding: ChainFinding
    later_date: LaterDate


@dataclass(frozen=True)
class Lessons:
    """The lessons in the window asked for, of `total`, and how the request was read."""

    lessons: list[LessonNotLearned]
    total: int
    window: Window
    reviews: list[Ref]
    theme: Theme | None
    done_statuses: list[str]


@dataclass(frozen=True)
class _Done:
    """A response reporting a recommendation implemented, for one theme the recommendation
    addresses: the last day its date can mean, so that "surely before" is one comparison."""

    last_day: date
    recommendation: str
    review: str
    row: Row


def lessons_not_learned(
    store: KnowledgeStore, *, reviews: Sequence[str] = (), theme: str | None = None, window: Window = EVERYTHING
) -> Lessons:
    """The lessons not learned in `window`, by later review and finding; only those whose later
    review is one of `reviews`, or whose shared theme is `theme` or narrower, when given.

    Three queries, none per item: the recommendations reported implemented with the themes they
    address; the failures under those themes; and when the later reviews' events began. The
    dates are then compared here, where a month or a year is read as the span of days it is.
    Lessons grow as the product of implemented recommendations and later failures on a theme, so
    each later finding's recommendations are found by bisecting the responses in date order, and
    only the lessons in the window are built in full, with their evidence."""
    named = named_reviews(store, reviews)
    resolved = resolve_theme(store, theme) if theme else None
    done_values: dict[str, Sequence[Term]] = {
        "done": [NamedNode(status) for status in DONE_STATUSES],
        "withinTheme": [NamedNode(resolved.iri) if resolved else ANY],
    }
    by_theme = _done_by_theme(store.select(bind_values(named_query("implemented_recommendations").text, done_values)))
    failures = _failures_under(store, by_theme, {review.iri for review in named})
    later_dates = _later_dates(store, {row["review"].value for row in failures})
    facts = review_facts(store)
    recommendations, failure_rows = _implemented_before(failures, by_theme, later_dates, set(facts))
    order = sorted(recommendations, key=lambda f: (facts[failure_rows[f][0][0]["review"].value].review.label, len(f), f))
    chosen = _pairs_in(window, order, recommendations)
    pairs = [
        [(done.row, failure) for failure, begins in failure_rows[finding]
         for done in by_theme[failure["theme"].value][0]
         if done.recommendation == rec and done.review != failure["review"].value and done.last_day < begins]
        for finding, rec in chosen
    ]
    claims = {row[name].value for found in pairs for pair in found for row in pair
              for name in ("finding", "earlierFinding") if name in row}
    evidence = evidence_by_claim(store, claims)
    labels = labels_of(store, {finding for finding, _ in chosen})
    lessons = [_lesson(found, later_dates[found[0][1]["review"].value], facts, labels, evidence) for found in pairs]
    total = sum(len(recs) for recs in recommendations.values())
    return Lessons(lessons, total, window, named, resolved, list(DONE_STATUSES))


def _implemented_before(
    failures: list[Row], by_theme: dict[str, tuple[list[_Done], list[date]]], later_dates: dict[str, LaterDate],
    reviews: set[str],
) -> tuple[dict[str, set[str]], dict[str, list[tuple[Row, date]]]]:
    """For each later failure, the recommendations of other reviews reported implemented on a
    theme of it before its review's events began (found by bisecting each theme's responses in
    date order), and its rows with the day those events began."""
    recommendations: dict[str, set[str]] = defaultdict(set)
    failure_rows: dict[str, list[tuple[Row, date]]] = defaultdict(list)
    for failure in failures:
        review = failure["review"].value
        later = later_dates.get(review)
        if later is None or review not in reviews:
            continue
        begins = _first_day(later.date)
        dones, last_days = by_theme[failure["theme"].value]
        before = [d.recommendation for d in dones[: bisect_left(last_days, begins)] if d.review != review]
        if before:
            recommendations[failure["finding"].value].update(before)
            failure_rows[failure["finding"].value].append((failure, begins))
    return recommendations, failure_rows


def _done_by_theme(rows: list[Row]) -> dict[str, tuple[list[_Done], list[date]]]:
    """The responses reporting each theme's recommendations implemented, by the last day their
    date can mean, with those days alone beside them (to bisect); undatable ones left out."""
    found: dict[str, list[_Done]] = defaultdict(list)
    for row in rows:
        read = partial_date(row["date"].value)
        if read is not None:
            found[row["theme"].value].append(
                _Done(read.last, row["recommendation"].value, row["earlierReview"].value, row)
            )
    by_theme: dict[str, tuple[list[_Done], list[date]]] = defaultdict(lambda: ([], []))
    for theme_iri, dones in found.items():
        dones.sort(key=lambda d: d.last_day)
        by_theme[theme_iri] = (dones, [d.last_day for d in dones])
    return by_theme


def _pairs_in(window: Window, order: list[str], recommendations: dict[str, set[str]]) -> list[tuple[str, str]]:
    """The (later finding, recommendation) pairs in `window`, without listing those after it."""
    chosen: list[tuple[str, str]] = []
    skip = window.offset
    for finding in order:
        recs = recommendations[finding]
        if skip >= len(recs):
            skip -= len(recs)
            continue
        chosen += [(finding, rec) for rec in sorted(recs)[skip:]]
        skip = 0
        if window.limit is not None and len(chosen) >= window.limit:
            return chosen[: window.limit]
    return chosen


def _first_day(text: str) -> date:
    read = partial_date(text)
    assert read is not None, text  # _later_dates keeps only readable dates
    return read.first


def _failures_under(store: KnowledgeStore, themes: Collection[str], reviews: set[str]) -> list[Row]:
    """The failures under each of `themes` (or a narrower theme), of `reviews` when any are named."""
    if not themes:
        return []
    sparql = bind_values(named_query("failures_under_themes").text, {"theme": [NamedNode(t) for t in sorted(themes)]})
    return [row for row in store.select(sparql) if not reviews or row["review"].value in reviews]


def _later_dates(store: KnowledgeStore, reviews: set[str]) -> dict[str, LaterDate]:
    """For each of `reviews`, the first day of its earliest dated event, or else its issued
    date; reviews with neither are left out, since nothing can be ordered against them."""
    if not reviews:
        return {}
    earliest: dict[str, tuple[date, str, Ref]] = {}
    issued: dict[str, str] = {}
    for row in store.select(named_query("review_timing").text):
        review = row["review"].value
        if review not in reviews:
            continue
        if "issued" in row:
            issued[review] = row["issued"].value
            continue
        read = partial_date(row["date"].value)
        if read is not None and (review not in earliest or (read.first, row["event"].value) < earliest[review][:2]):
            earliest[review] = (read.first, row["event"].value, row_ref(row, "event", "eventLabel"))
    dates = {review: LaterDate(day.isoformat(), EARLIEST_EVENT, event) for review, (day, _, event) in earliest.items()}
    for review, day in issued.items():
        if review not in dates and partial_date(day) is not None:
            dates[review] = LaterDate(day, REVIEW_ISSUED, None)
    return dates


def _lesson(
    pairs: list[tuple[Row, Row]], later_date: LaterDate, facts: dict[str, ReviewFacts], labels: dict[str, str],
    evidence: dict[str, list[Evidence]],
) -> LessonNotLearned:
    """The flag for one later finding and one recommendation: the narrowest shared theme, and
    the earliest response reporting the recommendation implemented before the later date."""
    dones = [done for done, _ in pairs]
    failure = pairs[0][1]
    theme_row = max(dones, key=lambda r: (int(r["depth"].value), value(r, "themeNotation") or "", r["theme"].value))
    theme_iri = theme_row["theme"].value
    response_row = min(dones, key=lambda r: (r["date"].value, r["response"].value))
    earlier = {row["earlierFinding"].value: row for row in dones
               if "earlierFinding" in row and row["theme"].value == theme_iri}
    first = dones[0]
    return LessonNotLearned(
        theme=Theme(theme_iri, ref(theme_iri).id, theme_row["themeLabel"].value, value(theme_row, "themeNotation") or ""),
        earlier_findings=[
            ChainFinding(
                finding=row_ref(row, "earlierFinding", "earlierFindingLabel"),
                review=row_ref(row, "earlierReview", "earlierReviewLabel"),
                evidence=evidence.get(iri, []),
            )
            for iri, row in sorted(earlier.items(), key=lambda item: (len(item[0]), item[0]))
        ],
        recommendation=row_ref(first, "recommendation", "recommendationLabel"),
        recommendation_notation=value(first, "notation"),
        earlier_review=row_ref(first, "earlierReview", "earlierReviewLabel"),
        response=ChainResponse(
            response=response_row["response"].value,
            status=row_ref(response_row, "status", "statusLabel"),
            date=response_row["date"].value,
            source=row_ref(response_row, "source", "sourceTitle") if "source" in response_row else None,
            source_page=value(response_row, "sourcePage"),
        ),
        later_finding=ChainFinding(
            finding=ref(failure["finding"].value, labels.get(failure["finding"].value)),
            review=facts[failure["review"].value].review,
            evidence=evidence.get(failure["finding"].value, []),
        ),
        later_date=later_date,
    )
