"""Themes for a text from a model trained on labelled examples, with the rules where it knows nothing.

`LearnedTagger` learns one logistic regression per theme over TF-IDF features of the words
(stemmed as the rules stem them) and word pairs of labelled examples
(`graph.ingestion.theme_examples`). A theme counts as positive for an example that is labelled
with it or with any narrower theme, so that the broad themes learn from all their children.

* Themes with enough examples (`MIN_POSITIVES`) are scored by their model. Themes with too
  few are scored by the rules (`RulesTagger`), so that a curated Prevent theme is still found.
* Scores are calibrated so that a threshold means the same for every theme: each model's
  probability is mapped so that its best cut (the threshold with the best F1 in
  cross-validation over the training examples) becomes `CUT_SCORE`, the rules' threshold.
* It chooses the narrowest theme the text supports: of the themes scoring at least
  `min_score`, a broader one is left out when a narrower one is in.
* When no theme reaches `min_score`, it gives the best one if it scores at least `WEAK_SCORE`
  (its score says how weak), and otherwise abstains: the importer then records "Not yet
  classified" rather than a guess.

Training takes a second or two at start-up, on the examples shipped with the package, so the
model is never stored as a pickle and always matches the examples in the repository.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import pairwise
from pathlib import Path

import numpy as np
from scipy.sparse import spmatrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from graph.ingestion.tagging import (
    RINGS,
    RulesTagger,
    SchemeTheme,
    ThemeProposal,
    load_scheme,
    sentences,
    stem,
    words,
)
from graph.ingestion.theme_examples import Example, training_examples

METHOD = "tfidf-logreg-v4+rules-v1"
"""Name and version of the learned tagger; change it whenever what it proposes changes."""

MIN_POSITIVES = 8
"""Fewest positive examples a theme needs to be scored by its own model, not by the rules."""

CUT_SCORE = 0.7
"""The score every theme's best cut maps to: the rules' own threshold (the default
`tagging_min_score`), so that one threshold means the same for learned and rule-scored themes."""

_TELLING = frozenset(stem(w) for w in (*RINGS[0], "share", "pass", "handover", "radio", "message", "letter",
                                        "phone", "telephone", "email", "call", "listen", "hear", "involve", "consult"))
_FAMILY = frozenset(stem(w) for w in RINGS[1])

GATES: dict[str, frozenset[str]] = {
    "communication": _TELLING | _FAMILY,
    "communication-with-family": _FAMILY,
}
"""Themes (with the themes under them) that may be proposed only when the text names what the
theme is about: communication needs a word of telling, sharing or hearing (or a family member),
a theme about the family needs a family member. The screening's labels marked most
mental-health reports as failing the family, so a model alone also learns "mental health" for
"family" and for "communication"; where a gate is shut the score is capped at `GATED_SCORE`."""

GATED_SCORE = 0.5

WEAK_SCORE = 0.55
"""The least score of the one theme given when none reaches the threshold: above a gated score,
as much as a one-word label of the scheme found in the text."""

_C = 4.0  # inverse regularisation strength of each theme's model
_FOLDS = 5  # folds of the cross-validation that chooses each theme's threshold
_CUTS = np.arange(0.3, 0.9, 0.05)  # the thresholds it chooses from (lower ones overfit short examples)
_LEAST_SCORE = 0.05  # scores below this are not worth keeping at all


def _analyse(text: str) -> list[str]:
    """Stemmed words and adjacent word pairs of each sentence, framing phrases left out."""
    found: list[str] = []
    for stems in sentences(text):
        found += stems
        found += [f"{a} {b}" for a, b in pairwise(stems)]
    return found


class LearnedTagger:
    """A TF-IDF + logistic-regression model per theme, and the rules for the themes it cannot learn."""

    method = METHOD

    def __init__(self, themes: Sequence[SchemeTheme], examples: Sequence[Example]) -> None:
        self.themes = {theme.iri: theme for theme in themes}
        by_id = {iri.rsplit("/", 1)[1]: iri for iri in self.themes}
        labels = [self._with_ancestors(by_id[t] for t in e.themes if t in by_id) for e in examples]
        positives = {iri: sum(iri in found for found in labels) for iri in self.themes}
        self.learned = sorted(iri for iri, n in positives.items() if MIN_POSITIVES <= n < len(examples))
        learned = set(self.learned)
        self.rules = RulesTagger([t for t in themes if t.iri not in learned])
        self._vectoriser = TfidfVectorizer(analyzer=_analyse, sublinear_tf=True, min_df=2)
        features = self._vectoriser.fit_transform([e.text for e in examples])
        weights, biases, thresholds = [], [], []
        for iri in self.learned:
            target = np.array([iri in found for found in labels])
            coefficients, bias = _fit(features, target)
            weights.append(coefficients)
            biases.append(bias)
            thresholds.append(_best_threshold(features, target))
        self._weights = np.array(weights).T if weights else np.zeros((features.shape[1], 0))
        self._biases = np.array(biases)
        self.thresholds = dict(zip(self.learned, thresholds))  # each model's probability that scores CUT_SCORE
        self._cuts = np.array(thresholds)
        gated = {by_id[t]: stems for t, stems in GATES.items() if t in by_id}
        self._gates = {
            iri: [stems for gate, stems in gated.items() if iri == gate or gate in self.themes[iri].ancestors]
            for iri in self.themes
        }

    def _with_ancestors(self, iris: Iterable[str]) -> set[str]:
        return {found for iri in iris for found in (iri, *self.themes[iri].ancestors)}

    @classmethod
    def from_ontology(cls, ontology_dir: Path) -> LearnedTagger:
        """The tagger trained on the examples shipped with the package."""
        return cls(load_scheme(ontology_dir), training_examples())

    def scores_many(self, texts: Sequence[str]) -> list[dict[str, ThemeProposal]]:
        """Every theme with any evidence in each text: the model's probability for the themes it
        learned, the rules' score for the others. Scoring texts together is much faster."""
        if not texts:
            return []
        logits = self._vectoriser.transform(texts) @ self._weights + self._biases
        scores = _rescale(1.0 / (1.0 + np.exp(-logits)), self._cuts)
        results = []
        for text, row in zip(texts, scores):
            present = set(words(text))
            found: dict[str, ThemeProposal] = {}
            for iri, score in zip(self.learned, row.tolist()):
                if score >= _LEAST_SCORE:
                    found[iri] = ThemeProposal(iri, round(self._gated(iri, score, present), 3), "model", score)
            for iri, proposal in self.rules.scores(text).items():
                score = self._gated(iri, proposal.score, present)
                found[iri] = ThemeProposal(iri, round(score, 3), proposal.evidence, proposal.strongest)
            results.append(found)
        return results

    def _gated(self, iri: str, score: float, present: set[str]) -> float:
        """`score`, capped at `GATED_SCORE` when the text lacks the words a gate of the theme needs."""
        shut = any(stems.isdisjoint(present) for stems in self._gates.get(iri, ()))
        return min(score, GATED_SCORE) if shut else score

    def scores(self, text: str) -> dict[str, ThemeProposal]:
        return self.scores_many([text])[0]

    def propose(self, text: str, min_score: float, max_themes: int) -> list[ThemeProposal]:
        """The narrowest themes for `text` scoring at least `min_score`, best first, at most `max_themes`."""
        return choose(self.scores(text), self.themes, min_score, max_themes)

    def propose_many(self, texts: Sequence[str], min_score: float, max_themes: int) -> list[list[ThemeProposal]]:
        return [choose(s, self.themes, min_score, max_themes) for s in self.scores_many(texts)]


