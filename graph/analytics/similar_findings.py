"""Findings of different reviews that say the same thing, found by the likeness of their words,
proposed for a curator to confirm or reject (graph.analytics.finding_links stores the decisions).

Each finding's words are its label, its description and the exact words (or paraphrase) of its
excerpts. They are weighed with TF-IDF (scikit-learn's TfidfVectorizer: common English words
left out, a word's weight growing with the log of its count, rare words counting more) and two
findings' likeness is the cosine of their weight vectors, from 0 (no word shared) to 1.

A proposal pairs findings of different reviews scoring at least `similar_findings_min_score`;
each finding keeps only its `similar_findings_per_finding` best, so a finding with many near
copies does not flood the list. Pairs a curator has confirmed or rejected are not proposed again.

The similarities are one sparse product that keeps only each finding's best (sparse_dot_topn),
so memory stays in proportion to the findings, never a findings × findings matrix. The result is
kept until a write changes the store (any graph but the load catalogue and the graphs of finding
links), and worked out again on the next request. scikit-learn and sparse_dot_topn are imported
on the first build (about 100 MB and 1–2 s), so a command that never compares pays nothing for
them; a server imports them in the background as it starts (`import_in_background`), so that the
first visitor to the similar findings does not wait for the import (1.2 s of the page's 1.3 s on
the curated reviews).
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from pyoxigraph import DefaultGraph, NamedNode
from scipy import sparse

from graph.analytics.finding_links import decided_pairs, is_link_graph
from graph.answers.questions import Ref, described, ref, resource_iri, row_ref, value
from graph.store import catalog
from graph.store.config import Settings
from graph.store.errors import InvalidInput
from graph.store.knowledge_store import KnowledgeStore, Row
from graph.store.queries import named_query

SHARED_WORDS = 8
"""Most shared words a proposal shows, the heaviest first."""
_ROUNDING = 1e-6
"""Scores are single-precision: a pair at the floor may come out a hair below it."""


@dataclass(frozen=True)
class FindingText:
    """A finding as the comparison reads it: its label, description and first excerpt."""

    iri: str
    id: str
    label: str
    text: str | None
    quote: str | None
    verbatim: bool
    review: Ref


@dataclass(frozen=True)
class Proposal:
    """Two findings of different reviews whose words are alike, with the words they share."""

    finding: FindingText
    other: FindingText
    score: float
    shared_words: list[str]


@dataclass(frozen=True)
class _Index:
    findings: list[FindingText]
    positions: dict[str, int]
    matrix: sparse.csr_matrix
    words: np.ndarray
    pairs: list[tuple[int, int, float]]
    """Proposed pairs (row, row, score), the best first."""


class SimilarFindings:
    """The proposals of one store, worked out on first use and again after the store changes.
    Thread-safe; `builds` counts how often the similarities were worked out."""

    def __init__(self, store: KnowledgeStore, *, min_score: float, per_finding: int) -> None:
        self.store = store
        self.min_score = min_score
        self.per_finding = per_finding
        self.builds = 0
        self._changes = 0
        self._counter_lock = threading.Lock()
        self._build_lock = threading.Lock()
        self._index: tuple[int, _Index] | None = None

    @classmethod
    def following(cls, store: KnowledgeStore, settings: Settings) -> SimilarFindings:
        """The proposals of `store` with the settings' floor and cut, kept in step with its writes."""
        proposals = cls(
            store, min_score=settings.similar_findings_min_score, per_finding=settings.similar_findings_per_finding
        )
        store.on_change(proposals.on_change)
        return proposals

    @staticmethod
    def import_in_background() -> threading.Thread:
        """Import the libraries the comparison uses in a thread of its own, and return it."""
        thread = threading.Thread(target=_import_libraries, name="lrkg-import-similarity", daemon=True)
        thread.start()
        return thread

    def on_change(self, store: KnowledgeStore, graphs: frozenset[NamedNode | DefaultGraph]) -> None:
        """The store's change listener: a change to any graph but the catalogue and the finding
        links' graphs means the similarities are worked out again on the next request."""
        if any(isinstance(g, NamedNode) and g != catalog.CATALOG and not is_link_graph(g) for g in graphs):
            with self._counter_lock:
                self._changes += 1

    def _current(self) -> _Index:
        with self._build_lock:
            with self._counter_lock:
                changes = self._changes
            if self._index is None or self._index[0] != changes:
                self._index = (changes, _build(self.store, self.min_score, self.per_finding))
                self.builds += 1
            return self._index[1]

    def proposals(
        self, *, review: str | None = None, min_score: float | None = None, limit: int | None = None
    ) -> list[Proposal]:
        """The proposed pairs, the most alike first: only those scoring `min_score` or more (never
        less than the floor), with a finding of `review` if one is given, at most `limit`."""
        floor = self.min_score if min_score is None else min_score
        if floor < self.min_score:
            raise InvalidInput(
                f"min_score {floor:g} is below {self.min_score:g}, the least score proposals are kept for here "
                "(LRKG_SIMILAR_FINDINGS_MIN_SCORE); ask for that or more."
            )
        if floor > 1:
            raise InvalidInput(f"min_score {floor:g} is above 1, the most two findings can score.")
        wanted = described(self.store, resource_iri("review", review), "review").value if review else None
        index = self._current()
        decided = decided_pairs(self.store)
        found = []
        for a, b, score in index.pairs:
            if score < floor:
                break
            first, second = index.findings[a], index.findings[b]
            if frozenset((first.iri, second.iri)) in decided:
                continue
            if wanted and wanted not in (first.review.iri, second.review.iri):
                continue
            if wanted and second.review.iri == wanted:
                first, second = second, first
            found.append(Proposal(first, second, score, _shared_words(index, a, b)))
            if limit is not None and len(found) >= limit:
                break
        return found

    def score(self, finding: str, other: str) -> float:
        """How alike two findings' words are now (0 when either has no words to compare)."""
        index = self._current()
        a, b = index.positions.get(finding), index.positions.get(other)
        if a is None or b is None:
            return 0.0
        return _rounded(float(index.matrix[a].multiply(index.matrix[b]).sum()))


