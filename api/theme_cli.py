"""`lrkg decide-theme` and `lrkg theme-decisions`: a curator confirms or rejects the themes the
tagger gave findings, and lists the decisions (and the training examples they make)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from api.cli_support import render_table, reports_errors, settings_for, store_options
from graph.ingestion.loading import open_store
from graph.ingestion.theme_decisions import (
    CONFIRMED,
    DECISIONS,
    REJECTED,
    confirmed_examples,
    decide_theme,
    theme_decisions,
)
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
        with examples.open("w", encoding="utf-8") as handle:
            for example in confirmed_examples(store):
                handle.write(json.dumps({"text": example.text, "themes": sorted(example.themes),
                                         "source": example.source, "labelled_by": example.labelled_by},
                                        ensure_ascii=False) + "\n")
    rows = [{"verdict": d.verdict, "finding": d.finding_id, "theme": d.theme_id, "curator": d.curator,
             "created": d.created, "proposal": d.note or ""} for d in found]
    if output == "json":
        click.echo(json.dumps({"decisions": rows}, indent=2, ensure_ascii=False))
        return
    header = ["verdict", "finding", "theme", "curator", "created", "proposal"]
    click.echo(render_table(header, [[row[h] for h in header] for row in rows]), nl=False)
