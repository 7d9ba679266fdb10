"""The reliability suite: tests that try hard to break the server, and the figures they measure.

Every test here is marked `reliability` (`pytest -m reliability` runs them alone). By default
each runs a bounded amount of work, so that `make test` stays within a few minutes; with
`LRKG_RELIABILITY_LONG=1` they run the long mode (at least 1,000 fuzzed requests, more writes
across the crash, a longer load test). Each test records its figures with the `figures`
fixture; they are printed at the end of the run, under "reliability figures", for the
Reliability section of docs/operators.md.
"""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.app import create_app
from graph.store.config import Settings
from graph.store.knowledge_store import KnowledgeStore
from tests.conftest import DATA_DIR, ONTOLOGY_DIR, SMALL_REVIEW

LONG = os.environ.get("LRKG_RELIABILITY_LONG", "") not in ("", "0")
"""Run the long mode (set LRKG_RELIABILITY_LONG=1)."""

TOKEN = "reliability-write-token-3f9c"
"""The write token of the servers the suite starts."""
AUTH = {"Authorization": f"Bearer {TOKEN}"}

Figures = dict[str, dict[str, Any]]
FIGURES: Figures = {}
"""Every figure of the run (the `figures` fixture), by topic."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    folder = Path(__file__).parent
    for item in items:
        if folder in item.path.parents:
            item.add_marker(pytest.mark.reliability)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not FIGURES:
        return
    terminalreporter.section(f"reliability figures ({'long' if LONG else 'CI'} mode)")
    for topic, values in FIGURES.items():
        terminalreporter.write_line(f"{topic}: " + ", ".join(f"{name} {value}" for name, value in values.items()))


@pytest.fixture(scope="session")
def figures() -> Figures:
    """Figures by topic, each a dict of name to value, printed at the end of the run."""
    return FIGURES


def count(figures: Figures, topic: str, name: str, amount: int = 1) -> None:
    """Add `amount` to a figure counted across tests."""
    counts = figures.setdefault(topic, {})
    counts[name] = counts.get(name, 0) + amount


def curated_copy(folder: Path) -> Path:
    """The curated reviews (data/*.ttl) copied into `folder`, for a server to load."""
    for review in sorted(DATA_DIR.glob("*.ttl")):
        shutil.copy(review, folder / review.name)
    return folder


def curated_settings(folder: Path, **overrides: object) -> Settings:
    """A server in memory holding the curated reviews, writes on with TOKEN."""
    values: dict[str, object] = {
        "memory": True, "data_dir": curated_copy(folder), "ontology_dir": ONTOLOGY_DIR,
        "write_token": SecretStr(TOKEN), "query_workers": 1,
    }
    return Settings(**{**values, **overrides})


@pytest.fixture(scope="module")
def curated_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app over the curated reviews, writes on with TOKEN, for the module's tests."""
    with TestClient(create_app(curated_settings(tmp_path_factory.mktemp("curated")))) as client:
        yield client


def review_turtle(ident: str, label: str) -> bytes:
    """The small test review (tests/data/small_review.ttl) as review `ident` labelled `label`:
    a whole, valid review of known size, for its own graph https://w3id.org/lrkg/id/review/<ident>."""
    text = SMALL_REVIEW.read_text(encoding="utf-8")
    return text.replace("test-review", ident).replace("Test safeguarding review", label).encode()


def review_graph(ident: str) -> str:
    return f"https://w3id.org/lrkg/id/review/{ident}"


def reviews_in(store_folder: Path) -> list[str]:
    """The review graphs of an on-disk store that a command run in this process has used."""
    gc.collect()  # the command's store object, so that its lock is released
    if not store_folder.exists():
        return []
    return [g.value for g in KnowledgeStore.open(store_folder).named_graphs() if "/id/review/" in g.value]