def finding_texts(store: KnowledgeStore) -> list[tuple[FindingText, str]]:
    """Every finding with the words it is compared by (its label, description and the words of
    every excerpt), in IRI order."""
    heads: dict[str, Row] = {}
    quotes: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for row in store.select(named_query("similar_findings_texts").text):
        iri = row["finding"].value
        heads.setdefault(iri, row)
        for name, verbatim in (("exact", True), ("paraphrase", False)):
            if name in row and (row[name].value, verbatim) not in quotes[iri]:
                quotes[iri].append((row[name].value, verbatim))
    texts = []
    for iri, head in heads.items():
        shown = sorted(quotes[iri], key=lambda q: not q[1])[:1]  # exact words before a paraphrase
        finding = FindingText(
            iri=iri,
            id=ref(iri).id,
            label=head["label"].value,
            text=value(head, "text"),
            quote=shown[0][0] if shown else None,
            verbatim=bool(shown) and shown[0][1],
            review=row_ref(head, "review", "reviewLabel"),
        )
        texts.append((finding, " ".join([finding.label, finding.text or "", *(q for q, _ in quotes[iri])])))
    return texts


def _import_libraries() -> None:
    import sklearn.feature_extraction.text  # noqa: F401  (see the module's description)
    import sparse_dot_topn  # noqa: F401


def _build(store: KnowledgeStore, min_score: float, per_finding: int) -> _Index:
    from sklearn.feature_extraction.text import TfidfVectorizer  # on first use: see the module's description

    read = finding_texts(store)
    findings = [finding for finding, _ in read]
    positions = {f.iri: i for i, f in enumerate(findings)}
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, strip_accents="unicode", dtype=np.float32)
    try:
        matrix = vectorizer.fit_transform([words for _, words in read]).tocsr()
    except ValueError:  # no finding has a word that is not a stop word
        return _Index(findings, positions, sparse.csr_matrix((len(findings), 0), dtype=np.float32), np.array([]), [])
    _, reviews = np.unique([f.review.iri for f in findings], return_inverse=True)
    pairs = _best_pairs(matrix, reviews, min_score, per_finding)
    return _Index(findings, positions, matrix, vectorizer.get_feature_names_out(), pairs)


def _best_pairs(
    matrix: sparse.csr_matrix, reviews: np.ndarray, floor: float, per_finding: int
) -> list[tuple[int, int, float]]:
    """Each finding's best `per_finding` findings of other reviews scoring `floor` or more, as
    pairs (lower row, higher row, score), the best first.

    One sparse product keeps only each row's best (sparse_dot_topn: never a findings × findings
    matrix). Findings of one review are kept apart inside the product: each row carries its
    review as one more column, 1 on the left and -1 on the right, so two findings of one review
    (or a finding and itself) score their cosine minus 1, below any floor."""
    from sparse_dot_topn import sp_matmul_topn  # on first use: see the module's description

    count = matrix.shape[0]
    if count == 0:
        return []
    own_review = sparse.csr_matrix(
        (np.ones(count, dtype=matrix.dtype), (np.arange(count), reviews)), shape=(count, int(reviews.max()) + 1)
    )
    left = sparse.hstack([matrix, own_review], format="csr")
    right = sparse.hstack([matrix, -own_review], format="csr").T.tocsr()
    best = sp_matmul_topn(left, right, top_n=per_finding, threshold=floor - _ROUNDING).tocoo()
    low = np.minimum(best.row, best.col).astype(np.int64)
    high = np.maximum(best.row, best.col).astype(np.int64)
    keys, where = np.unique(low * count + high, return_index=True)
    pairs = [(int(k // count), int(k % count), _rounded(float(best.data[w]))) for k, w in zip(keys, where)]
    return sorted(pairs, key=lambda p: (-p[2], p[0], p[1]))


def _shared_words(index: _Index, a: int, b: int) -> list[str]:
    both = index.matrix[a].multiply(index.matrix[b]).tocoo()
    heaviest = np.argsort(-both.data, kind="stable")[:SHARED_WORDS]
    return [str(index.words[both.col[i]]) for i in heaviest]


def _rounded(score: float) -> float:
    return round(min(max(score, 0.0), 1.0), 4)
