"""The README documents every setting and every command a user has."""

from __future__ import annotations

from api.cli import main
from graph.store.config import Settings
from tests.conftest import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    opening = README[:400]
    assert "make serve" in opening and "make test" in opening


def test_every_setting_is_documented() -> None:
    for name in Settings.model_fields:
        assert f"LRKG_{name.upper()}" in README, name


def test_every_command_is_documented() -> None:
    for command in main.commands:
        assert f"lrkg {command}" in README, command
