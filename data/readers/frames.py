"""Raw frames: the records of a file's tables as RAW_COLUMNS, each field taken from the columns
recognised for it."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from data.readers.columns import (
    check_mapping,
    column_map,
    columns_found,
    has_text_or_title,
    is_date,
)
from data.readers.files import file_tables
from data.readers.tables import LIBRARY_ERRORS, Chunk, ReaderError, Table
from data.schema import RAW_COLUMNS

_FIELDS = tuple(name for name in RAW_COLUMNS if name not in ("file", "row", "error"))


def read_path(
    path: Path, mapping: dict[str, str] | None = None, chunk_rows: int = 5000
) -> Iterator[pd.DataFrame]:
    """Raw frames (RAW_COLUMNS, object dtype) of one file, chunk_rows records at a time."""
    path, mapping = Path(path), mapping or {}
    tables = file_tables(path, max(1, chunk_rows))
    if not tables:
        raise ReaderError(f"{path}: no records in the file")
    usable = [has_text_or_title(column_map(t.columns, mapping, t.roles)) for t in tables]
    check_mapping(path, tables, mapping)
    if not any(usable):
        raise ReaderError(
            f"{path}: no text or title column ({columns_found(tables)}); "
            "name them with --map, e.g. --map text=COLUMN,title=COLUMN"
        )
    frames = raw_frames(path, tables, usable, mapping)
    first = next(frames, None)
    if first is None:
        raise ReaderError(f"{path}: no records in the file")
    return itertools.chain([first], frames)


def _blank_none(values: list[str | None]) -> list[str | None]:
    """Values with empty and whitespace-only strings as None."""
    return [v if v and not v.isspace() else None for v in values]


def _date_with_time(day: str | None, clock: str | None) -> str | None:
    """A date string with a separate time joined on; a lone time counts only if it holds a date."""
    if not clock or (day and clock in day):
        return day
    if day:
        return f"{day} {clock}"
    return clock if is_date(clock) else None


def _coalesced(chunk: Chunk, columns: tuple[str, ...]) -> list[str | None]:
    """Per record, the first non-blank value among columns."""
    values: list[str | None] = [None] * len(chunk.errors)
    for column in columns:
        values = [
            v if v is not None else w
            for v, w in zip(values, _blank_none(chunk.columns[column]), strict=True)
        ]
    return values


def _raw_frame(
    chunk: Chunk,
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


def raw_frames(
    path: Path, tables: list[Table], usable: list[bool], mapping: dict[str, str]
) -> Iterator[pd.DataFrame]:
    """Raw frames of every table in turn; a table without text or title has an error on each row."""
    done = 0
    try:
        for table, ok in zip(tables, usable, strict=True):
            problem = None if ok else f"{table.label} has no text or title column"
            for chunk in table.chunks:
                if chunk.errors:
                    columns = column_map(tuple(chunk.columns), mapping, table.roles)
                    yield _raw_frame(chunk, columns, path, done + 1, problem)
                    done += len(chunk.errors)
    except LIBRARY_ERRORS as exc:
        raise ReaderError(f"{path}: reading stopped after record {done} ({exc})") from exc
