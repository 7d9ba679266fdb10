"""Recurrence: the themes of failure that come back review after review.

A failure is a finding whose polarity is a shortcoming (or that has none): good practice, an
observation or an improvement made since is not a failure. Themes roll up: a failure tagged with
a narrower theme counts for every broader theme too. For each theme the answer gives how many
failures have it, in how many reviews and of how many kinds, the years those reviews were
issued, and each review with its count; the findings behind a theme come with their evidence.
The placeholder theme "Not yet classified" is left out: it says nothing about what went wrong.
A review with no finding at all (a tracker holds only recommendations) counts its recommendations
by their own themes instead, so that trackers recur too; each answer says which it counted.
With a theme filter (`ThemeTrust`: min_score, confirmed_only) only the themes it counts are
counted, as in the headline answer: a tag the tagger proposed with a lower score, or that no
curator confirmed, then counts for no theme.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from pyoxigraph import NamedNode

from graph.answers.given_themes import EVERY_THEME, ThemeTrust
from graph.answers.lookups import (
    ReviewFacts,
    evidence_by_claim,
    labels_of,
    review_facts,
    themes_by_iri,
)
from graph.answers.questions import Evidence, Ref, ref
from graph.answers.review_names import named_reviews
from graph.answers.themes import Theme, resolve_theme
from graph.store.derived import keep, recall
from graph.store.errors import InvalidInput
from graph.store.knowledge_store import KnowledgeStore
from graph.store.paging import EVERYTHING, Window
from graph.store.queries import ANY, Term, bind_values, named_query
from graph.vocabulary.namespaces import minted_iri

PLACEHOLDER_THEME = minted_iri("theme", "unclassified")


@dataclass(frozen=True)
class ReviewOfTheme:
    """A review with failures of a theme: its kind, the year it was issued and how many; `counted`
    says what: "findings", or "recommendations" for a review that has no finding."""

    review: Ref
    kind: Ref
    issued: str | None
    year: int | None
    finding_count: int
    counted: str = "findings"


@dataclass(frozen=True)
class RecurringTheme:
    theme: Theme
    finding_count: int
    review_count: int
    kind_count: int
    years: list[int]
    reviews: list[ReviewOfTheme]
    counted: list[str]
    """What its counts are made of: "findings", "recommendations" (of reviews with no finding), or both."""


@dataclass(frozen=True)
class Recurrence:
    """The recurring themes, most widespread first, and how the request was read: the reviews
    each theme must be found in, and the fewest reviews and kinds of review it must span."""

    themes: list[RecurringTheme]
    reviews: list[Ref]
    min_reviews: int
    min_kinds: int
    trust: ThemeTrust = EVERY_THEME


@dataclass(frozen=True)
class FindingBehind:
    """A failure behind a theme: the theme it is tagged with (the theme or a narrower one), its
    review and year, and the source passages it rests on."""

    finding: Ref
    review: Ref
    year: int | None
    tagged: list[Ref]
    evidence: list[Evidence]
    counted: str = "findings"
    """"recommendations" when `finding` is a recommendation, counted because its review has no finding."""


@dataclass(frozen=True)
class ThemeRecurrence:
    """One theme's recurrence with the findings behind it (of the reviews asked for, or all):
    those in the window asked for, of `total`."""

    recurrence: RecurringTheme
    reviews: list[Ref]
    findings: list[FindingBehind]
    total: int
    window: Window
    trust: ThemeTrust = EVERY_THEME


def recurrence(
    store: KnowledgeStore, *, reviews: Sequence[str] = (), min_reviews: int = 2, across_kinds: bool = False,
    trust: ThemeTrust = EVERY_THEME,
) -> Recurrence:
    """The themes whose failures are found in at least `min_reviews` reviews (and, with
    `across_kinds`, in reviews of at least two kinds), keeping only the themes found in every
    review of `reviews` when any are named; counting only the tags `trust` counts."""
    if min_reviews < 1:
        raise InvalidInput(f"min_reviews must be 1 or more, not {min_reviews}.")
    named = named_reviews(store, reviews)
    min_kinds = 2 if across_kinds else 1
    wanted = {review.iri for review in named}
    themes = [
        theme
        for theme in all_recurring_themes(store, trust)
        if theme.review_count >= min_reviews
        and theme.kind_count >= min_kinds
        and wanted <= {r.review.iri for r in theme.reviews}
    ]
    return Recurrence(themes, named, min_reviews, min_kinds, trust)


def all_recurring_themes(store: KnowledgeStore, trust: ThemeTrust = EVERY_THEME) -> list[RecurringTheme]:
    """Every theme with at least one failure (of the tags `trust` counts), the most reviews first,
    then the most failures, then by notation. Kept until the next write (with every theme counted,
    whatever else is asked): one count over every review (seconds at a million triples, and more
    rows than the answer cache keeps) that each recurrence question only filters; do not change it."""
    recalled = recall(store, ("recurring themes", trust), lasting=trust == EVERY_THEME)
    return recalled.value if recalled.found else keep(store, recalled, _all_recurring_themes(store, trust))


def _all_recurring_themes(store: KnowledgeStore, trust: ThemeTrust) -> list[RecurringTheme]:
    facts = review_facts(store)
    themes = themes_by_iri(store)
    counts: dict[str, list[ReviewOfTheme]] = defaultdict(list)
    for row in store.select(trust.counting(named_query("recurrence").text)):
        review = facts.get(row["review"].value)
        if review is not None and row["theme"].value in themes:
            counts[row["theme"].value].append(
                ReviewOfTheme(review.review, review.kind, review.issued, review.year, int(row["findingCount"].value),
                              row["counted"].value)
            )
    found = [_recurring_theme(themes[iri], reviews) for iri, reviews in counts.items()]
    return sorted(found, key=lambda t: (-t.review_count, -t.finding_count, t.theme.notation, t.theme.iri))


def _recurring_theme(theme: Theme, found_in: list[ReviewOfTheme]) -> RecurringTheme:
    """A theme's counts from the reviews its failures are found in, listed by date."""
    reviews = sorted(found_in, key=lambda r: (r.issued or "", r.review.label, r.review.iri))
    return RecurringTheme(
        theme=theme,
        finding_count=sum(r.finding_count for r in reviews),
        review_count=len(reviews),
        kind_count=len({r.kind.iri for r in reviews}),
        years=sorted({r.year for r in reviews if r.year is not None}),
        reviews=reviews,
        counted=sorted({r.counted for r in reviews}),
    )