def _fit(features: spmatrix, target: np.ndarray) -> tuple[np.ndarray, float]:
    model = LogisticRegression(C=_C, class_weight="balanced", solver="liblinear").fit(features, target)
    return model.coef_[0], float(model.intercept_[0])


def _best_threshold(features: spmatrix, target: np.ndarray) -> float:
    """The probability above which the theme is best proposed (F1, out of fold)."""
    folds = StratifiedKFold(n_splits=min(_FOLDS, int(target.sum())), shuffle=True, random_state=0)
    model = LogisticRegression(C=_C, class_weight="balanced", solver="liblinear")
    out_of_fold = cross_val_predict(model, features, target, cv=folds, method="predict_proba")[:, 1]
    f1 = [2 * (target & (out_of_fold >= cut)).sum() / ((out_of_fold >= cut).sum() + target.sum()) for cut in _CUTS]
    return float(_CUTS[int(np.argmax(f1))])


def _rescale(probabilities: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """Probabilities mapped piecewise-linearly so that each theme's best cut becomes `CUT_SCORE`."""
    below = CUT_SCORE * probabilities / cuts
    above = CUT_SCORE + (1.0 - CUT_SCORE) * (probabilities - cuts) / (1.0 - cuts)
    return np.where(probabilities < cuts, below, above)


def choose(
    scores: Mapping[str, ThemeProposal], themes: Mapping[str, SchemeTheme], min_score: float, max_themes: int
) -> list[ThemeProposal]:
    """The narrowest themes scoring at least `min_score`; when there is none, the one best theme
    scoring at least `WEAK_SCORE` (a label of the scheme named outright, say "training"), its
    lower score recorded, so that a plainly worded finding is not left unclassified."""
    return narrowest(scores, themes, min_score, max_themes) or narrowest(scores, themes, min(min_score, WEAK_SCORE), 1)


def narrowest(
    scores: Mapping[str, ThemeProposal], themes: Mapping[str, SchemeTheme], min_score: float, max_themes: int
) -> list[ThemeProposal]:
    """The proposals scoring at least `min_score` that no narrower proposal above the threshold
    implies, best first, at most `max_themes`."""
    kept = [p for p in scores.values() if p.score >= min_score]
    implied = {a for p in kept for a in themes[p.theme].ancestors}
    return sorted((p for p in kept if p.theme not in implied), key=lambda p: (-p.score, p.theme))[:max_themes]

