"""The README opens with the two commands, and the guide (README plus docs/) documents every
setting and every command a user has; settings are in the operators' page."""

from __future__ import annotations

import re

from api.analytics_cli import analytics
from api.cli import main
from graph.store.config import Settings
from tests.conftest import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
DOCS = {path.name: path.read_text(encoding="utf-8") for path in sorted((PROJECT_ROOT / "docs").glob("*.md"))}
GUIDE = "\n".join([README, *DOCS.values()])
LINK = re.compile(r"\]\((?!https?:)([^)#\s]*)(?:#([\w-]+))?\)")
"""A relative link: its target (empty for the page itself) and its anchor."""
NOT_COMMITTED = ("bench/out", "tests/screenshots")
"""Folders the guide names that runs fill and git ignores."""
PATH = re.compile(r"`((?:graph|api|tests|bench|ontology|examples|data|docs)/[\w./*-]*)`")


def test_readme_opens_with_the_two_commands() -> None:
    opening = README[:400]
    assert "make serve" in opening and "make test" in opening


def test_readme_is_a_front_door_to_every_page_of_the_guide() -> None:
    assert len(README.splitlines()) < 200
    linked = {target for target, _ in LINK.findall(README)}
    for page in ("analysts.md", "curators.md", "integrators.md", "operators.md", "performance.md", "architecture.md"):
        assert page in DOCS and f"docs/{page}" in linked, page


def test_every_setting_is_documented_for_operators() -> None:
    for name in Settings.model_fields:
        assert f"LRKG_{name.upper()}" in DOCS["operators.md"], name


def test_every_command_is_documented() -> None:
    for command in main.commands:
        assert f"lrkg {command}" in GUIDE, command
    for command in analytics.commands:
        assert f"lrkg analytics {command}" in GUIDE, command


def test_every_link_reaches_a_file_and_a_heading() -> None:
    """A relative link (to a page, a section of one, a picture or a file) lands on something that is there."""
    pages = {PROJECT_ROOT / "README.md": README, **{PROJECT_ROOT / "docs" / name: text for name, text in DOCS.items()}}
    for page, text in pages.items():
        for target, anchor in LINK.findall(text):
            path = (page.parent / target).resolve() if target else page
            assert path.exists(), f"{page.name} links to {target}"
            if anchor:
                headings = re.findall(r"^#+ (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
                assert anchor in {_slug(heading) for heading in headings}, f"{page.name} links to {target}#{anchor}"


def test_every_path_named_in_the_guide_is_there() -> None:
    """Paths in the text follow the layout (graph/<wing>/<module>.py, api/cli.py, ...)."""
    for path in sorted(set(PATH.findall(GUIDE))):
        if not path.startswith(NOT_COMMITTED):
            assert any(PROJECT_ROOT.glob(path.rstrip("/"))), path


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return text.replace(" ", "-")
