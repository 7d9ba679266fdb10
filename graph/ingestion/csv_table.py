"""Reading a CSV file record by record, each with the physical lines it spans, so that every
problem can be reported at the line a person sees in an editor.

A quoted field may run over several lines: the record's line is the line it starts on,
counting the header as line 1. A quote left open, or a stray quote inside a quoted field,
would swallow the records after it; such a record is reported as broken at its first line
and reading starts again on the line after, so that one bad quote costs one record.

The file's encoding is detected unless it is named, and mojibake in every value is undone
(`graph.ingestion.text_encoding`); the table lists each value repaired.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from graph.ingestion.review_yaml import Problem
from graph.ingestion.text_encoding import UndecodableText, decode, repair
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


@dataclass(frozen=True)
class Repair:
    """A value whose mojibake was undone: where, what it was, what it became, and how."""

    line: int
    column: str
    before: str
    after: str
    how: str


@dataclass
class Table:
    """The records of a CSV file that could be read, the lines that could not, how the file was
    decoded and the values that were repaired."""

    file: str
    columns: list[str]
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    encoding: str = "utf-8"
    encoding_detected: bool = False
    repairs: list[Repair] = field(default_factory=list)


def read_table(path: Path, *, encoding: str | None = None, delimiter: str = ",") -> Table:
    """Read every record of a CSV file whose first line names its columns, in `encoding`, or
    the one detected when None; a file that cannot be decoded, or has no header, raises InvalidInput."""
    content = path.read_bytes()
    try:
        decoded = decode(content, encoding)
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise InvalidInput(f"{path}:{line}: not {encoding} text ({error.reason}); give the file's encoding") from error
    except UndecodableText as error:
        raise InvalidInput(f"{path}: {error}") from error
    except LookupError as error:
        raise InvalidInput(f"{path}: unknown encoding {encoding!r}") from error
    text = decoded.text
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
    table = Table(str(path), columns, encoding=decoded.encoding, encoding_detected=decoded.detected)
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
            table.records.append(Record(line, _repaired(line, dict(zip(columns, cells)), table.repairs)))
    return table


def _repaired(line: int, values: dict[str, str], repairs: list[Repair]) -> dict[str, str]:
    """The record's values with mojibake undone, each repair added to `repairs`."""
    for column, value in values.items():
        fixed, how = repair(value)
        if how is not None:
            repairs.append(Repair(line, column, value, fixed, how))
            values[column] = fixed
    return values


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
