"""Fixtures: real Oxigraph stores (on disk in a temp folder, and in memory), loaded for real."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.config import PROJECT_ROOT, Settings
from graph.loading import Loader
from graph.store import KnowledgeStore
from graph.validation import ShapesValidator

TEST_DATA = Path(__file__).parent / "data"
SMALL_REVIEW = TEST_DATA / "small_review.ttl"
DATA_DIR = PROJECT_ROOT / "data"
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"


@pytest.fixture(scope="session")
def validator() -> ShapesValidator:
    return ShapesValidator(ONTOLOGY_DIR)


def _new_store(kind: str, folder: Path) -> KnowledgeStore:
    return KnowledgeStore.open(folder / "store") if kind == "disk" else KnowledgeStore.in_memory()


@pytest.fixture(params=["disk", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> KnowledgeStore:
    """An empty store of each kind: every test using it is a contract test for both."""
    return _new_store(request.param, tmp_path)


@pytest.fixture
def loader(store: KnowledgeStore, validator: ShapesValidator) -> Loader:
    return Loader(store, validator)


@pytest.fixture(scope="session", params=["disk", "memory"])
def small_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, validator: ShapesValidator
) -> KnowledgeStore:
    """A store of each kind with the vocabulary and the small test review loaded (read only)."""
    store = _new_store(request.param, tmp_path_factory.mktemp("small"))
    Loader(store, validator).load([SMALL_REVIEW])
    return store


@pytest.fixture(scope="session")
def curated_store(tmp_path_factory: pytest.TempPathFactory, validator: ShapesValidator) -> KnowledgeStore:
    """An on-disk store with everything in data/ loaded (read only)."""
    store = KnowledgeStore.open(tmp_path_factory.mktemp("curated") / "store")
    Loader(store, validator).load([DATA_DIR])
    return store


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(store=tmp_path / "store", data_dir=DATA_DIR, ontology_dir=ONTOLOGY_DIR)


@pytest.fixture
def small_settings(tmp_path: Path) -> Iterator[Settings]:
    """Settings for a server in memory holding only the small test review."""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / SMALL_REVIEW.name).write_bytes(SMALL_REVIEW.read_bytes())
    yield Settings(memory=True, data_dir=folder, ontology_dir=ONTOLOGY_DIR)
