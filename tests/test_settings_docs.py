"""The defaults the guide gives for settings are the Settings class's own.

Every row of a table in README.md or docs/*.md whose first cell names `LRKG_…` settings is read:
each name must be a setting, and its default cell must say what the class says. `unset` means no
default (None); a default written as a code literal (`10`, `false`, `.lrkg/store`) must equal the
class's default. A cell that describes a default worked out at start (`search.sqlite` beside the
store folder, the query URL, `data/` of the checkout) is not a literal and is left to the prose.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph.store.config import Settings
from tests.conftest import PROJECT_ROOT

PAGES = [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").glob("*.md"))]
ROW = re.compile(r"^\|(?P<names>[^|]*`LRKG_[A-Z_]+`[^|]*)\|(?P<default>[^|]*)\|", re.MULTILINE)
LITERAL = re.compile(r"^`(?P<value>[^`]+)`(?P<rest>.*)$")
UNSET = "unset"


def documented_defaults() -> list[tuple[str, str, str]]:
    """(page, setting name, default cell) for every settings row of the guide."""
    rows = []
    for page in PAGES:
        for match in ROW.finditer(page.read_text(encoding="utf-8")):
            for name in re.findall(r"`LRKG_([A-Z_]+)`", match["names"]):
                rows.append((page.name, name.lower(), match["default"].strip()))
    return rows


ROWS = documented_defaults()


def _same(documented: str, default: object) -> bool:
    if isinstance(default, bool):
        return documented.lower() == str(default).lower()
    if isinstance(default, (int, float)):
        return float(documented.replace(",", "").replace("_", "")) == float(default)
    if isinstance(default, Path):  # a folder of the package is documented relative to it
        return Path(documented) == default or default.as_posix().endswith("/" + documented.strip("/"))
    return documented == str(default)


def test_the_guide_has_a_settings_table() -> None:
    assert len({name for _, name, _ in ROWS}) >= 20


@pytest.mark.parametrize(("page", "name", "cell"), ROWS, ids=[f"{page}:{name}" for page, name, _ in ROWS])
def test_a_documented_default_is_the_settings_default(page: str, name: str, cell: str) -> None:
    assert name in Settings.model_fields, f"{page} documents LRKG_{name.upper()}, which is not a setting"
    default = Settings.model_fields[name].default
    if cell.lower() == UNSET:
        assert default is None, f"{page} says LRKG_{name.upper()} is unset by default; it is {default!r}"
        return
    literal = LITERAL.match(cell)
    if literal is None or (default is None and literal["rest"].strip()):
        return  # a default worked out at start, described in words
    assert default is not None, f"{page} gives LRKG_{name.upper()} the default {cell!r}; it has none"
    assert _same(literal["value"], default), f"{page} says LRKG_{name.upper()} defaults to {cell!r}; it is {default!r}"
