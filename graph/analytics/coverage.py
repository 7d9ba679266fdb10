"""Coverage gaps: failures nothing answers, and recommendations nobody owns or answers.

Four kinds of gap, one list:

* `unaddressed-finding`: a failure (polarity shortcoming, or none) that no recommendation
  addresses (`lrkg:addresses`), from any review;
* `no-owner`: a recommendation with no `lrkg:owner`;
* `no-response`: a recommendation with no response at all;
* `overdue`: a recommendation whose response was due (`lrkg:responseDue`; for a PFD report
  without one, 56 days after the report was issued) before the `as_of` day, with no response
  that can be from that day or earlier. A response known only by `lrkg:notBefore` stops the
  flag when its earliest day is on or before `as_of`, since it may have come in time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from pyoxigraph import NamedNode

from graph.answers.lookups import ReviewFacts, labels_of, review_facts, themes_by_iri
from graph.answers.questions import Ref, ref, value
from graph.answers.review_names import named_reviews
from graph.answers.themes import Theme
from graph.ingestion.pfd import KIND as PFD_KIND
from graph.ingestion.pfd import RESPONSE_DAYS
from graph.store.errors import InvalidInput
from graph.store.knowledge_store import KnowledgeStore, Row
from graph.store.paging import EVERYTHING, Window
from graph.store.queries import ANY, bind_values, named_query
from graph.vocabulary.namespaces import minted_iri
from graph.vocabulary.partial_dates import partial_date

GAP_NAMES = {
    "unaddressed-finding": "Failures no recommendation addresses",
    "no-owner": "Recommendations with no owner",
    "no-response": "Recommendations with no response",
    "overdue": "Responses overdue",
}
"""The kinds of gap, in the order they are listed within a review, with what each means."""
GAPS = tuple(GAP_NAMES)
PFD_REVIEW_KIND = minted_iri("review-kind", PFD_KIND)


@dataclass(frozen=True)
class CoverageGap:
    """One gap: its kind, the review, the finding or recommendation, and a sentence saying why.
    `themes` are a finding's; `due` and `days_overdue` are an overdue recommendation's."""

    gap: str
    review: Ref
    item: Ref
    item_kind: str
    notation: str | None
    themes: list[Ref]
    detail: str
    due: str | None
    days_overdue: int | None


@dataclass(frozen=True)
class Coverage:
    """The gaps in the window asked for, of `total`; `counts` are of every gap, by kind."""

    gaps: list[CoverageGap]
    total: int
    window: Window
    counts: dict[str, int]
    reviews: list[Ref]
    gap_kinds: list[str]
    as_of: str


def coverage_gaps(
    store: KnowledgeStore,
    *,
    reviews: Sequence[str] = (),
    gaps: Sequence[str] = (),
    as_of: date | None = None,
    window: Window = EVERYTHING,
) -> Coverage:
    """The gaps in `window` of every review (or of `reviews`), of every kind (or of `gaps`),
    with overdue responses judged on `as_of` (today by default); by review, kind of gap and
    number. Every gap is found and counted; only those in the window are given their labels."""
    unknown = [gap for gap in gaps if gap not in GAPS]
    if unknown:
        raise InvalidInput(f"Unknown kind of gap {', '.join(map(repr, unknown))}; the kinds are {', '.join(GAPS)}.")
    day = as_of or date.today()
    named = named_reviews(store, reviews)
    kinds = [gap for gap in GAPS if gap in gaps] or list(GAPS)
    review_values = {"review": [NamedNode(review.iri) for review in named] or [ANY]}
    facts = review_facts(store)
    found: list[_Gap] = []
    if "unaddressed-finding" in kinds:
        rows = store.select(bind_values(named_query("unaddressed_failures").text, review_values))
        found += _unaddressed(rows, facts, themes_by_iri(store))
    if set(kinds) & {"no-owner", "no-response", "overdue"}:
        rows = store.select(bind_values(named_query("recommendation_coverage").text, review_values))
        found += [gap for row in rows if row["inReview"].value in facts
                  for gap in _recommendation_gaps(row, facts[row["inReview"].value], day) if gap.gap in kinds]
    found.sort(key=lambda g: (g.review.review.label, g.review.review.iri, GAPS.index(g.gap), len(g.notation or g.item),
                              g.notation or "", len(g.item), g.item))
    counts = {gap: sum(1 for g in found if g.gap == gap) for gap in kinds}
    shown = window.slice(found)
    names = labels_of(store, {gap.item for gap in shown})
    return Coverage([gap.named(names) for gap in shown], len(found), window, counts, named, kinds, day.isoformat())


@dataclass(frozen=True)
class _Gap:
    """A gap before its finding or recommendation is given its label (only those shown are)."""

    gap: str
    review: ReviewFacts
    item: str
    item_kind: str
    notation: str | None
    themes: list[Ref]
    detail: str
    due: date | None
    days_overdue: int | None

    def named(self, names: dict[str, str]) -> CoverageGap:
        return CoverageGap(
            gap=self.gap,
            review=self.review.review,
            item=ref(self.item, names.get(self.item)),
            item_kind=self.item_kind,
            notation=self.notation,
            themes=self.themes,
            detail=self.detail,
            due=self.due.isoformat() if self.due else None,
            days_overdue=self.days_overdue,
        )


def _unaddressed(rows: list[Row], facts: dict[str, ReviewFacts], themes: dict[str, Theme]) -> list[_Gap]:
    tagged: dict[str, list[Ref]] = defaultdict(list)
    review_of: dict[str, ReviewFacts] = {}
    for row in rows:
        finding = row["finding"].value
        if row["inReview"].value in facts:
            review_of[finding] = facts[row["inReview"].value]
        theme = themes.get(row["theme"].value) if "theme" in row else None
        if theme is not None:
            tagged[finding].append(Ref(theme.iri, theme.id, theme.label))
    return [
        _Gap("unaddressed-finding", review, finding, "finding", None, sorted(tagged[finding], key=lambda t: t.label),
             "No recommendation addresses this failure.", None, None)
        for finding, review in review_of.items()
    ]


def _recommendation_gaps(row: Row, review: ReviewFacts, as_of: date) -> list[_Gap]:
    """The gaps of one recommendation: no owner, no response, a response overdue on `as_of`."""

    def gap(kind: str, detail: str, due: date | None = None) -> _Gap:
        return _Gap(kind, review, row["recommendation"].value, "recommendation", value(row, "notation"), [], detail,
                    due, (as_of - due).days if due else None)

    found = []
    if value(row, "hasOwner") not in ("true", "1"):
        found.append(gap("no-owner", "No owner is recorded for this recommendation."))
    if int(row["responseCount"].value) == 0:
        found.append(gap("no-response", "No response to this recommendation is recorded."))
    due = response_due(value(row, "due"), review)
    earliest = partial_date(value(row, "earliestResponse") or "")
    if due is not None and due < as_of and (earliest is None or earliest.first > as_of):
        days = (as_of - due).days
        found.append(gap("overdue", f"A response was due on {due.isoformat()}; none is recorded by "
                                    f"{as_of.isoformat()}, {days} day{'s' if days != 1 else ''} later.", due))
    return found


def response_due(stated: str | None, review: ReviewFacts) -> date | None:
    """The day a response is due: `stated` (its lrkg:responseDue), or for a PFD report without
    it, 56 days after the report was issued; None when no rule sets one."""
    read = partial_date(stated or "")
    if read is not None:
        return read.first
    issued = partial_date(review.issued or "")
    if review.kind.iri == PFD_REVIEW_KIND and issued is not None:
        return issued.first + timedelta(days=RESPONSE_DAYS)
    return None
