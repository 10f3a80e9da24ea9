"""Text files: the delimiter of CSV, TSV and delimited text files, and a plain-text page read as
one article."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from data.readers.columns import HEAD_RECORDS, rows_table
from data.readers.decoding import decoded_blocks, sample_text, text_lines
from data.readers.tables import ReaderError, ReadLimits, ReadNotes, Table, record_table

DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")
PAGE_MAX_BYTES = 20 << 20  # a plain-text or HTML page larger than this is not one article


def _sample_records(sample: str, delimiter: str) -> list[list[str]]:
    """The first non-blank records of a text sample split with a delimiter."""
    reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
    records: list[list[str]] = []
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                records.append(record)
            if len(records) >= HEAD_RECORDS:
                break
    except csv.Error:
        pass  # a sample cut inside a quoted field: the records before it are enough
    return records


def _layout(sample: str, delimiter: str) -> tuple[bool, float, int]:
    """How well a delimiter splits a sample: (splits at all, share of the usual width, width)."""
    records = _sample_records(sample, delimiter)
    if not records:
        return (False, 0.0, 0)
    width, count = Counter(map(len, records)).most_common(1)[0]
    return (width >= 2 and len(records) >= 2, count / len(records), width)


def _delimiter(sample: str, preferred: str) -> tuple[str, tuple[bool, float, int]]:
    """The delimiter that splits a sample most consistently, and how well it does."""
    layouts = {d: _layout(sample, d) for d in (preferred, *DELIMITERS)}
    best = max(layouts, key=lambda d: layouts[d])
    return best, layouts[best]


def _text_cells(lines: Iterable[str], delimiter: str) -> Iterator[list[str | None]]:
    """The non-blank records of delimited lines of text."""
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
    for record in csv.reader(lines, delimiter=delimiter):
        if any(cell.strip() for cell in record):
            yield record


def _delimited_table(path: Path, delimiter: str, chunk_rows: int, notes: ReadNotes) -> Table | None:
    """The single table of a delimited text file, streamed."""
    lines = text_lines(decoded_blocks(path, notes.encodings))
    return rows_table(_text_cells(lines, delimiter), "", chunk_rows, strict=True)


def delimited_tables(
    path: Path, chunk_rows: int, limits: ReadLimits, notes: ReadNotes
) -> list[Table]:
    """Tables of a CSV or TSV file."""
    delimiter, _ = _delimiter(sample_text(path), "\t" if path.suffix.lower() == ".tsv" else ",")
    table = _delimited_table(path, delimiter, chunk_rows, notes)
    return [table] if table else []


def _page_record(text: str) -> dict[str, str | None]:
    """A scraped plain-text page: first non-empty line = title, the rest = text."""
    lines = text.strip().splitlines()
    body = "\n".join(lines[1:]).strip()
    return {"title": lines[0].strip(), "text": body or None}


def text_tables(path: Path, chunk_rows: int, limits: ReadLimits, notes: ReadNotes) -> list[Table]:
    """Tables of a plain-text file: delimited records, or else one scraped page."""
    delimiter, (splits, share, _) = _delimiter(sample_text(path), "\t")
    if splits and share >= 0.9:
        table = _delimited_table(path, delimiter, chunk_rows, notes)
        return [table] if table else []
    if path.stat().st_size > PAGE_MAX_BYTES:
        raise ReaderError(f"{path}: too large for one page and not delimited into records")
    return [record_table(_page_record("".join(decoded_blocks(path, notes.encodings))))]
