"""Which files to read and with which reader: folders expanded by file name, each file's format
told by its content (zip workbook, Parquet, JSON, HTML, delimited or plain text), whatever its name."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from data.readers.decoding import sample_text
from data.readers.excel import excel_tables
from data.readers.json_files import json_tables
from data.readers.pages import html_tables
from data.readers.parquet import parquet_tables
from data.readers.tables import LIBRARY_ERRORS, ReaderError, ReadLimits, ReadNotes, Table
from data.readers.text import delimited_tables, text_tables

Reader = Callable[[Path, int, ReadLimits, ReadNotes], list[Table]]

#: Reader per format.
READERS: dict[str, Reader] = {
    "xlsx": excel_tables,
    "parquet": parquet_tables,
    "json": json_tables,
    "html": html_tables,
    "delimited": delimited_tables,
    "text": text_tables,
}

#: File names a folder is searched for; a file named on its own is read whatever its name.
FOLDER_SUFFIXES: frozenset[str] = frozenset(
    {".csv", ".tsv", ".txt", ".json", ".jsonl", ".ndjson", ".parquet", ".xlsx", ".xlsm"}
    | {".html", ".htm"}
)

#: First bytes of formats that are not read, and what to do instead.
_UNREAD_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0", "an old Excel .xls (or other Office 97-2003) file: save it as .xlsx"),
    (b"\x1f\x8b", "gzip-compressed: unpack it first"),
    (b"\xfd7zXZ\x00", "xz-compressed: unpack it first"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive: unpack it first"),
    (b"Rar!\x1a\x07", "a RAR archive: unpack it first"),
    (b"%PDF-", "a PDF document, not a table or page of news"),
)
_BZIP2 = re.compile(rb"^BZh[1-9]1AY&SY")
_JSON_START = re.compile(r"^\s*(?:\{|\[\s*(?:[\[{\"\]\-\d]|true|false|null|$))")
_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
    re.IGNORECASE | re.DOTALL,
)


def iter_input_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files to read: files as given, folders expanded recursively to readable files, sorted."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from _folder_files(path)
        elif path.is_file():
            yield path
        else:
            raise ReaderError(f"{path}: no such file or folder")


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
            if not _hidden(name) and Path(name).suffix.lower() in FOLDER_SUFFIXES:
                yield Path(root) / name


def _text_format(path: Path) -> str:
    """The format of a text file: JSON, HTML, delimited records (a .csv or .tsv name) or text that
    may be either delimited records or one page."""
    sample = sample_text(path)
    suffix = path.suffix.lower()
    if _JSON_START.match(sample):
        return "json"
    if _HTML_START.match(sample) or suffix in (".html", ".htm"):
        return "html"
    return "delimited" if suffix in (".csv", ".tsv") else "text"


def file_format(path: Path) -> str:
    """What a file holds, told by its first bytes: a key of READERS; ReaderError for a format that
    is not read, saying what to do."""
    with path.open("rb") as handle:
        head = handle.read(16)
    if not head:
        raise ReaderError(f"{path}: the file is empty")
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "xlsx"
    if head.startswith(b"PAR1"):
        return "parquet"
    for magic, what in _UNREAD_MAGIC:
        if head.startswith(magic):
            raise ReaderError(f"{path}: {what}")
    if _BZIP2.match(head):
        raise ReaderError(f"{path}: bzip2-compressed: unpack it first")
    return _text_format(path)


def file_tables(path: Path, chunk_rows: int, limits: ReadLimits, notes: ReadNotes) -> list[Table]:
    """The tables of a file, ready to stream; ReaderError for a file that cannot be read at all."""
    if not path.is_file():
        raise ReaderError(f"{path}: no such file")
    try:
        return READERS[file_format(path)](path, chunk_rows, limits, notes)
    except LIBRARY_ERRORS as exc:
        raise ReaderError(f"{path}: cannot be read ({exc})") from exc
