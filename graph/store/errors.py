"""The errors the knowledge graph raises. Each says what went wrong in words a person can act on.

The API maps each class to one HTTP status in a single handler; the CLI prints the message.
"""

from __future__ import annotations

from dataclasses import dataclass


class LrkgError(Exception):
    """Base of every error lrkg raises on purpose."""


class InvalidInput(LrkgError):
    """The request or file cannot be understood (bad syntax, unknown format, bad parameter)."""


class NotFound(LrkgError):
    """A named resource does not exist."""


class StoreUnavailable(LrkgError):
    """The store cannot be opened, for example because another process holds it."""


class QueryTimeout(LrkgError):
    """A SPARQL query ran past the time limit and its worker process was stopped."""

    def __init__(self, limit: float) -> None:
        self.limit = limit
        super().__init__(
            f"The query was stopped after {limit:g} s, the time limit for one query. Make it more selective "
            "(or add a LIMIT); whoever runs the server can change the limit with LRKG_QUERY_TIMEOUT."
        )


class QueryTooLarge(InvalidInput):
    """A SPARQL query longer than the query length limit; refused before it is parsed."""

    def __init__(self, size: int, limit: int) -> None:
        self.limit = limit
        super().__init__(
            f"The query is {size:,} bytes long, more than the {limit:,} bytes a query may be "
            "(LRKG_MAX_QUERY_BYTES). Shorten it: bind long lists of values in several queries."
        )


class QueryOutOfMemory(StoreUnavailable):
    """A SPARQL query needed more memory than a query worker may use; its worker was stopped."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(
            f"The query was stopped: it needed more memory than the {limit / 2**20:,.0f} MiB a query worker "
            "may use. Make it more selective (or add a LIMIT); whoever runs the server can change the limit "
            "with LRKG_QUERY_WORKER_MEMORY."
        )


class PoolBusy(LrkgError):
    """Every query worker stayed busy for the whole wait; `retry_after` is the number of
    seconds after which one is sure to be free (the time limit stops every query by then)."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(
            f"Every query worker is busy; try again in {retry_after} s. "
            "Whoever runs the server can add workers with LRKG_QUERY_WORKERS."
        )


class UnknownTheme(NotFound):
    """A theme a person typed matches no theme; carries the closest matches to suggest."""

    def __init__(self, requested: str, closest: list[str]) -> None:
        self.requested = requested
        self.closest = closest
        hint = f" Did you mean: {', '.join(closest)}?" if closest else ""
        super().__init__(f"No theme matches {requested!r}.{hint}")


class UnknownActor(NotFound):
    """No actor matches what a person typed; carries the closest names to suggest."""

    def __init__(self, requested: str, closest: list[str]) -> None:
        self.requested = requested
        self.closest = closest
        hint = f" Did you mean: {', '.join(closest)}?" if closest else ""
        super().__init__(f"No actor matches {requested!r}.{hint}")


class UnansweredQuestion(InvalidInput):
    """A plain-English question matches none of the kinds of question lrkg can answer;
    carries example questions that it can."""

    def __init__(self, question: str, examples: list[str]) -> None:
        self.question = question
        self.examples = examples
        super().__init__(
            f"Cannot answer {question!r}: it matches none of the questions lrkg understands. "
            "Try one of the examples, or ask /sparql directly."
        )


@dataclass(frozen=True)
class Violation:
    """One SHACL result: which node, which property, what is wrong."""

    focus_node: str
    path: str | None
    message: str
    severity: str = "Violation"

    def __str__(self) -> str:
        where = f" (path {self.path})" if self.path else ""
        return f"{self.focus_node}{where}: {self.message}"


class ValidationFailed(LrkgError):
    """Data does not conform to the shapes; nothing from it was stored."""

    def __init__(self, source: str, violations: list[Violation]) -> None:
        self.source = source
        self.violations = violations
        lines = "\n".join(f"  - {v}" for v in violations)
        super().__init__(f"{source} does not conform to the lrkg shapes ({len(violations)} violations):\n{lines}")
