"""The themes waiting for a curator: every theme the tagger proposed on a finding or a
recommendation that nobody has confirmed or rejected yet, the least certain first.

This is what the curator's page (/curate/themes) and `GET /api/theme-proposals` list, so that a
curator spends their time where the tagger was least sure. Each proposal comes with what a
curator needs to judge it without leaving the list: the item's words (its quoted excerpt, or its
label when no excerpt is held), the source that holds them, the review, the theme, and the
tagger's method and score. Decisions themselves are written by graph.ingestion.theme_decisions.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from graph.answers.lookups import (
    evidence_by_claim,
    labels_of,
    review_facts,
    themes_by_iri,
)
from graph.answers.questions import Ref, ref, resource_iri
from graph.answers.themes import Theme, resolve_theme
from graph.store.errors import InvalidInput
from graph.store.knowledge_store import KnowledgeStore
from graph.store.paging import Page, Window
from graph.store.queries import ANY, bind_values, named_query
from graph.vocabulary.namespaces import LRKG

_XSD_DECIMAL = NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
EXCERPT_CHARACTERS = 400
"""The most of an item's words a proposal shows; the item's page has the rest."""


@dataclass(frozen=True)
class ThemeProposal:
    """A theme the tagger gave an item and no curator has decided on: `kind` is finding or
    recommendation; `excerpt` is the item's words (cut at EXCERPT_CHARACTERS), `source` and
    `source_page` where they come from (None when the item has no excerpt)."""

    item: Ref
    kind: str
    review: Ref
    theme: Ref
    method: str
    score: float
    excerpt: str
    verbatim: bool
    source: Ref | None
    source_page: str | None


def theme_proposals(
    store: KnowledgeStore, window: Window, *, theme: str | None = None,
    min_score: float | None = None, max_score: float | None = None, item: str | None = None,
) -> tuple[Page[ThemeProposal], Theme | None]:
    """The undecided proposals in `window`, the lowest score first: of `theme` or a narrower one
    when given (UnknownTheme names the closest), scoring from `min_score` to `max_score` (0 to 1),
    of one finding or recommendation (`item`, its IRI or a finding's id) when given.
    Returns the page and the theme resolved."""
    low, high = _score(min_score, 0.0, "min_score"), _score(max_score, 1.0, "max_score")
    if low > high:
        raise InvalidInput(f"min_score ({low}) is above max_score ({high}): no score is between them.")
    resolved = resolve_theme(store, theme) if theme else None
    sparql = bind_values(named_query("theme_proposals").text, {
        "theme": [NamedNode(resolved.iri) if resolved else ANY],
        "minScore": [Literal(f"{low:f}", datatype=_XSD_DECIMAL)],
        "maxScore": [Literal(f"{high:f}", datatype=_XSD_DECIMAL)],
        "of": [resource_iri("finding", item) if item else ANY],
    })
    rows = store.select(sparql)
    chosen = window.slice(rows)
    items = {row["item"].value for row in chosen}
    labels, evidence = labels_of(store, items), evidence_by_claim(store, items)
    themes, reviews = themes_by_iri(store), review_facts(store)
    proposals = []
    for row in chosen:
        iri, tagged, review = row["item"].value, row["tagged"].value, row["review"].value
        passages = evidence.get(iri, [])
        first = passages[0] if passages else None
        words = " … ".join(p.text for p in passages) if passages else labels.get(iri, iri)
        known = themes.get(tagged)
        proposals.append(ThemeProposal(
            item=ref(iri, labels.get(iri)),
            kind="recommendation" if row["kind"].value == str(LRKG.Recommendation) else "finding",
            review=reviews[review].review if review in reviews else ref(review),
            theme=Ref(tagged, known.id, known.label) if known else ref(tagged),
            method=row["method"].value,
            score=float(row["score"].value),
            excerpt=_cut(words),
            verbatim=bool(first and first.verbatim),
            source=first.source if first else None,
            source_page=first.source_page if first else None,
        ))
    return Page(proposals, len(rows), window), resolved


def _score(given: float | None, default: float, name: str) -> float:
    if given is None:
        return default
    if not 0 <= given <= 1:
        raise InvalidInput(f"{name} is a tagger's score, from 0 to 1; {given} is not.")
    return given


def _cut(words: str) -> str:
    words = " ".join(words.split())
    return words if len(words) <= EXCERPT_CHARACTERS else words[: EXCERPT_CHARACTERS - 1].rstrip() + "…"
