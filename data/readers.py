"""Readers that turn the files people have (CSV, Excel, JSON, Parquet, HTML, text) into raw frames.

Every reader streams: a file is read in chunks of ``chunk_rows`` records, so memory does not grow
with the size of the file. Columns are recognised by their English or Indonesian names; files
without a header row are recognised by what their columns contain; ``--map`` overrides both.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import math
import os
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import NamedTuple, TextIO
from xml.etree.ElementTree import ParseError

import pandas as pd

from data.schema import RAW_COLUMNS

#: Input column names recognised for each field, most preferred first. Compared case-insensitively,
#: ignoring spaces, underscores, dashes and dots.
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "article_id": ("id", "article_id", "news_id", "berita_id"),
    "title": ("title", "judul", "headline", "judul_berita"),
    "text": (
        "text",
        "content",
        "isi",
        "isi_berita",
        "body",
        "article",
        "konten",
        "artikel",
        "berita",
        "description",
        "deskripsi",
        "summary",
        "ringkasan",
    ),
    "date": (
        "date",
        "tanggal",
        "tgl",
        "published",
        "published_at",
        "publish_date",
        "date_published",
        "pubdate",
        "tanggal_terbit",
        "waktu",
        "datetime",
    ),
    "time": ("time", "jam", "pukul"),
    "url": ("url", "link", "link_judul", "tautan", "permalink"),
    "source": ("source", "sumber", "outlet", "media", "portal", "site_name"),
    "category": ("category", "kategori", "kategori_berita", "rubrik", "kanal", "section"),
    "region": ("region", "wilayah", "daerah", "lokasi", "location"),
    "html_date": ("html_date",),
}

#: Keys of a JSON object whose list holds the records.
JSON_RECORD_KEYS: tuple[str, ...] = (
    "articles",
    "data",
    "items",
    "records",
    "results",
    "rows",
    "news",
    "berita",
    "posts",
    "entries",
)

DELIMITERS: tuple[str, ...] = (",", ";", "\t", "|")
SAMPLE_BYTES = 1 << 20  # read to detect encoding, delimiter and header
HEAD_RECORDS = 200  # records used to recognise a header row and the columns of a headerless file
PAGE_MAX_BYTES = 20 << 20  # a plain-text or HTML page larger than this is not one article
CONTROL_SHARE_MAX = 0.05  # more control characters than this: binary, not text
LONG_TEXT_CHARS = 200  # mean length from which a headerless column is article text, not a title

_FIELDS = tuple(name for name in RAW_COLUMNS if name not in ("file", "row", "error"))
_URL = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_IMAGE_URL = re.compile(r"\.(?:jpe?g|png|gif|webp|bmp|svg|avif)(?:[?#]\S*)?$", re.IGNORECASE)
_NUMBER = re.compile(r"^[-+]?\d+(?:[.,]\d+)*$")
_INTEGER = re.compile(r"^\d+$")
_DATE = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}[:.]\d{2}\S*)?$"
    r"|^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"
    r"|\b\d{1,2}\s+(?:jan|feb|mar|apr|mei|may|jun|jul|agu|ags|aug|sep|okt|oct|nov|des|dec)[a-z]*\.?"
    r"\s+\d{4}\b",
    re.IGNORECASE,
)
_SALVAGE = re.compile(r'"([^"\\]{1,64})"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?)')
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_LIBRARY_ERRORS = (OSError, ValueError, csv.Error, zipfile.BadZipFile, EOFError, ParseError)


class ReaderError(Exception):
    """A file, folder or option the readers cannot use; the message says which and why."""


class _Chunk(NamedTuple):
    """Records of one input table, column by column, with a reader-level error per record."""

    columns: dict[str, list[str | None]]
    errors: list[str | None]


class _Table(NamedTuple):
    """One table of a file (an Excel sheet, or the whole file) and its records, chunk by chunk."""

    label: str  # where in the file, for messages: "" or "sheet 'Berita'"
    columns: tuple[str, ...]
    roles: dict[str, str] | None  # field -> column recognised by content, for a headerless table
    chunks: Iterator[_Chunk]


# --- public API -------------------------------------------------------------------------------


def parse_mapping(spec: str) -> dict[str, str]:
    """Field -> input column from a ``--map`` spec such as ``title=judul,text=isi``."""
    fields = {**{name: name for name in COLUMN_NAMES}, "id": "article_id"}
    mapping: dict[str, str] = {}
    for part in spec.split(","):
        field, equals, column = (piece.strip() for piece in part.partition("="))
        if not (equals and field and column):
            raise ReaderError(f"--map entry {part.strip()!r} is not FIELD=COLUMN (e.g. text=isi)")
        if field.lower() not in fields:
            raise ReaderError(
                f"--map names unknown field {field!r}; fields are: {', '.join(sorted(fields))}"
            )
        if fields[field.lower()] in mapping:
            raise ReaderError(f"--map gives field {field!r} twice")
        mapping[fields[field.lower()]] = column
    return mapping


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files to read: files as given, folders expanded recursively to readable files, sorted."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from _folder_files(path)
        elif path.is_file():
            yield path
        else:
            raise ReaderError(f"{path}: no such file or folder")


def read_path(
    path: Path, mapping: dict[str, str] | None = None, chunk_rows: int = 5000
) -> Iterator[pd.DataFrame]:
    """Raw frames (RAW_COLUMNS, object dtype) of one file, chunk_rows records at a time."""
    path, mapping = Path(path), mapping or {}
    tables = _tables(path, max(1, chunk_rows))
    if not tables:
        raise ReaderError(f"{path}: no records in the file")
    usable = [_usable(_column_map(t.columns, mapping, t.roles)) for t in tables]
    _check_mapping(path, tables, mapping)
    if not any(usable):
        raise ReaderError(
            f"{path}: no text or title column ({_columns_found(tables)}); "
            "name them with --map, e.g. --map text=COLUMN,title=COLUMN"
        )
    frames = _raw_frames(path, tables, usable, mapping)
    first = next(frames, None)
    if first is None:
        raise ReaderError(f"{path}: no records in the file")
    return itertools.chain([first], frames)


# --- files and folders ------------------------------------------------------------------------


def _hidden(name: str) -> bool:
    """Whether a file or folder name is hidden (dot files, Office lock files)."""
    return name.startswith((".", "~$"))


def _folder_files(folder: Path) -> Iterator[Path]:
    """Readable files under a folder, sorted; skips hidden files and saved pages' asset folders."""
    for root, dirs, files in os.walk(folder):
        stems = {
            Path(name).stem for name in files if Path(name).suffix.lower() in (".html", ".htm")
        }
        dirs[:] = sorted(
            d for d in dirs if not _hidden(d) and not (d.endswith("_files") and d[:-6] in stems)
        )
        for name in sorted(files):
            if not _hidden(name) and Path(name).suffix.lower() in _READERS:
                yield Path(root) / name


