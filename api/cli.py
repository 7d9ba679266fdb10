"""The `lrkg` command: load, validate and query the knowledge graph, and serve it."""

from __future__ import annotations

import copy
import csv
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, TypeVar

import click

from api.analytics_cli import analytics
from api.cli_support import render_table, reports_errors, settings_for, store_options
from api.status_cli import decide_status_command, status_decisions_command
from api.theme_cli import decide_theme_command, theme_decisions_command, training_examples_command
from api.token_cli import token
from graph.answers.actor_profile import actor_page
from graph.answers.questions import RecommendationAnswer, recommendations_addressing
from graph.answers.search import SearchIndex
from graph.ingestion.csv_table import read_table
from graph.ingestion.loading import (
    BatchRejected,
    Loader,
    LoadResult,
    Outcome,
    open_store,
    rdf_files,
    review_yaml_reader,
)
from graph.ingestion.mapping_suggestion import suggest_mapping as mapping_suggestion
from graph.ingestion.pfd import read_reports
from graph.ingestion.reconcile import REPORT_COLUMNS, Reconciliation, known_actors, report_rows, summary
from graph.ingestion.retagging import tag_store
from graph.ingestion.review_batch import GeneratedReview, ImportRejected, store_reviews
from graph.ingestion.review_export import EXPORT_FORMATS, export_review
from graph.ingestion.review_rdf import review_iri as review_graph
from graph.ingestion.review_yaml import Problem
from graph.ingestion.tagging import ThemeTagger
from graph.ingestion.tracker import Tagging, read_tracker
from graph.ingestion.tracker_mapping import ntsb_statuses, read_mapping
from graph.store.config import Settings
from graph.store.errors import InvalidInput, NotFound, ValidationFailed
from graph.store.knowledge_store import KnowledgeStore
from graph.store.paging import Window
from graph.store.remote_store import dump as dump_store
from graph.store.results import whole_answer
from graph.store.sparql_guard import dataset_iris, refuse_remote_access, refuse_unknown_graphs
from graph.store.validation import ShapesValidator
from graph.vocabulary.schemes import Schemes

F = TypeVar("F", bound=Callable[..., Any])
REVIEW_SUFFIXES = (".yaml", ".yml")


