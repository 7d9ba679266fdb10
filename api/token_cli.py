"""`lrkg token`: a new write token for a curator, and the line that gives it to the server."""

from __future__ import annotations

import secrets

import click

from api.auth import ADMIN, CURATE, ROLES, tokens_line

TOKEN_BYTES = 32
"""Random bytes in a token (256 bits), written in URL-safe base64."""


@click.command()
@click.option("--name", required=True, help="Who will hold the token: writes made with it are attributed to this name.")
@click.option("--role", type=click.Choice(ROLES), default=CURATE, show_default=True,
              help=f"{CURATE}: confirm or reject links through the API; {ADMIN}: also SPARQL Update and the Graph Store.")
def token(name: str, role: str) -> None:
    """Print a new token, to give to its holder, and its line for LRKG_TOKENS_FILE.

    The server keeps only the token's SHA-256: add the line to the tokens file (the server reads
    it again when it changes) and hand the token over privately. To revoke it, delete the line.
    """
    name = " ".join(name.split())
    if not name:
        raise click.BadParameter("a name is needed", param_hint="--name")
    new = secrets.token_urlsafe(TOKEN_BYTES)
    click.echo(f"token: {new}")
    click.echo(f"line for the tokens file: {tokens_line(new, role, name)}")
