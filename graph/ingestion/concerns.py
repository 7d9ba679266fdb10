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
    (re.compile(_BEFORE + r"\(\.(?P<n>\d{1,2})\)\s", re.MULTILINE), int),
    (re.compile(_BEFORE + r"(?P<n>\d{1,2})[.)]\s", re.MULTILINE), int),
    (re.compile(_BEFORE + r"\(?(?P<n>[a-h])[.)]\s", re.MULTILINE), lambda m: ord(m) - ord("a") + 1),
    (re.compile(_BEFORE + r"\(?(?P<n>i{1,3}|iv|vi{0,3}|ix|x)[.)]\s", re.MULTILINE), lambda m: _ROMAN.index(m) + 1),
    # capital letters only at the start of a line, where "A." cannot be an initial in a sentence
    (re.compile(r"^[ \t]*\(?(?P<n>[A-H])[.)][ \t]+", re.MULTILINE), lambda m: ord(m) - ord("a") + 1),
)

_BULLET = re.compile(r"^(?P<indent>[ \t]*)[•●▪◦·\-–*][ \t]+", re.MULTILINE)

# A heading that names whom the next matters are addressed to ("To the Secretary of State for
# Health", "Black Country Healthcare NHS Foundation Trust"): a short paragraph of its own with
# no full stop, at the end of the item before it, or a "To ..." line at the start of an item.
_TRAILING_HEADING = re.compile(r"\n[ \t]*\n[ \t]*(?P<heading>[^\n]{1,150})\s*$")
_LEADING_ADDRESSEE = re.compile(r"^To:?[ \t]+[^\n.;]{1,150}\n")
_HEADING_WORDS = 15

# A statement of fact about the death, not a concern ("On 3 May 2021 he died at home.").
_BARE_FACT = re.compile(
    r"^On\s+(?:the\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?[A-Z][a-z]+|[A-Z][a-z]+\s+\d{1,2}(?:st|nd|rd|th)?,?)"
    r"\s+\d{4},?\s+[^.]{0,200}?\b(?:died|death|passed\s+away|was\s+pronounced)\b[^.]*\.?$"
)

# A bulleted list whose every item is a short line with a figure in it is a list of statistics
# supporting one matter, not a list of matters.
_STATISTIC_WORDS = 30

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
    bullets = list(_BULLET.finditer(body))
    outermost = min((len(b.group("indent").expandtabs()) for b in bullets), default=0)
    items = [(b.start(), b.end()) for b in bullets if len(b.group("indent").expandtabs()) == outermost]
    if len(items) >= 2 and not _statistics(body, items):
        return _slices(body, items)
    stripped = body.strip()
    return [stripped] if stripped else []


def _after_heading(text: str) -> str:
    """The text after a MATTERS OF CONCERN heading, or all of it when there is none."""
    heading = _HEADING.search(text)
    return text[heading.end():] if heading else text


def _run_of_markers(text: str, style: re.Pattern[str], position: Callable[[str], int]) -> list[tuple[int, int]]:
    """(start of marker, start of item) for the markers that run 1, 2, 3 ... in order."""
    found: list[tuple[int, int]] = []
    in_run = 0
    for match in style.finditer(text):
        number = position(match.group("n").lower())
        # a new run from 1 after one of two or more items: sections ("A. To the Trust", "B. To
        # the Secretary of State") that each number their matters from 1
        if number == in_run + 1 or (number == 1 and in_run >= 2):
            in_run = number
            found.append((match.start(), match.end()))
    return found


def _slices(text: str, items: list[tuple[int, int]]) -> list[str]:
    lead_in = text[: items[0][0]].strip()
    matters = [lead_in] if _raises_a_matter(lead_in) else []
    ends = [start for start, _ in items[1:]] + [len(text)]
    matters.extend(_without_headings(text[begin:end].strip()) for (_, begin), end in zip(items, ends))
    matters = [matter for matter in matters if matter]
    facts = [m for m in matters if _BARE_FACT.match(m)]
    return [m for m in matters if m not in facts] if len(facts) < len(matters) else matters


def _without_headings(item: str) -> str:
    """An item without the addressee headings around it (still an exact slice of the text)."""
    while (trailing := _TRAILING_HEADING.search(item)) and _is_heading(trailing.group("heading")):
        item = item[: trailing.start()].rstrip()
    if (leading := _LEADING_ADDRESSEE.match(item)) and item[leading.end():].strip():
        item = item[leading.end():].strip()
    return "" if _LEADING_ADDRESSEE.match(item + "\n") and _is_heading(item) else item


def _is_heading(line: str) -> bool:
    line = line.strip()
    return len(line.split()) <= _HEADING_WORDS and not line.endswith((".", ";", ":", "!", "?", '"', "”", ")"))


def _statistics(text: str, items: list[tuple[int, int]]) -> bool:
    ends = [start for start, _ in items[1:]] + [len(text)]
    lines = [text[begin:end].strip() for (_, begin), end in zip(items, ends)]
    return all(re.search(r"\d", line) and len(line.split()) <= _STATISTIC_WORDS for line in lines)


def _raises_a_matter(lead_in: str) -> bool:
    if _is_heading(lead_in):
        return False
    words = len(lead_in.split())
    introduces = lead_in.endswith((":", "-", "–", "—"))
    return words > _LONG_LEAD_IN_WORDS or (words >= _LEAD_IN_WORDS and not introduces)
