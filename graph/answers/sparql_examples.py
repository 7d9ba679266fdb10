"""The example questions of the SPARQL page: `graph/queries/examples/*.rq`, grouped.

These are the questions an analyst asks, written to be read and changed, not the named queries
behind lrkg's own answers (`graph/queries/*.rq`), which carry engine workarounds and parameters.
Each file starts with three header lines:

    # Title: Findings by theme
    # Group: Findings
    # Description: How many findings each theme holds …

A file without all three fails at once (`InvalidExample`), so a new example cannot appear on the
page untitled or ungrouped.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from graph.store.queries import QUERY_DIR

EXAMPLE_DIR = QUERY_DIR / "examples"
GROUP_ORDER = ("Recommendations", "Findings", "Actors", "Themes", "Reviews and sources")
"""The order of the groups on the page; a group not named here comes after them, by name."""
HEADER_FIELDS = ("title", "group", "description")


class InvalidExample(ValueError):
    """An example file without its title, group or description."""


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    group: str
    description: str
    text: str


@dataclass(frozen=True)
class ExampleGroup:
    name: str
    examples: tuple[Example, ...]


def read_example(name: str, text: str) -> Example:
    """The example in `text` (the file `name`.rq), its header read; InvalidExample if it lacks a field."""
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, colon, value = line.lstrip("# ").partition(":")
        if colon and key.strip().lower() in HEADER_FIELDS:
            fields[key.strip().lower()] = value.strip()
    missing = [field for field in HEADER_FIELDS if not fields.get(field)]
    if missing:
        raise InvalidExample(f"{name}.rq has no {', '.join(missing)} line in its header (# Title: … / # Group: … / # Description: …)")
    return Example(name, fields["title"], fields["group"], fields["description"], text)


@cache
def example_groups() -> tuple[ExampleGroup, ...]:
    """Every example, grouped, the groups in `GROUP_ORDER` and the examples in file-name order (numbered)."""
    examples = [read_example(path.stem, path.read_text(encoding="utf-8")) for path in sorted(EXAMPLE_DIR.glob("*.rq"))]
    names = sorted({example.group for example in examples}, key=lambda group: (
        GROUP_ORDER.index(group) if group in GROUP_ORDER else len(GROUP_ORDER), group,
    ))
    return tuple(
        ExampleGroup(group, tuple(example for example in examples if example.group == group)) for group in names
    )
