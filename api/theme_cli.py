"""`lrkg decide-theme`, `lrkg theme-decisions` and `lrkg training-examples`: a curator confirms or
rejects the themes the tagger gave findings, lists the decisions, and turns the confirmed themes
(and the curated reviews' own) into the examples the tagger is trained on."""

from __future__ import annotations

import json
from pathlib import Path

import click

from api.cli_support import render_table, reports_errors, settings_for, store_options
from graph.ingestion.loading import open_store
from graph.ingestion.store_examples import CONFIRMED_FILE, CURATED_FILE, write_store_examples
from graph.ingestion.theme_decisions import (
    CONFIRMED,
    DECISIONS,
    REJECTED,
    confirmed_examples,
    decide_theme,
    theme_decisions,
)
from graph.ingestion.theme_examples import TRAINING_DIR, write_examples
from graph.store.validation import ShapesValidator
from graph.store.writes import Writer


@click.command(name="decide-theme")
@click.argument("finding")
@click.argument("theme")
@click.option("--curator", required=True, help="Your name: who decides, stored with the decision.")
@click.option("--reject", is_flag=True, help="Reject the theme (it is taken off the finding) instead of confirming it.")
@store_options
@reports_errors
def decide_theme_command(finding: str, theme: str, curator: str, reject: bool, store_path: Path | None,
                         memory: bool) -> None:
    """Confirm that THEME (an id or IRI) fits FINDING (an id or IRI), or reject it with --reject;
    the decision is validated and stored with your name and the time."""
    settings = settings_for(store_path, memory)
    store = open_store(settings)
    decision = decide_theme(store, Writer(store, ShapesValidator(settings.ontology_dir)), finding, theme,
                            curator=curator, verdict=REJECTED if reject else CONFIRMED)
    click.echo(f"{decision.verdict.capitalize()}: {decision.theme_id} of {decision.finding_id}, by {decision.curator} "
               f"at {decision.created}{f' ({decision.note})' if decision.note else ''}.\nStored as {decision.iri}")


@click.command(name="theme-decisions")
@click.option("--verdict", type=click.Choice(DECISIONS), default=None, help="Only confirmed, or only rejected, themes.")
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--examples", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Also write the confirmed themes as training examples (JSON lines) to this file.")
@store_options
@reports_errors
def theme_decisions_command(verdict: str | None, output: str, examples: Path | None, store_path: Path | None,
                            memory: bool) -> None:
    """The themes a curator confirmed or rejected, the latest first, with who and when. With
    --examples FILE, the confirmed ones are also written as examples the learned tagger trains on
    (copy the file into graph/ingestion/training/ to use it)."""
    store = open_store(settings_for(store_path, memory))
    found = theme_decisions(store, verdict=verdict)
    if examples is not None:
        write_examples(examples, confirmed_examples(store))
    rows = [{"verdict": d.verdict, "finding": d.finding_id, "theme": d.theme_id, "curator": d.curator,
             "created": d.created, "proposal": d.note or ""} for d in found]
    if output == "json":
        click.echo(json.dumps({"decisions": rows}, indent=2, ensure_ascii=False))
        return
    header = ["verdict", "finding", "theme", "curator", "created", "proposal"]
    click.echo(render_table(header, [[row[h] for h in header] for row in rows]), nl=False)


@click.command(name="training-examples")
@click.option("--into", type=click.Path(path_type=Path, file_okay=False), default=TRAINING_DIR, show_default=True,
              help="The folder of training files to write them into (the tagger's own by default).")
@store_options
@reports_errors
def training_examples_command(into: Path, store_path: Path | None, memory: bool) -> None:
    """Write the store's curator-confirmed themes and the curated reviews' own themes as training
    examples (confirmed.jsonl and curated.jsonl, replacing the earlier ones): the learned tagger
    trains on them from its next start."""
    written = write_store_examples(open_store(settings_for(store_path, memory)), into)
    click.echo(f"{written.confirmed} confirmed example(s) written to {into / CONFIRMED_FILE}, "
               f"{written.curated} curated example(s) to {into / CURATED_FILE}.")
