"""Fixtures: real Oxigraph stores (on disk in a temp folder, and in memory), loaded for real."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.ingestion.loading import Loader
from graph.store.config import Settings
from graph.store.knowledge_store import KnowledgeStore
from graph.store.remote_store import RemoteStore
from graph.store.validation import ShapesValidator
from tests.virtuoso import Virtuoso, running_virtuoso

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The checkout the tests run in (the installed package never needs it)."""
TEST_DATA = Path(__file__).parent / "data"
SMALL_REVIEW = TEST_DATA / "small_review.ttl"
DATA_DIR = PROJECT_ROOT / "data"
ONTOLOGY_DIR = PROJECT_ROOT / "ontology"

os.environ.setdefault("LRKG_WORK_AHEAD", "false")
"""The servers the tests start work nothing out ahead: hundreds of them, each drawing the charts
and working out the indexes in a thread beside the test on two cores, cost minutes. The tests of
that work (test_charts.py, test_indexes_ahead.py) turn it on."""


@pytest.fixture(scope="session")
def validator() -> ShapesValidator:
    return ShapesValidator(ONTOLOGY_DIR)


STORE_KINDS = ["disk", "memory", pytest.param("virtuoso", marks=pytest.mark.virtuoso)]
"""Every store the contract is run against; `pytest -m virtuoso` runs the remote engine's share alone."""
VIRTUOSO_ROW_CAP = 100
"""The test servers' silent row cap, kept small so that paging past it is exercised everywhere."""


@pytest.fixture(scope="session")
def scratch_virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """A Virtuoso whose graphs each test using `store` starts by dropping."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso-scratch"), max_rows=VIRTUOSO_ROW_CAP) as server:
        yield server


@pytest.fixture(scope="session")
def shared_virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """A Virtuoso for the session's read-only stores."""
    with running_virtuoso(tmp_path_factory.mktemp("virtuoso-shared"), max_rows=VIRTUOSO_ROW_CAP) as server:
        yield server


def _new_store(kind: str, folder: Path, request: pytest.FixtureRequest, server: str = "scratch_virtuoso") -> KnowledgeStore:
    if kind == "virtuoso":
        settings = request.getfixturevalue(server).settings()
        emptied = RemoteStore(settings)
        emptied.write([], drop_graphs=emptied.named_graphs())
        emptied.close()
        return RemoteStore(settings)
    return KnowledgeStore.open(folder / "store") if kind == "disk" else KnowledgeStore.in_memory()


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[KnowledgeStore]:
    """An empty store of each kind: every test using it is a contract test for all of them."""
    store = _new_store(request.param, tmp_path, request)
    yield store
    if isinstance(store, RemoteStore):
        store.close()


@pytest.fixture
def loader(store: KnowledgeStore, validator: ShapesValidator) -> Loader:
    return Loader(store, validator)


@pytest.fixture(scope="session", params=STORE_KINDS)
def small_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, validator: ShapesValidator
) -> Iterator[KnowledgeStore]:
    """A store of each kind with the vocabulary and the small test review loaded (read only)."""
    store = _new_store(request.param, tmp_path_factory.mktemp("small"), request, "shared_virtuoso")
    Loader(store, validator).load([SMALL_REVIEW])
    yield store
    if isinstance(store, RemoteStore):
        store.close()


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
