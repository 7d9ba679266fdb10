"""How names typed by a person are compared: one normal form for labels, synonyms and queries."""

from __future__ import annotations

import re


def normalise(text: str) -> str:
    """Lower case, words only, each word singular: 'Communication failures' -> 'communication failure'."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words)