def theme_recurrence(
    store: KnowledgeStore, theme: str, *, reviews: Sequence[str] = (), window: Window = EVERYTHING,
    trust: ThemeTrust = EVERY_THEME,
) -> ThemeRecurrence:
    """One theme's recurrence across every review, and the failures behind it (those in
    `window`): all of them, or only those of `reviews` when any are named; only the tags `trust`
    counts. UnknownTheme names the closest themes."""
    resolved = resolve_theme(store, theme)
    if resolved.iri == PLACEHOLDER_THEME:
        raise InvalidInput(
            f"{resolved.label!r} is a placeholder for findings not yet given a theme, not a theme of failure; "
            "recurrence leaves it out."
        )
    named = named_reviews(store, reviews)
    everywhere = _failures_behind(store, (), resolved, trust).get(resolved.iri, [])
    wanted = {review.iri for review in named}
    behind = [item for item in everywhere if not wanted or item.review.review.iri in wanted]
    summary = _recurring_theme(resolved, _reviews_of(everywhere))
    return ThemeRecurrence(summary, named, _with_evidence(store, window.slice(behind)), len(behind), window, trust)


def _reviews_of(behind: list[_Behind]) -> list[ReviewOfTheme]:
    """The reviews of some failures, with how many of them each holds."""
    counts: dict[str, int] = defaultdict(int)
    facts: dict[str, ReviewFacts] = {}
    counted: dict[str, str] = {}
    for item in behind:
        counts[item.review.review.iri] += 1
        facts[item.review.review.iri] = item.review
        counted[item.review.review.iri] = item.counted
    return [ReviewOfTheme(f.review, f.kind, f.issued, f.year, counts[iri], counted[iri]) for iri, f in facts.items()]


def findings_behind(
    store: KnowledgeStore, *, reviews: Sequence[Ref], trust: ThemeTrust = EVERY_THEME
) -> dict[str, list[FindingBehind]]:
    """The failures of `reviews` behind each theme (by IRI, rolled up; the tags `trust` counts), with
    their labels and evidence: three queries in all, however many findings."""
    return {theme: _with_evidence(store, found) for theme, found in _failures_behind(store, reviews, None, trust).items()}


@dataclass(frozen=True)
class _Behind:
    """A failure behind a theme, before its label and evidence are fetched."""

    finding: str
    review: ReviewFacts
    tagged: list[Theme]
    counted: str


def _failures_behind(
    store: KnowledgeStore, reviews: Sequence[Ref], theme: Theme | None, trust: ThemeTrust = EVERY_THEME
) -> dict[str, list[_Behind]]:
    """The failures behind each theme (by IRI, rolled up), of the given reviews (or all), for
    one theme (or all), by the date and label of their review and then by number."""
    values: dict[str, Sequence[Term]] = {
        "theme": [NamedNode(theme.iri)] if theme else [ANY],
        "review": [NamedNode(review.iri) for review in reviews] or [ANY],
    }
    facts = review_facts(store)
    themes = themes_by_iri(store)
    tagged: dict[tuple[str, str], list[Theme]] = defaultdict(list)
    in_review: dict[str, ReviewFacts] = {}
    counted: dict[str, str] = {}
    for row in store.select(bind_values(trust.counting(named_query("recurrence_findings").text), values)):
        review = facts.get(row["inReview"].value)
        if review is not None and row["tagged"].value in themes:
            in_review[row["finding"].value] = review
            counted[row["finding"].value] = row["counted"].value
            tagged[(row["rolledUp"].value, row["finding"].value)].append(themes[row["tagged"].value])
    behind: dict[str, list[_Behind]] = defaultdict(list)
    for (theme_iri, finding), tags in tagged.items():
        behind[theme_iri].append(_Behind(finding, in_review[finding], sorted(set(tags), key=lambda t: t.label),
                                         counted[finding]))
    for found in behind.values():
        found.sort(key=lambda b: (b.review.issued or "", b.review.review.label, len(b.finding), b.finding))
    return dict(behind)


def _with_evidence(store: KnowledgeStore, found: list[_Behind]) -> list[FindingBehind]:
    """The failures with their labels and evidence: two queries for all of them."""
    iris = {item.finding for item in found}
    labels = labels_of(store, iris)
    evidence = evidence_by_claim(store, iris)
    return [
        FindingBehind(
            finding=ref(item.finding, labels.get(item.finding)),
            review=item.review.review,
            year=item.review.year,
            tagged=[Ref(t.iri, t.id, t.label) for t in item.tagged],
            evidence=evidence.get(item.finding, []),
            counted=item.counted,
        )
        for item in found
    ]