def _tables(path: Path, chunk_rows: int) -> list[_Table]:
    """The tables of a file, ready to stream; ReaderError for a file that cannot be read at all."""
    suffix = path.suffix.lower()
    if suffix not in _READERS:
        hint = _UNSUPPORTED_HINTS.get(suffix, f"supported: {', '.join(sorted(_READERS))}")
        raise ReaderError(f"{path}: unsupported file type {suffix or '(none)'!r} ({hint})")
    if not path.is_file():
        raise ReaderError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise ReaderError(f"{path}: the file is empty")
    try:
        return _READERS[suffix](path, chunk_rows)
    except _LIBRARY_ERRORS as exc:
        raise ReaderError(f"{path}: cannot be read ({exc})") from exc


# --- columns ----------------------------------------------------------------------------------


def _column_key(name: str) -> str:
    """A column name reduced for comparison: lower case, no spaces, underscores, dashes or dots."""
    return re.sub(r"[\s_.\-]+", "", name).casefold()


def _preference(field: str, column: str) -> int | None:
    """Rank of a column's name among the names of a field (0 = most preferred), None if no match."""
    keys = [_column_key(name) for name in COLUMN_NAMES[field]]
    key = _column_key(column)
    return keys.index(key) if key in keys else None


def _named_columns(columns: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Field -> the columns recognised by name, most preferred name first."""
    found: dict[str, tuple[str, ...]] = {}
    for field in COLUMN_NAMES:
        ranked = sorted(
            (rank, i, c)
            for i, c in enumerate(columns)
            if (rank := _preference(field, c)) is not None
        )
        if ranked:
            found[field] = tuple(c for *_, c in ranked)
    return found


def _find_column(columns: tuple[str, ...], wanted: str) -> str | None:
    """The column a --map entry names: exact match first, then ignoring case and separators."""
    if wanted in columns:
        return wanted
    return next((c for c in columns if _column_key(c) == _column_key(wanted)), None)


def _column_map(
    columns: tuple[str, ...], mapping: dict[str, str], roles: dict[str, str] | None
) -> dict[str, tuple[str, ...]]:
    """Field -> columns to take it from, first non-blank wins: --map, then by name or content."""
    chosen = {f: (c,) for f, wanted in mapping.items() if (c := _find_column(columns, wanted))}
    taken = {c for (c,) in chosen.values()}
    found = _named_columns(columns) if roles is None else {f: (c,) for f, c in roles.items()}
    rest = {f: tuple(c for c in cs if c not in taken) for f, cs in found.items() if f not in chosen}
    return chosen | {f: cs for f, cs in rest.items() if cs}


def _usable(columns: dict[str, tuple[str, ...]]) -> bool:
    """Whether a table has a column to take an article's text or title from."""
    return "text" in columns or "title" in columns


def _columns_found(tables: list[_Table]) -> str:
    """The columns of every table, for an error message."""
    parts = [
        f"{t.label + ': ' if t.label else ''}{', '.join(t.columns) or 'none'}"
        + (" (no header row)" if t.roles is not None else "")
        for t in tables
    ]
    return "columns found: " + "; ".join(parts)


def _check_mapping(path: Path, tables: list[_Table], mapping: dict[str, str]) -> None:
    """Raise ReaderError when a --map column is in none of the file's tables."""
    for field, wanted in mapping.items():
        if not any(_find_column(t.columns, wanted) for t in tables):
            raise ReaderError(
                f"{path}: column {wanted!r} given by --map {field}={wanted} is not in the file "
                f"({_columns_found(tables)})"
            )


# --- recognising a header row and headerless columns --------------------------------------------


def _looks_like_data(cell: str) -> bool:
    """Whether a first-row cell is a value (URL, date, number, sentence), not a column name."""
    return bool(
        _is_url(cell)
        or _NUMBER.match(cell)
        or _is_date(cell)
        or len(cell) > 40
        or len(cell.split()) >= 5
    )


def _is_date(cell: str) -> bool:
    """Whether a short cell reads as a date."""
    return len(cell) <= 60 and bool(_DATE.search(cell))


def _has_header(first: list[str | None]) -> bool:
    """Whether a table's first row names its columns."""
    return not any(cell and _looks_like_data(cell) for cell in first)


def _share(values: list[str], test: Callable[[str], bool]) -> float:
    """Fraction of values passing a test (0 for no values)."""
    return sum(map(test, values)) / len(values) if values else 0.0


def _mean_length(values: list[str]) -> float:
    """Mean length of values (0 for no values)."""
    return sum(map(len, values)) / len(values) if values else 0.0


def _is_url(value: str) -> bool:
    """Whether a value is a web address."""
    return bool(_URL.match(value))


def _is_image_url(value: str) -> bool:
    """Whether a web address points to an image rather than an article."""
    return bool(_IMAGE_URL.search(value))


def _is_words(value: str) -> bool:
    """Whether a value is words rather than a number."""
    return not _NUMBER.match(value) and any(ch.isalpha() for ch in value)


def _content_roles(head: list[list[str | None]], columns: tuple[str, ...]) -> dict[str, str]:
    """Field -> column of a headerless table, recognised by what its first records contain."""
    values = {
        c: [row[i] for row in head if i < len(row) and row[i] and not row[i].isspace()]
        for i, c in enumerate(columns)
    }
    urls = [c for c in columns if _share(values[c], _is_url) >= 0.8]
    dates = [c for c in columns if c not in urls and _share(values[c], _is_date) >= 0.8]
    texts = sorted(
        (c for c in columns if c not in urls + dates and _share(values[c], _is_words) >= 0.8),
        key=lambda c: -_mean_length(values[c]),
    )
    roles: dict[str, str] = {}
    if urls:
        roles["url"] = min(urls, key=lambda c: _share(values[c], _is_image_url))
    if dates:
        roles["date"] = dates[0]
    if texts and _mean_length(values[texts[0]]) >= LONG_TEXT_CHARS:
        roles["text"] = texts.pop(0)
    if texts:
        roles["title"] = texts[0]
    return roles


def _header_names(first: list[str | None], width: int) -> tuple[str, ...]:
    """Column names from a header row: blanks named by position, repeats numbered."""
    names = [(cell or "").strip() or str(i + 1) for i, cell in enumerate(first)]
    names += [str(i + 1) for i in range(len(names), width)]
    seen: Counter[str] = Counter()
    unique = []
    for name in names:
        unique.append(f"{name}.{seen[name]}" if seen[name] else name)
        seen[name] += 1
    return tuple(unique)


def _batches(items: Iterator, size: int) -> Iterator[list]:
    """Consecutive lists of at most size items."""
    while batch := list(itertools.islice(items, size)):
        yield batch


def _row_chunk(rows: list[list[str | None]], columns: tuple[str, ...], strict: bool) -> _Chunk:
    """A chunk from rows of cells; too many cells (or too few, when strict) is an error."""
    width = len(columns)
    errors = [
        f"expected {width} fields, found {len(row)}"
        if len(row) > width or (strict and len(row) < width)
        else None
        for row in rows
    ]
    fitted = [row[:width] + [None] * (width - len(row)) for row in rows]
    cells = list(zip(*fitted, strict=True)) if fitted else [()] * width
    return _Chunk(dict(zip(columns, map(list, cells), strict=True)), errors)


def _rows_table(
    rows: Iterator[list[str | None]], label: str, chunk_rows: int, strict: bool
) -> _Table | None:
    """A table from rows of cells, with or without a header row; None when there are no rows."""
    head = list(itertools.islice(rows, HEAD_RECORDS))
    if not head:
        return None
    width = max(map(len, head))
    if _has_header(head[0]):
        columns = _header_names(head[0], max(len(head[0]), 0 if strict else width))
        body, roles = itertools.chain(head[1:], rows), None
    else:
        columns = tuple(str(i + 1) for i in range(width))
        body, roles = itertools.chain(head, rows), _content_roles(head, columns)
    chunks = (_row_chunk(batch, columns, strict) for batch in _batches(body, chunk_rows))
    return _Table(label, columns, roles, chunks)


# --- text files: encoding, delimiter, plain pages ------------------------------------------------


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


def _sample_text(path: Path) -> tuple[str, str]:
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


def _delimited_table(path: Path, encoding: str, delimiter: str, chunk_rows: int) -> _Table | None:
    """The single table of a delimited text file, streamed."""
    handle = path.open(encoding=encoding, errors="replace", newline="")
    return _rows_table(
        _closing(_text_cells(handle, delimiter), handle), "", chunk_rows, strict=True
    )


def _closing(items: Iterator, handle: TextIO) -> Iterator:
    """Items of an iterator over an open file, closing the file once they run out."""
    with handle:
        yield from items


def _delimited_tables(path: Path, chunk_rows: int) -> list[_Table]:
    """Tables of a .csv or .tsv file."""
    encoding, sample = _sample_text(path)
    delimiter, _ = _delimiter(sample, "\t" if path.suffix.lower() == ".tsv" else ",")
    table = _delimited_table(path, encoding, delimiter, chunk_rows)
    return [table] if table else []


def _page_record(text: str) -> dict[str, str | None]:
    """A scraped plain-text page: first non-empty line = title, the rest = text."""
    lines = text.strip().splitlines()
    body = "\n".join(lines[1:]).strip()
    return {"title": lines[0].strip(), "text": body or None}


def _record_table(record: dict[str, str | None]) -> _Table:
    """A one-record table."""
    columns = tuple(record)
    return _Table("", columns, None, iter([_Chunk({c: [record[c]] for c in columns}, [None])]))


def _text_tables(path: Path, chunk_rows: int) -> list[_Table]:
    """Tables of a .txt file: delimited records, or else one scraped page."""
    encoding, sample = _sample_text(path)
    delimiter, (splits, share, _) = _delimiter(sample, "\t")
    if splits and share >= 0.9:
        table = _delimited_table(path, encoding, delimiter, chunk_rows)
        return [table] if table else []
    if path.stat().st_size > PAGE_MAX_BYTES:
        raise ReaderError(f"{path}: too large for one page and not delimited into records")
    return [_record_table(_page_record(path.read_text(encoding=encoding, errors="replace")))]


# --- Excel --------------------------------------------------------------------------------------


def _cell_text(value: object) -> str | None:
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
        return _cell_text(value.decode("utf-8", errors="replace"))
    if isinstance(value, dict):
        return (
            _cell_text(value["name"]) if "name" in value else json.dumps(value, ensure_ascii=False)
        )
    if isinstance(value, list | tuple):
        return "\n".join(text for item in value if (text := _cell_text(item))) or None
    return str(value)


def _sheet_rows(sheet: object) -> Iterator[list[str | None]]:
    """The non-empty rows of a worksheet as text cells, trailing empty cells dropped."""
    for values in sheet.iter_rows(values_only=True):
        cells = [_cell_text(v) for v in values]
        while cells and cells[-1] is None:
            cells.pop()
        if cells:
            yield cells


def _excel_tables(path: Path, chunk_rows: int) -> list[_Table]:
    """One table per non-empty worksheet of an .xlsx workbook, streamed in read-only mode."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    if not zipfile.is_zipfile(path):
        raise ReaderError(f"{path}: not an .xlsx workbook (an old .xls must be saved as .xlsx)")
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, KeyError) as exc:
        raise ReaderError(f"{path}: not a readable .xlsx workbook ({exc})") from exc
    tables = [
        _rows_table(_sheet_rows(sheet), f"sheet {sheet.title!r}", chunk_rows, strict=False)
        for sheet in book.worksheets
    ]
    return [t for t in tables if t]


# --- JSON and JSON Lines ------------------------------------------------------------------------


class _JsonStream:
    """JSON values read one at a time from a text stream, holding only what is being decoded."""

    def __init__(self, handle: TextIO) -> None:
        self._handle = handle
        self._buffer, self._pos, self._eof = "", 0, False
        self._decoder = json.JSONDecoder()

    def _fill(self) -> bool:
        """Read one more block; False at the end of the stream."""
        more = self._handle.read(SAMPLE_BYTES)
        self._buffer, self._pos = self._buffer[self._pos :] + more, 0
        self._eof = not more
        return bool(more)

    def peek(self) -> str:
        """The next non-blank character, "" at the end."""
        while True:
            while self._pos < len(self._buffer) and self._buffer[self._pos].isspace():
                self._pos += 1
            if self._pos < len(self._buffer) or not self._fill():
                return self._buffer[self._pos : self._pos + 1]

    def take(self, char: str) -> bool:
        """Consume char if it comes next."""
        if self.peek() == char:
            self._pos += 1
            return True
        return False

    def value(self) -> object:
        """The next JSON value; JSONDecodeError when it is malformed."""
        self.peek()
        while True:
            try:
                value, end = self._decoder.raw_decode(self._buffer, self._pos)
            except json.JSONDecodeError:
                if self._eof:
                    raise
            else:
                if end < len(self._buffer) or self._eof:
                    self._pos = end
                    return value
            self._fill()


def _array_values(stream: _JsonStream) -> Iterator[object]:
    """The items of the JSON array that comes next."""
    stream.take("[")
    while not stream.take("]"):
        yield stream.value()
        if not stream.take(",") and stream.peek() != "]":
            raise json.JSONDecodeError("expected ',' or ']' between records", "", 0)


def _document_values(stream: _JsonStream) -> Iterator[object]:
    """The records of a JSON document: a list, a list under a known key, or a single object."""
    if stream.peek() == "[":
        yield from _array_values(stream)
        return
    if not stream.take("{"):
        raise json.JSONDecodeError("expected a list or an object", "", 0)
    members: dict[str, object] = {}
    while not stream.take("}"):
        key = stream.value()
        if not (isinstance(key, str) and stream.take(":")):
            raise json.JSONDecodeError('expected "key": value', "", 0)
        if key.lower() in JSON_RECORD_KEYS and stream.peek() == "[":
            yield from _array_values(stream)
            return
        members[key] = stream.value()
        stream.take(",")
    lists = [v for v in members.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
    yield from lists[0] if lists else [members]


def _flat_record(value: object) -> tuple[dict[str, str | None], str | None]:
    """A JSON record as text cells, and an error when it is not an object."""
    if isinstance(value, dict):
        return {str(k): _cell_text(v) for k, v in value.items()}, None
    return {}, f"record is a JSON {type(value).__name__}, not an object"


def _salvaged(line: str) -> dict[str, str | None]:
    """The "key": value pairs that can still be read from a malformed JSON line."""
    return {key: _cell_text(json.loads(raw)) for key, raw in _SALVAGE.findall(line)}


def _line_records(handle: TextIO) -> Iterator[tuple[dict[str, str | None], str | None]]:
    """Records of a JSON Lines stream; a malformed line keeps what could be read, with an error."""
    for line in handle:
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield _salvaged(line), f"malformed JSON line: {exc.msg} (column {exc.colno})"
            continue
        yield _flat_record(value)


def _document_records(
    path: Path, handle: TextIO
) -> Iterator[tuple[dict[str, str | None], str | None]]:
    """Records of a JSON document; a document broken part-way ends with one error record."""
    count = 0
    try:
        for value in _document_values(_JsonStream(handle)):
            count += 1
            yield _flat_record(value)
    except json.JSONDecodeError as exc:
        if not count:
            raise ReaderError(f"{path}: not valid JSON ({exc.msg})") from exc
        yield {}, f"malformed JSON after record {count} ({exc.msg}); the rest was not read"


def _record_chunk(batch: list[tuple[dict[str, str | None], str | None]]) -> _Chunk:
    """A chunk from JSON records whose keys may differ."""
    columns = tuple(dict.fromkeys(key for record, _ in batch for key in record))
    cells = {c: [record.get(c) for record, _ in batch] for c in columns}
    return _Chunk(cells, [error for _, error in batch])


def _is_json_lines(sample: str) -> bool:
    """Whether a .json sample is really JSON Lines: two lines that are each a complete object."""
    lines = [line for line in sample.splitlines() if line.strip()][:2]
    try:
        return len(lines) == 2 and all(isinstance(json.loads(line), dict) for line in lines)
    except json.JSONDecodeError:
        return False


def _json_tables(path: Path, chunk_rows: int) -> list[_Table]:
    """The table of a .json, .jsonl or .ndjson file, streamed."""
    encoding, sample = _sample_text(path)
    handle = path.open(encoding=encoding, errors="replace")
    lines = path.suffix.lower() != ".json" or _is_json_lines(sample)
    records = _line_records(handle) if lines else _document_records(path, handle)
    chunks = (_record_chunk(batch) for batch in _batches(_closing(records, handle), chunk_rows))
    first = next(chunks, None)
    if first is None:
        return []
    return [_Table("", tuple(first.columns), None, itertools.chain([first], chunks))]


# --- Parquet and HTML ---------------------------------------------------------------------------


def _parquet_chunks(file: object, chunk_rows: int) -> Iterator[_Chunk]:
    """Record batches of a Parquet file as text cells."""
    for batch in file.iter_batches(batch_size=chunk_rows):
        cells = {
            name: [_cell_text(v) for v in column.to_pylist()]
            for name, column in zip(batch.schema.names, batch.columns, strict=True)
        }
        yield _Chunk(cells, [None] * batch.num_rows)


def _parquet_tables(path: Path, chunk_rows: int) -> list[_Table]:
    """The table of a Parquet file, streamed by record batch."""
    import pyarrow.parquet as pq

    file = pq.ParquetFile(path)
    return [_Table("", tuple(file.schema_arrow.names), None, _parquet_chunks(file, chunk_rows))]


def _html_tables(path: Path, chunk_rows: int) -> list[_Table]:
    """One record from a saved article page: title, text, date, URL and site name."""
    import trafilatura

    if path.stat().st_size > PAGE_MAX_BYTES:
        raise ReaderError(f"{path}: too large for one article page")
    content = path.read_bytes()
    if b"\x00" in content[:SAMPLE_BYTES] and not content.startswith(codecs.BOM_UTF16_LE):
        raise ReaderError(f"{path}: binary content (NUL bytes), not an HTML page")
    page = trafilatura.bare_extraction(
        content, with_metadata=True, date_extraction_params={"original_date": True}
    )
    if page is None or not (page.title or page.text):
        raise ReaderError(f"{path}: no article title or text found in the page")
    record = {
        "title": page.title,
        "text": page.text,
        "url": page.url,
        "source": page.sitename,
        "category": "; ".join(page.categories) or None,
        "html_date": page.date,
    }
    return [_record_table(record)]


# --- raw frames ---------------------------------------------------------------------------------


def _blank_none(values: list[str | None]) -> list[str | None]:
    """Values with empty and whitespace-only strings as None."""
    return [v if v and not v.isspace() else None for v in values]


def _date_with_time(day: str | None, clock: str | None) -> str | None:
    """A date string with a separate time joined on; a lone time counts only if it holds a date."""
    if not clock or (day and clock in day):
        return day
    if day:
        return f"{day} {clock}"
    return clock if _is_date(clock) else None


def _coalesced(chunk: _Chunk, columns: tuple[str, ...]) -> list[str | None]:
    """Per record, the first non-blank value among columns."""
    values: list[str | None] = [None] * len(chunk.errors)
    for column in columns:
        values = [
            v if v is not None else w
            for v, w in zip(values, _blank_none(chunk.columns[column]), strict=True)
        ]
    return values


def _raw_frame(
    chunk: _Chunk,
    columns: dict[str, tuple[str, ...]],
    path: Path,
    first_row: int,
    problem: str | None,
) -> pd.DataFrame:
    """The raw frame of one chunk."""
    size = len(chunk.errors)
    values = {field: _coalesced(chunk, columns.get(field, ())) for field in (*_FIELDS, "time")}
    times = values.pop("time")
    return pd.DataFrame(
        {
            **values,
            "date": list(map(_date_with_time, values["date"], times)),
            "file": [str(path)] * size,
            "row": list(range(first_row, first_row + size)),
            "error": [error or problem for error in chunk.errors],
        },
        columns=list(RAW_COLUMNS),
        dtype=object,
    )


def _raw_frames(
    path: Path, tables: list[_Table], usable: list[bool], mapping: dict[str, str]
) -> Iterator[pd.DataFrame]:
    """Raw frames of every table in turn; a table without text or title has an error on each row."""
    done = 0
    try:
        for table, ok in zip(tables, usable, strict=True):
            problem = None if ok else f"{table.label} has no text or title column"
            for chunk in table.chunks:
                if chunk.errors:
                    columns = _column_map(tuple(chunk.columns), mapping, table.roles)
                    yield _raw_frame(chunk, columns, path, done + 1, problem)
                    done += len(chunk.errors)
    except _LIBRARY_ERRORS as exc:
        raise ReaderError(f"{path}: reading stopped after record {done} ({exc})") from exc


_READERS: dict[str, Callable[[Path, int], list[_Table]]] = {
    ".csv": _delimited_tables,
    ".tsv": _delimited_tables,
    ".txt": _text_tables,
    ".json": _json_tables,
    ".jsonl": _json_tables,
    ".ndjson": _json_tables,
    ".parquet": _parquet_tables,
    ".xlsx": _excel_tables,
    ".xlsm": _excel_tables,
    ".html": _html_tables,
    ".htm": _html_tables,
}

_UNSUPPORTED_HINTS: dict[str, str] = {
    ".xls": "save it as .xlsx",
    ".ods": "save it as .xlsx",
    ".zip": "unpack it first",
    ".gz": "unpack it first",
}
