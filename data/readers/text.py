"""Text files: their encoding, the delimiter of CSV, TSV and delimited .txt files, and a plain
.txt page read as one article."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from data.readers.columns import HEAD_RECORDS, rows_table
from data.readers.tables import ReaderError, Table, closing, record_table

DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")
SAMPLE_BYTES = 1 << 20  # read to detect encoding, delimiter and header
PAGE_MAX_BYTES = 20 << 20  # a plain-text or HTML page larger than this is not one article
CONTROL_SHARE_MAX = 0.05  # more control characters than this: binary, not text
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _encoding(path: Path, sample: bytes, whole: bool) -> str:
    """The text encoding of a file from its first bytes; ReaderError for binary content."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in sample:
        raise ReaderError(f"{path}: binary content (NUL bytes), not a text file")
    for encoding in ("utf-8", "cp1252"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(sample, final=whole)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"


def sample_text(path: Path) -> tuple[str, str]:
    """Encoding and decoded first lines of a text file; ReaderError if it is empty or binary."""
    with path.open("rb") as handle:
        sample = handle.read(SAMPLE_BYTES)
    whole = len(sample) < SAMPLE_BYTES
    encoding = _encoding(path, sample, whole)
    text = codecs.decode(sample, encoding, errors="replace")
    text = text if whole else text[: text.rfind("\n") + 1] or text
    if not text.strip():
        raise ReaderError(f"{path}: the file is empty")
    if len(_CONTROL.findall(text)) > CONTROL_SHARE_MAX * len(text):
        raise ReaderError(f"{path}: binary content (control characters), not a text file")
    return encoding, text


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


def _text_cells(handle: TextIO, delimiter: str) -> Iterator[list[str | None]]:
    """The non-blank records of a delimited text stream."""
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
    for record in csv.reader(handle, delimiter=delimiter):
        if any(cell.strip() for cell in record):
            yield record


def _delimited_table(path: Path, encoding: str, delimiter: str, chunk_rows: int) -> Table | None:
    """The single table of a delimited text file, streamed."""
    handle = path.open(encoding=encoding, errors="replace", newline="")
    return rows_table(closing(_text_cells(handle, delimiter), handle), "", chunk_rows, strict=True)


def delimited_tables(path: Path, chunk_rows: int) -> list[Table]:
    """Tables of a .csv or .tsv file."""
    encoding, sample = sample_text(path)
    delimiter, _ = _delimiter(sample, "\t" if path.suffix.lower() == ".tsv" else ",")
    table = _delimited_table(path, encoding, delimiter, chunk_rows)
    return [table] if table else []


def _page_record(text: str) -> dict[str, str | None]:
    """A scraped plain-text page: first non-empty line = title, the rest = text."""
    lines = text.strip().splitlines()
    body = "\n".join(lines[1:]).strip()
    return {"title": lines[0].strip(), "text": body or None}


def text_tables(path: Path, chunk_rows: int) -> list[Table]:
    """Tables of a .txt file: delimited records, or else one scraped page."""
    encoding, sample = sample_text(path)
    delimiter, (splits, share, _) = _delimiter(sample, "\t")
    if splits and share >= 0.9:
        table = _delimited_table(path, encoding, delimiter, chunk_rows)
        return [table] if table else []
    if path.stat().st_size > PAGE_MAX_BYTES:
        raise ReaderError(f"{path}: too large for one page and not delimited into records")
    return [record_table(_page_record(path.read_text(encoding=encoding, errors="replace")))]
