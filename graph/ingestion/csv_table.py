"""Reading a CSV file record by record, each with the physical lines it spans, so that every
problem can be reported at the line a person sees in an editor.

A quoted field may run over several lines: the record's line is the line it starts on,
counting the header as line 1. A quote left open, or a stray quote inside a quoted field,
would swallow the records after it; such a record is reported as broken at its first line
and reading starts again on the line after, so that one bad quote costs one record.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graph.ingestion.review_yaml import Problem
from graph.store.errors import InvalidInput

_PHYSICAL_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
BROKEN_QUOTE = (
    "a quote is not closed, or a quote inside a quoted field is not doubled (write \"\" for \"): "
    "the record is skipped and reading starts again on the next line"
)


@dataclass(frozen=True)
class Record:
    """One record: the line it starts on (the header is line 1) and its values by column."""

    line: int
    values: dict[str, str]

    def get(self, column: str | None) -> str:
        """The value in `column`, stripped; empty when the column is not given or not filled."""
        return self.values.get(column, "").strip() if column else ""


@dataclass
class Table:
    """The records of a CSV file that could be read, and the lines that could not."""

    file: str
    columns: list[str]
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_table(path: Path, *, encoding: str = "utf-8-sig", delimiter: str = ",") -> Table:
    """Read every record of a CSV file whose first line names its columns; a file that cannot
    be decoded, or has no header, raises InvalidInput."""
    content = path.read_bytes()
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise InvalidInput(f"{path}:{line}: not {encoding} text ({error.reason}); give the file's encoding") from error
    except LookupError as error:
        raise InvalidInput(f"{path}: unknown encoding {encoding!r}") from error
    lines = _PHYSICAL_LINE.findall(text)
    records = _records(lines, delimiter)
    _, header, _ = next(records, (1, [], 1))
    if header is None:
        raise InvalidInput(f"{path}:1: the header has a quote that is not closed")
    if not any(cell.strip() for cell in header):
        raise InvalidInput(f"{path}: the file is empty; its first line must name the columns")
    columns = [cell.strip() for cell in header]
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    if repeated:
        raise InvalidInput(f"{path}:1: column {repeated[0]!r} is named twice; give each column its own name")
    table = Table(str(path), columns)
    for line, cells, spans in records:
        if cells is None:
            table.problems.append(Problem(table.file, line, "(record)", BROKEN_QUOTE))
        elif len(cells) != len(columns) and spans > 1:
            table.problems.append(Problem(table.file, line, "(record)", BROKEN_QUOTE))
        elif len(cells) != len(columns):
            table.problems.append(Problem(
                table.file, line, "(record)",
                f"has {len(cells)} field{'' if len(cells) == 1 else 's'} where the header has {len(columns)}: a value with a "
                f"{delimiter!r} in it needs quotes around it"))
        else:
            table.records.append(Record(line, dict(zip(columns, cells))))
    return table


def _records(lines: list[str], delimiter: str) -> Iterator[tuple[int, list[str] | None, int]]:
    """(first line, cells or None when broken, lines spanned) for each non-blank record."""
    start = 0
    while start < len(lines):
        reader = csv.reader(iter(lines[start:]), delimiter=delimiter, strict=True)
        consumed = 0
        try:
            for cells in reader:
                first, consumed = start + consumed + 1, reader.line_num
                if cells:
                    yield first, cells, start + consumed - first + 1
            return
        except csv.Error:
            broken = start + consumed + 1
            yield broken, None, 1
            start = broken  # the line after the broken one (lines are counted from 1)
