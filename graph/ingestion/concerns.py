"""Splitting a coroner's matters of concern into separate matters.

A Prevention of Future Deaths report sets out its concerns as one block of text, usually
numbered: "(1) ... (2) ...", "1. ... 2. ...", "Concern 1 ... Concern 2 ...", lettered or
bulleted lists, often after a "MATTERS OF CONCERN" heading. Each matter becomes a finding of
its own (tagged with themes of its own), so the PFD importer and the tagging benchmark share
this split. Each matter is an exact slice of the source text, only stripped, so that it can
be quoted verbatim.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# The statutory heading and its usual lead-in ("The MATTERS OF CONCERN are as follows: -").
_HEADING = re.compile(r"MATTERS\s+OF\s+CONCERN\b(?:\s+(?:is|are)\s+as\s+follows)?(?:\s*[:.\-–—])*")

# A list marker stands at the start of a line, or after the end of a sentence on the same line.
_BEFORE = r"(?:^[ \t]*|(?<=[.:;!?\"”’)])[ \t]+)"

_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x")

# Each numbering style, most explicit first: a regex whose group "n" is the item's marker,
# and the position in the list that a marker stands for (1 for "1", "a" and "i").
_STYLES: tuple[tuple[re.Pattern[str], Callable[[str], int]], ...] = (
    (re.compile(_BEFORE + r"concern\s+(?:no\.?\s*)?(?P<n>\d{1,2})\b[ \t]*[:.\-–—]?", re.IGNORECASE | re.MULTILINE), int),
    (re.compile(_BEFORE + r"\((?P<n>\d{1,2})\)\s", re.MULTILINE), int),
    (re.compile(_BEFORE + r"(?P<n>\d{1,2})[.)]\s", re.MULTILINE), int),
    (re.compile(_BEFORE + r"\(?(?P<n>[a-h])[.)]\s", re.MULTILINE), lambda m: ord(m) - ord("a") + 1),
    (re.compile(_BEFORE + r"\(?(?P<n>i{1,3}|iv|vi{0,3}|ix|x)[.)]\s", re.MULTILINE), lambda m: _ROMAN.index(m) + 1),
)

_BULLET = re.compile(r"^[ \t]*[•●▪◦·\-–*][ \t]+", re.MULTILINE)

# Text before the first item that is this short, or ends with a colon or dash, introduces
# the list ("I am concerned that:") rather than raising a matter of its own.
_LEAD_IN_WORDS = 5
_LONG_LEAD_IN_WORDS = 12


def split_concerns(text: str) -> list[str]:
    """The separate matters of concern in `text`, in order; the whole text if it numbers none.

    A list counts only when its markers run 1, 2, 3 ... (or a, b, c ...; i, ii, iii ...) in
    order, so that a stray "(2)" in a citation does not split a matter, and the first style
    that gives two items wins, so that sub-items (i), (ii) stay inside their numbered matter.
    """
    body = _after_heading(text)
    for style, position in _STYLES:
        items = _run_of_markers(body, style, position)
        if len(items) >= 2:
            return _slices(body, items)
    bullets = [(match.start(), match.end()) for match in _BULLET.finditer(body)]
    if len(bullets) >= 2:
        return _slices(body, bullets)
    stripped = body.strip()
    return [stripped] if stripped else []


def _after_heading(text: str) -> str:
    """The text after a MATTERS OF CONCERN heading, or all of it when there is none."""
    heading = _HEADING.search(text)
    return text[heading.end():] if heading else text


def _run_of_markers(text: str, style: re.Pattern[str], position: Callable[[str], int]) -> list[tuple[int, int]]:
    """(start of marker, start of item) for the markers that run 1, 2, 3 ... in order."""
    found: list[tuple[int, int]] = []
    for match in style.finditer(text):
        if position(match.group("n").lower()) == len(found) + 1:
            found.append((match.start(), match.end()))
    return found


def _slices(text: str, items: list[tuple[int, int]]) -> list[str]:
    lead_in = text[: items[0][0]].strip()
    matters = [lead_in] if _raises_a_matter(lead_in) else []
    ends = [start for start, _ in items[1:]] + [len(text)]
    matters.extend(text[begin:end].strip() for (_, begin), end in zip(items, ends))
    return [matter for matter in matters if matter]


def _raises_a_matter(lead_in: str) -> bool:
    words = len(lead_in.split())
    introduces = lead_in.endswith((":", "-", "–", "—"))
    return words > _LONG_LEAD_IN_WORDS or (words >= _LEAD_IN_WORDS and not introduces)
