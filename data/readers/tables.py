"""What every reader hands on: the tables of a file, streamed chunk by chunk as text cells, and
the error a file that cannot be read raises; what a reader may take of a file (`ReadLimits`) and
what it noticed besides the records (`ReadNotes`)."""

from __future__ import annotations

import csv
import itertools
import json
import math
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import NamedTuple
from xml.etree.ElementTree import ParseError

#: What the parsing libraries raise for a file they cannot read.
LIBRARY_ERRORS = (
    OSError,
    ValueError,
    csv.Error,
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    ParseError,
)

MAX_ROWS = 1_000_000  # records read from one file; the rest is one quarantined record
MAX_UNPACKED_MB = 1024  # what a workbook or Parquet file may unpack to


@dataclass(frozen=True)
class ReadLimits:
    """How much of one file the readers take: records, and the bytes a compressed file (an .xlsx
    workbook, a Parquet file) may unpack to."""

    max_rows: int = MAX_ROWS
    max_unpacked_mb: int = MAX_UNPACKED_MB

    def __post_init__(self) -> None:
        if self.max_rows < 1 or self.max_unpacked_mb < 1:
            raise ValueError("the row and unpacked-size limits must be at least 1")


@dataclass
class ReadNotes:
    """What reading one file noticed besides its records: its non-ASCII lines by the encoding
    they were read in, and the identical records past REPEATS_KEPT counted, not handed on."""

    encodings: Counter = field(default_factory=Counter)
    repeated_rows: int = 0

    @property
    def lines_not_utf8(self) -> int:
        """Lines that were not UTF-8 and were read as cp1252 or Latin-1."""
        return sum(n for encoding, n in self.encodings.items() if encoding != "utf-8")


class ReaderError(Exception):
    """A file, folder or option the readers cannot use; the message says which and why."""


class Chunk(NamedTuple):
    """Records of one input table, column by column, with a reader-level error per record."""

    columns: dict[str, list[str | None]]
    errors: list[str | None]


class Table(NamedTuple):
    """One table of a file (an Excel sheet, or the whole file) and its records, chunk by chunk."""

    label: str  # where in the file, for messages: "" or "sheet 'Berita'"
    columns: tuple[str, ...]
    roles: dict[str, str] | None  # field -> column recognised by content, for a headerless table
    chunks: Iterator[Chunk]


def batches(items: Iterator, size: int) -> Iterator[list]:
    """Consecutive lists of at most size items."""
    while batch := list(itertools.islice(items, size)):
        yield batch


def record_table(record: dict[str, str | None]) -> Table:
    """A one-record table."""
    columns = tuple(record)
    return Table("", columns, None, iter([Chunk({c: [record[c]] for c in columns}, [None])]))


def cell_text(value: object) -> str | None:
    """A cell or JSON value as text a person would read (ISO dates), None when empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        midnight = value.time() == time() and value.tzinfo is None
        return value.date().isoformat() if midnight else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, bytes):
        return cell_text(value.decode("utf-8", errors="replace"))
    if isinstance(value, dict):
        return (
            cell_text(value["name"]) if "name" in value else json.dumps(value, ensure_ascii=False)
        )
    if isinstance(value, list | tuple):
        return "\n".join(text for item in value if (text := cell_text(item))) or None
    return str(value)