def learned_tagger(ontology_dir: Path) -> ThemeTagger:
    """The theme tagger, imported only by the commands that tag: scikit-learn would make every
    other command a second or two slower to start."""
    from graph.ingestion.learned_tagger import LearnedTagger

    return LearnedTagger.from_ontology(ontology_dir)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """lrkg: the learning-review knowledge graph.

    Load reviews (RDF files) into an embedded Oxigraph store, validated against the lrkg
    shapes; ask which recommendations address a theme; run SPARQL; serve the API.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path, exists=True))
@store_options
@reports_errors
def load(paths: tuple[Path, ...], store_path: Path | None, memory: bool) -> None:
    """Validate and load RDF files or folders, each file into its own named graph.

    Turtle, TriG, N-Triples, N-Quads, JSON-LD and RDF/XML are read by suffix. The
    vocabulary and theme scheme are loaded first. Files loaded before and unchanged are
    skipped; a changed file replaces what it loaded before. If any file is invalid,
    nothing is stored and every violation is listed. Without PATHS, the data folder is
    loaded ($LRKG_DATA_DIR, else the curated reviews lrkg ships with), so that an installed
    lrkg can fill its store without a checkout.
    """
    settings = settings_for(store_path, memory)
    paths = paths or (settings.data_dir,)
    store = KnowledgeStore.in_memory() if memory else open_store(settings)
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
@reports_errors
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


@main.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option("--strict", is_flag=True, help="Treat warnings (an actor nothing refers to, say) as errors.")
@store_options
@reports_errors
def import_reviews(paths: tuple[Path, ...], strict: bool, store_path: Path | None, memory: bool) -> None:
    """Check reviews written in YAML and load each into its review's named graph.

    Every problem in a file is listed with its line and field. Each file is then turned into
    RDF, validated against the lrkg shapes and loaded as `lrkg load` loads RDF: an unchanged
    file is skipped, a changed one replaces its review, and if any file is rejected nothing
    is stored. Folders are searched for .yaml and .yml files. See examples/review.yaml.
    """
    settings = settings_for(store_path, memory)
    files = _review_files(paths)
    store = KnowledgeStore.in_memory() if memory else open_store(settings)
    loader = Loader(store, ShapesValidator(settings.ontology_dir))
    reader = review_yaml_reader(
        Schemes(settings.ontology_dir), strict=strict, on_warning=lambda warning: click.echo(str(warning), err=True)
    )
    try:
        results = loader.load_read_by(files, reader)
    except BatchRejected as rejected:
        for problem in rejected.problems:
            click.echo(str(problem), err=True)
        rejected_count = f"{len(rejected.problems)} of {len(files)} file(s) rejected"
        raise click.ClickException(f"{rejected_count}; nothing was stored.") from None
    reviews = [result for result in results if result.path in files]
    words = {Outcome.LOADED: "imported", Outcome.REPLACED: "updated", Outcome.UNCHANGED: "unchanged"}
    for result in reviews:
        into = f": {result.triples} triples into {', '.join(result.graphs)}" if result.graphs else ""
        click.echo(f"{words[result.outcome]:<10} {result.path.name}{into}")
    counts = ", ".join(f"{sum(r.outcome is outcome for r in reviews)} {word}" for outcome, word in words.items())
    click.echo(f"{counts}, 0 rejected.")


def _table_import_options(command: F) -> F:
    command = click.option("--strict", is_flag=True, help="Store nothing if any record is rejected.")(command)
    return click.option(
        "--report", type=click.Path(path_type=Path, dir_okay=False), default=None,
        help="Write how names were matched to actors (merges, near-misses, new actors) to this CSV file.",
    )(command)


@main.command(name="import-csv")
@click.argument("file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--mapping", "mapping_file", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="YAML file saying which column holds what (see examples/tracker-mapping.yaml).")
@click.option("--dry-run", is_flag=True, help="Read, check and report everything; write nothing.")
@click.option("--suggest-mapping", is_flag=True,
              help="Print a starting mapping for FILE, guessed from its header and values; import nothing.")
@_table_import_options
@store_options
@reports_errors
def import_csv(file: Path, mapping_file: Path | None, dry_run: bool, suggest_mapping: bool, report: Path | None,
               strict: bool, store_path: Path | None, memory: bool) -> None:
    """Import a recommendation tracker (or a list of reports) from a CSV file, read through a mapping.

    Rows with the same review id become one review, each row a recommendation of it (with a
    response when the row gives a status or a reply). Recipients become actors, matched to
    those already in the store by name. A row that cannot be used is reported with its line
    and skipped (--strict: nothing is stored); importing the same file again changes nothing.
    First time: --suggest-mapping > mapping.yaml, edit it, then --dry-run until the report
    reads right (see docs/trackers.md).
    """
    settings = settings_for(store_path, memory)
    schemes = Schemes(settings.ontology_dir)
    if suggest_mapping:
        title = file.stem.replace("_", " ").replace("-", " ").capitalize()
        click.echo(mapping_suggestion(read_table(file), schemes, title, ntsb_statuses(settings.ontology_dir)), nl=False)
        return
    if mapping_file is None:
        raise click.UsageError("give --mapping MAPPING.yaml (or --suggest-mapping to write a first one)")
    mapping = read_mapping(mapping_file, schemes)
    nothing_stored = dry_run and not settings.remote and not settings.store.exists()  # a dry run creates no store
    store = KnowledgeStore.in_memory() if memory or nothing_stored else open_store(settings)
    tagging = Tagging(learned_tagger(settings.ontology_dir), settings.tagging_min_score,
                      settings.tagging_max_themes) if mapping.tag_themes else None
    imported = read_tracker(file, mapping, schemes, known_actors(store), ntsb_statuses(settings.ontology_dir), tagging)
    for line in [*imported.report.lines(), imported.counts()]:
        click.echo(line, err=True)
    _store_imported(store, settings, file, imported.reviews, imported.problems, imported.reconciliation,
                    report=report, strict=strict, dry_run=dry_run)


@main.command(name="import-pfd")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True, dir_okay=False))
@_table_import_options
@store_options
@reports_errors
def import_pfd(files: tuple[Path, ...], report: Path | None, strict: bool, store_path: Path | None, memory: bool) -> None:
    """Import coroners' Prevention of Future Deaths reports from report lists (CSV files).

    Each report becomes a review: each matter of concern a finding (themes given by the
    tagger, with their method and score), and one "action to prevent future deaths" sent to
    the report's recipients, due 56 days after the report. Theme columns in the file are
    ignored. Files are imported one after another (with --report R.csv, each file's matches
    go to R-<file>.csv); see the README for the columns.
    """
    settings = settings_for(store_path, memory)
    store = KnowledgeStore.in_memory() if memory else KnowledgeStore.open(settings.store)
    tagger = learned_tagger(settings.ontology_dir)
    for file in files:
        imported = read_reports(file, known_actors(store), tagger, min_score=settings.tagging_min_score,
                                max_themes=settings.tagging_max_themes)
        _store_imported(store, settings, file, imported.reviews, imported.problems, imported.reconciliation,
                        report=report.with_stem(f"{report.stem}-{file.stem}") if report and len(files) > 1 else report,
                        strict=strict)


def _store_imported(store: KnowledgeStore, settings: Settings, file: Path, reviews: list[GeneratedReview],
                    problems: list[Problem], reconciliation: Reconciliation, *, report: Path | None,
                    strict: bool, dry_run: bool = False) -> None:
    """Validate and store the reviews an importer made, with a progress bar and a summary
    (with `dry_run`, what storing them would do, and nothing written)."""
    for line in summary(reconciliation):
        click.echo(line, err=True)
    if report is not None:
        with report.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=REPORT_COLUMNS)
            writer.writeheader()
            writer.writerows(report_rows(reconciliation))
        click.echo(f"wrote {report}", err=True)
    validator = ShapesValidator(settings.ontology_dir)
    try:
        with click.progressbar(length=len(reviews), label=f"Importing {file.name}", file=sys.stderr) as bar:
            done = store_reviews(store, validator, reviews, file.name, problems=problems, strict=strict,
                                 on_review=lambda _: bar.update(1), dry_run=dry_run)
    except ImportRejected as rejected:
        for problem in rejected.problems:
            click.echo(str(problem), err=True)
        raise
    for review_id, outcome in done.outcomes.items():
        click.echo(f"{outcome.value:<10} {review_id}")
    for problem in done.rejected:
        click.echo(f"rejected   {problem}", err=True)
    click.echo(f"{file.name}: {'dry run, nothing written: would be ' if dry_run else ''}{done.line()}")


def _review_files(paths: Sequence[Path]) -> list[Path]:
    """The review files named by `paths`, folders searched recursively for .yaml and .yml files."""
    files: list[Path] = []
    for path in paths:
        found = sorted(p for p in path.rglob("*") if p.suffix.lower() in REVIEW_SUFFIXES) if path.is_dir() else [path]
        for file in found:
            if file.suffix.lower() not in REVIEW_SUFFIXES:
                raise InvalidInput(f"{file}: a review to import is a .yaml file; use `lrkg load` for RDF")
            files.append(file.resolve())
    return list(dict.fromkeys(files))


@main.command()
@click.argument("output", type=click.Path(path_type=Path, dir_okay=False))
@store_options
@reports_errors
def dump(output: Path, store_path: Path | None, memory: bool) -> None:
    """Write every graph of the store, the catalogue too, to OUTPUT as N-Quads.

    For moving to another store: every SPARQL engine's bulk loader reads N-Quads, and the
    catalogue comes along, so that lrkg on the new store knows what each graph was loaded
    from. Blank nodes are written as IRIs, as lrkg writes them to a remote engine.
    """
    store = open_store(settings_for(store_path, memory))
    with output.open("wb") as file:
        dump_store(store, file)
    click.echo(f"{len(store)} quads in {len(store.named_graphs())} graphs written to {output}.")


@main.command()
@click.argument("review")
@click.option("--format", "output_format", type=click.Choice(EXPORT_FORMATS), default="yaml", show_default=True)
@click.option("--output", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="File to write [default: standard output].")
@store_options
@reports_errors
def export(review: str, output_format: str, output: Path | None, store_path: Path | None, memory: bool) -> None:
    """Write one review out of the store, as YAML (for `lrkg import`) or as Turtle.

    REVIEW is the review's id (amess-prevent-learning-review) or IRI. Anything in the review's
    graph that the YAML format cannot hold is listed on standard error.
    """
    exported = export_review(open_store(settings_for(store_path, memory)), review, output_format)
    for triple in exported.left_out:
        click.echo(f"warning: not carried by the YAML format, left out: {triple}", err=True)
    for triple in exported.added:
        click.echo(f"warning: importing the YAML would state instead: {triple}", err=True)
    text = exported.text
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)


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
@store_options
@reports_errors
def query(query_or_file: str, output: str, store_path: Path | None, memory: bool) -> None:
    """Run a SPARQL query, given as text or as the path of a .rq file.

    Without FROM, the default graph is the union of all graphs; FROM must name graphs the
    store holds. SERVICE and LOAD are refused, as on the server.
    """
    path = Path(query_or_file)
    text = path.read_text(encoding="utf-8") if path.suffix == ".rq" and path.is_file() else query_or_file
    store = open_store(settings_for(store_path, memory))
    refuse_remote_access(text)
    dataset = dataset_iris(text)
    refuse_unknown_graphs(dataset, store.has_graph)
    result = store.query(text, union_default_graph=not dataset)
    answer = whole_answer(result, output)
    click.echo(answer if isinstance(answer, str) else render_table(answer.variables, answer.rows), nl=False)


@main.command()
@click.option("--theme", required=True, help="A theme: its label, a synonym, its notation or its IRI.")
@click.option("--min-score", type=click.FloatRange(0, 1), default=None,
              help="Count a theme the tagger proposed only when its score is at least this "
                   "(curated and confirmed themes always count).")
@click.option("--confirmed-only", is_flag=True,
              help="Count only themes stated by a review's curators or confirmed by a curator, not proposed ones.")
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table", show_default=True)
@store_options
@reports_errors
def recommendations(
    theme: str, min_score: float | None, confirmed_only: bool, output: str, store_path: Path | None, memory: bool
) -> None:
    """Which recommendations address failures of a theme (or of any narrower theme)?

    Each comes with its review, owners, latest status and the findings it addresses; in JSON,
    each theme says how it was given (curated, proposed with its score, or confirmed).
    """
    store = open_store(settings_for(store_path, memory))
    resolved, answers = recommendations_addressing(store, theme, min_score=min_score, confirmed_only=confirmed_only)
    if output == "json":
        payload = {"theme": asdict(resolved), "min_score": min_score, "confirmed_only": confirmed_only,
                   "recommendations": [asdict(a) for a in answers]}
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
            (a.latest_status.label + (" (proposed)" if a.latest_status.proposed else "")) if a.latest_status else "(none)",
            "; ".join(f.label for f in a.findings) or "(tagged directly)",
        ]
        for a in answers
    ]


@main.command()
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table", show_default=True)
@store_options
@reports_errors
def actors(output: str, store_path: Path | None, memory: bool) -> None:
    """List the actors in the store with their other names and what each holds: the
    recommendations it owns and the findings that implicate it. Read it after an import to
    see what reconciliation made, and settle what is wrong in an aliases file."""
    settings = settings_for(store_path, memory)
    store = KnowledgeStore.in_memory() if memory else open_store(settings)
    names = {actor.id: [n for n in actor.names if n != actor.label] for actor in known_actors(store)}
    listed = [
        {"id": a.id, "label": a.label, "kind": a.kind, "other_names": names.get(a.id, []),
         "recommendations_owned": a.recommendation_count, "findings_implicating": a.finding_count}
        for a in actor_page(store, Window()).items
    ]
    if output == "json":
        click.echo(json.dumps({"actors": listed}, indent=2, ensure_ascii=False))
        return
    header = ["id", "label", "kind", "other names", "owns", "implicated in"]
    click.echo(render_table(header, [
        [a["id"], a["label"], a["kind"] or "", "; ".join(a["other_names"]), str(a["recommendations_owned"]),
         str(a["findings_implicating"])] for a in listed]), nl=False)


@main.command()
@click.option("--review", "review_id", default=None, help="Tag only this review (its id).")
@click.option("--untagged", is_flag=True, help="Tag only findings and recommendations with no theme yet.")
@store_options
@reports_errors
def tag(review_id: str | None, untagged: bool, store_path: Path | None, memory: bool) -> None:
    """Give themes to the findings and recommendations already in the store, by the theme
    tagger: all of them, one review's (--review), or only those with none (--untagged).
    Tagging again replaces earlier machine themes; themes a review file states are kept."""
    settings = settings_for(store_path, memory)
    store = KnowledgeStore.in_memory() if memory else open_store(settings)
    graphs = [review_graph(review_id)] if review_id else []
    if graphs and not store.has_graph(graphs[0]):
        raise NotFound(f"no review {review_id!r} in the store")
    done = tag_store(store, ShapesValidator(settings.ontology_dir), learned_tagger(settings.ontology_dir),
                     min_score=settings.tagging_min_score, max_themes=settings.tagging_max_themes, graphs=graphs,
                     only_untagged=untagged)
    for refused, violations in done.refused.items():
        click.echo(f"refused    {refused}: {violations[0]}", err=True)
    click.echo(f"{done.items} item(s) given {done.themes} theme(s) in {len(done.graphs)} review(s); "
               f"{len(done.refused)} review(s) refused.")


@main.command()
@click.argument("words")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(min=1), help="Most results to show.")
@click.option("--offset", default=0, show_default=True, type=click.IntRange(min=0), help="Results to skip.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@store_options
@reports_errors
def search(words: str, limit: int, offset: int, output: str, store_path: Path | None, memory: bool) -> None:
    """Full-text search: the resources whose text has every one of WORDS, best first.

    Labels, descriptions, excerpts, titles, theme synonyms and actor names are searched;
    words are stemmed and common words ignored. The index (search.sqlite beside the store, or
    $LRKG_SEARCH_INDEX) is brought up to date with the store first.
    """
    settings = settings_for(store_path, memory)
    store = open_store(settings)
    with SearchIndex.for_store(settings, store) as index:
        page = index.search(words, Window(limit, offset))
    if output == "json":
        body = {"q": words, "items": [asdict(hit) for hit in page.items], "total": page.total, "limit": limit,
                "offset": offset, "next": page.next_offset}
        click.echo(json.dumps(body, indent=2, ensure_ascii=False))
        return
    for number, hit in enumerate(page.items, start=offset + 1):
        review = f"  ({hit.review.label})" if hit.review else ""
        click.echo(f"{number}. {hit.kind}: {hit.label}{review}")
        snippet = "".join(click.style(h.text, bold=True) if h.match else h.text for h in hit.highlighted)
        click.echo(f"   {' '.join(snippet.split())}")
        click.echo(f"   {hit.iri}")
    shown = f"{offset + 1}-{offset + len(page.items)} of " if page.items else ""
    click.echo(f"({shown}{page.total} result{'' if page.total == 1 else 's'})")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@store_options
@reports_errors
def serve(host: str, port: int, store_path: Path | None, memory: bool) -> None:
    """Serve the SPARQL endpoint and the REST API (http://HOST:PORT/docs lists the routes).

    Idle connections are closed after LRKG_IDLE_TIMEOUT seconds and at most LRKG_MAX_CONNECTIONS
    are served at once (docs/security.md); lrkg's own log lines are written at INFO.
    """
    import uvicorn

    from api.app import create_app

    settings = settings_for(store_path, memory)
    uvicorn.run(
        create_app(settings), host=host, port=port, timeout_keep_alive=settings.idle_timeout,
        limit_concurrency=settings.max_connections, log_config=_log_config(),
    )


def _log_config() -> dict[str, Any]:
    """uvicorn's logging, with lrkg's loggers at INFO beside uvicorn's (an aborted upload is one INFO line)."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["lrkg"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    config["loggers"]["api"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


main.add_command(analytics)
main.add_command(decide_theme_command)
main.add_command(theme_decisions_command)
main.add_command(training_examples_command)
main.add_command(decide_status_command)
main.add_command(status_decisions_command)
main.add_command(token)
