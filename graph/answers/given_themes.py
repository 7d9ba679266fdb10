"""How each theme of a finding or recommendation was given, and which of them a theme question counts.

A theme is **curated** when the review's curators stated it (no `lrkg:ThemeAssignment` gave it),
**proposed** when the tagger gave it (with its method and score), and **confirmed** when the
tagger gave it and a curator then confirmed it (an `oa:Annotation` with who and when; see
`graph.ingestion.theme_decisions`). A reader weighs a proposed theme differently, so every answer
says which it is, and the theme questions can leave proposed themes out (`ThemeTrust`).
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from graph.store.errors import InvalidInput
from graph.store.knowledge_store import Row, Term
from graph.store.queries import bind_values
from graph.vocabulary.namespaces import minted_id

CURATED = "curated"
PROPOSED = "proposed"
CONFIRMED = "confirmed"

_XSD_DECIMAL = NamedNode("http://www.w3.org/2001/XMLSchema#decimal")

COUNTED_TAGS_MARKER = "# (ThemeTrust: the tags a filter counts)"
"""The line of a counting query (recurrence.rq, recurrence_findings.rq, theme_years.rq) that
`ThemeTrust.counting` replaces with COUNTED_TAGS; a comment, so the unfiltered query is unchanged."""

COUNTED_TAGS = """
  # Only the tags the theme filter counts: curated (no machine assignment gave ?tagged), confirmed
  # by a curator, or proposed with a score of at least ?minScore unless ?confirmedOnly is "true".
  # At the top level, where the VALUES clause's ?minScore and ?confirmedOnly are in scope.
  OPTIONAL { ?finding <https://w3id.org/lrkg/ns#themeAssignment> ?trustAssignment .
             ?trustAssignment <https://w3id.org/lrkg/ns#assignedTheme> ?tagged ;
                              <https://w3id.org/lrkg/ns#assignmentScore> ?trustScore }
  FILTER (!BOUND(?trustAssignment) || (?confirmedOnly = "false" && ?trustScore >= ?minScore)
          || EXISTS { ?trustDecision <http://www.w3.org/ns/oa#motivatedBy> <http://www.w3.org/ns/oa#assessing> ;
                                     <http://www.w3.org/ns/oa#hasTarget> ?finding ;
                                     <http://purl.org/dc/terms/subject> ?tagged ;
                                     <http://www.w3.org/ns/oa#bodyValue> "confirmed" })
"""
"""The pattern a counting query's tags (?finding lrkg:theme ?tagged) pass under a filter: the same
rule as findings_on_counted_theme.rq, for queries that count every theme at once."""


@dataclass(frozen=True)
class GivenTheme:
    """A theme of a finding or recommendation, with how it was given: `given` is curated,
    proposed or confirmed; `method` and `score` are the tagger's (machine themes only);
    `confirmed_by` and `confirmed_at` the curator's name and the time (confirmed ones only)."""

    iri: str
    id: str
    label: str
    given: str
    method: str | None = None
    score: float | None = None
    confirmed_by: str | None = None
    confirmed_at: str | None = None


def given_theme(row: Row) -> GivenTheme:
    """One row of finding_themes.rq or recommendation_themes.rq as the theme it gives."""
    iri = row["theme"].value
    kind_slug = minted_id(iri)
    label = row["themeLabel"].value if "themeLabel" in row else iri
    method = row["method"].value if "method" in row else None
    score = float(row["score"].value) if "score" in row else None
    decided = "decided" in row
    given = CONFIRMED if decided else PROPOSED if method is not None else CURATED
    return GivenTheme(
        iri=iri,
        id=kind_slug[1] if kind_slug else iri,
        label=label,
        given=given,
        method=method,
        score=score,
        confirmed_by=row["curatorName"].value if decided and "curatorName" in row else None,
        confirmed_at=row["decided"].value if decided else None,
    )


@dataclass(frozen=True)
class ThemeTrust:
    """Which themes a theme question counts. A curated or confirmed theme always counts; a
    proposed one counts unless `confirmed_only`, and only when its score is at least `min_score`."""

    min_score: float | None = None
    confirmed_only: bool = False

    def __post_init__(self) -> None:
        if self.min_score is not None and not 0 <= self.min_score <= 1:
            raise InvalidInput(f"min_score is a tagger's score, from 0 to 1; {self.min_score} is not.")

    @property
    def key(self) -> tuple[float | None, bool]:
        """What tells one filter from another in the keys of kept values."""
        return (self.min_score, self.confirmed_only)

    def question(self, on_theme: str) -> str:
        """The named query that asks `on_theme` (findings_on_theme, recommendations_on_theme) under
        this filter: itself when every theme counts, else its `_on_counted_theme` twin, which joins
        each theme's machine assignment (a cost the unfiltered question need not pay)."""
        return on_theme if self == EVERY_THEME else on_theme.replace("_on_theme", "_on_counted_theme")

    def bound(self) -> dict[str, Term]:
        """The terms findings_on_counted_theme.rq and recommendations_on_counted_theme.rq bind (with VALUES) as
        ?minScore and ?confirmedOnly (a plain "true" or "false": engines read a boolean differently);
        nothing when every theme counts, so that the unfiltered question is asked as before."""
        if self == EVERY_THEME:
            return {}
        return {
            "minScore": Literal(f"{self.min_score or 0.0:f}", datatype=_XSD_DECIMAL),
            "confirmedOnly": Literal("true" if self.confirmed_only else "false"),
        }

    def counting(self, query: str) -> str:
        """`query` (a counting query's text, holding COUNTED_TAGS_MARKER) counting only the tags this
        filter counts: the marker replaced by COUNTED_TAGS, ?minScore and ?confirmedOnly bound. The
        text as it was when every theme counts, so that the unfiltered question costs no more."""
        if self == EVERY_THEME:
            return query
        if COUNTED_TAGS_MARKER not in query:
            raise ValueError("This query has no place for a theme filter (COUNTED_TAGS_MARKER).")
        filtered = query.replace(COUNTED_TAGS_MARKER, COUNTED_TAGS)
        return bind_values(filtered, {name: [term] for name, term in self.bound().items()})

    def describe(self) -> str:
        """What this filter counts, in words, for an answer to say how it was read."""
        if self.confirmed_only:
            return "counting only themes stated by a review's curators or confirmed by a curator"
        if self.min_score:
            return f"counting curated and confirmed themes, and proposed ones scoring at least {self.min_score:g}"
        return ""


EVERY_THEME = ThemeTrust()
"""Every theme counts, whoever gave it and whatever its score."""
