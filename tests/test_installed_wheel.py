"""An installed lrkg needs no checkout: a wheel built from the project, installed into a fresh
venv, answers the headline question, loads a store, queries it and serves the site, each run
from a folder outside the checkout.

The fresh venv sees the dependencies already installed in this one through a .pth file naming
this venv's site-packages, so nothing is downloaded. A path line in a .pth only adds its folder
to sys.path (the .pth files inside it are not read), so the checkout's editable install does not
leak in: the first test of the installed lrkg checks that every file it reads is its own.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.namespace import RDF, RDFS

from tests.conftest import DATA_DIR, ONTOLOGY_DIR, PROJECT_ROOT
from tests.servers import Server
from tests.test_pages import Html

SOURCES = ("pyproject.toml", "README.md", "graph", "api", "ontology", "data")
"""What the wheel is built from: the packages, and the folders their links point to."""
PACKAGES = ("graph", "api")
LRKG = rdflib.Namespace("https://w3id.org/lrkg/ns#")
THEME = "communication"
ON_THEME = "R3: better police training"
"""The curated recommendation that addresses a failure of communication (data/amess-…ttl)."""


@dataclass(frozen=True)
class Installed:
    """A fresh venv with the wheel installed: its own site-packages and its `lrkg` script."""

    site_packages: Path
    scripts: Path

    @property
    def python(self) -> Path:
        return self.scripts / "python"

    @property
    def lrkg(self) -> Path:
        return self.scripts / "lrkg"


def run(command: Sequence[str | Path], cwd: Path) -> str:
    """Run a command in folder `cwd`, outside the checkout's settings; its output, or a failure
    that shows what it printed."""
    done = subprocess.run([str(part) for part in command], cwd=cwd, env=outside_environment(), check=False,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"{command} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done.stdout


def outside_environment() -> dict[str, str]:
    """This process's environment without what could point lrkg back at the checkout
    (PYTHONPATH) or change what it reads (LRKG_* settings)."""
    return {name: value for name, value in os.environ.items() if name != "PYTHONPATH" and not name.startswith("LRKG_")}


def files_under(folder: Path) -> Iterator[Path]:
    """Every file a package folder holds, through its links, bytecode left out."""
    for root, folders, names in os.walk(folder, followlinks=True):
        folders[:] = [name for name in folders if name != "__pycache__"]
        yield from (Path(root) / name for name in names if not name.endswith(".pyc"))


def curated_labels(kind: rdflib.URIRef) -> set[str]:
    """The labels of every resource of a class in the curated reviews of data/."""
    graph = rdflib.Graph()
    for file in DATA_DIR.glob("*.ttl"):
        graph.parse(file)
    return {str(graph.value(thing, RDFS.label)) for thing in graph.subjects(RDF.type, kind)}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the sources: building in the checkout would write build/
    there and could ship modules since deleted that setuptools still keeps in build/lib. The
    build uses this venv's setuptools (the test extra), so nothing is downloaded."""
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (PROJECT_ROOT / name).is_dir():
            shutil.copytree(PROJECT_ROOT / name, source / name, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(PROJECT_ROOT / name, source / name)
    built = tmp_path_factory.mktemp("wheel")
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index", "--no-build-isolation",
         "--wheel-dir", built, source], cwd=source)
    [wheel] = built.glob("lrkg-*.whl")
    return wheel


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """A fresh venv (no pip of its own) with the wheel installed, seeing this venv's packages."""
    venv = tmp_path_factory.mktemp("venv")
    outside = tmp_path_factory.mktemp("outside")
    run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=outside)
    python = venv / "bin" / "python"
    # Installed before the dependencies are made visible, so that pip does not take the
    # checkout's editable lrkg for an installed one to replace.
    run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel],
        cwd=outside)
    paths = json.loads(run([python, "-c", "import json, sysconfig; print(json.dumps(sysconfig.get_paths()))"],
                           cwd=outside))
    ours = sysconfig.get_paths()
    dependencies = dict.fromkeys([ours["purelib"], ours["platlib"]])
    (Path(paths["purelib"]) / "lrkg-test-dependencies.pth").write_text("\n".join(dependencies) + "\n", encoding="utf-8")
    return Installed(Path(paths["purelib"]), Path(paths["scripts"]))


