"""A starting mapping for a tracker nobody has mapped yet, from its header and a sample of
its values (`lrkg import-csv --suggest-mapping FILE.csv`).

Each field is given the column whose name says it holds that field ("Rec no." for
`recommendation_id`, "Addressee" for `recipients`), each column used once; the recommendation
text is the column so named, else the one with the longest values. The date formats are
those every sampled date of the date columns is written in; a column of yes/no values is
offered as a theme flag; the statuses and review kinds the sample holds are listed, those the
schemes know already mapped and the others left as comments to fill in. The result is
meant to be read and edited, then checked with `--dry-run`: a guess is marked as one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import datetime

import yaml

from graph.ingestion.csv_table import Table
from graph.ingestion.tracker import FLAG_SET, FLAG_UNSET
from graph.ingestion.tracker_mapping import ntsb_modes, words
from graph.vocabulary.schemes import Resolved, Schemes

SAMPLE_ROWS = 500
"""How many rows are looked at for values."""
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %B %Y", "%d %b %Y",
                "%B %d, %Y", "%d/%m/%y")
"""The date formats a sample is tried against, the commonest first."""

# Field -> what a column that holds it is called, tried in order; the first field to claim a
# column keeps it.
_NAMES: tuple[tuple[str, str], ...] = (
    ("review_url", r"\b(url|link|web ?page|web ?address|hyperlink)\b"),
    ("recommendation_id", r"\b(rec(ommendation)?s?)\.? ?(id|no|number|ref(erence)?|#)\b"),
    ("recommendation_title", r"\b(rec(ommendation)?)\.? ?(title|summary|heading|short)"),
    ("recommendation_date", r"\b(rec(ommendation)?)\.? ?(date|issued|made)|\b(made|issued)( on| date)?\b"),
    ("response_due", r"\b(due|deadline|target date|respond by)\b"),
    ("response_date", r"\b(response|reply|status|update|answer)\.? ?(date|on|received)|\bas at\b"),
    ("response_status", r"\b(status|progress|state|rating|classification)\b"),
    ("response_text", r"\b(response|reply|answer|update|comments?)\b"),
    ("review_title", r"\b(report|review|inquiry|investigation|case)\.? ?(title|name)\b|^title$"),
    ("review_date", r"\b(report|review|publication|published|inquiry)\.? ?(date|on)\b|^published$|^date$"),
    ("review_kind", r"\b(kind|type|category)\b"),
    ("review_publisher", r"\b(publisher|published by|author|body|agency)\b"),
    ("review_id", r"\b(report|review|inquiry|investigation|case)\.? ?(id|no|number|ref(erence)?|#)?\b"),
    ("recipients", r"\b(addressee|recipient|sent to|addressed to|to whom|owner|responsible|directed to|for)\b"),
    ("recommendation_text", r"\b(recommendation|rec|action|what we recommend)s?\b"),
)


def suggest_mapping(table: Table, schemes: Schemes, title: str, ntsb: dict[str, str]) -> str:
    """A mapping for `table` as YAML, with comments saying what was guessed and what to check."""
    sample = table.records[:SAMPLE_ROWS]
    values = {column: [r.values.get(column, "").strip() for r in sample] for column in table.columns}
    flags = [c for c in table.columns if _is_flag(values[c])]
    chosen: dict[str, str] = {}
    for field_name, pattern in _NAMES:
        for column in table.columns:
            if column in chosen.values() or column in flags or field_name in chosen:
                continue
            if re.search(pattern, column.lower()):
                chosen[field_name] = column
    if "recommendation_text" not in chosen:
        free = [c for c in table.columns if c not in chosen.values() and c not in flags]
        if free:
            chosen["recommendation_text"] = max(free, key=lambda c: sum(map(len, values[c])))
    dated = [chosen[f] for f in ("review_date", "recommendation_date", "response_date", "response_due") if f in chosen]
    formats = _date_formats([v for c in dated for v in values[c] if v])
    mapping: dict[str, object] = {"tracker": {"title": title}}
    if "review_kind" not in chosen:
        mapping["review_kind"] = "independent-review"
    mapping["columns"] = {f: chosen[f] for f, _ in sorted(_NAMES, key=lambda item: _ORDER.index(item[0]))
                          if f in chosen}
    if formats:
        mapping["dates"] = list(formats)
    if table.encoding_detected:
        mapping["encoding"] = table.encoding
    text = yaml.safe_dump(mapping, sort_keys=False, allow_unicode=True, width=110)
    statuses = values.get(chosen.get("response_status", ""), [])
    text += _concepts("statuses", [v for v in statuses if words(v) not in ntsb], schemes.statuses.resolve)
    kinds, modes = values.get(chosen.get("review_kind", ""), []), ntsb_modes(schemes.ontology_dir)
    text += _concepts("review_kinds", [v for v in kinds if words(v) not in modes], schemes.review_kinds.resolve)
    text += _themes(flags, schemes)
    used = set(chosen.values()) | set(flags)
    notes = [c for c in table.columns if c not in used]
    return _heading(table, notes, "review_kind" not in chosen) + text


_ORDER = ("review_id", "review_title", "review_kind", "review_date", "review_publisher", "review_url",
          "recommendation_id", "recommendation_title", "recommendation_text", "recommendation_date", "recipients",
          "response_status", "response_date", "response_text", "response_due")


def _is_flag(values: list[str]) -> bool:
    seen = {v.lower() for v in values}
    return bool(seen & FLAG_SET) and seen <= FLAG_SET | FLAG_UNSET and not seen <= {"", "1", "0"}


def _date_formats(values: list[str]) -> tuple[str, ...]:
    """The fewest formats (commonest first) that read every sampled date; none when some cannot be read."""
    needed: Counter[str] = Counter()
    for value in values:
        fitting = next((f for f in DATE_FORMATS if _parses(value, f)), None)
        if fitting is None:
            return ()
        needed[fitting] += 1
    return tuple(f for f, _ in needed.most_common() if f != "%Y-%m-%d")


def _parses(value: str, pattern: str) -> bool:
    try:
        datetime.strptime(value, pattern)
    except ValueError:
        return False
    return True


def _concepts(key: str, values: list[str], resolve: Callable[[str], Resolved]) -> str:
    """The distinct values of a column under `key`, mapped where the scheme knows them (NTSB
    wordings and modes that name one concept need no entry and are left out before)."""
    distinct = sorted({v for v in values if v}, key=words)
    if not distinct:
        return ""
    lines = [f"{key}:"]
    for value in distinct:
        resolved = resolve(value)
        if resolved.concept is not None:
            lines.append(f"  {yaml.safe_dump(value).strip().removesuffix('...').strip()}: {resolved.concept.id}")
        else:
            hint = f" (closest: {', '.join(resolved.closest)})" if resolved.closest else ""
            lines.append(f"  # {value}: ?   <- say which one{hint}")
    return "\n".join(lines) + "\n"


def _themes(flags: list[str], schemes: Schemes) -> str:
    if not flags:
        return ""
    lines = ["themes:   # columns of yes/no flags: column -> theme (ontology/themes.ttl)"]
    for column in flags:
        resolved = schemes.themes.resolve(column)
        theme = resolved.concept.id if resolved.concept else None
        lines.append(f"  {column}: {theme}" if theme else f"  # {column}: ?   <- which theme does it flag?")
    return "\n".join(lines) + "\n"


def _heading(table: Table, notes: list[str], no_kind: bool) -> str:
    lines = [
        f"# A starting mapping for {table.file}, guessed from its header and {min(len(table.records), SAMPLE_ROWS)} "
        "row(s) by `lrkg import-csv --suggest-mapping`.",
        "# Check every column below, fill in what is marked '?', then run `lrkg import-csv FILE --mapping THIS "
        "--dry-run`.",
    ]
    if no_kind:
        lines.append("# review_kind is a guess: choose the kind of every review (see the review kinds in ontology/lrkg.ttl).")
    if notes:
        lines.append("# Columns not mapped, to be kept as notes (list any to drop under `ignore:`): "
                     + ", ".join(repr(c) for c in notes))
    return "\n".join(lines) + "\n"
