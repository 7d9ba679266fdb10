"""The `lrkg` command: load, validate and query the knowledge graph, and serve it."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, RdfFormat, serialize

from graph.config import Settings
from graph.errors import LrkgError, ValidationFailed
from graph.loading import BatchRejected, Loader, LoadResult, Outcome, open_store, rdf_files
from graph.questions import RecommendationAnswer, recommendations_addressing
from graph.store import KnowledgeStore
from graph.validation import ShapesValidator

F = TypeVar("F", bound=Callable[..., Any])


def _reports_errors(command: F) -> F:
    """Turn lrkg's own errors into a message and exit status 1, without a traceback."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except LrkgError as error:
            raise click.ClickException(str(error)) from error

    return run  # type: ignore[return-value]


def _store_options(command: F) -> F:
    command = click.option(
        "--memory", is_flag=True, help="Use a store in memory (loaded from the data folder) instead of on disk."
    )(command)
    return click.option(
        "--store",
        "store_path",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Folder of the on-disk store [default: $LRKG_STORE or .lrkg/store].",
    )(command)


def _settings(store_path: Path | None, memory: bool) -> Settings:
    overrides: dict[str, Any] = {"memory": memory} if memory else {}
    if store_path is not None:
        overrides["store"] = store_path
    return Settings(**overrides)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """lrkg: the learning-review knowledge graph.

    Load reviews (RDF files) into an embedded Oxigraph store, validated against the lrkg
    shapes; ask which recommendations address a theme; run SPARQL; serve the API.
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@_store_options
@_reports_errors
def load(paths: tuple[Path, ...], store_path: Path | None, memory: bool) -> None:
    """Validate and load RDF files or folders, each file into its own named graph.

    Turtle, TriG, N-Triples, N-Quads, JSON-LD and RDF/XML are read by suffix. The
    vocabulary and theme scheme are loaded first. Files loaded before and unchanged are
    skipped; a changed file replaces what it loaded before. If any file is invalid,
    nothing is stored and every violation is listed.
    """
    settings = _settings(store_path, memory)
    store = KnowledgeStore.in_memory() if memory else KnowledgeStore.open(settings.store)
    loader = Loader(store, ShapesValidator(settings.ontology_dir))
    total = len(rdf_files(paths))
    with click.progressbar(length=total + 3, label="Loading", file=sys.stderr) as bar:
        results = loader.load(list(paths), on_file=lambda _: bar.update(1))
    for result in results:
        click.echo(_describe_load(result))
    counts = {outcome: sum(r.outcome is outcome for r in results) for outcome in Outcome}
    click.echo(
        f"{counts[Outcome.LOADED]} loaded, {counts[Outcome.REPLACED]} replaced, "
        f"{counts[Outcome.UNCHANGED]} unchanged; the store holds {len(store)} quads."
    )


def _describe_load(result: LoadResult) -> str:
    if result.outcome is Outcome.UNCHANGED:
        return f"unchanged  {result.path.name}"
    return f"{result.outcome.value:<10} {result.path.name}: {result.triples} triples into {', '.join(result.graphs)}"


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@_reports_errors
def validate(paths: tuple[Path, ...]) -> None:
    """Check RDF files against the lrkg shapes without storing anything.

    Exits with status 1 and lists every violation (focus node, path, message) if any file
    does not conform.
    """
    settings = Settings()
    store = KnowledgeStore.in_memory()
    files = rdf_files(paths)
    try:
        Loader(store, ShapesValidator(settings.ontology_dir)).check(files)
    except BatchRejected as rejected:
        for problem in rejected.problems:
            click.echo(str(problem), err=True)
        violations = sum(len(p.violations) for p in rejected.problems if isinstance(p, ValidationFailed))
        raise click.ClickException(f"{len(rejected.problems)} of {len(files)} file(s) invalid ({violations} violations).")
    click.echo(f"{len(files)} file(s) conform to the lrkg shapes.")


@main.command()
@click.argument("query_or_file")
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "json", "csv", "turtle"]),
    default="table",
    show_default=True,
    help="table, json (SPARQL JSON results) or csv for SELECT/ASK; turtle for CONSTRUCT/DESCRIBE.",
)
@_store_options
@_reports_errors
def query(query_or_file: str, output: str, store_path: Path | None, memory: bool) -> None:
    """Run a SPARQL query, given as text or as the path of a .rq file, over all graphs."""
    path = Path(query_or_file)
    text = path.read_text(encoding="utf-8") if path.suffix == ".rq" and path.is_file() else query_or_file
    store = open_store(_settings(store_path, memory))
    result = store.query(text)
    if isinstance(result, QueryBoolean):
        click.echo(json.dumps({"head": {}, "boolean": bool(result)}) if output == "json" else str(bool(result)).lower())
    elif isinstance(result, QuerySolutions):
        click.echo(_solutions_as(result, output), nl=False)
    else:
        click.echo(serialize(result, format=RdfFormat.TURTLE).decode("utf-8"), nl=False)


def _solutions_as(solutions: QuerySolutions, output: str) -> str:
    if output == "json":
        return solutions.serialize(format=QueryResultsFormat.JSON).decode("utf-8") + "\n"
    if output == "csv":
        return solutions.serialize(format=QueryResultsFormat.CSV).decode("utf-8")
    names = [v.value for v in solutions.variables]
    rows = [[solution[name].value if solution[name] is not None else "" for name in names] for solution in solutions]
    return render_table(names, rows)


def render_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain text table, columns as wide as their widest cell (capped at 60 characters)."""
    cells = [[_clip(c) for c in row] for row in [list(header), *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + f"\n({len(rows)} row{'' if len(rows) == 1 else 's'})\n"


def _clip(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


@main.command()
@click.option("--theme", required=True, help="A theme: its label, a synonym, its notation or its IRI.")
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table", show_default=True)
@_store_options
@_reports_errors
def recommendations(theme: str, output: str, store_path: Path | None, memory: bool) -> None:
    """Which recommendations address failures of a theme (or of any narrower theme)?

    Each comes with its review, owners, latest status and the findings it addresses.
    """
    store = open_store(_settings(store_path, memory))
    resolved, answers = recommendations_addressing(store, theme)
    if output == "json":
        payload = {"theme": asdict(resolved), "recommendations": [asdict(a) for a in answers]}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    click.echo(f"Recommendations addressing {resolved.label} ({resolved.notation}) or a narrower theme:\n")
    click.echo(render_table(["recommendation", "review", "owners", "latest status", "addresses"], _rows(answers)), nl=False)


def _rows(answers: list[RecommendationAnswer]) -> list[list[str]]:
    return [
        [
            a.label,
            a.review.label,
            ", ".join(o.label for o in a.owners) or "(not known)",
            a.latest_status.label if a.latest_status else "(none)",
            "; ".join(f.label for f in a.findings) or "(tagged directly)",
        ]
        for a in answers
    ]


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@_store_options
@_reports_errors
def serve(host: str, port: int, store_path: Path | None, memory: bool) -> None:
    """Serve the SPARQL endpoint and the REST API (http://HOST:PORT/docs lists the routes)."""
    import uvicorn

    from api.app import create_app

    uvicorn.run(create_app(_settings(store_path, memory)), host=host, port=port)

