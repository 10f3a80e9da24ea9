"""Which files to read and with which reader: folders expanded, file types told apart by suffix."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from data.readers.excel import excel_tables
from data.readers.json_files import json_tables
from data.readers.pages import html_tables
from data.readers.parquet import parquet_tables
from data.readers.tables import LIBRARY_ERRORS, ReaderError, Table
from data.readers.text import delimited_tables, text_tables

READERS: dict[str, Callable[[Path, int], list[Table]]] = {
    ".csv": delimited_tables,
    ".tsv": delimited_tables,
    ".txt": text_tables,
    ".json": json_tables,
    ".jsonl": json_tables,
    ".ndjson": json_tables,
    ".parquet": parquet_tables,
    ".xlsx": excel_tables,
    ".xlsm": excel_tables,
    ".html": html_tables,
    ".htm": html_tables,
}

_UNSUPPORTED_HINTS: dict[str, str] = {
    ".xls": "save it as .xlsx",
    ".ods": "save it as .xlsx",
    ".zip": "unpack it first",
    ".gz": "unpack it first",
}


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
            if not _hidden(name) and Path(name).suffix.lower() in READERS:
                yield Path(root) / name


def file_tables(path: Path, chunk_rows: int) -> list[Table]:
    """The tables of a file, ready to stream; ReaderError for a file that cannot be read at all."""
    suffix = path.suffix.lower()
    if suffix not in READERS:
        hint = _UNSUPPORTED_HINTS.get(suffix, f"supported: {', '.join(sorted(READERS))}")
        raise ReaderError(f"{path}: unsupported file type {suffix or '(none)'!r} ({hint})")
    if not path.is_file():
        raise ReaderError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise ReaderError(f"{path}: the file is empty")
    try:
        return READERS[suffix](path, chunk_rows)
    except LIBRARY_ERRORS as exc:
        raise ReaderError(f"{path}: cannot be read ({exc})") from exc
