"""`lrkg decide-status` and `lrkg status-decisions`: a curator confirms or corrects a status read
from a reply's words, and lists the decisions."""

from __future__ import annotations

import json
from pathlib import Path

import click

from api.cli_support import render_table, reports_errors, settings_for, store_options
from graph.answers.statuses import resolve_status
from graph.ingestion.loading import open_store
from graph.ingestion.status_decisions import decide_status, status_decisions
from graph.store.validation import ShapesValidator
from graph.store.writes import Writer

HEADER = ["verdict", "response", "status", "proposed", "curator", "created"]


@click.command(name="decide-status")
@click.argument("response")
@click.option("--status", default=None,
              help="The right status (id, label, synonym or notation), to correct the proposal; without it, confirm.")
@click.option("--curator", required=True, help="Your name: who decides, stored with the decision.")
@store_options
@reports_errors
def decide_status_command(response: str, status: str | None, curator: str, store_path: Path | None,
                          memory: bool) -> None:
    """Confirm the status proposed for RESPONSE (an id or IRI, as a status history names it), or
    correct it with --status; the decision is validated and stored with your name and the time,
    apart from the review, so importing the tracker again does not undo it."""
    settings = settings_for(store_path, memory)
    store = open_store(settings)
    resolved = resolve_status(store, status).iri if status is not None else None
    decision = decide_status(store, Writer(store, ShapesValidator(settings.ontology_dir)), response,
                             curator=curator, status=resolved)
    click.echo(f"{decision.verdict.capitalize()}: {decision.response_id} is {decision.status_id}, by "
               f"{decision.curator} at {decision.created} ({decision.note}).\nStored as {decision.iri}")


@click.command(name="status-decisions")
@click.option("--format", "output", type=click.Choice(["table", "json"]), default="table", show_default=True)
@store_options
@reports_errors
def status_decisions_command(output: str, store_path: Path | None, memory: bool) -> None:
    """The proposed statuses a curator confirmed or corrected, the latest first, with who and when."""
    store = open_store(settings_for(store_path, memory))
    rows = [{"verdict": d.verdict, "response": d.response_id, "status": d.status_id,
             "proposed": d.proposed_status.rsplit("/", 1)[-1], "curator": d.curator, "created": d.created}
            for d in status_decisions(store)]
    if output == "json":
        click.echo(json.dumps({"decisions": rows}, indent=2, ensure_ascii=False))
        return
    click.echo(render_table(HEADER, [[row[h] for h in HEADER] for row in rows]), nl=False)