@pytest.fixture(scope="module")
def loaded_store(installed: Installed, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A store on disk that the installed `lrkg load` filled with the curated reviews it ships
    (no PATHS given), and what the command printed."""
    outside = tmp_path_factory.mktemp("load")
    output = run([installed.lrkg, "load", "--store", outside / "store"], cwd=outside)
    return outside / "store", output


def test_the_wheel_carries_every_file_of_the_packages(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {path.relative_to(PROJECT_ROOT).as_posix()
                for package in PACKAGES for path in files_under(PROJECT_ROOT / package)}
    assert expected - names == set()
    assert {f"graph/vocabulary/ontology/{path.name}" for path in ONTOLOGY_DIR.iterdir()} <= names
    assert {f"graph/curated/{path.name}" for path in DATA_DIR.glob("*.ttl")} <= names
    assert {"graph/vocabulary/ontology/review.schema.json", "graph/queries/recommendations_on_theme.rq",
            "api/templates/pages/home.html", "api/static/site.css", "graph/analytics/templates/report.html",
            "api/routes/__init__.py", "graph/store/__init__.py"} <= names


def test_the_installed_lrkg_reads_only_its_own_files(installed: Installed, tmp_path: Path) -> None:
    read_from = """
import json, api, api.templating, graph, graph.analytics.report, graph.store.config, graph.store.queries
import graph.vocabulary.ontology
print(json.dumps([api.__file__, graph.__file__, str(api.templating.TEMPLATES), str(api.templating.STATIC),
                  str(graph.analytics.report.TEMPLATES), str(graph.store.config.CURATED_DIR),
                  str(graph.store.queries.QUERY_DIR), str(graph.vocabulary.ontology.ONTOLOGY_DIR)]))
"""
    paths = [Path(path) for path in json.loads(run([installed.python, "-c", read_from], cwd=tmp_path))]
    assert [path for path in paths if not path.is_relative_to(installed.site_packages)] == []
    assert all(path.exists() and not path.is_symlink() for path in paths)


def test_the_installed_lrkg_answers_the_headline_question(installed: Installed, tmp_path: Path) -> None:
    question = ["recommendations", "--memory", "--theme", THEME]
    answer = run([installed.lrkg, *question], cwd=tmp_path)
    assert "Recommendations addressing Communication" in answer
    assert ON_THEME in answer
    assert answer == run([sys.executable, "-m", "api", *question], cwd=PROJECT_ROOT)


def test_the_installed_lrkg_loads_its_curated_reviews_and_queries_them(
    installed: Installed, loaded_store: tuple[Path, str], tmp_path: Path
) -> None:
    store, output = loaded_store
    loaded = {line.split()[1].removesuffix(":") for line in output.splitlines() if line.startswith("loaded ")}
    assert {path.name for path in DATA_DIR.glob("*.ttl")} <= loaded
    query = f"SELECT ?label WHERE {{ ?r a <{LRKG.Recommendation}> ; <{RDFS.label}> ?label }}"
    table = run([installed.lrkg, "query", "--store", store, "--format", "csv", query], cwd=tmp_path)
    labels = {row["label"] for row in csv.DictReader(io.StringIO(table))}
    assert ON_THEME in labels
    assert labels == curated_labels(LRKG.Recommendation)


def test_the_installed_lrkg_serves_the_site(
    installed: Installed, loaded_store: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in set(os.environ) - set(outside_environment()):
        monkeypatch.delenv(name)
    store, _ = loaded_store
    server = Server.start(tmp_path, store=store, lrkg=[str(installed.lrkg)], cwd=tmp_path)
    try:
        server.wait()
        with httpx.Client(base_url=server.url, timeout=60) as client:
            home = client.get("/")
            answer = client.get("/api/recommendations", params={"theme": THEME})
            style = client.get("/static/site.css")
    finally:
        server.stop()
    assert home.status_code == 200, home.text
    page = Html(home.text)
    assert ("link", {"rel": "stylesheet", "href": "/static/site.css"}) in page.elements
    [reviews] = [table for table in page.tables if table.caption.startswith("The reviews")]
    assert {row[0] for row in reviews.rows[1:]} == curated_labels(LRKG.Review)
    assert answer.status_code == 200, answer.text
    assert answer.json()["filters"]["theme"]["id"] == THEME
    assert ON_THEME in [item["label"] for item in answer.json()["items"]]
    assert style.status_code == 200
    assert style.headers["content-type"].startswith("text/css")
    assert style.content == (PROJECT_ROOT / "api" / "static" / "site.css").read_bytes()
