"""What every `lrkg` command shares: the store options, settings from them, errors as
messages, and plain text tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from graph.store.config import Settings
from graph.store.errors import LrkgError

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Turn lrkg's own errors into a message and exit status 1, without a traceback."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except LrkgError as error:
            raise click.ClickException(str(error)) from error

    return run  # type: ignore[return-value]


def store_options(command: F) -> F:
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


def settings_for(store_path: Path | None, memory: bool) -> Settings:
    overrides: dict[str, Any] = {"memory": memory} if memory else {}
    if store_path is not None:
        overrides["store"] = store_path
    return Settings(**overrides)


def render_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain text table, columns as wide as their widest cell (capped at 60 characters)."""
    cells = [[clip_text(c) for c in row] for row in [list(header), *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + f"\n({len(rows)} row{'' if len(rows) == 1 else 's'})\n"


def clip_text(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
